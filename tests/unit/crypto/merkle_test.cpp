// Unit tests for the RFC 6962 Merkle tree: the Certificate Transparency reference vectors, the independent
// hashlib reference (tests/fixtures/crypto/make_merkle_fixtures.py), tampering, and round trips to 70 leaves.
#include "forgehive/crypto/merkle.hpp"

#include "forgehive/crypto/hex.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace forgehive::crypto {
namespace {

using nlohmann::json;

std::string hex(const Sha256Digest& d) { return to_hex(d.data(), d.size()); }

Sha256Digest digest(std::string_view text) {
    auto bytes = from_hex(text);
    if (!bytes || bytes->size() != 32) throw std::invalid_argument("not a 32-byte hex digest");
    Sha256Digest out{};
    std::copy(bytes->begin(), bytes->end(), out.begin());
    return out;
}

std::vector<Sha256Digest> digests(const std::vector<std::string>& texts) {
    std::vector<Sha256Digest> out;
    for (const auto& t : texts) out.push_back(digest(t));
    return out;
}

// The Certificate Transparency reference leaves and tree heads, as published in transparency-dev/merkle
// (testonly/constants.go) and certificate-transparency-go (merkletree_test.go).
const std::vector<std::string> kCtLeafInputs = {
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"};
const std::vector<std::string> kCtRoots = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",  // empty tree
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

std::vector<Sha256Digest> ct_leaf_hashes() {
    std::vector<Sha256Digest> out;
    for (const auto& input : kCtLeafInputs) {
        auto bytes = from_hex(input);
        out.push_back(merkle_leaf_hash(std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size())));
    }
    return out;
}

json load_fixture() {
    const auto path = std::filesystem::path(FORGEHIVE_TEST_SOURCE_DIR) / "tests/fixtures/crypto/merkle_fixtures.json";
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path.string());
    return json::parse(in);
}

std::vector<Sha256Digest> synthetic_leaf_hashes(std::size_t n) {
    std::vector<Sha256Digest> out;
    for (std::size_t i = 0; i < n; ++i) out.push_back(merkle_leaf_hash("synthetic leaf " + std::to_string(i)));
    return out;
}

// ---- Hashes and roots ------------------------------------------------------------------------------

TEST(MerkleHash, LeafAndNodePrefixes) {
    // SHA-256 of the single byte 0x00 is the leaf hash of the empty entry.
    EXPECT_EQ(hex(merkle_leaf_hash("")), "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    const auto leaves = ct_leaf_hashes();
    EXPECT_EQ(hex(leaves[1]), "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7");
    EXPECT_EQ(hex(merkle_node_hash(leaves[0], leaves[1])), kCtRoots[2]);
    EXPECT_NE(merkle_node_hash(leaves[0], leaves[1]), merkle_node_hash(leaves[1], leaves[0]));
}

TEST(MerkleRoot, EmptyTreeIsSha256OfNothing) {
    EXPECT_EQ(hex(merkle_root({})), kCtRoots[0]);
    EXPECT_EQ(merkle_root({}), sha256(""));
}

TEST(MerkleRoot, MatchesCertificateTransparencyReferenceRoots) {
    const auto leaves = ct_leaf_hashes();
    for (std::size_t n = 0; n <= leaves.size(); ++n)
        EXPECT_EQ(hex(merkle_root(std::span(leaves).first(n))), kCtRoots[n]) << "size " << n;
}

TEST(MerkleRoot, MatchesIndependentHashlibReference) {
    const json fixture = load_fixture();
    const auto leaves = ct_leaf_hashes();
    ASSERT_EQ(fixture["ct_leaf_hashes"].size(), leaves.size());
    for (std::size_t i = 0; i < leaves.size(); ++i) EXPECT_EQ(hex(leaves[i]), fixture["ct_leaf_hashes"][i]);
    ASSERT_EQ(fixture["ct_roots"].size(), kCtRoots.size());
    for (std::size_t n = 0; n < kCtRoots.size(); ++n) EXPECT_EQ(fixture["ct_roots"][n], kCtRoots[n]);

    const auto& roots = fixture["synthetic_roots"];
    ASSERT_EQ(roots.size(), 70u);
    const auto synthetic = synthetic_leaf_hashes(70);
    for (std::size_t n = 1; n <= 70; ++n)
        EXPECT_EQ(hex(merkle_root(std::span(synthetic).first(n))), roots[n - 1]) << "size " << n;
}

// ---- Inclusion paths -------------------------------------------------------------------------------

TEST(MerkleInclusion, PublishedReferencePaths) {
    // transparency-dev/merkle proof/verify_test.go (there numbered from 1: leaf 1 is index 0).
    struct Case {
        std::size_t index, size;
        std::vector<std::string> path;
    };
    const std::vector<Case> cases = {
        {0, 1, {}},
        {0, 8,
         {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
        {5, 8,
         {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
          "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
        {2, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
        {1, 5,
         {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
    };
    const auto leaves = ct_leaf_hashes();
    for (const auto& c : cases) {
        const auto tree = std::span(leaves).first(c.size);
        EXPECT_EQ(merkle_inclusion_path(tree, c.index), digests(c.path)) << c.index << " of " << c.size;
        EXPECT_TRUE(merkle_verify_inclusion(leaves[c.index], c.index, c.size, digests(c.path), digest(kCtRoots[c.size])));
    }
}

TEST(MerkleInclusion, EveryPathUpToEightMatchesHashlibAndVerifies) {
    const json fixture = load_fixture();
    const auto leaves = ct_leaf_hashes();
    ASSERT_EQ(fixture["ct_paths"].size(), 36u);  // 1 + 2 + ... + 8
    for (const auto& entry : fixture["ct_paths"]) {
        const std::size_t index = entry["index"];
        const std::size_t size = entry["size"];
        const auto expected = digests(entry["path"].get<std::vector<std::string>>());
        const auto path = merkle_inclusion_path(std::span(leaves).first(size), index);
        EXPECT_EQ(path, expected) << index << " of " << size;
        EXPECT_TRUE(merkle_verify_inclusion(leaves[index], index, size, path, digest(kCtRoots[size])))
            << index << " of " << size;
    }
}

TEST(MerkleInclusion, IndexOutsideTheTreeThrows) {
    const auto leaves = ct_leaf_hashes();
    EXPECT_THROW(merkle_inclusion_path(std::span(leaves).first(3), 3), std::out_of_range);
    EXPECT_THROW(merkle_inclusion_path({}, 0), std::out_of_range);
}

TEST(MerkleInclusion, RoundTripsEveryLeafOfEverySizeToSeventy) {
    const auto leaves = synthetic_leaf_hashes(70);
    for (std::size_t n = 1; n <= 70; ++n) {
        const auto tree = std::span(leaves).first(n);
        const auto root = merkle_root(tree);
        const auto height = static_cast<std::size_t>(std::bit_width(n - 1));  // ceil(log2 n)
        for (std::size_t i = 0; i < n; ++i) {
            const auto path = merkle_inclusion_path(tree, i);
            EXPECT_LE(path.size(), height) << i << " of " << n;
            EXPECT_TRUE(merkle_verify_inclusion(tree[i], i, n, path, root)) << i << " of " << n;
            // Another leaf of the same tree never verifies at this position with this path.
            if (n > 1) {
                EXPECT_FALSE(merkle_verify_inclusion(tree[(i + 1) % n], i, n, path, root)) << i << " of " << n;
            }
        }
    }
}

// ---- Tampering -------------------------------------------------------------------------------------

// Every way of changing a valid proof for (index, size) that must make verification fail, after the
// corruptions transparency-dev/merkle's tests apply.
void expect_tampering_rejected(const std::vector<Sha256Digest>& leaves, std::size_t index, std::size_t size) {
    const auto tree = std::span(leaves).first(size);
    const auto root = merkle_root(tree);
    const auto leaf = tree[index];
    const auto path = merkle_inclusion_path(tree, index);
    const auto verify = [&](const Sha256Digest& l, std::size_t i, std::size_t n, const std::vector<Sha256Digest>& p,
                            const Sha256Digest& r) { return merkle_verify_inclusion(l, i, n, p, r); };
    SCOPED_TRACE(testing::Message() << "index " << index << " of " << size);
    ASSERT_TRUE(verify(leaf, index, size, path, root));

    Sha256Digest wrong_leaf = leaf;
    wrong_leaf[31] ^= 1;
    EXPECT_FALSE(verify(wrong_leaf, index, size, path, root));
    EXPECT_FALSE(verify(leaf, index, size, path, sha256("")));
    EXPECT_FALSE(verify(leaf, index, size, path, wrong_leaf));

    for (std::size_t wrong_index : {index - 1, index + 1, index ^ 2, std::numeric_limits<std::size_t>::max()}) {
        if (wrong_index != index) {
            EXPECT_FALSE(verify(leaf, wrong_index, size, path, root)) << "index " << wrong_index;
        }
    }
    // Sizes one apart can share the path's shape (see SizeIsBoundOnlyWithTheRoot), so only these must fail.
    for (std::size_t wrong_size : {size * 2, size / 2, std::size_t{0}}) {
        if (wrong_size != size) {
            EXPECT_FALSE(verify(leaf, index, wrong_size, path, root)) << "size " << wrong_size;
        }
    }

    auto extended = path;
    extended.push_back(root);
    EXPECT_FALSE(verify(leaf, index, size, extended, root));
    auto prepended = path;
    prepended.insert(prepended.begin(), leaf);
    EXPECT_FALSE(verify(leaf, index, size, prepended, root));
    for (std::size_t i = 0; i < path.size(); ++i) {
        auto flipped = path;
        flipped[i][0] ^= 8;
        EXPECT_FALSE(verify(leaf, index, size, flipped, root)) << "flipped path[" << i << "]";
    }
    if (!path.empty()) {
        auto truncated = path;
        truncated.pop_back();
        EXPECT_FALSE(verify(leaf, index, size, truncated, root));
    }
    if (path.size() > 1) {
        auto swapped = path;
        std::swap(swapped[0], swapped[1]);
        EXPECT_FALSE(verify(leaf, index, size, swapped, root));
    }
}

TEST(MerkleInclusion, TamperedLeafPathIndexOrSizeIsRejected) {
    const auto leaves = ct_leaf_hashes();
    for (std::size_t size = 1; size <= 8; ++size)
        for (std::size_t index = 0; index < size; ++index) expect_tampering_rejected(leaves, index, size);
}

TEST(MerkleInclusion, SizeIsBoundOnlyWithTheRoot) {
    // Leaf 4's path in the 8-leaf tree hashes the same way when read as a path in a 7-leaf tree, so it
    // "verifies" there too: the path and root alone do not fix the tree size, which is why whoever signs
    // the root must sign the size with it (RFC 6962's signed tree head carries both).
    const auto leaves = ct_leaf_hashes();
    const auto path = merkle_inclusion_path(leaves, 4);
    const auto root = merkle_root(leaves);
    EXPECT_TRUE(merkle_verify_inclusion(leaves[4], 4, 8, path, root));
    EXPECT_TRUE(merkle_verify_inclusion(leaves[4], 4, 7, path, root));
    EXPECT_NE(merkle_inclusion_path(std::span(leaves).first(7), 4), path);
}

TEST(MerkleInclusion, EmptyTreeProvesNothing) {
    const auto leaf = merkle_leaf_hash("");
    EXPECT_FALSE(merkle_verify_inclusion(leaf, 0, 0, {}, merkle_root({})));
    EXPECT_FALSE(merkle_verify_inclusion(leaf, 0, 0, {}, leaf));
}

}  // namespace
}  // namespace forgehive::crypto
