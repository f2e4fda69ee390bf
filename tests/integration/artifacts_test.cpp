// End-to-end tests of POST /api/v0/artifacts and GET /api/v0/artifacts/{id} against the real server:
// round trips, ids checked against coreutils' sha256sum, idempotent repeats, chunked uploads, 100-continue,
// the size limit, quota, media types, auth, project scope, and that an upload's memory does not grow with
// the artifact.
#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>

#include "test_server.hpp"

namespace forgehive::testing {
namespace {

using nlohmann::json;
using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr std::int64_t kMaxBytes = 256 * 1024;
constexpr std::int64_t kQuota = 640 * 1024;

// The server under test: small limits so that the limits themselves can be reached.
std::string small_limits() {
    return "[artifacts]\nmax_bytes = " + std::to_string(kMaxBytes) +
           "\nproject_quota_bytes = " + std::to_string(kQuota) + "\nchunk_bytes = 4096\n";
}

// An implementation independent of the server's: coreutils' sha256sum over a file.
std::string sha256sum(const std::string& bytes) {
    TempDir dir;
    auto path = dir.path() + "/bytes";
    std::ofstream(path, std::ios::binary) << bytes;
    std::string out(64, '\0');
    FILE* pipe = ::popen(("sha256sum " + path).c_str(), "r");
    if (!pipe || std::fread(out.data(), 1, out.size(), pipe) != out.size()) out.clear();
    if (pipe) ::pclose(pipe);
    return out;
}

// Bytes that are not text: every byte value, in an order that depends on `seed`.
std::string binary_bytes(std::size_t size, unsigned seed) {
    std::string out(size, '\0');
    std::uint32_t state = seed * 2654435761u + 1;
    for (auto& c : out) {
        state = state * 1664525u + 1013904223u;
        c = static_cast<char>(state >> 24);
    }
    return out;
}

json body_of(const HttpResponse& r) { return json::parse(r.body); }

struct Client {
    int port;
    std::string token;

    HttpResponse upload(const std::string& bytes, const std::string& media_type = "application/octet-stream") const {
        return request(port, "POST", "/api/v0/artifacts",
                       Headers{{"Authorization", "Bearer " + token}, {"Content-Type", media_type}}, bytes);
    }
    HttpResponse download(const std::string& id) const {
        return request(port, "GET", "/api/v0/artifacts/" + id, Headers{{"Authorization", "Bearer " + token}});
    }
    // The request head of an upload, for tests that send the body themselves; `fields` end in CRLF.
    std::string head(const std::string& fields) const {
        return "POST /api/v0/artifacts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
               "\r\nContent-Type: application/octet-stream\r\n" + fields + "\r\n";
    }
};

std::string chunked(const std::string& bytes, std::size_t piece) {
    std::string out;
    for (std::size_t at = 0; at < bytes.size(); at += piece) {
        auto part = bytes.substr(at, piece);
        std::ostringstream size;
        size << std::hex << part.size();
        out += size.str() + "\r\n" + part + "\r\n";
    }
    return out + "0\r\n\r\n";
}

class ArtifactsTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        server_ = new ServerProcess(with_config(small_limits()));
        alpha_ = new Client{server_->port(), server_->make_token("alpha")};
        beta_ = new Client{server_->port(), server_->make_token("beta")};
    }
    static void TearDownTestSuite() {
        delete alpha_;
        delete beta_;
        delete server_;
    }
    static ServerProcess* server_;
    static Client* alpha_;
    static Client* beta_;
};
ServerProcess* ArtifactsTest::server_ = nullptr;
Client* ArtifactsTest::alpha_ = nullptr;
Client* ArtifactsTest::beta_ = nullptr;

TEST_F(ArtifactsTest, UploadAndDownloadRoundTrip) {
    auto bytes = binary_bytes(100'000, 1);
    auto r = alpha_->upload(bytes);
    ASSERT_EQ(r.status, 201) << r.body;
    auto artifact = body_of(r)["artifact"];
    EXPECT_TRUE(body_of(r)["ok"].get<bool>());
    EXPECT_EQ(artifact["id"], "sha256:" + sha256sum(bytes));
    EXPECT_EQ(artifact["media_type"], "application/octet-stream");
    EXPECT_EQ(artifact["size"], 100'000);
    EXPECT_FALSE(artifact["created_at"].get<std::string>().empty());
    auto id = artifact["id"].get<std::string>();
    EXPECT_EQ(r.header("Location"), "/api/v0/artifacts/" + id);

    auto got = alpha_->download(id);
    ASSERT_EQ(got.status, 200) << got.body;
    EXPECT_EQ(got.body, bytes);
    EXPECT_EQ(got.header("Content-Type"), "application/octet-stream");
    EXPECT_EQ(got.header("Content-Length"), "100000");
    EXPECT_EQ(got.header("ETag"), "\"" + id + "\"");
    // The ':' may come percent-encoded.
    EXPECT_EQ(alpha_->download("sha256%3A" + id.substr(7)).body, bytes);
}

TEST_F(ArtifactsTest, MediaTypeIsStoredInItsCanonicalForm) {
    std::string matrix(2 * 3 * 8, '\x3f');
    auto r = alpha_->upload(matrix, "application/vnd.forgehive.tensor; shape=2x3; DTYPE=f64");
    ASSERT_EQ(r.status, 201) << r.body;
    auto id = body_of(r)["artifact"]["id"].get<std::string>();
    EXPECT_EQ(body_of(r)["artifact"]["media_type"], "application/vnd.forgehive.tensor; dtype=f64; shape=2x3");
    EXPECT_EQ(alpha_->download(id).header("Content-Type"), "application/vnd.forgehive.tensor; dtype=f64; shape=2x3");

    auto csv = alpha_->upload("0,1\n1,2,0.5\n# comment\n", "text/csv; charset=utf-8");
    ASSERT_EQ(csv.status, 201) << csv.body;
    EXPECT_EQ(body_of(csv)["artifact"]["media_type"], "text/csv");
}

TEST_F(ArtifactsTest, RepeatedUploadIsIdempotent) {
    auto bytes = binary_bytes(5000, 2);
    auto first = alpha_->upload(bytes);
    auto second = alpha_->upload(bytes);
    ASSERT_EQ(first.status, 201) << first.body;
    ASSERT_EQ(second.status, 200) << second.body;
    EXPECT_EQ(body_of(second)["artifact"], body_of(first)["artifact"]);
    // The same bytes as another media type would change what the id means for this project.
    auto other = alpha_->upload(bytes, "text/csv");
    EXPECT_EQ(other.status, 409) << other.body;
    EXPECT_EQ(body_of(other)["error"]["code"], "invalid_request");
}

TEST_F(ArtifactsTest, ChunkedUploadIsStoredWhole) {
    auto bytes = binary_bytes(70'000, 3);
    Connection c(server_->port());
    c.send(alpha_->head("Transfer-Encoding: chunked\r\n") + chunked(bytes, 9000));
    auto r = c.read_response();
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 201) << r->body;
    auto id = body_of(*r)["artifact"]["id"].get<std::string>();
    EXPECT_EQ(id, "sha256:" + sha256sum(bytes));
    EXPECT_EQ(body_of(*r)["artifact"]["size"], 70'000);
    EXPECT_EQ(alpha_->download(id).body, bytes);
}

TEST_F(ArtifactsTest, ContinueIsSentOnlyToAnAcceptedRequest) {
    auto bytes = binary_bytes(3000, 4);
    Connection refused(server_->port());
    refused.send("POST /api/v0/artifacts HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nExpect: 100-continue\r\n"
                 "Content-Length: 3000\r\n\r\n");
    auto unauthorized = refused.read_response();
    ASSERT_TRUE(unauthorized);
    EXPECT_EQ(unauthorized->status, 401);

    Connection accepted(server_->port());
    accepted.send(alpha_->head("Content-Length: 3000\r\nExpect: 100-continue\r\n"));
    auto go_on = accepted.read_response();
    ASSERT_TRUE(go_on);
    EXPECT_EQ(go_on->status, 100);
    accepted.send(bytes);
    auto created = accepted.read_response();
    ASSERT_TRUE(created);
    EXPECT_EQ(created->status, 201) << created->body;
}

TEST_F(ArtifactsTest, OverMaxBytesIs413AndTheServerStaysHealthy) {
    Connection declared(server_->port());
    declared.send(alpha_->head("Content-Length: " + std::to_string(kMaxBytes + 1) + "\r\n"));
    auto early = declared.read_response();  // before any of the body was sent
    ASSERT_TRUE(early);
    EXPECT_EQ(early->status, 413);
    EXPECT_EQ(body_of(*early)["error"]["code"], "payload_too_large");
    EXPECT_TRUE(declared.closed_by_peer());

    Connection streamed(server_->port());
    streamed.send(alpha_->head("Transfer-Encoding: chunked\r\n"));
    std::string piece = chunked(binary_bytes(16'384, 5), 16'384);
    piece.resize(piece.size() - 5);  // no last chunk: the client would go on
    std::optional<HttpResponse> late;
    for (int sent = 0; sent < 32 && !late; ++sent) {
        streamed.send(piece);
        if (sent * 16'384 > kMaxBytes) late = streamed.read_response(2s);
    }
    ASSERT_TRUE(late);
    EXPECT_EQ(late->status, 413);
    EXPECT_TRUE(streamed.closed_by_peer());

    EXPECT_EQ(request(server_->port(), "GET", "/healthz").status, 200);
    EXPECT_EQ(alpha_->upload(binary_bytes(kMaxBytes, 6)).status, 201);
}

TEST_F(ArtifactsTest, OverTheProjectQuotaIs429) {
    Client gamma{server_->port(), server_->make_token("gamma")};
    for (unsigned i = 0; i < 2; ++i) ASSERT_EQ(gamma.upload(binary_bytes(kMaxBytes, 10 + i)).status, 201);
    auto over = gamma.upload(binary_bytes(kMaxBytes, 12));
    EXPECT_EQ(over.status, 429) << over.body;
    EXPECT_EQ(body_of(over)["error"]["code"], "quota_exceeded");
    auto message = body_of(over)["error"]["message"].get<std::string>();
    EXPECT_NE(message.find("artifacts.project_quota_bytes"), std::string::npos) << message;
    // Repeats and smaller artifacts still fit; another project has its own quota.
    EXPECT_EQ(gamma.upload(binary_bytes(kMaxBytes, 10)).status, 200);
    EXPECT_EQ(gamma.upload(binary_bytes(kQuota - 2 * kMaxBytes, 13)).status, 201);
    EXPECT_EQ(beta_->upload(binary_bytes(kMaxBytes, 12)).status, 201);
}

TEST_F(ArtifactsTest, UnsupportedMediaTypeIs415) {
    for (const auto& type : {"image/png", "text/plain", "application/vnd.forgehive.tensor; dtype=f16; shape=2x2"}) {
        auto r = alpha_->upload("abc", type);
        EXPECT_EQ(r.status, 415) << type;
        EXPECT_EQ(body_of(r)["error"]["code"], "unsupported_media_type") << type;
    }
    auto none = request(server_->port(), "POST", "/api/v0/artifacts",
                        Headers{{"Authorization", "Bearer " + alpha_->token}}, "abc");
    EXPECT_EQ(none.status, 415);
    EXPECT_NE(body_of(none)["error"]["message"].get<std::string>().find("Content-Type is required"), std::string::npos);
}

TEST_F(ArtifactsTest, TensorBodyMustMatchItsShape) {
    auto r = alpha_->upload(std::string(20, '\0'), "application/vnd.forgehive.tensor; dtype=f32; shape=2x3");
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(body_of(r)["error"]["code"], "invalid_request");
}

TEST_F(ArtifactsTest, TokenIsRequired) {
    auto upload = request(server_->port(), "POST", "/api/v0/artifacts", Headers{{"Content-Type", "text/csv"}}, "0,1\n");
    EXPECT_EQ(upload.status, 401);
    EXPECT_EQ(body_of(upload)["error"]["code"], "unauthorized");
    auto id = body_of(alpha_->upload("only alpha's"))["artifact"]["id"].get<std::string>();
    EXPECT_EQ(request(server_->port(), "GET", "/api/v0/artifacts/" + id).status, 401);
}

TEST_F(ArtifactsTest, AnotherProjectsArtifactIsNotFound) {
    auto id = body_of(alpha_->upload("alpha's secret bytes"))["artifact"]["id"].get<std::string>();
    auto r = beta_->download(id);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(body_of(r)["error"]["code"], "not_found");
    EXPECT_EQ(beta_->download("sha256:" + std::string(64, '0')).status, 404);
    auto malformed = beta_->download("sha256:xyz");
    EXPECT_EQ(malformed.status, 400);
    EXPECT_EQ(body_of(malformed)["error"]["code"], "invalid_request");
    // Once beta uploads the same bytes, they are beta's too.
    EXPECT_EQ(beta_->upload("alpha's secret bytes").status, 201);
    EXPECT_EQ(beta_->download(id).status, 200);
}

// Peak resident memory (VmHWM) of a process, in bytes.
std::int64_t peak_rss(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
    return -1;
}

// The server's peak memory does not move with a 64 MiB upload and download, read in 64 KiB chunks:
// neither the request nor the response is ever held whole. A warm-up round first lets allocator
// caches and the sanitizers' bookkeeping reach their working size.
TEST(ArtifactsMemory, UploadAndDownloadDoNotGrowWithTheArtifact) {
    ServerProcess server(with_config("[artifacts]\nmax_bytes = 134217728\nproject_quota_bytes = 268435456\n"
                                     "chunk_bytes = 65536\n"
                                     "[limits]\nread_timeout_ms = 120000\nwrite_timeout_ms = 120000\n"));
    Client client{server.port(), server.make_token("big")};
    auto warm = client.upload(binary_bytes(4 << 20, 20));
    ASSERT_EQ(warm.status, 201) << warm.body;
    ASSERT_EQ(client.download(body_of(warm)["artifact"]["id"].get<std::string>()).status, 200);
    auto before = peak_rss(server.pid());
    ASSERT_GT(before, 0);

    constexpr std::int64_t kSize = 64 << 20;
    auto bytes = binary_bytes(kSize, 21);
    Connection c(server.port());
    c.send(client.head("Content-Length: " + std::to_string(kSize) + "\r\n") + bytes);
    auto r = c.read_response(120s);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 201) << r->body;
    auto id = body_of(*r)["artifact"]["id"].get<std::string>();
    auto after_upload = peak_rss(server.pid());
    Connection d(server.port());
    d.send("GET /api/v0/artifacts/" + id + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + client.token + "\r\n\r\n");
    auto got = d.read_response(120s);
    ASSERT_TRUE(got);
    ASSERT_EQ(got->status, 200);
    EXPECT_TRUE(got->body == bytes);
    auto after_download = peak_rss(server.pid());

    EXPECT_LT(after_upload - before, kSize / 4) << "peak RSS grew from " << before << " to " << after_upload;
    EXPECT_LT(after_download - before, kSize / 4) << "peak RSS grew from " << before << " to " << after_download;
}

}  // namespace
}  // namespace forgehive::testing
