// Content-addressed artifacts (POST/GET /api/v0/artifacts, docs/artifacts.md): bytes stored once under
// the data dir by SHA-256, each upload recorded per project with its media type, within a size limit
// and a per-project quota.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "forgehive/api/artifact_ref.hpp"
#include "forgehive/store/store.hpp"

namespace forgehive::gateway {

struct ArtifactLimits {
    std::int64_t max_bytes = std::int64_t{1} << 30;              // one artifact
    std::int64_t project_quota_bytes = std::int64_t{4} << 30;    // all of a project's artifacts
    std::int64_t chunk_bytes = 1 << 20;                          // upload read size: bounds memory
    std::int64_t inline_output_max_bytes = 1 << 20;              // larger output members become artifacts
};

struct ArtifactInfo {
    std::string id;  // sha256:<64 hex>
    std::string media_type;
    std::int64_t size = 0;
    std::string created_at;
};

// What an upload ended in.
struct ArtifactReceipt {
    ArtifactInfo artifact;
    bool created = false;  // false: the project already held these bytes (an idempotent repeat)
};

// An artifact a project holds, for download: its record and the file with its bytes.
struct StoredArtifact {
    ArtifactInfo artifact;
    std::filesystem::path path;
};

// The canonical form of a declared Content-Type, as stored and returned (docs/artifacts.md): text/csv,
// text/tab-separated-values, application/json (each with at most charset=utf-8 or us-ascii, dropped),
// application/octet-stream, and "application/vnd.forgehive.tensor; dtype=f32|f64; shape=<rows>x<cols>".
// Throws core::ApiError("unsupported_media_type", 415) naming what is wrong.
std::string canonical_media_type(std::string_view content_type);

// True for "sha256:" followed by 64 lower-case hex digits.
bool is_artifact_id(std::string_view id);

class ArtifactStore;

// One upload in progress: the bytes are hashed and written to a temporary file as they arrive, so
// memory holds only the caller's chunk. Destroying an upload that was not committed removes its file.
class ArtifactUpload {
public:
    ArtifactUpload(ArtifactUpload&&) noexcept;
    ArtifactUpload& operator=(ArtifactUpload&&) noexcept;
    ~ArtifactUpload();

    // Throws core::ApiError("payload_too_large", 413) once the artifact would exceed max_bytes.
    void append(std::string_view bytes);
    // Persists the bytes (file and directory fsync'd) and records them for the project, within its
    // quota. Throws core::ApiError: 400 when a tensor's size does not match its shape, 409 when the
    // project holds these bytes with another media type, 429 quota_exceeded over the quota.
    ArtifactReceipt commit();
    std::int64_t size() const;

private:
    friend class ArtifactStore;
    struct State;
    explicit ArtifactUpload(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

class ArtifactStore {
public:
    // Creates `directory` (and its tmp/) when missing and removes temporary files a previous process
    // left behind.
    ArtifactStore(store::Store& store, std::filesystem::path directory, ArtifactLimits limits);

    // Stores bytes produced by the gateway itself (large job outputs) for the project. The same
    // errors as an upload (ArtifactUpload::commit), and 415 for a media type canonical_media_type
    // refuses.
    ArtifactInfo put(std::int64_t project_id, std::string_view media_type, std::string_view bytes);
    // Binds artifact lookups to one project, for the family argument parsers.
    api::ArtifactResolver resolver(std::int64_t project_id);
    const ArtifactLimits& limits() const { return limits_; }

    // Starts an upload of `media_type` (canonical, see canonical_media_type). `declared_size` (the
    // Content-Length, when there is one) is checked before any byte arrives: 413 over max_bytes, 400
    // when it cannot be the size a tensor's shape says.
    ArtifactUpload begin_upload(std::int64_t project_id, std::string media_type,
                                std::optional<std::int64_t> declared_size = std::nullopt);
    // The project's artifact `id`; none when the project holds no such artifact. Throws
    // core::ApiError("invalid_request", 400) for a malformed id.
    std::optional<StoredArtifact> find(std::int64_t project_id, const std::string& id);
    // Where the bytes of artifact `id` (well-formed) live: <directory>/<first 2 hex>/<64 hex>.
    std::filesystem::path blob_path(std::string_view id) const;

private:
    friend class ArtifactUpload;
    ArtifactReceipt record(std::int64_t project_id, const std::string& media_type, const std::string& id,
                           std::int64_t size, int fd, std::filesystem::path& temp_path);

    store::Store& store_;
    std::filesystem::path directory_;
    ArtifactLimits limits_;
};

}  // namespace forgehive::gateway
