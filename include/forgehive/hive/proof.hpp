// The proof of a Hive job (docs/hive-proofs.md): an RFC 6962 Merkle tree with one leaf per step, in
// request order, each leaf the JCS canonical {id, type, status, output}; the root is the job_hash,
// signed by the worker key with the tree size and the job id.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "forgehive/crypto/ed25519.hpp"

namespace forgehive::hive {

inline constexpr std::string_view kProofAlgorithm = "rfc6962-sha256/jcs-step-leaves/v1";

// The bytes hashed into a step's leaf: JCS of {id, type, status, output} taken from a response step.
std::string step_leaf_bytes(const nlohmann::json& step);

struct ProofLeaf {
    std::string step_id;
    std::string leaf_hash;          // hex
    std::vector<std::string> path;  // RFC 6962 §2.1.1 audit path, hex, leaf to root
};

struct JobProof {
    std::string job_hash;  // hex Merkle root
    std::vector<ProofLeaf> leaves;
};

// `steps` is the response's steps array.
JobProof build_proof(const nlohmann::json& steps);

// What the worker signs: JCS of {algorithm, job_hash, job_id, tree_size}. The tree size is signed
// with the root because an audit path alone does not fix it (RFC 9162 §2.1.3.2 accepts some paths
// for more than one size), and the job id so a signature cannot be moved to another job.
std::string proof_statement(const std::string& job_id, const std::string& job_hash_hex, std::size_t tree_size);
// The worker's Ed25519 signature of proof_statement, hex.
std::string sign_proof(const std::string& job_id, const std::string& job_hash_hex, std::size_t tree_size,
                       const crypto::KeyPair& worker);

// Checks a saved response (POST or GET /v1/compute) offline: the leaves recomputed from `steps`, the
// root against proof.job_hash, and proof.signature of proof_statement under worker_pk. Also accepts the proof document of
// GET /v1/compute/{id}/proof with its `steps`, checking every inclusion path. Returns the problems
// found; empty means the proof holds.
std::vector<std::string> verify_saved_proof(const nlohmann::json& document);

}  // namespace forgehive::hive
