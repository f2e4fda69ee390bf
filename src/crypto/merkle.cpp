// RFC 6962 Merkle tree hashing and inclusion proofs, written from RFC 6962 §2.1 / §2.1.1 and the
// verification algorithm of RFC 9162 §2.1.3.2.
#include "forgehive/crypto/merkle.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <stdexcept>
#include <string>

namespace forgehive::crypto {
namespace {

constexpr char kLeafPrefix = '\x00';
constexpr char kNodePrefix = '\x01';

// The size of the left subtree of a tree of n > 1 leaves: the largest power of two strictly below n.
std::size_t split_point(std::size_t n) { return std::bit_floor(n - 1); }

}  // namespace

Sha256Digest merkle_leaf_hash(std::string_view data) {
    std::string message;
    message.reserve(data.size() + 1);
    message.push_back(kLeafPrefix);
    message.append(data);
    return sha256(message);
}

Sha256Digest merkle_node_hash(const Sha256Digest& left, const Sha256Digest& right) {
    std::array<char, 1 + 2 * sizeof(Sha256Digest)> message{};
    message[0] = kNodePrefix;
    std::copy(left.begin(), left.end(), message.begin() + 1);
    std::copy(right.begin(), right.end(), message.begin() + 1 + left.size());
    return sha256(std::string_view(message.data(), message.size()));
}

Sha256Digest merkle_root(std::span<const Sha256Digest> leaf_hashes) {
    const std::size_t n = leaf_hashes.size();
    if (n == 0) return sha256("");
    if (n == 1) return leaf_hashes[0];
    const std::size_t k = split_point(n);
    return merkle_node_hash(merkle_root(leaf_hashes.first(k)), merkle_root(leaf_hashes.subspan(k)));
}

std::vector<Sha256Digest> merkle_inclusion_path(std::span<const Sha256Digest> leaf_hashes, std::size_t index) {
    if (index >= leaf_hashes.size())
        throw std::out_of_range(fmt::format("merkle_inclusion_path: leaf index {} is outside a tree of {} leaves",
                                            index, leaf_hashes.size()));
    // Descend from the root to the leaf, recording the sibling subtree at each level; the path lists
    // them leaf first, so the descent's order is reversed at the end.
    std::vector<Sha256Digest> path;
    std::span<const Sha256Digest> tree = leaf_hashes;
    std::size_t m = index;
    while (tree.size() > 1) {
        const std::size_t k = split_point(tree.size());
        if (m < k) {
            path.push_back(merkle_root(tree.subspan(k)));
            tree = tree.first(k);
        } else {
            path.push_back(merkle_root(tree.first(k)));
            tree = tree.subspan(k);
            m -= k;
        }
    }
    return {path.rbegin(), path.rend()};
}

bool merkle_verify_inclusion(const Sha256Digest& leaf_hash, std::size_t index, std::size_t tree_size,
                             std::span<const Sha256Digest> path, const Sha256Digest& root) {
    if (index >= tree_size) return false;
    // fn walks the leaf's position up the tree and sn the last leaf's; where they meet on a right edge
    // with nothing to their right, that level has no sibling and is skipped.
    std::size_t fn = index;
    std::size_t sn = tree_size - 1;
    Sha256Digest r = leaf_hash;
    for (const Sha256Digest& p : path) {
        if (sn == 0) return false;  // path longer than the tree is tall
        if ((fn & 1) != 0 || fn == sn) {
            r = merkle_node_hash(p, r);
            while ((fn & 1) == 0 && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            r = merkle_node_hash(r, p);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && r == root;
}

}  // namespace forgehive::crypto
