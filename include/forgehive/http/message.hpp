// The request and response a handler sees: plain values, no Beast types, so handlers and their tests
// need nothing from the network layer.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace forgehive::http {

// The body of a request to a stream_body route, read by the handler as it needs it, so that a large
// body never has to be in memory at once.
class BodyStream {
public:
    virtual ~BodyStream() = default;
    // Fills `into` with the next bytes of the body; fewer than into.size() only at its end, 0 once it
    // is over. Throws core::ApiError: 413 past the route's body limit, 408 when the bytes do not arrive
    // within limits.read_timeout_ms, 400 when the body is malformed or the connection ends early.
    virtual boost::asio::awaitable<std::size_t> read(std::span<char> into) = 0;
    // The declared Content-Length; none for a chunked body.
    virtual std::optional<std::uint64_t> content_length() const = 0;
};

struct Request {
    std::string method;  // upper case, as sent ("GET", "POST")
    std::string target;  // as sent, with the query
    std::string path;    // target without the query
    std::string query;
    std::vector<std::pair<std::string, std::string>> headers;
    std::map<std::string, std::string> params;  // from {name} segments of the route pattern
    std::string body;                   // empty for stream_body routes: they read body_stream
    BodyStream* body_stream = nullptr;  // set for stream_body routes only; valid while the handler runs
    std::string request_id;
    std::string remote_address;

    // Case-insensitive header lookup; empty when absent.
    std::string_view header(std::string_view name) const;
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    // When set, the body is this file's content, sent from the file (body is ignored): large
    // downloads are never held in memory.
    std::string body_file;
};

// A JSON response whose body is `body` followed by a newline (friendly to curl users).
Response json_response(int status, std::string body);

}  // namespace forgehive::http
