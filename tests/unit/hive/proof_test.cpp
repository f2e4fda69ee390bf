// Unit tests for job proofs: leaves, root, inclusion paths, signature, and the offline verifier.
#include "forgehive/hive/proof.hpp"

#include <gtest/gtest.h>

#include "forgehive/crypto/hash.hpp"
#include "forgehive/crypto/merkle.hpp"

namespace forgehive::hive {
namespace {

nlohmann::json steps(int n) {
    auto out = nlohmann::json::array();
    for (int i = 0; i < n; ++i)
        out.push_back({{"id", "s" + std::to_string(i)}, {"type", "sensor_fusion"}, {"status", "complete"},
                       {"output", {{"estimate", i}}}, {"latency_ms", 1.5 * i}});
    return out;
}

nlohmann::json saved_response(int n, const crypto::KeyPair& worker) {
    auto s = steps(n);
    auto proof = build_proof(s);
    return {{"job_id", "job-1"},
            {"worker_pk", crypto::to_hex(worker.public_key.data(), worker.public_key.size())},
            {"steps", s},
            {"proof", {{"job_hash", proof.job_hash}, {"signature", sign_proof("job-1", proof.job_hash, s.size(), worker)}}}};
}

TEST(Proof, LeafIsJcsOfIdTypeStatusOutputOnly) {
    auto s = steps(1)[0];
    EXPECT_EQ(step_leaf_bytes(s), R"({"id":"s0","output":{"estimate":0},"status":"complete","type":"sensor_fusion"})");
    s["latency_ms"] = 99;  // timing is not part of the proof
    EXPECT_EQ(step_leaf_bytes(s), step_leaf_bytes(steps(1)[0]));
}

TEST(Proof, RootAndPathsFollowRfc6962) {
    for (int n : {1, 2, 3, 5, 8}) {
        auto s = steps(n);
        auto proof = build_proof(s);
        std::vector<crypto::Sha256Digest> leaves;
        for (const auto& step : s) leaves.push_back(crypto::merkle_leaf_hash(step_leaf_bytes(step)));
        auto root = crypto::merkle_root(leaves);
        EXPECT_EQ(proof.job_hash, crypto::to_hex(root.data(), root.size()));
        ASSERT_EQ(proof.leaves.size(), static_cast<std::size_t>(n));
        for (std::size_t i = 0; i < leaves.size(); ++i) {
            std::vector<crypto::Sha256Digest> path;
            for (const auto& node : crypto::merkle_inclusion_path(leaves, i)) path.push_back(node);
            EXPECT_EQ(proof.leaves[i].path.size(), path.size());
            EXPECT_TRUE(crypto::merkle_verify_inclusion(leaves[i], i, leaves.size(), path, root));
        }
    }
}

TEST(Proof, VerifierAcceptsAGenuineResponseAndCatchesTampering) {
    auto worker = crypto::generate_keypair();
    auto response = saved_response(3, worker);
    EXPECT_TRUE(verify_saved_proof(response).empty());
    auto changed = response;
    changed["steps"][1]["output"]["estimate"] = 42;
    EXPECT_FALSE(verify_saved_proof(changed).empty());
    auto reordered = response;
    std::swap(reordered["steps"][0], reordered["steps"][2]);
    EXPECT_FALSE(verify_saved_proof(reordered).empty());
    auto forged = response;
    forged["worker_pk"] = crypto::to_hex(crypto::generate_keypair().public_key.data(), 32);
    auto problems = verify_saved_proof(forged);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0], "proof.signature does not verify under worker_pk");
    auto moved = response;
    moved["job_id"] = "job-other";  // a signature cannot be carried over to another job
    EXPECT_EQ(verify_saved_proof(moved), problems);
}

TEST(Proof, TheSignedStatementBindsTreeSizeAndJobId) {
    EXPECT_EQ(proof_statement("j", "ab", 3), R"({"algorithm":"rfc6962-sha256/jcs-step-leaves/v1","job_hash":"ab","job_id":"j","tree_size":3})");
}

TEST(Proof, VerifierChecksInclusionPathsOfAProofDocument) {
    auto worker = crypto::generate_keypair();
    auto s = steps(5);
    auto proof = build_proof(s);
    nlohmann::json leaves = nlohmann::json::array();
    for (const auto& leaf : proof.leaves) leaves.push_back({{"leaf_hash", leaf.leaf_hash}, {"path", leaf.path}});
    nlohmann::json document = {{"job_id", "job-2"}, {"worker_pk", crypto::to_hex(worker.public_key.data(), 32)},
                               {"steps", s}, {"job_hash", proof.job_hash},
                               {"signature", sign_proof("job-2", proof.job_hash, s.size(), worker)}, {"leaves", leaves}};
    EXPECT_TRUE(verify_saved_proof(document).empty());
    document["leaves"][3]["path"][0] = std::string(64, '0');
    auto problems = verify_saved_proof(document);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0], "leaves[3].path does not lead to job_hash");
}

}  // namespace
}  // namespace forgehive::hive
