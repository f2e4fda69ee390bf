// End-to-end tests of `forgehive serve`: the real binary on an ephemeral port, spoken to over real
// sockets. Covers every limit, status code and error surface of the gateway foundation.
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <thread>

#include "test_server.hpp"

namespace forgehive::testing {
namespace {

using nlohmann::json;
using namespace std::string_literals;

// Small limits so each one is easy to cross; debug routes on for the JSON and slow-compute paths.
const std::string kSmallLimits = R"(
[server]
debug_routes = true
shutdown_grace_ms = 5000
[agents]
threads = 1
[limits]
header_bytes = 2048
header_count = 20
body_bytes = 1024
read_timeout_ms = 2000
idle_timeout_ms = 1500
max_connections = 4
)";

class ServerTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { server_ = new ServerProcess(with_config(kSmallLimits)); }
    static void TearDownTestSuite() {
        delete server_;
        server_ = nullptr;
    }
    int port() const { return server_->port(); }
    static ServerProcess* server_;
};
ServerProcess* ServerTest::server_ = nullptr;

std::string raw_get(const std::string& target, const std::string& extra = "") {
    return "GET " + target + " HTTP/1.1\r\nHost: t\r\n" + extra + "\r\n";
}

TEST_F(ServerTest, HealthzAnswersWithGeneratedRequestId) {
    auto r = request(port(), "GET", "/healthz");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(json::parse(r.body), json({{"status", "ok"}}));
    EXPECT_EQ(r.header("X-Request-Id").size(), 26u);
    EXPECT_EQ(r.header("Content-Type"), "application/json");
}

TEST_F(ServerTest, RequestIdIsEchoedWhenAcceptableAndReplacedOtherwise) {
    EXPECT_EQ(request(port(), "GET", "/healthz", {{"X-Request-Id", "trace-42.a:b_c"}}).header("X-Request-Id"),
              "trace-42.a:b_c");
    auto replaced = request(port(), "GET", "/healthz", {{"X-Request-Id", "bad\"id{}"}}).header("X-Request-Id");
    EXPECT_EQ(replaced.size(), 26u);
    EXPECT_EQ(request(port(), "GET", "/healthz", {{"X-Request-Id", std::string(129, 'a')}}).header("X-Request-Id").size(),
              26u);
}

TEST_F(ServerTest, ReadyzReportsStoreAndAgents) {
    auto r = request(port(), "GET", "/readyz");
    EXPECT_EQ(r.status, 200);
    auto body = json::parse(r.body);
    EXPECT_EQ(body["status"], "ready");
    EXPECT_EQ(body["checks"]["store"], "ok");
    EXPECT_EQ(body["checks"]["agents"], "ok");
}

TEST_F(ServerTest, MetricsExposeRequestsLatencyInFlightAndConnections) {
    request(port(), "GET", "/healthz");
    request(port(), "GET", "/no/such/route");
    // A request is counted once its response is written, which may be just after the client read it:
    // scrape until the earlier requests are in and the scrape is the only one in flight.
    HttpResponse r;
    for (int i = 0; i < 500; ++i) {
        r = request(port(), "GET", "/metrics");
        if (r.body.find("status=\"404\"") != std::string::npos &&
            r.body.find("forgehive_http_requests_in_flight 1\n") != std::string::npos)
            break;
        std::this_thread::sleep_for(10ms);
    }
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_NE(r.body.find("forgehive_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"}"),
              std::string::npos);
    EXPECT_NE(r.body.find("forgehive_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"}"),
              std::string::npos);
    EXPECT_NE(r.body.find("forgehive_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"}"),
              std::string::npos);
    // The scrape itself is in flight, over the one connection it came on (at least).
    EXPECT_NE(r.body.find("forgehive_http_requests_in_flight 1\n"), std::string::npos);
    EXPECT_NE(r.body.find("forgehive_http_open_connections "), std::string::npos);
    EXPECT_NE(r.body.find("forgehive_agent_threads 1\n"), std::string::npos);
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
    Connection c(port());
    for (int i = 0; i < 3; ++i) {
        c.send(raw_get("/healthz"));
        auto r = c.read_response();
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 200);
        EXPECT_NE(r->header("Connection"), "close");
    }
    c.send(raw_get("/healthz", "Connection: close\r\n"));
    auto last = c.read_response();
    ASSERT_TRUE(last);
    EXPECT_EQ(last->header("Connection"), "close");
    EXPECT_TRUE(c.closed_by_peer());
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
    Connection c(port());
    c.send(raw_get("/healthz", "X-Request-Id: first\r\n") + raw_get("/nope", "X-Request-Id: second\r\n"));
    auto first = c.read_response();
    auto second = c.read_response();
    ASSERT_TRUE(first && second);
    EXPECT_EQ(first->header("X-Request-Id"), "first");
    EXPECT_EQ(first->status, 200);
    EXPECT_EQ(second->header("X-Request-Id"), "second");
    EXPECT_EQ(second->status, 404);
}

TEST_F(ServerTest, UnknownRoutesGet404InTheSurfaceOfTheirApi) {
    auto plain = request(port(), "GET", "/nope");
    EXPECT_EQ(plain.status, 404);
    EXPECT_EQ(json::parse(plain.body)["error"], "not_found");

    auto forge = json::parse(request(port(), "GET", "/api/v0/nope").body);
    EXPECT_EQ(forge["ok"], false);
    EXPECT_EQ(forge["status"], "FAILED");
    EXPECT_EQ(forge["error"]["code"], "not_found");
    EXPECT_NE(forge["error"]["message"].get<std::string>().find("/api/v0/nope"), std::string::npos);

    auto hive = json::parse(request(port(), "GET", "/v1/nope").body);
    EXPECT_EQ(hive["error"], "not_found");
    EXPECT_TRUE(hive["detail"].is_string());
}

TEST_F(ServerTest, WrongMethodGets405WithAllow) {
    auto r = request(port(), "DELETE", "/healthz");
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(r.header("Allow"), "GET, HEAD");
    EXPECT_EQ(json::parse(r.body)["error"], "method_not_allowed");
    auto forge = request(port(), "GET", "/api/v0/debug/echo");
    EXPECT_EQ(forge.status, 405);
    EXPECT_EQ(forge.header("Allow"), "POST");
    EXPECT_EQ(json::parse(forge.body)["error"]["code"], "method_not_allowed");
}

TEST_F(ServerTest, HeadIsAnsweredLikeGetWithoutABody) {
    Connection c(port());
    c.send("HEAD /healthz HTTP/1.1\r\nHost: t\r\n\r\n" + raw_get("/healthz"));
    auto head = c.read_response();  // our reader trusts Content-Length, so read the raw bytes instead
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 200);
    EXPECT_EQ(head->header("Content-Length"), "16");
    // The HEAD response carried no body: the next bytes are the GET's status line.
    EXPECT_EQ(head->body.rfind("HTTP/1.1 200", 0), 0u);
}

TEST_F(ServerTest, NonJsonBodyWhereJsonIsRequiredGets415) {
    auto r = request(port(), "POST", "/debug/echo", {{"Content-Type", "text/plain"}}, "{}");
    EXPECT_EQ(r.status, 415);
    EXPECT_EQ(json::parse(r.body)["error"], "unsupported_media_type");
    auto missing = request(port(), "POST", "/debug/echo", {}, "{}");
    EXPECT_EQ(missing.status, 415);
    auto ok = request(port(), "POST", "/debug/echo", {{"Content-Type", "application/json; charset=utf-8"}},
                      R"({"a":[1,2]})");
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(json::parse(ok.body)["echo"], json::parse(R"({"a":[1,2]})"));
}

TEST_F(ServerTest, MalformedJsonAndWrongTypesGet400InEachSurface) {
    auto token = server_->make_token("json-tests");
    auto forge = request(port(), "POST", "/api/v0/debug/echo",
                         {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}}, "{\"a\":");
    EXPECT_EQ(forge.status, 400);
    auto body = json::parse(forge.body);
    EXPECT_EQ(body["error"]["code"], "invalid_request");
    EXPECT_NE(body["error"]["message"].get<std::string>().find("not valid JSON"), std::string::npos);

    auto array = request(port(), "POST", "/api/v0/debug/echo",
                         {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}}, "[1]");
    EXPECT_EQ(array.status, 400);
    EXPECT_NE(json::parse(array.body)["error"]["message"].get<std::string>().find("must be a JSON object"),
              std::string::npos);

    auto hive = request(port(), "POST", "/v1/debug/echo", {{"Content-Type", "application/json"}}, "not json");
    EXPECT_EQ(hive.status, 400);
    EXPECT_EQ(json::parse(hive.body)["error"], "invalid_request");

    auto deep = request(port(), "POST", "/debug/echo", {{"Content-Type", "application/json"}},
                        "{\"a\":" + std::string(100, '[') + std::string(100, ']') + "}");
    EXPECT_EQ(deep.status, 400);
}

TEST_F(ServerTest, BearerAuthRejectsMissingMalformedUnknownAndRevokedTokens) {
    auto token = server_->make_token("auth-tests");
    auto whoami = [&](const std::string& authorization) {
        std::vector<std::pair<std::string, std::string>> headers;
        if (!authorization.empty()) headers.emplace_back("Authorization", authorization);
        return request(port(), "GET", "/api/v0/whoami", headers);
    };
    auto ok = whoami("Bearer " + token);
    ASSERT_EQ(ok.status, 200);
    EXPECT_EQ(json::parse(ok.body)["project"], "auth-tests");

    for (const std::string& bad : {std::string(), "Basic dXNlcjpwYXNz"s, "Bearer fpak_short"s,
                                   "Bearer " + std::string("fpak_") + std::string(48, '0'), "Bearer " + token + "x"}) {
        auto r = whoami(bad);
        EXPECT_EQ(r.status, 401) << bad;
        auto body = json::parse(r.body);
        EXPECT_EQ(body["ok"], false);
        EXPECT_EQ(body["status"], "FAILED");
        EXPECT_EQ(body["error"]["code"], "unauthorized");
    }

    auto id = json::parse(ok.body)["token"]["id"].get<int>();
    auto revoke = run_cli({"token", "revoke", std::to_string(id), "--data-dir", server_->data_dir() + "/data"});
    ASSERT_EQ(revoke.exit_code, 0) << revoke.out;
    auto revoked = whoami("Bearer " + token);
    EXPECT_EQ(revoked.status, 401);
    EXPECT_NE(json::parse(revoked.body)["error"]["message"].get<std::string>().find("revoked"), std::string::npos);
}

TEST_F(ServerTest, BodyOverLimitGets413AndTheConnectionCloses) {
    Connection c(port());
    c.send("POST /debug/echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n" +
           std::string(2000, ' '));
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
    EXPECT_EQ(json::parse(r->body)["error"], "payload_too_large");
    EXPECT_EQ(r->header("Connection"), "close");
    EXPECT_TRUE(c.closed_by_peer());
}

TEST_F(ServerTest, BodyOverLimitUnderTheForgeApiGets413InItsSurfaceWithTheRequestId) {
    Connection c(port());
    c.send("POST /api/v0/debug/echo HTTP/1.1\r\nHost: t\r\nX-Request-Id: big-body\r\nContent-Type: application/json\r\n"
           "Content-Length: 4096\r\n\r\n");
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
    EXPECT_EQ(r->header("X-Request-Id"), "big-body");
    auto body = json::parse(r->body);
    EXPECT_EQ(body["status"], "FAILED");
    EXPECT_EQ(body["error"]["code"], "payload_too_large");
    ASSERT_TRUE(server_->wait_for_log("request_id=big-body"));
    EXPECT_NE(server_->log().find("method=POST path=/api/v0/debug/echo status=413"), std::string::npos);
}

TEST_F(ServerTest, ChunkedBodyOverLimitGets413) {
    Connection c(port());
    std::string chunk(800, 'x');
    c.send("POST /debug/echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
           "320\r\n" + chunk + "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n");
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
    EXPECT_TRUE(c.closed_by_peer());
}

TEST_F(ServerTest, OversizeHeaderOrTooManyFieldsGet431) {
    auto big = request(port(), "GET", "/healthz", {{"X-Filler", std::string(4000, 'a')}});
    EXPECT_EQ(big.status, 431);
    EXPECT_EQ(json::parse(big.body)["error"], "request_header_fields_too_large");

    std::vector<std::pair<std::string, std::string>> many;
    for (int i = 0; i < 30; ++i) many.emplace_back("X-F" + std::to_string(i), "v");
    EXPECT_EQ(request(port(), "GET", "/healthz", many).status, 431);
}

TEST_F(ServerTest, MalformedHttpGets400) {
    Connection c(port());
    c.send("THIS IS NOT HTTP\r\n\r\n");
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_TRUE(c.closed_by_peer());
}

TEST_F(ServerTest, ClientSendingHeadersOneByteASecondGets408) {
    Connection c(port());
    std::string text = raw_get("/healthz");
    // One byte a second; read_timeout_ms is 2000, so the header cannot complete in time. The client
    // listens for an answer between bytes, as a real one would.
    std::optional<HttpResponse> r;
    for (std::size_t i = 0; i < text.size() && !r; ++i) {
        c.send(text.substr(i, 1));
        r = c.read_response(1s);
    }
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 408);
    EXPECT_EQ(json::parse(r->body)["error"], "request_timeout");
    EXPECT_TRUE(c.closed_by_peer());
}

TEST_F(ServerTest, StalledBodyGets408) {
    Connection c(port());
    c.send("POST /debug/echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{");
    auto r = c.read_response(10s);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 408);
    EXPECT_TRUE(c.closed_by_peer());
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosedWithoutAResponse) {
    Connection c(port());
    c.send(raw_get("/healthz"));
    ASSERT_TRUE(c.read_response());
    EXPECT_TRUE(c.closed_by_peer(10s));
}

TEST_F(ServerTest, ExpectContinueGetsInterimResponse) {
    Connection c(port());
    c.send("POST /debug/echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 8\r\n"
           "Expect: 100-continue\r\n\r\n");
    auto interim = c.read_response();
    ASSERT_TRUE(interim);
    EXPECT_EQ(interim->status, 100);
    c.send(R"({"a":1})" + std::string(" "));
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, AccessLogHasOneLinePerRequest) {
    request(port(), "GET", "/healthz", {{"X-Request-Id", "access-log-check"}});
    ASSERT_TRUE(server_->wait_for_log("request_id=access-log-check"));
    auto log = server_->log();
    auto line_start = log.rfind('\n', log.find("request_id=access-log-check")) + 1;
    auto line = log.substr(line_start, log.find('\n', line_start) - line_start);
    for (const char* field : {"access method=GET", "path=/healthz", "status=200", "bytes=16", "duration_ms="})
        EXPECT_NE(line.find(field), std::string::npos) << line;
}

TEST_F(ServerTest, DataDirIsPrivate) {
    struct stat st{};
    ASSERT_EQ(::stat((server_->data_dir() + "/data").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    ASSERT_EQ(::stat((server_->data_dir() + "/data/forgehive.db").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
}

// Separate servers: these tests change or end the server's state.

TEST(ServerLimits, ConnectionsOverTheLimitGet503) {
    ServerProcess server(with_config("[limits]\nmax_connections = 2\n"));
    Connection a(server.port()), b(server.port());
    for (auto* c : {&a, &b}) {
        c->send(raw_get("/healthz"));
        ASSERT_TRUE(c->read_response());
    }
    Connection third(server.port());
    auto r = third.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 503);
    EXPECT_EQ(r->header("Retry-After"), "1");
    EXPECT_EQ(r->header("X-Request-Id").size(), 26u);
    EXPECT_TRUE(server.wait_for_log("status=503"));
    EXPECT_TRUE(third.closed_by_peer());
}

TEST(ServerLimits, HealthzAnswersWhileTheAgentPoolIsBusy) {
    ServerProcess server(with_config("[server]\ndebug_routes = true\n[agents]\nthreads = 1\n"));
    Connection busy(server.port());
    busy.send(raw_get("/debug/sleep?ms=4000"));
    auto health = request(server.port(), "GET", "/healthz");
    EXPECT_EQ(health.status, 200);
    auto slept = busy.read_response(30s);
    ASSERT_TRUE(slept);
    EXPECT_EQ(json::parse(slept->body)["slept_ms"], 4000);
    // The health check was answered before the compute finished: its access line comes first.
    auto log = server.log();
    EXPECT_LT(log.find("path=/healthz"), log.find("path=/debug/sleep"));
}

TEST(ServerShutdown, SigtermFinishesInFlightRequestsAndExitsCleanly) {
    ServerProcess server(with_config("[server]\ndebug_routes = true\nshutdown_grace_ms = 20000\n"));
    Connection idle(server.port());
    idle.send(raw_get("/healthz"));
    ASSERT_TRUE(idle.read_response());
    Connection busy(server.port());
    busy.send(raw_get("/debug/sleep?ms=1500"));
    // Wait until the sleep is in flight: the scrape itself is one request, the sleep the second.
    bool in_flight = false;
    for (int i = 0; i < 500 && !in_flight; ++i) {
        in_flight = request(server.port(), "GET", "/metrics").body.find("forgehive_http_requests_in_flight 2\n") !=
                    std::string::npos;
        if (!in_flight) std::this_thread::sleep_for(10ms);
    }
    ASSERT_TRUE(in_flight);
    auto stopped = std::thread([&] { EXPECT_EQ(server.stop(SIGTERM), 0) << server.log(); });
    EXPECT_TRUE(idle.closed_by_peer(10s));  // idle keep-alive connections close at once
    auto r = busy.read_response(20s);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->header("Connection"), "close");
    stopped.join();
    EXPECT_NE(server.log().find("server stopped"), std::string::npos);
}

TEST(ServerShutdown, SigintStopsAnIdleServer) {
    ServerProcess server;
    EXPECT_EQ(server.stop(SIGINT), 0);
    EXPECT_NE(server.log().find("received signal 2"), std::string::npos);
}

TEST(ServerConfig, JsonLogFormatWritesOneObjectPerLine) {
    ServerProcess server(with_config("[log]\nformat = \"json\"\n"));
    request(server.port(), "GET", "/healthz", {{"X-Request-Id", "json-log"}});
    ASSERT_TRUE(server.wait_for_log("json-log"));
    ASSERT_EQ(server.stop(SIGTERM), 0);
    std::istringstream lines(server.log());
    std::string line;
    int access = 0;
    while (std::getline(lines, line)) {
        auto entry = json::parse(line);  // throws (fails the test) on a non-JSON line
        EXPECT_TRUE(entry.contains("ts") && entry.contains("level") && entry.contains("msg"));
        if (entry["msg"].get<std::string>().find("request_id=json-log") != std::string::npos) ++access;
    }
    EXPECT_EQ(access, 1);
}

TEST(ServerConfig, EnvironmentAndFlagsOverrideTheFile) {
    ServerProcess server(with_config("[limits]\nbody_bytes = 100000\n[server]\ndebug_routes = true\n",
                                    {{"FORGEHIVE_LIMITS_BODY_BYTES", "10"}}));
    auto r = request(server.port(), "POST", "/debug/echo", {{"Content-Type", "application/json"}},
                     R"({"more":"than ten bytes"})");
    EXPECT_EQ(r.status, 413);
}

TEST(ServerConfig, BadConfigurationStopsStartUpWithExit2NamingTheKey) {
    TempDir dir;
    int files = 0;
    auto write = [&](const std::string& text) {
        auto path = dir.path() + "/c" + std::to_string(++files) + ".toml";
        std::ofstream(path) << text;
        return path;
    };
    struct Case {
        std::vector<std::string> args;
        std::map<std::string, std::string> env;
        std::string named;
    };
    std::vector<Case> cases = {
        {{"--config", write("[limits]\nbody_byte = 5\n")}, {}, "limits.body_byte"},
        {{"--config", write("[limits]\nbody_bytes = -1\n")}, {}, "limits.body_bytes"},
        {{"--config", write("[log]\nformat = \"xml\"\n")}, {}, "log.format"},
        {{"--config", write("[server\n")}, {}, "line 1"},
        {{}, {{"FORGEHIVE_LIMITS_READ_TIMEOUT_MS", "soon"}}, "limits.read_timeout_ms"},
        {{}, {{"FORGEHIVE_NO_SUCH_KEY", "1"}}, "FORGEHIVE_NO_SUCH_KEY"},
        {{"--listen", "nowhere"}, {}, "server.listen"},
        {{"--config", write("[tls]\ncert_file = \"/x.pem\"\n")}, {}, "tls.key_file"},
    };
    for (const auto& c : cases) {
        std::vector<std::string> args{"serve", "--data-dir", dir.path() + "/data"};
        args.insert(args.end(), c.args.begin(), c.args.end());
        auto result = run_cli(args, c.env);
        EXPECT_EQ(result.exit_code, 2) << result.out;
        EXPECT_NE(result.out.find(c.named), std::string::npos) << result.out;
    }
}

TEST(ServerTls, ServesHttpsWhenCertificateAndKeyAreConfigured) {
    TempDir dir;
    auto key = dir.path() + "/key.pem", cert = dir.path() + "/cert.pem";
    auto openssl = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost "
                   "-keyout " + key + " -out " + cert + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(openssl.c_str()), 0);
    ServerProcess server(with_config("[tls]\ncert_file = \"" + cert + "\"\nkey_file = \"" + key + "\"\n"));
    EXPECT_TRUE(server.wait_for_log("(TLS)"));
    auto out = dir.path() + "/out.txt";
    auto curl = "curl -sk -o " + out + " -w '%{http_code}' https://127.0.0.1:" + std::to_string(server.port()) +
                "/healthz > " + dir.path() + "/code.txt";
    ASSERT_EQ(std::system(curl.c_str()), 0);
    std::ifstream code_file(dir.path() + "/code.txt");
    std::string code;
    code_file >> code;
    EXPECT_EQ(code, "200");
    // Plain HTTP to the TLS port gets no HTTP answer.
    Connection plain(server.port());
    plain.send(raw_get("/healthz"));
    EXPECT_FALSE(plain.read_response(5s).has_value());
}

TEST(Cli, HelpOnEveryCommandAndExit2OnUsageErrors) {
    for (const auto& args : std::vector<std::vector<std::string>>{{"--help"},
                                                                  {"serve", "--help"},
                                                                  {"project", "create", "--help"},
                                                                  {"project", "list", "--help"},
                                                                  {"token", "create", "--help"},
                                                                  {"token", "list", "--help"},
                                                                  {"token", "revoke", "--help"}}) {
        auto r = run_cli(args);
        EXPECT_EQ(r.exit_code, 0) << r.out;
        EXPECT_NE(r.out.find("Usage"), std::string::npos) << r.out;
    }
    for (const auto& args : std::vector<std::vector<std::string>>{
             {}, {"frobnicate"}, {"serve", "--bogus"}, {"token", "create"}, {"token", "revoke", "abc"}}) {
        EXPECT_EQ(run_cli(args).exit_code, 2);
    }
}

TEST(Cli, ProjectsAndTokensLifecycle) {
    TempDir dir;
    auto data = dir.path() + "/data";
    EXPECT_EQ(run_cli({"project", "create", "alpha", "--data-dir", data}).exit_code, 0);
    auto duplicate = run_cli({"project", "create", "alpha", "--data-dir", data});
    EXPECT_EQ(duplicate.exit_code, 1);
    EXPECT_NE(duplicate.out.find("already exists"), std::string::npos);
    EXPECT_EQ(run_cli({"project", "create", "Bad Name", "--data-dir", data}).exit_code, 2);

    auto created = run_cli({"token", "create", "--project", "alpha", "--credits", "500", "--data-dir", data});
    ASSERT_EQ(created.exit_code, 0) << created.out;
    auto trimmed = created.out.substr(0, created.out.find_last_not_of('\n') + 1);
    auto token = trimmed.substr(trimmed.rfind('\n') + 1);
    EXPECT_EQ(token.size(), 53u);
    EXPECT_EQ(token.rfind("fpak_", 0), 0u);

    auto projects = run_cli({"project", "list", "--data-dir", data});
    EXPECT_NE(projects.out.find("500"), std::string::npos) << projects.out;

    auto listed = run_cli({"token", "list", "--data-dir", data});
    EXPECT_NE(listed.out.find(token.substr(0, 17)), std::string::npos) << listed.out;  // fpak_ + prefix
    EXPECT_EQ(listed.out.find(token), std::string::npos);                              // never the secret

    EXPECT_EQ(run_cli({"token", "create", "--project", "nobody", "--data-dir", data}).exit_code, 1);
    EXPECT_EQ(run_cli({"token", "revoke", "1", "--data-dir", data}).exit_code, 0);
    EXPECT_EQ(run_cli({"token", "revoke", "99", "--data-dir", data}).exit_code, 1);
}

}  // namespace
}  // namespace forgehive::testing
