// Workload: what a primitive family gives the hub. Work is a fixed number of units fixed by the
// contract (never by the agent count); any contiguous range of units runs independently, and partial
// results merge exactly, so grouping units into shards cannot change the output (DESIGN.md §4).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace forgehive::hub {

// Binary output too large for JSON (a result matrix): the output names it by `id` ("sha256:<hex>" of
// its bytes) and the gateway returns the bytes inline or as an artifact. Naming bytes by their hash
// keeps output_hash cheap and independent of how they are delivered.
struct OutputBlob {
    std::string id;
    std::string media_type;
    std::shared_ptr<const std::string> bytes;
};

class PartialResult {
public:
    virtual ~PartialResult() = default;
    // Folds the next range's result into this one (ranges arrive in unit order).
    virtual void merge(const PartialResult& next) = 0;
    // The shard result that result_hash covers (hashed as JCS canonical JSON).
    virtual nlohmann::json canonical() const = 0;
    // The public output, once every unit has been merged, members in documented order.
    virtual nlohmann::ordered_json output() const = 0;
    // The blobs output() names, once every unit has been merged.
    virtual std::vector<OutputBlob> output_blobs() const { return {}; }
};

class Workload {
public:
    virtual ~Workload() = default;
    virtual std::uint64_t unit_count() const = 0;
    virtual std::uint64_t unit_size() const = 0;
    // Iterations (or the family's unit of work) in [first_unit, first_unit + count).
    virtual std::uint64_t work_in(std::uint64_t first_unit, std::uint64_t count) const = 0;
    virtual std::unique_ptr<PartialResult> run(std::uint64_t first_unit, std::uint64_t count) const = 0;
    // Kernel name -> version string; a version changes whenever output bits could change.
    virtual std::map<std::string, std::string> kernel_versions() const = 0;
    // The round after this one, built from this round's fully merged result; nullptr when this round
    // was the last, and its merged result holds the output. Runs on an agent thread.
    virtual std::shared_ptr<const Workload> next_round(const PartialResult& merged) const {
        static_cast<void>(merged);
        return nullptr;
    }
};

}  // namespace forgehive::hub
