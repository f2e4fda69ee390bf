// ApiError: the one error type thrown at validation and admission (DESIGN.md §3). Each API turns it
// into its public error surface in exactly one place (api/forge_errors, api/hive_errors).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace forgehive::core {

class ApiError : public std::runtime_error {
public:
    ApiError(std::string code, int http_status, std::string message)
        : std::runtime_error(std::move(message)), code_(std::move(code)), http_status_(http_status) {}

    // For 429 and 503: how long the client should wait before retrying (the Retry-After header).
    ApiError& retry_after(int seconds) {
        retry_after_s_ = seconds;
        return *this;
    }

    const std::string& code() const noexcept { return code_; }
    int http_status() const noexcept { return http_status_; }
    std::string message() const { return what(); }
    std::optional<int> retry_after_s() const noexcept { return retry_after_s_; }

private:
    std::string code_;
    int http_status_;
    std::optional<int> retry_after_s_;
};

}  // namespace forgehive::core
