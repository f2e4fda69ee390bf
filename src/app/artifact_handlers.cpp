// Artifact routes: POST /api/v0/artifacts streams the body into the ArtifactStore one chunk at a time;
// GET /api/v0/artifacts/{id} sends the stored file. Both are scoped to the caller's project.
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <strings.h>

#include "forgehive/app/handlers.hpp"
#include "forgehive/core/api_error.hpp"
#include "forgehive/gateway/tokens.hpp"

namespace forgehive::app {
namespace {

using boost::asio::awaitable;
using nlohmann::ordered_json;

http::Response render(int status, const gateway::ArtifactInfo& artifact) {
    ordered_json body = {{"ok", true},
                         {"artifact",
                          {{"id", artifact.id},
                           {"media_type", artifact.media_type},
                           {"size", artifact.size},
                           {"created_at", artifact.created_at}}}};
    auto response = http::json_response(status, body.dump());
    response.headers.emplace_back("Location", "/api/v0/artifacts/" + artifact.id);
    return response;
}

// Clients that percent-encode the ':' of the id in the path ("sha256%3A...") mean the same artifact.
std::string path_id(const std::string& segment) {
    constexpr std::string_view kEncoded = "sha256%3a";
    if (segment.size() > kEncoded.size() && ::strncasecmp(segment.data(), kEncoded.data(), kEncoded.size()) == 0)
        return "sha256:" + segment.substr(kEncoded.size());
    return segment;
}

std::optional<std::int64_t> declared_size(const http::BodyStream& body) {
    auto length = body.content_length();
    if (!length) return std::nullopt;
    return static_cast<std::int64_t>(std::min<std::uint64_t>(*length, INT64_MAX));
}

}  // namespace

void add_artifact_routes(http::Router& router, store::Store& store, gateway::ArtifactStore& artifacts) {
    http::RouteOptions streamed{.stream_body = true, .body_bytes = artifacts.limits().max_bytes};
    router.add(
        "POST", "/api/v0/artifacts",
        [&store, &artifacts](http::Request& request) -> awaitable<http::Response> {
            auto caller = gateway::authenticate(store, request.header("Authorization"));
            auto& body = *request.body_stream;
            auto upload = artifacts.begin_upload(caller.project_id, std::string(request.header("Content-Type")),
                                                 declared_size(body));
            // The one buffer of this upload, whatever the artifact's size.
            auto chunk_size = static_cast<std::size_t>(artifacts.limits().chunk_bytes);
            auto chunk = std::make_unique_for_overwrite<char[]>(chunk_size);
            for (;;) {
                auto n = co_await body.read(std::span<char>(chunk.get(), chunk_size));
                if (n == 0) break;
                upload.append(std::string_view(chunk.get(), n));
            }
            auto receipt = upload.commit();
            co_return render(receipt.created ? 201 : 200, receipt.artifact);
        },
        streamed);

    auto download = [&store, &artifacts](http::Request& request) -> awaitable<http::Response> {
        auto caller = gateway::authenticate(store, request.header("Authorization"));
        auto id = path_id(request.params.at("id"));
        auto found = artifacts.find(caller.project_id, id);
        if (!found) throw core::ApiError("not_found", 404, "this project has no artifact " + id);
        http::Response response;
        response.content_type = found->artifact.media_type;
        response.body_file = found->path.string();
        // The id is the content's hash: the representation can never change.
        response.headers.emplace_back("ETag", "\"" + id + "\"");
        response.headers.emplace_back("Cache-Control", "private, max-age=31536000, immutable");
        co_return response;
    };
    router.add("GET", "/api/v0/artifacts/{id}", download);
}

}  // namespace forgehive::app
