// Unit tests for the artifact store: content addressing, streamed uploads, idempotent repeats, per-project
// scope and quota, size limits, tensor media types, the resolver, against a real SQLite store.
#include "forgehive/gateway/artifact_store.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "forgehive/core/api_error.hpp"
#include "forgehive/store/sqlite_store.hpp"
#include "support/temp_dir.hpp"

namespace forgehive::gateway {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using forgehive::testing::TempDir;

// FIPS 180-2, appendix B.1: SHA-256("abc").
constexpr std::string_view kAbcId = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::size_t files_in(const fs::path& directory) {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(directory), fs::directory_iterator()));
}

// Runs `action`, expecting a core::ApiError; returns it.
template <class Action>
core::ApiError api_error(Action&& action) {
    try {
        action();
    } catch (const core::ApiError& e) {
        return e;
    }
    ADD_FAILURE() << "no ApiError thrown";
    return core::ApiError("none", 0, "");
}

class ArtifactStoreTest : public ::testing::Test {
protected:
    void SetUp() override { open(ArtifactLimits{}); }

    void open(ArtifactLimits limits) {
        artifacts_.reset();
        store_ = store::open_sqlite_store({(dir_.path() / "db").string(), 5000});
        artifacts_ = std::make_unique<ArtifactStore>(*store_, directory(), limits);
        alpha_ = project("alpha");
        beta_ = project("beta");
    }

    std::int64_t project(const std::string& name) {
        auto found = store_->find_project(name);
        return found ? found->id : store_->create_project(name).id;
    }

    fs::path directory() const { return dir_.path() / "artifacts"; }

    TempDir dir_;
    std::unique_ptr<store::Store> store_;
    std::unique_ptr<ArtifactStore> artifacts_;
    std::int64_t alpha_ = 0;
    std::int64_t beta_ = 0;
};

TEST_F(ArtifactStoreTest, PutStoresTheBytesUnderTheirSha256) {
    auto info = artifacts_->put(alpha_, "application/octet-stream", "abc");
    EXPECT_EQ(info.id, kAbcId);
    EXPECT_EQ(info.media_type, "application/octet-stream");
    EXPECT_EQ(info.size, 3);
    EXPECT_FALSE(info.created_at.empty());
    auto blob = directory() / "ba" / std::string(kAbcId.substr(7));
    EXPECT_EQ(artifacts_->blob_path(kAbcId), blob);
    EXPECT_EQ(read_file(blob), "abc");
    EXPECT_EQ(forgehive::testing::mode_of(blob), 0600u);
    EXPECT_EQ(files_in(directory() / "tmp"), 0u);
}

TEST_F(ArtifactStoreTest, ChunksMakeTheSameArtifactAsOneBuffer) {
    std::string text;
    for (int i = 0; i < 5000; ++i) text += std::to_string(i) + "," + std::to_string(i * 7 % 5000) + "\n";
    auto whole = artifacts_->put(alpha_, "text/csv", text);

    auto upload = artifacts_->begin_upload(beta_, "text/csv");
    for (std::size_t at = 0; at < text.size(); at += 333) upload.append(std::string_view(text).substr(at, 333));
    EXPECT_EQ(upload.size(), static_cast<std::int64_t>(text.size()));
    auto receipt = upload.commit();
    EXPECT_TRUE(receipt.created);
    EXPECT_EQ(receipt.artifact.id, whole.id);
    EXPECT_EQ(read_file(artifacts_->blob_path(whole.id)), text);
}

TEST_F(ArtifactStoreTest, RepeatedUploadIsIdempotent) {
    auto first = artifacts_->begin_upload(alpha_, "text/csv");
    first.append("0,1\n");
    auto one = first.commit();
    auto second = artifacts_->begin_upload(alpha_, "text/csv; charset=utf-8");
    second.append("0,1\n");
    auto two = second.commit();
    EXPECT_TRUE(one.created);
    EXPECT_FALSE(two.created);
    EXPECT_EQ(two.artifact.id, one.artifact.id);
    EXPECT_EQ(two.artifact.created_at, one.artifact.created_at);
    EXPECT_EQ(store_->project_artifact_bytes(alpha_), 4);
    EXPECT_EQ(files_in(directory() / "tmp"), 0u);
}

TEST_F(ArtifactStoreTest, SameBytesUnderAnotherMediaTypeAreAConflict) {
    artifacts_->put(alpha_, "text/csv", "0,1\n");
    auto error = api_error([&] { artifacts_->put(alpha_, "application/octet-stream", "0,1\n"); });
    EXPECT_EQ(error.http_status(), 409);
    EXPECT_THAT(error.message(), HasSubstr("text/csv"));
    // Another project may call the same bytes what it likes.
    EXPECT_EQ(artifacts_->put(beta_, "application/octet-stream", "0,1\n").media_type, "application/octet-stream");
}

TEST_F(ArtifactStoreTest, BytesAreStoredOnceAcrossProjects) {
    auto a = artifacts_->put(alpha_, "application/octet-stream", "shared bytes");
    auto b = artifacts_->put(beta_, "application/octet-stream", "shared bytes");
    EXPECT_EQ(a.id, b.id);
    std::size_t blobs = 0;
    for (const auto& entry : fs::recursive_directory_iterator(directory()))
        if (entry.is_regular_file()) ++blobs;
    EXPECT_EQ(blobs, 1u);
    EXPECT_EQ(store_->project_artifact_bytes(alpha_), 12);
    EXPECT_EQ(store_->project_artifact_bytes(beta_), 12);
}

TEST_F(ArtifactStoreTest, QuotaCountsDistinctArtifactsPerProject) {
    open(ArtifactLimits{8, 10, 4096, 1024});
    artifacts_->put(alpha_, "application/octet-stream", "123456");
    auto error = api_error([&] { artifacts_->put(alpha_, "application/octet-stream", "abcdef"); });
    EXPECT_EQ(error.code(), "quota_exceeded");
    EXPECT_EQ(error.http_status(), 429);
    EXPECT_THAT(error.message(), HasSubstr("artifacts.project_quota_bytes"));
    EXPECT_THAT(error.message(), HasSubstr("12 bytes"));
    // Repeats cost nothing; other projects have their own quota; nothing is left behind.
    EXPECT_NO_THROW(artifacts_->put(alpha_, "application/octet-stream", "123456"));
    EXPECT_NO_THROW(artifacts_->put(beta_, "application/octet-stream", "abcdef"));
    EXPECT_NO_THROW(artifacts_->put(alpha_, "application/octet-stream", "abcd"));
    EXPECT_EQ(store_->project_artifact_bytes(alpha_), 10);
    EXPECT_EQ(files_in(directory() / "tmp"), 0u);
}

TEST_F(ArtifactStoreTest, MaxBytesStopsAnUploadAsItArrives) {
    open(ArtifactLimits{10, 100, 4096, 1024});
    auto upload = artifacts_->begin_upload(alpha_, "application/octet-stream");
    upload.append("0123456789");
    auto error = api_error([&] { upload.append("x"); });
    EXPECT_EQ(error.code(), "payload_too_large");
    EXPECT_EQ(error.http_status(), 413);
    EXPECT_THAT(error.message(), HasSubstr("artifacts.max_bytes"));
    EXPECT_EQ(files_in(directory() / "tmp"), 1u);
    upload = artifacts_->begin_upload(alpha_, "application/octet-stream");  // the abandoned upload's file goes
    EXPECT_EQ(files_in(directory() / "tmp"), 1u);
    EXPECT_EQ(api_error([&] { artifacts_->begin_upload(alpha_, "application/octet-stream", 11); }).http_status(), 413);
}

TEST_F(ArtifactStoreTest, TensorSizeMustMatchItsShape) {
    auto type = "application/vnd.forgehive.tensor; dtype=f32; shape=2x3";
    auto short_body = api_error([&] { artifacts_->put(alpha_, type, std::string(23, '\0')); });
    EXPECT_EQ(short_body.http_status(), 400);
    EXPECT_THAT(short_body.message(), HasSubstr("needs 24"));
    auto declared = api_error([&] { artifacts_->begin_upload(alpha_, type, 25); });
    EXPECT_EQ(declared.http_status(), 400);
    EXPECT_THAT(declared.message(), HasSubstr("Content-Length is 25"));
    auto info =
        artifacts_->put(alpha_, "Application/Vnd.Forgehive.Tensor;shape=\"2x3\";DTYPE=f32", std::string(24, '\1'));
    EXPECT_EQ(info.media_type, type);
    EXPECT_EQ(info.size, 24);
}

TEST_F(ArtifactStoreTest, TensorLargerThanMaxBytesIsRefusedBeforeItsBytes) {
    open(ArtifactLimits{1000, 10'000, 4096, 1024});
    auto type = "application/vnd.forgehive.tensor; dtype=f64; shape=16x16";
    auto error = api_error([&] { artifacts_->begin_upload(alpha_, type); });
    EXPECT_EQ(error.http_status(), 413);
    EXPECT_THAT(error.message(), HasSubstr("2048 bytes"));
}

TEST_F(ArtifactStoreTest, FindIsScopedToTheProject) {
    auto info = artifacts_->put(alpha_, "application/json", "{\"a\":1}");
    auto found = artifacts_->find(alpha_, info.id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->artifact.media_type, "application/json");
    EXPECT_EQ(read_file(found->path), "{\"a\":1}");
    EXPECT_FALSE(artifacts_->find(beta_, info.id));
    EXPECT_EQ(api_error([&] { artifacts_->find(alpha_, "sha256:ABC"); }).http_status(), 400);
    EXPECT_EQ(api_error([&] { artifacts_->find(alpha_, "../../etc/passwd"); }).http_status(), 400);
}

TEST_F(ArtifactStoreTest, ResolverReadsTheProjectsArtifactsOnly) {
    auto info = artifacts_->put(alpha_, "text/tab-separated-values", "0\t1\n1\t2\n");
    auto content = artifacts_->resolver(alpha_)(info.id, "args.edges.artifact");
    EXPECT_EQ(content.id, info.id);
    EXPECT_EQ(content.media_type, "text/tab-separated-values");
    ASSERT_TRUE(content.bytes);
    EXPECT_EQ(*content.bytes, "0\t1\n1\t2\n");

    auto other = api_error([&] { artifacts_->resolver(beta_)(info.id, "args.edges.artifact"); });
    EXPECT_EQ(other.code(), "invalid_request");
    EXPECT_EQ(other.http_status(), 400);
    EXPECT_THAT(other.message(), HasSubstr("args.edges.artifact: "));
    auto malformed = api_error([&] { artifacts_->resolver(alpha_)("sha256:12", "args.a.artifact"); });
    EXPECT_EQ(malformed.http_status(), 400);
    EXPECT_THAT(malformed.message(), HasSubstr("args.a.artifact: "));
}

TEST_F(ArtifactStoreTest, StartUpRemovesUnfinishedUploads) {
    std::ofstream(directory() / "tmp" / "upload-left") << "partial";
    open(ArtifactLimits{});
    EXPECT_EQ(files_in(directory() / "tmp"), 0u);
}

TEST(ArtifactMediaType, SupportedTypesHaveOneCanonicalSpelling) {
    EXPECT_EQ(canonical_media_type("text/csv"), "text/csv");
    EXPECT_EQ(canonical_media_type("TEXT/CSV; charset=UTF-8"), "text/csv");
    EXPECT_EQ(canonical_media_type("text/tab-separated-values;charset=us-ascii"), "text/tab-separated-values");
    EXPECT_EQ(canonical_media_type("application/json; charset=\"utf-8\""), "application/json");
    EXPECT_EQ(canonical_media_type(" application/octet-stream "), "application/octet-stream");
    EXPECT_EQ(canonical_media_type("application/vnd.forgehive.tensor; shape=1024x1024; dtype=f64"),
              "application/vnd.forgehive.tensor; dtype=f64; shape=1024x1024");
}

TEST(ArtifactMediaType, EverythingElseIs415NamingTheProblem) {
    struct Case {
        const char* content_type;
        const char* says;
    };
    const Case cases[] = {
        {"", "Content-Type is required"},
        {"image/png", "image/png"},
        {"text/plain", "text/plain"},
        {"text/csv; charset=latin1", "charset"},
        {"text/csv; header=present", "header"},
        {"application/octet-stream; dtype=f32", "dtype"},
        {"application/vnd.forgehive.tensor", "dtype"},
        {"application/vnd.forgehive.tensor; dtype=f32", "shape"},
        {"application/vnd.forgehive.tensor; dtype=i32; shape=2x2", "dtype must be f32 or f64"},
        {"application/vnd.forgehive.tensor; dtype=f32; shape=0x2", "positive"},
        {"application/vnd.forgehive.tensor; dtype=f32; shape=2x3x4", "shape"},
        {"application/vnd.forgehive.tensor; dtype=f32; shape=-2x3", "shape"},
        {"application/vnd.forgehive.tensor; dtype=f32; shape=4294967296x4294967296", "too large"},
        {"application/vnd.forgehive.tensor; dtype=f32; dtype=f64; shape=2x2", "twice"},
        {"application/vnd.forgehive.tensor; dtype=f32; shape", "name=value"},
    };
    for (const auto& c : cases) {
        auto error = api_error([&] { canonical_media_type(c.content_type); });
        EXPECT_EQ(error.code(), "unsupported_media_type") << c.content_type;
        EXPECT_EQ(error.http_status(), 415) << c.content_type;
        EXPECT_THAT(error.message(), HasSubstr(c.says)) << c.content_type;
    }
}

TEST(ArtifactId, IsSha256AndSixtyFourLowerCaseHexDigits) {
    EXPECT_TRUE(is_artifact_id(kAbcId));
    EXPECT_FALSE(is_artifact_id(kAbcId.substr(1)));
    EXPECT_FALSE(is_artifact_id(std::string(kAbcId) + "0"));
    EXPECT_FALSE(is_artifact_id("SHA256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    EXPECT_FALSE(is_artifact_id("sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"));
    EXPECT_FALSE(is_artifact_id("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a/"));
}

}  // namespace
}  // namespace forgehive::gateway
