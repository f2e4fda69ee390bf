// The request and response a handler sees: plain values, no Beast types, so handlers and their tests
// need nothing from the network layer.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace forgehive::http {

struct Request {
    std::string method;  // upper case, as sent ("GET", "POST")
    std::string target;  // as sent, with the query
    std::string path;    // target without the query
    std::string query;
    std::vector<std::pair<std::string, std::string>> headers;
    std::map<std::string, std::string> params;  // from {name} segments of the route pattern
    std::string body;
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
};

// A JSON response whose body is `body` followed by a newline (friendly to curl users).
Response json_response(int status, std::string body);

}  // namespace forgehive::http
