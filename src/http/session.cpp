// The per-connection loop. Time limits are enforced by a Deadline that cancels (not closes) the
// socket's pending operation, so a request that arrives too slowly can still be answered with 408.
#include "session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>
#include <strings.h>

#include "forgehive/core/ids.hpp"

namespace forgehive::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::string_view kUnmatched = "unmatched";

// Ends the socket's reads (or, for writes, all its I/O) when it expires. Shutting the socket down
// rather than only cancelling makes expiry sticky: a composed Beast read between two of its inner
// reads has nothing pending to cancel, but its next read sees end-of-stream at once. Shutting down
// only the receive side leaves the send side open for the 408. A generation number makes a stale
// expiry (one that raced with disarm) harmless.
class Deadline {
public:
    enum class Ends { reads, everything };

    Deadline(const asio::any_io_executor& executor, tcp::socket& socket) : timer_(executor), socket_(socket) {}

    void arm(std::chrono::milliseconds after, std::shared_ptr<void> keep_alive, Ends ends = Ends::reads) {
        expired_ = false;
        auto generation = ++generation_;
        timer_.expires_after(after);
        timer_.async_wait([this, generation, ends, keep_alive = std::move(keep_alive)](boost::system::error_code ec) {
            if (ec || generation != generation_) return;
            expired_ = true;
            socket_.shutdown(ends == Ends::reads ? tcp::socket::shutdown_receive : tcp::socket::shutdown_both, ec);
            socket_.cancel(ec);
        });
    }
    void disarm() {
        ++generation_;
        timer_.cancel();
    }
    bool expired() const { return expired_; }

private:
    asio::steady_timer timer_;
    tcp::socket& socket_;
    std::uint64_t generation_ = 0;
    bool expired_ = false;
};

bool is_json_media_type(std::string_view content_type) {
    auto type = content_type.substr(0, content_type.find(';'));
    while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
    constexpr std::string_view kJson = "application/json";
    if (type.size() == kJson.size() && ::strncasecmp(type.data(), kJson.data(), kJson.size()) == 0) return true;
    return type.size() > 5 && ::strncasecmp(type.data() + type.size() - 5, "+json", 5) == 0;
}

bool is_disconnect(const boost::system::error_code& ec) {
    return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message || ec == asio::error::eof ||
           ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
           ec == asio::ssl::error::stream_truncated;
}

// What one request/response exchange produced, for the access log and metrics.
struct Exchange {
    Clock::time_point start = Clock::now();
    std::string method = "-";
    std::string path = "-";
    std::string route{kUnmatched};
    std::string request_id;
    int status = 0;
    std::size_t bytes = 0;
    bool close = false;
    std::int64_t body_limit = 0;  // the limit the request's body was read under
};

class Session final : public Connection, public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, ServerState& state)
        : socket_(std::move(socket)), state_(state), deadline_(socket_.get_executor(), socket_) {
        boost::system::error_code ec;
        auto endpoint = socket_.remote_endpoint(ec);
        remote_ = ec ? "-" : endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
    }

    asio::any_io_executor executor() override { return socket_.get_executor(); }
    bool idle() const override { return idle_; }
    void cancel_io() override {
        boost::system::error_code ec;
        socket_.cancel(ec);
    }

    static asio::awaitable<void> run(std::shared_ptr<Session> self) {
        auto id = self->state_.add_connection(self);
        self->state_.metrics.connection_opened();
        if (self->state_.tls) {
            co_await self->run_tls();
        } else {
            co_await self->serve(self->socket_);
            co_await self->linger_close();
        }
        boost::system::error_code ec;
        self->socket_.close(ec);
        self->state_.metrics.connection_closed();
        self->state_.remove_connection(id);
        --self->state_.open_connections;
    }

private:
    const core::Limits& limits() const { return state_.options.limits; }
    std::chrono::milliseconds ms(std::int64_t value) const { return std::chrono::milliseconds(value); }

    asio::awaitable<void> run_tls() {
        asio::ssl::stream<tcp::socket&> stream(socket_, *state_.tls);
        deadline_.arm(ms(limits().read_timeout_ms), shared_from_this());
        auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, kNoThrow);
        deadline_.disarm();
        if (ec) co_return;
        co_await serve(stream);
        deadline_.arm(ms(limits().write_timeout_ms), shared_from_this(), Deadline::Ends::everything);
        co_await stream.async_shutdown(kNoThrow);
        deadline_.disarm();
    }

    template <class Stream>
    asio::awaitable<void> serve(Stream& stream) {
        // Bounded: the header must fit (header_bytes); body bytes move into the request as parsed.
        beast::flat_buffer buffer(static_cast<std::size_t>(limits().header_bytes) + kReadChunk);
        while (co_await wait_for_request(stream, buffer)) {
            Exchange exchange;
            state_.metrics.request_started();
            co_await serve_one(stream, buffer, exchange);
            finish(exchange);
            if (exchange.close) break;
        }
    }

    // Waits for the first byte of the next request for at most idle_timeout; false ends the connection.
    template <class Stream>
    asio::awaitable<bool> wait_for_request(Stream& stream, beast::flat_buffer& buffer) {
        if (buffer.size() > 0) co_return true;  // a pipelined request is already here
        if (state_.stopping) co_return false;
        idle_ = true;
        deadline_.arm(ms(limits().idle_timeout_ms), shared_from_this());
        auto [ec, n] = co_await stream.async_read_some(buffer.prepare(kReadChunk), kNoThrow);
        deadline_.disarm();
        idle_ = false;
        if (ec) co_return false;
        buffer.commit(n);
        co_return true;
    }

    template <class Stream>
    asio::awaitable<void> serve_one(Stream& stream, beast::flat_buffer& buffer, Exchange& exchange) {
        // The header is read alone: its route decides whether the body is read here or by the handler.
        bhttp::request_parser<bhttp::empty_body> head;
        head.header_limit(static_cast<std::uint32_t>(limits().header_bytes));
        // The body limit is checked after the header (so a 413 names the route and echoes the request
        // id), then armed for chunked bodies, whose size is known only as they arrive.
        head.body_limit(boost::none);
        // One deadline covers the whole request, header and body: a client trickling bytes cannot
        // hold the connection longer than read_timeout. (A streamed body has its own, per buffer.)
        deadline_.arm(ms(limits().read_timeout_ms), shared_from_this());
        auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, head, kNoThrow);
        if (!ec) ec = check_header(head.get(), exchange);
        if (ec) {
            deadline_.disarm();
            co_return co_await fail_read(stream, ec, exchange);
        }
        auto match = state_.router.match(exchange.method == "HEAD" ? "GET" : exchange.method, exchange.path);
        if (match.route && match.route->options.stream_body)
            co_return co_await serve_streamed(stream, buffer, head, std::move(match), exchange);
        co_await serve_buffered(stream, buffer, head, std::move(match), exchange);
    }

    template <class Stream>
    asio::awaitable<void> serve_buffered(Stream& stream, beast::flat_buffer& buffer,
                                         bhttp::request_parser<bhttp::empty_body>& head, RouteMatch match,
                                         Exchange& exchange) {
        bhttp::request_parser<bhttp::string_body> parser(std::move(head));
        auto ec = arm_body_limit(parser, limits().body_bytes, exchange);
        if (!ec && expects_continue(parser.get(), parser.is_done())) ec = co_await write_continue(stream);
        if (!ec) std::tie(ec, std::ignore) = co_await bhttp::async_read(stream, buffer, parser, kNoThrow);
        deadline_.disarm();
        if (ec) co_return co_await fail_read(stream, ec, exchange);

        auto request = to_request(parser.get(), exchange);
        request.body = std::move(parser.get().body());
        auto response = co_await dispatch(request, std::move(match), exchange);
        exchange.close = exchange.close || !parser.keep_alive() || state_.stopping;
        co_await write(stream, std::move(response), exchange);
    }

    // A stream_body route: its handler pulls the body through a StreamedBody once it has checked what
    // it needs from the header. Whatever of the body the handler leaves unread closes the connection.
    template <class Stream>
    asio::awaitable<void> serve_streamed(Stream& stream, beast::flat_buffer& buffer,
                                         bhttp::request_parser<bhttp::empty_body>& head, RouteMatch match,
                                         Exchange& exchange) {
        bhttp::request_parser<bhttp::buffer_body> parser(std::move(head));
        auto limit = match.route->options.body_bytes > 0 ? match.route->options.body_bytes : limits().body_bytes;
        auto ec = arm_body_limit(parser, limit, exchange);
        deadline_.disarm();
        if (ec) co_return co_await fail_read(stream, ec, exchange);

        StreamedBody<Stream> body(*this, stream, buffer, parser, exchange);
        auto request = to_request(parser.get(), exchange);
        request.body_stream = &body;
        auto response = co_await dispatch(request, std::move(match), exchange);
        exchange.close =
            exchange.close || !parser.is_done() || body.failed() || !parser.keep_alive() || state_.stopping;
        co_await write(stream, std::move(response), exchange);
    }

    // Reads the body of a stream_body request into the handler's buffer. Each read() has its own
    // read_timeout deadline for filling that buffer, so a large upload is bounded in rate (a buffer
    // per read_timeout) rather than in total time.
    template <class Stream>
    class StreamedBody final : public BodyStream {
    public:
        StreamedBody(Session& session, Stream& stream, beast::flat_buffer& buffer,
                     bhttp::request_parser<bhttp::buffer_body>& parser, Exchange& exchange)
            : session_(session), stream_(stream), buffer_(buffer), parser_(parser), exchange_(exchange) {}

        asio::awaitable<std::size_t> read(std::span<char> into) override {
            if (failed_) throw core::ApiError("invalid_request", 400, "the request body could not be read");
            if (!continued_) co_await send_continue();
            auto& body = parser_.get().body();
            std::size_t filled = 0;
            session_.deadline_.arm(session_.ms(session_.limits().read_timeout_ms), session_.shared_from_this());
            while (filled < into.size() && !parser_.is_done()) {
                body.data = into.data() + filled;
                body.size = into.size() - filled;
                auto [ec, n] = co_await bhttp::async_read(stream_, buffer_, parser_, kNoThrow);
                filled = into.size() - body.size;
                if (ec == bhttp::error::need_buffer) continue;
                if (ec) fail(ec);
            }
            session_.deadline_.disarm();
            co_return filled;
        }

        std::optional<std::uint64_t> content_length() const override {
            auto length = parser_.content_length();
            return length ? std::optional<std::uint64_t>(*length) : std::nullopt;
        }

        bool failed() const { return failed_; }

    private:
        // 100 Continue only once the handler wants the body, so a refused request is never sent.
        asio::awaitable<void> send_continue() {
            continued_ = true;
            if (!expects_continue(parser_.get(), parser_.is_done())) co_return;
            session_.deadline_.arm(session_.ms(session_.limits().write_timeout_ms), session_.shared_from_this(),
                                   Deadline::Ends::everything);
            auto ec = co_await session_.write_continue(stream_);
            session_.deadline_.disarm();
            if (ec) fail(ec);
        }

        [[noreturn]] void fail(const boost::system::error_code& ec) {
            session_.deadline_.disarm();
            failed_ = true;
            auto error = session_.read_error(ec, exchange_);
            throw error ? *error
                        : core::ApiError("invalid_request", 400, "the connection ended during the request body");
        }

        Session& session_;
        Stream& stream_;
        beast::flat_buffer& buffer_;
        bhttp::request_parser<bhttp::buffer_body>& parser_;
        Exchange& exchange_;
        bool continued_ = false;
        bool failed_ = false;
    };

    // Fills the exchange from the header and applies the limit Beast does not: header count.
    boost::system::error_code check_header(const bhttp::request_header<>& header, Exchange& exchange) {
        describe(header, exchange);
        auto count = std::distance(header.begin(), header.end());
        if (count > limits().header_count) return bhttp::error::header_limit;
        return {};
    }

    // A declared Content-Length over `limit` is refused before any of the body is read; a chunked body
    // is stopped by the parser as it crosses the limit.
    template <class Parser>
    boost::system::error_code arm_body_limit(Parser& parser, std::int64_t limit, Exchange& exchange) {
        exchange.body_limit = limit;
        auto bound = static_cast<std::uint64_t>(limit);
        if (parser.content_length() && *parser.content_length() > bound) return bhttp::error::body_limit;
        parser.body_limit(bound);
        return {};
    }

    void describe(const bhttp::request_header<>& header, Exchange& exchange) {
        exchange.method = std::string(header.method_string());
        std::string_view target = header.target();
        exchange.path = std::string(target.substr(0, target.find('?')));
        auto id = header["X-Request-Id"];
        exchange.request_id = core::is_acceptable_request_id(id) ? std::string(id) : core::new_ulid();
    }

    static bool expects_continue(const bhttp::request_header<>& header, bool body_done) {
        auto expect = header[bhttp::field::expect];
        return expect.size() == 12 && ::strncasecmp(expect.data(), "100-continue", 12) == 0 && !body_done;
    }

    template <class Stream>
    asio::awaitable<boost::system::error_code> write_continue(Stream& stream) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        auto [ec, n] = co_await asio::async_write(stream, asio::buffer(kContinue), kNoThrow);
        co_return ec;
    }

    // A request that could not be read in full: answer when there is someone to answer, then close.
    template <class Stream>
    asio::awaitable<void> fail_read(Stream& stream, boost::system::error_code ec, Exchange& exchange) {
        exchange.close = true;
        if (exchange.request_id.empty()) exchange.request_id = core::new_ulid();
        auto error = read_error(ec, exchange);
        if (!error) co_return;
        co_await write(stream, state_.router.render_error(exchange.path, *error), exchange);
    }

    std::optional<core::ApiError> read_error(const boost::system::error_code& ec, const Exchange& exchange) const {
        if (deadline_.expired())
            return core::ApiError("request_timeout", 408,
                                  "request not received within " + std::to_string(limits().read_timeout_ms) + " ms");
        if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow)
            return core::ApiError("request_header_fields_too_large", 431,
                                  "request header exceeds " + std::to_string(limits().header_bytes) + " bytes or " +
                                      std::to_string(limits().header_count) + " fields");
        if (ec == bhttp::error::body_limit)
            return core::ApiError("payload_too_large", 413,
                                  "request body exceeds " + std::to_string(exchange.body_limit) + " bytes");
        if (is_disconnect(ec) || ec == asio::error::operation_aborted) return std::nullopt;
        return core::ApiError("invalid_request", 400, "malformed HTTP request: " + ec.message());
    }

    // The header as a Request; the body is the caller's business.
    template <class Body>
    Request to_request(const bhttp::request<Body>& message, const Exchange& exchange) {
        Request request;
        request.method = exchange.method;
        request.target = std::string(message.target());
        request.path = exchange.path;
        auto q = request.target.find('?');
        if (q != std::string::npos) request.query = request.target.substr(q + 1);
        for (const auto& field : message)
            request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
        request.request_id = exchange.request_id;
        request.remote_address = remote_;
        return request;
    }

    // `match` is the request's route, HEAD looked up as GET: the body is dropped when writing.
    asio::awaitable<Response> dispatch(Request& request, RouteMatch match, Exchange& exchange) {
        const auto& router = state_.router;
        if (!match.route) co_return no_route(request, match);
        exchange.route = match.route->pattern;
        request.params = std::move(match.params);
        if (match.route->options.json_body && !is_json_media_type(request.header("Content-Type")))
            co_return router.render_error(
                request.path, core::ApiError("unsupported_media_type", 415,
                                             "Content-Type must be application/json for " + request.method + " " +
                                                 match.route->pattern));
        std::optional<core::ApiError> error;
        try {
            co_return co_await match.route->handler(request);
        } catch (const core::ApiError& e) {
            error = e;
        } catch (const std::exception& e) {
            spdlog::error("request_id={} unhandled error in {} {}: {}", request.request_id, request.method,
                          match.route->pattern, e.what());
            error = core::ApiError("internal_error", 500, "internal error; request id " + request.request_id);
        }
        co_return router.render_error(request.path, *error);
    }

    Response no_route(const Request& request, const RouteMatch& match) const {
        if (match.allowed_methods.empty())
            return state_.router.render_error(
                request.path, core::ApiError("not_found", 404, "no route for " + request.method + " " + request.path));
        std::string allow;
        for (const auto& m : match.allowed_methods) allow += (allow.empty() ? "" : ", ") + m + (m == "GET" ? ", HEAD" : "");
        auto response = state_.router.render_error(
            request.path, core::ApiError("method_not_allowed", 405,
                                         "method " + request.method + " not allowed for " + request.path +
                                             "; allowed: " + allow));
        response.headers.emplace_back("Allow", allow);
        return response;
    }

    template <class Stream>
    asio::awaitable<void> write(Stream& stream, Response response, Exchange& exchange) {
        if (!response.body_file.empty()) co_return co_await write_file(stream, std::move(response), exchange);
        bhttp::response<bhttp::string_body> message{static_cast<bhttp::status>(response.status), 11};
        set_fields(message, response, exchange);
        exchange.bytes = response.body.size();
        if (exchange.method == "HEAD") {
            message.content_length(response.body.size());  // RFC 9110 §9.3.2: HEAD gets GET's headers, no body
        } else {
            message.body() = std::move(response.body);
            message.prepare_payload();
        }
        co_await send(stream, message, exchange);
    }

    // The body straight from the file, a buffer at a time, through Beast's file_body.
    template <class Stream>
    asio::awaitable<void> write_file(Stream& stream, Response response, Exchange& exchange) {
        bhttp::file_body::value_type file;
        boost::system::error_code ec;
        file.open(response.body_file.c_str(), beast::file_mode::scan, ec);
        if (ec) {
            spdlog::error("request_id={} cannot open {}: {}", exchange.request_id, response.body_file, ec.message());
            auto error = core::ApiError("internal_error", 500, "internal error; request id " + exchange.request_id);
            co_return co_await write(stream, state_.router.render_error(exchange.path, error), exchange);
        }
        exchange.bytes = file.size();
        if (exchange.method == "HEAD") {
            bhttp::response<bhttp::empty_body> message{static_cast<bhttp::status>(response.status), 11};
            set_fields(message, response, exchange);
            message.content_length(file.size());
            co_return co_await send(stream, message, exchange);
        }
        bhttp::response<bhttp::file_body> message{static_cast<bhttp::status>(response.status), 11};
        set_fields(message, response, exchange);
        message.body() = std::move(file);
        message.prepare_payload();
        // write_timeout bounds each write, not the whole file: a large download is bounded in rate.
        bhttp::response_serializer<bhttp::file_body> serializer(message);
        while (!serializer.is_done()) {
            deadline_.arm(ms(limits().write_timeout_ms), shared_from_this(), Deadline::Ends::everything);
            auto [write_ec, n] = co_await bhttp::async_write_some(stream, serializer, kNoThrow);
            deadline_.disarm();
            if (!write_ec) continue;
            exchange.close = true;
            co_return;
        }
    }

    template <class Message>
    void set_fields(Message& message, const Response& response, Exchange& exchange) {
        message.set(bhttp::field::server, "forgehive");
        message.set(bhttp::field::content_type, response.content_type);
        message.set("X-Request-Id", exchange.request_id);
        for (const auto& [name, value] : response.headers) message.set(name, value);
        message.keep_alive(!exchange.close);
        exchange.status = response.status;
    }

    template <class Stream, class Message>
    asio::awaitable<void> send(Stream& stream, Message& message, Exchange& exchange) {
        deadline_.arm(ms(limits().write_timeout_ms), shared_from_this(), Deadline::Ends::everything);
        auto [ec, n] = co_await bhttp::async_write(stream, message, kNoThrow);
        deadline_.disarm();
        if (ec) exchange.close = true;
    }

    void finish(const Exchange& exchange) {
        double seconds = std::chrono::duration<double>(Clock::now() - exchange.start).count();
        state_.metrics.request_finished(exchange.route, exchange.method, exchange.status, seconds);
        spdlog::info("access method={} path={} status={} bytes={} duration_ms={:.3f} request_id={} remote={}",
                     exchange.method, exchange.path, exchange.status, exchange.bytes, seconds * 1000.0,
                     exchange.request_id, remote_);
    }

    // Closing a TCP connection with unread input makes the kernel send RST, which can destroy a
    // response still in flight (e.g. a 413 sent before the body). So: shut down our side, then
    // read and discard until the peer closes or a short timer ends it.
    asio::awaitable<void> linger_close() {
        boost::system::error_code ec;
        socket_.shutdown(tcp::socket::shutdown_send, ec);
        if (ec) co_return;
        deadline_.arm(std::min(ms(limits().read_timeout_ms), std::chrono::milliseconds(2000)), shared_from_this());
        std::array<char, 4096> scratch;
        for (;;) {
            auto [read_ec, n] = co_await socket_.async_read_some(asio::buffer(scratch), kNoThrow);
            if (read_ec) break;
        }
        deadline_.disarm();
    }

    tcp::socket socket_;
    ServerState& state_;
    Deadline deadline_;
    std::string remote_;
    bool idle_ = false;
};

}  // namespace

asio::awaitable<void> run_session(tcp::socket socket, ServerState& state) {
    co_await Session::run(std::make_shared<Session>(std::move(socket), state));
}

asio::awaitable<void> reject_connection(tcp::socket socket, ServerState& state) {
    static constexpr std::string_view kBody = R"({"error":"service_unavailable","detail":"too many open connections"})";
    auto request_id = core::new_ulid();
    auto response = "HTTP/1.1 503 Service Unavailable\r\nServer: forgehive\r\nContent-Type: application/json\r\n"
                    "Retry-After: 1\r\nConnection: close\r\nX-Request-Id: " + request_id +
                    "\r\nContent-Length: " + std::to_string(kBody.size() + 1) + "\r\n\r\n" + std::string(kBody) + "\n";
    state.metrics.connection_rejected();
    boost::system::error_code endpoint_ec;
    auto remote = socket.remote_endpoint(endpoint_ec);
    // The request was never read, so method and path are unknown.
    spdlog::info("access method=- path=- status=503 bytes={} duration_ms=0.000 request_id={} remote={}:{} "
                 "reason=max_connections",
                 kBody.size() + 1, request_id, remote.address().to_string(), remote.port());
    // Shared with the timer's handler, which may run after this frame is gone.
    auto shared = std::make_shared<tcp::socket>(std::move(socket));
    asio::steady_timer timer(shared->get_executor());
    timer.expires_after(std::chrono::milliseconds(state.options.limits.write_timeout_ms));
    timer.async_wait([shared](boost::system::error_code ec) {
        if (!ec) shared->close(ec);
    });
    co_await asio::async_write(*shared, asio::buffer(response), kNoThrow);
    boost::system::error_code ec;
    shared->shutdown(tcp::socket::shutdown_send, ec);
    std::array<char, 1024> scratch;
    while (!ec) std::tie(ec, std::ignore) = co_await shared->async_read_some(asio::buffer(scratch), kNoThrow);
    timer.cancel();
}

}  // namespace forgehive::http
