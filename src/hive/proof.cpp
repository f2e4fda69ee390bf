// Job proofs: Merkle leaves from response steps, inclusion paths, the worker's signature, and the
// offline check behind `forgehive proof verify`.
#include "forgehive/hive/proof.hpp"

#include <fmt/format.h>

#include "forgehive/crypto/hash.hpp"
#include "forgehive/crypto/hex.hpp"
#include "forgehive/crypto/jcs.hpp"
#include "forgehive/crypto/merkle.hpp"

namespace forgehive::hive {
namespace {

std::string hex(const crypto::Sha256Digest& digest) { return crypto::to_hex(digest.data(), digest.size()); }

std::optional<crypto::Sha256Digest> digest_from_hex(const nlohmann::json& value) {
    if (!value.is_string()) return std::nullopt;
    auto bytes = crypto::from_hex(value.get<std::string>());
    if (!bytes || bytes->size() != 32) return std::nullopt;
    crypto::Sha256Digest out;
    std::copy(bytes->begin(), bytes->end(), out.begin());
    return out;
}

std::vector<crypto::Sha256Digest> leaf_hashes(const nlohmann::json& steps) {
    std::vector<crypto::Sha256Digest> out;
    for (const auto& step : steps) out.push_back(crypto::merkle_leaf_hash(step_leaf_bytes(step)));
    return out;
}

const nlohmann::json& member(const nlohmann::json& object, const char* name) {
    static const nlohmann::json null_value;
    return object.is_object() && object.contains(name) ? object[name] : null_value;
}

void check_signature(const nlohmann::json& document, const nlohmann::json& proof, std::size_t tree_size,
                     std::vector<std::string>& problems) {
    auto key = member(document, "worker_pk").is_string() ? crypto::from_hex(document["worker_pk"].get<std::string>()) : std::nullopt;
    auto signature = member(proof, "signature").is_string() ? crypto::from_hex(proof["signature"].get<std::string>()) : std::nullopt;
    const auto& job_id = member(document, "job_id");
    if (!key || key->size() != 32) return problems.push_back("worker_pk is missing or not 64 hex digits");
    if (!signature || !job_id.is_string()) return problems.push_back("proof.signature or job_id is missing or malformed");
    auto statement = proof_statement(job_id.get<std::string>(), proof["job_hash"].get<std::string>(), tree_size);
    if (!crypto::verify(statement, *signature, *key)) problems.push_back("proof.signature does not verify under worker_pk");
}

void check_paths(const nlohmann::json& leaves, const std::vector<crypto::Sha256Digest>& hashes,
                 const crypto::Sha256Digest& root, std::vector<std::string>& problems) {
    if (!leaves.is_array() || leaves.size() != hashes.size())
        return problems.push_back(fmt::format("leaves must list one entry per step ({})", hashes.size()));
    for (std::size_t i = 0; i < hashes.size(); ++i) {
        auto claimed = digest_from_hex(member(leaves[i], "leaf_hash"));
        std::vector<crypto::Sha256Digest> path;
        for (const auto& node : member(leaves[i], "path")) {
            if (auto d = digest_from_hex(node)) path.push_back(*d);
        }
        if (!claimed || *claimed != hashes[i]) problems.push_back(fmt::format("leaves[{}].leaf_hash does not match steps[{}]", i, i));
        if (!crypto::merkle_verify_inclusion(hashes[i], i, hashes.size(), path, root))
            problems.push_back(fmt::format("leaves[{}].path does not lead to job_hash", i));
    }
}

}  // namespace

std::string step_leaf_bytes(const nlohmann::json& step) {
    nlohmann::json leaf = {{"id", member(step, "id")}, {"type", member(step, "type")},
                           {"status", member(step, "status")}, {"output", member(step, "output")}};
    return crypto::canonicalize(leaf);
}

JobProof build_proof(const nlohmann::json& steps) {
    auto hashes = leaf_hashes(steps);
    JobProof proof{hex(crypto::merkle_root(hashes)), {}};
    for (std::size_t i = 0; i < hashes.size(); ++i) {
        ProofLeaf leaf{steps[i]["id"].get<std::string>(), hex(hashes[i]), {}};
        for (const auto& node : crypto::merkle_inclusion_path(hashes, i)) leaf.path.push_back(hex(node));
        proof.leaves.push_back(std::move(leaf));
    }
    return proof;
}

std::string proof_statement(const std::string& job_id, const std::string& job_hash_hex, std::size_t tree_size) {
    nlohmann::json statement = {{"algorithm", kProofAlgorithm}, {"job_hash", job_hash_hex}, {"job_id", job_id},
                                {"tree_size", tree_size}};
    return crypto::canonicalize(statement);
}

std::string sign_proof(const std::string& job_id, const std::string& job_hash_hex, std::size_t tree_size,
                       const crypto::KeyPair& worker) {
    auto signature = crypto::sign(proof_statement(job_id, job_hash_hex, tree_size), worker);
    return crypto::to_hex(signature.data(), signature.size());
}

std::vector<std::string> verify_saved_proof(const nlohmann::json& document) {
    std::vector<std::string> problems;
    const auto& steps = member(document, "steps");
    const auto& proof = document.contains("proof") ? document["proof"] : document;
    if (!steps.is_array() || steps.empty()) return {"the document has no steps array"};
    auto hashes = leaf_hashes(steps);
    auto root = crypto::merkle_root(hashes);
    auto claimed = digest_from_hex(member(proof, "job_hash"));
    if (!claimed) return {"proof.job_hash is missing or not 64 hex digits"};
    if (*claimed != root)
        problems.push_back(fmt::format("job_hash {} differs from the root recomputed from the steps, {}", hex(*claimed), hex(root)));
    check_signature(document, proof, hashes.size(), problems);
    if (document.contains("leaves")) check_paths(document["leaves"], hashes, root, problems);
    return problems;
}

}  // namespace forgehive::hive
