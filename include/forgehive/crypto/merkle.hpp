// RFC 6962 Merkle tree hashes over SHA-256: leaf and node hashes, the tree head, inclusion paths and their
// verification (RFC 9162 §2.1.3.2), as used by Hive job proofs (one leaf per step).
#pragma once

#include "forgehive/crypto/hash.hpp"

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace forgehive::crypto {

// SHA-256(0x00 || data): the hash of one leaf entry (RFC 6962 §2.1). The prefixes keep a leaf from ever
// being taken for an interior node (second-preimage resistance).
Sha256Digest merkle_leaf_hash(std::string_view data);

// SHA-256(0x01 || left || right): the hash of an interior node.
Sha256Digest merkle_node_hash(const Sha256Digest& left, const Sha256Digest& right);

// MTH(D[n]) of RFC 6962 §2.1 over already hashed leaves: the left subtree holds the largest power of two
// strictly below n leaves. The empty tree's hash is SHA-256("").
Sha256Digest merkle_root(std::span<const Sha256Digest> leaf_hashes);

// PATH(m, D[n]) of RFC 6962 §2.1.1: the sibling hashes from leaf `index` up to the root, nearest first.
// Throws std::out_of_range when index >= leaf_hashes.size().
std::vector<Sha256Digest> merkle_inclusion_path(std::span<const Sha256Digest> leaf_hashes, std::size_t index);

// True when `path` proves that `leaf_hash` is leaf `index` of the tree of `tree_size` leaves whose root is
// `root` (RFC 9162 §2.1.3.2). False for index >= tree_size, a path of the wrong length or any other mismatch.
bool merkle_verify_inclusion(const Sha256Digest& leaf_hash, std::size_t index, std::size_t tree_size,
                             std::span<const Sha256Digest> path, const Sha256Digest& root);

}  // namespace forgehive::crypto
