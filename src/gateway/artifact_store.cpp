// Artifact storage. An upload streams through SHA-256 into a temporary file, which is fsync'd and then
// renamed to its content address (and the directory fsync'd), so a file at an artifact's path is always
// complete; the project's record is written only after that, so a recorded artifact always has its
// bytes: what was accepted is persisted before it is acknowledged.
#include "forgehive/gateway/artifact_store.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

#include "artifact_media_type.hpp"
#include "forgehive/core/api_error.hpp"
#include "forgehive/crypto/hash.hpp"

namespace forgehive::gateway {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kIdPrefix = "sha256:";
constexpr std::string_view kIdRule = "an artifact id is sha256: followed by 64 lower-case hex digits";

[[noreturn]] void throw_errno(std::string_view what, const fs::path& path) {
    throw std::runtime_error(fmt::format("artifacts: {} {}: {}", what, path.string(), std::strerror(errno)));
}

void fsync_directory(const fs::path& directory) {
    int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) throw_errno("cannot open directory", directory);
    int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) throw_errno("cannot fsync directory", directory);
}

// Creates the directory (0700) when missing; true when this call created it.
bool make_directory(const fs::path& directory) {
    if (::mkdir(directory.c_str(), 0700) == 0) return true;
    if (errno == EEXIST) return false;
    throw_errno("cannot create directory", directory);
}

void write_all(int fd, std::string_view bytes, const fs::path& path) {
    while (!bytes.empty()) {
        auto n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_errno("cannot write", path);
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

std::string read_blob(const fs::path& path, std::int64_t size) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw_errno("cannot open", path);
    std::string out(static_cast<std::size_t>(size), '\0');
    std::size_t done = 0;
    while (done < out.size()) {
        auto n = ::read(fd, out.data() + done, out.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ::close(fd);
            throw std::runtime_error(fmt::format("artifacts: {} holds fewer than {} bytes", path.string(), size));
        }
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
    return out;
}

bool holds_bytes(const fs::path& path, std::int64_t size) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) && info.st_size == size;
}

core::ApiError too_large(std::int64_t size, std::int64_t max_bytes) {
    return {"payload_too_large", 413,
            fmt::format("an artifact of {} bytes or more exceeds artifacts.max_bytes ({} bytes)", size, max_bytes)};
}

ArtifactInfo to_info(const store::ProjectArtifact& artifact) {
    return {artifact.id, artifact.media_type, artifact.size, artifact.created_at};
}

// The project already holds these bytes: the same upload again is answered from its record; the same
// bytes under another media type would change what references to the artifact mean.
ArtifactReceipt repeat(const store::ProjectArtifact& held, const std::string& media_type) {
    if (held.media_type != media_type)
        throw core::ApiError("invalid_request", 409,
                             fmt::format("artifact {} is already stored for this project as '{}'; the same bytes "
                                         "cannot also be stored as '{}'",
                                         held.id, held.media_type, media_type));
    return {to_info(held), false};
}

}  // namespace

bool is_artifact_id(std::string_view id) {
    if (id.size() != kIdPrefix.size() + 64 || id.substr(0, kIdPrefix.size()) != kIdPrefix) return false;
    return std::all_of(id.begin() + kIdPrefix.size(), id.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

struct ArtifactUpload::State {
    State(ArtifactStore& s, std::int64_t project, std::string type)
        : store(s), project_id(project), media_type(std::move(type)) {}
    ~State() { release(); }
    // Frees the hash and the descriptor and removes the temporary file unless it became the blob.
    void release() {
        if (hash) EVP_MD_CTX_free(hash);
        hash = nullptr;
        if (fd >= 0) ::close(fd);
        fd = -1;
        if (!temp_path.empty()) ::unlink(temp_path.c_str());
        temp_path.clear();
    }
    State(const State&) = delete;
    State& operator=(const State&) = delete;

    ArtifactStore& store;
    std::int64_t project_id;
    std::string media_type;
    std::optional<std::int64_t> expected_size;  // a tensor's, from its shape
    fs::path temp_path;                         // empty once renamed into place
    int fd = -1;
    EVP_MD_CTX* hash = nullptr;
    std::int64_t size = 0;
    bool committed = false;
};

ArtifactUpload::ArtifactUpload(std::unique_ptr<State> state) : state_(std::move(state)) {}
ArtifactUpload::ArtifactUpload(ArtifactUpload&&) noexcept = default;
ArtifactUpload& ArtifactUpload::operator=(ArtifactUpload&&) noexcept = default;
ArtifactUpload::~ArtifactUpload() = default;

std::int64_t ArtifactUpload::size() const { return state_->size; }

void ArtifactUpload::append(std::string_view bytes) {
    auto& s = *state_;
    if (s.committed) throw std::logic_error("artifact upload appended to after commit");
    auto max_bytes = s.store.limits().max_bytes;
    if (static_cast<std::int64_t>(bytes.size()) > max_bytes - s.size)
        throw too_large(s.size + static_cast<std::int64_t>(bytes.size()), max_bytes);
    if (EVP_DigestUpdate(s.hash, bytes.data(), bytes.size()) != 1) throw std::runtime_error("EVP_DigestUpdate failed");
    write_all(s.fd, bytes, s.temp_path);
    s.size += static_cast<std::int64_t>(bytes.size());
}

ArtifactReceipt ArtifactUpload::commit() {
    auto& s = *state_;
    if (s.committed) throw std::logic_error("artifact upload committed twice");
    if (s.expected_size && s.size != *s.expected_size)
        throw core::ApiError("invalid_request", 400,
                             fmt::format("the body has {} bytes; '{}' needs {}", s.size, s.media_type,
                                         *s.expected_size));
    crypto::Sha256Digest digest{};
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(s.hash, digest.data(), &length) != 1 || length != digest.size())
        throw std::runtime_error("EVP_DigestFinal_ex failed");
    auto id = fmt::format("{}{}", kIdPrefix, crypto::to_hex(digest.data(), digest.size()));
    auto receipt = s.store.record(s.project_id, s.media_type, id, s.size, s.fd, s.temp_path);
    s.committed = true;
    s.release();
    return receipt;
}

ArtifactStore::ArtifactStore(store::Store& store, std::filesystem::path directory, ArtifactLimits limits)
    : store_(store), directory_(std::move(directory)), limits_(limits) {
    std::error_code ec;
    fs::create_directories(directory_ / "tmp", ec);
    if (ec)
        throw std::runtime_error(
            fmt::format("artifacts: cannot create {}: {}", (directory_ / "tmp").string(), ec.message()));
    fs::permissions(directory_, fs::perms::owner_all, fs::perm_options::replace);
    fs::permissions(directory_ / "tmp", fs::perms::owner_all, fs::perm_options::replace);
    // Uploads that a previous process was receiving when it stopped were never acknowledged.
    for (const auto& entry : fs::directory_iterator(directory_ / "tmp")) fs::remove(entry.path(), ec);
}

ArtifactUpload ArtifactStore::begin_upload(std::int64_t project_id, std::string media_type,
                                           std::optional<std::int64_t> declared_size) {
    auto state = std::make_unique<ArtifactUpload::State>(*this, project_id, canonical_media_type(media_type));
    state->expected_size = tensor_byte_size(state->media_type);
    if (declared_size && *declared_size > limits_.max_bytes) throw too_large(*declared_size, limits_.max_bytes);
    if (state->expected_size && *state->expected_size > limits_.max_bytes)
        throw too_large(*state->expected_size, limits_.max_bytes);
    if (state->expected_size && declared_size && *declared_size != *state->expected_size)
        throw core::ApiError("invalid_request", 400,
                             fmt::format("Content-Length is {}; '{}' needs {} bytes", *declared_size, state->media_type,
                                         *state->expected_size));
    auto pattern = (directory_ / "tmp" / "upload-XXXXXX").string();
    state->fd = ::mkostemp(pattern.data(), O_CLOEXEC);
    if (state->fd < 0) throw_errno("cannot create a temporary file in", directory_ / "tmp");
    state->temp_path = pattern;
    state->hash = EVP_MD_CTX_new();
    if (!state->hash || EVP_DigestInit_ex(state->hash, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("EVP_DigestInit_ex(sha256) failed");
    return ArtifactUpload(std::move(state));
}

// Order matters for durability: the bytes are fsync'd and renamed into place (the rename fsync'd
// through its directory) before the project's record is committed.
ArtifactReceipt ArtifactStore::record(std::int64_t project_id, const std::string& media_type, const std::string& id,
                                      std::int64_t size, int fd, std::filesystem::path& temp_path) {
    if (auto held = store_.find_project_artifact(project_id, id)) return repeat(*held, media_type);
    auto quota_error = [&](std::int64_t used) {
        return core::ApiError("quota_exceeded", 429,
                              fmt::format("an artifact of {} bytes would bring the project's artifacts to {} "
                                          "bytes, over artifacts.project_quota_bytes ({} bytes)",
                                          size, used + size, limits_.project_quota_bytes));
    };
    auto used = store_.project_artifact_bytes(project_id);
    if (size > limits_.project_quota_bytes - used) throw quota_error(used);

    auto blob = blob_path(id);
    if (!holds_bytes(blob, size)) {
        if (::fsync(fd) != 0) throw_errno("cannot fsync", temp_path);
        if (make_directory(blob.parent_path())) fsync_directory(directory_);
        if (::rename(temp_path.c_str(), blob.c_str()) != 0) throw_errno("cannot rename into", blob);
        temp_path.clear();
        fsync_directory(blob.parent_path());
    }
    auto outcome = store_.add_project_artifact(store::ProjectArtifact{project_id, id, media_type, size, ""},
                                               limits_.project_quota_bytes);
    // Another upload of the same project may have won a race since the checks above.
    if (outcome.result == store::ArtifactAdded::over_quota) throw quota_error(outcome.used_bytes);
    if (outcome.result == store::ArtifactAdded::existing) return repeat(*outcome.artifact, media_type);
    return {to_info(*outcome.artifact), true};
}

ArtifactInfo ArtifactStore::put(std::int64_t project_id, std::string_view media_type, std::string_view bytes) {
    auto upload = begin_upload(project_id, std::string(media_type), static_cast<std::int64_t>(bytes.size()));
    upload.append(bytes);
    return upload.commit().artifact;
}

std::optional<StoredArtifact> ArtifactStore::find(std::int64_t project_id, const std::string& id) {
    if (!is_artifact_id(id)) throw core::ApiError("invalid_request", 400, std::string(kIdRule));
    auto held = store_.find_project_artifact(project_id, id);
    if (!held) return std::nullopt;
    return StoredArtifact{to_info(*held), blob_path(id)};
}

std::filesystem::path ArtifactStore::blob_path(std::string_view id) const {
    auto hex = id.substr(kIdPrefix.size());
    return directory_ / std::string(hex.substr(0, 2)) / std::string(hex);
}

api::ArtifactResolver ArtifactStore::resolver(std::int64_t project_id) {
    return [this, project_id](const std::string& id, const std::string& field) {
        if (!is_artifact_id(id)) throw core::ApiError("invalid_request", 400, fmt::format("{}: {}", field, kIdRule));
        auto found = find(project_id, id);
        if (!found)
            throw core::ApiError("invalid_request", 400, fmt::format("{}: this project has no artifact {}", field, id));
        auto bytes = std::make_shared<const std::string>(read_blob(found->path, found->artifact.size));
        return api::ArtifactContent{id, found->artifact.media_type, std::move(bytes)};
    };
}

}  // namespace forgehive::gateway
