// One HTTP/1.1 connection: reads requests within the configured limits, dispatches them through the
// router and writes the responses, until the peer closes, a limit is hit, or the server shuts down.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "server_state.hpp"

namespace forgehive::http {

// Runs the connection to its end. Owns the socket; registers itself with `state` while alive.
boost::asio::awaitable<void> run_session(boost::asio::ip::tcp::socket socket, ServerState& state);

// Answers a connection over max_connections with 503 and closes it.
boost::asio::awaitable<void> reject_connection(boost::asio::ip::tcp::socket socket, ServerState& state);

}  // namespace forgehive::http
