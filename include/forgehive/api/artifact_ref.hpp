// What family argument parsers see of an artifact named in `args` ({"artifact": "sha256:<hex>"}): its
// bytes and declared media type, fetched through a resolver the gateway binds to the caller's project.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace forgehive::api {

struct ArtifactContent {
    std::string id;          // sha256:<64 hex>
    std::string media_type;  // as declared at upload, parameters included (docs/artifacts.md)
    std::shared_ptr<const std::string> bytes;
};

// Returns the caller's artifact `id`; throws core::ApiError("invalid_request", 400) naming `field` when
// the id is malformed or the project has no such artifact.
using ArtifactResolver = std::function<ArtifactContent(const std::string& id, const std::string& field)>;

}  // namespace forgehive::api
