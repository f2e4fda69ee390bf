// hub.{status, metrics, executions, output, replay} in the order the API document shows.
#include "forgehive/hub/hub.hpp"

namespace forgehive::hub {

nlohmann::ordered_json to_json(const HubResult& result, const JobSpec& job) {
    const auto& m = result.metrics;
    nlohmann::ordered_json executions = nlohmann::ordered_json::array();
    for (const auto& e : result.executions) {
        executions.push_back({{"agent_id", e.agent_id},
                              {"shard_id", e.shard_id},
                              {"iterations", e.iterations},
                              {"units", {e.first_unit, e.first_unit + e.units}},
                              {"wall_ms", e.wall_ms},
                              {"seed", e.seed},
                              {"result_hash", e.result_hash},
                              {"signature", e.signature},
                              {"verified", e.verified},
                              {"rounds", e.rounds}});
    }
    nlohmann::ordered_json versions = nlohmann::ordered_json::object();
    for (const auto& [name, version] : result.kernel_versions) versions[name] = version;
    return {{"status", "ok"},
            {"metrics",
             {{"wall_ms", m.wall_ms},
              {"agents_used", m.agents_used},
              {"shards", m.shards},
              {"units", m.units},
              {"reduce_ms", m.reduce_ms},
              {"verify_ms", m.verify_ms},
              {"shards_verified", m.shards_verified},
              {"mismatches", m.mismatches},
              {"rounds", m.rounds}}},
            {"executions", executions},
            {"output", result.output},
            {"replay",
             {{"root_seed", job.root_seed},
              {"seed_mode", job.seed_mode},
              {"unit_size", result.unit_size},
              {"output_hash", result.output_hash},
              {"kernel_versions", versions}}}};
}

}  // namespace forgehive::hub
