// Ed25519 over libsodium's crypto_sign_* API, plus the seed file format for signing keys.
#include "forgehive/crypto/ed25519.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <stdexcept>
#include <string>

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "forgehive/crypto/hash.hpp"
#include "forgehive/crypto/hex.hpp"
#include "forgehive/crypto/secrets.hpp"

namespace forgehive::crypto {

static_assert(crypto_sign_PUBLICKEYBYTES == 32 && crypto_sign_SECRETKEYBYTES == 64 &&
              crypto_sign_BYTES == 64 && crypto_sign_SEEDBYTES == 32);

namespace {

// A key file is 64 hex digits plus a newline; anything much larger is not a key file, and the bound
// keeps a mistaken path (a log, a device) from being read into memory.
constexpr std::size_t kMaxKeyFileBytes = 4096;

[[noreturn]] void fail_file(const std::string& path, const std::string& what) {
    throw std::runtime_error("secret key file " + path + ": " + what);
}

std::string errno_text(int err) { return std::strerror(err); }

std::string octal_mode(mode_t mode) { return fmt::format("0{:o}", static_cast<unsigned>(mode & 07777)); }

// Closes a descriptor on every path out of a function, so errors need no manual cleanup.
class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }
    int release() {
        const int fd = fd_;
        fd_ = -1;
        return fd;
    }

private:
    int fd_;
};

}  // namespace

KeyPair generate_keypair() {
    init_sodium();
    KeyPair key;
    if (crypto_sign_keypair(key.public_key.data(), key.secret_key.data()) != 0)
        throw std::runtime_error("crypto_sign_keypair failed");
    return key;
}

KeyPair keypair_from_seed(std::span<const std::uint8_t, 32> seed) {
    init_sodium();
    KeyPair key;
    if (crypto_sign_seed_keypair(key.public_key.data(), key.secret_key.data(), seed.data()) != 0)
        throw std::runtime_error("crypto_sign_seed_keypair failed");
    return key;
}

std::array<std::uint8_t, 64> sign(std::string_view message, const KeyPair& key) {
    init_sodium();
    std::array<std::uint8_t, 64> signature{};
    if (crypto_sign_detached(signature.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                             message.size(), key.secret_key.data()) != 0)
        throw std::runtime_error("crypto_sign_detached failed");
    return signature;
}

bool verify(std::string_view message, std::span<const std::uint8_t> signature,
            std::span<const std::uint8_t> public_key) {
    if (signature.size() != crypto_sign_BYTES || public_key.size() != crypto_sign_PUBLICKEYBYTES) return false;
    try {
        init_sodium();
    } catch (const std::exception&) {
        return false;  // verification must not throw; without libsodium nothing can be verified
    }
    // libsodium (not built with ED25519_COMPAT) checks S < L, R and A not of small order and A
    // canonically encoded before the cofactorless equation [S]B = R + [k]A.
    return crypto_sign_verify_detached(signature.data(), reinterpret_cast<const unsigned char*>(message.data()),
                                       message.size(), public_key.data()) == 0;
}

void save_secret_key(const std::string& path, const KeyPair& key) {
    init_sodium();
    // O_EXCL: never replace an existing key (losing it would orphan whatever it signed) and never
    // write through a pre-planted file or symlink; O_NOFOLLOW refuses a symlink in the last component.
    Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (fd.get() < 0) {
        const int err = errno;
        if (err == EEXIST) fail_file(path, "already exists; refusing to overwrite a key");
        fail_file(path, "cannot create: " + errno_text(err));
    }
    std::string text;
    auto fail_and_remove = [&](const std::string& what) {
        sodium_memzero(text.data(), text.size());
        ::close(fd.release());
        ::unlink(path.c_str());
        fail_file(path, what);
    };
    // The umask may have cleared owner bits; the mode must be exactly 0600 whatever the umask.
    if (::fchmod(fd.get(), 0600) != 0) fail_and_remove("cannot set mode 0600: " + errno_text(errno));

    std::array<std::uint8_t, crypto_sign_SEEDBYTES> seed{};
    crypto_sign_ed25519_sk_to_seed(seed.data(), key.secret_key.data());
    text = to_hex(seed.data(), seed.size()) + "\n";
    sodium_memzero(seed.data(), seed.size());

    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd.get(), text.data() + written, text.size() - written);
        if (n >= 0)
            written += static_cast<std::size_t>(n);
        else if (errno != EINTR)
            fail_and_remove("write failed: " + errno_text(errno));
    }
    // A key that silently vanished in a crash would be worse than a slow save.
    if (::fsync(fd.get()) != 0) fail_and_remove("fsync failed: " + errno_text(errno));
    if (::close(fd.release()) != 0) {
        const int err = errno;
        sodium_memzero(text.data(), text.size());
        ::unlink(path.c_str());
        fail_file(path, "close failed: " + errno_text(err));
    }
    sodium_memzero(text.data(), text.size());
}

KeyPair load_secret_key(const std::string& path) {
    init_sodium();
    // Symlinks are followed (deployments commonly mount secrets that way); the checks below apply to
    // the file actually opened, through fstat on its descriptor, so there is no check/use race.
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (fd.get() < 0) fail_file(path, "cannot open: " + errno_text(errno));
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) fail_file(path, "cannot stat: " + errno_text(errno));
    if (!S_ISREG(st.st_mode)) fail_file(path, "not a regular file");
    if ((st.st_mode & 077) != 0)
        fail_file(path, "mode " + octal_mode(st.st_mode) +
                            " lets group or others access the key; it must be 0600 or 0400 (chmod 600)");
    if (static_cast<std::size_t>(st.st_size) > kMaxKeyFileBytes)
        fail_file(path, "too large to be a key file (" + std::to_string(st.st_size) + " bytes)");

    std::string text(kMaxKeyFileBytes + 1, '\0');
    std::size_t got = 0;
    while (got < text.size()) {
        const ssize_t n = ::read(fd.get(), text.data() + got, text.size() - got);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int err = errno;
            sodium_memzero(text.data(), text.size());
            fail_file(path, "read failed: " + errno_text(err));
        }
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    std::string_view content(text.data(), got);
    while (!content.empty() && (content.back() == '\n' || content.back() == '\r' || content.back() == ' ' ||
                                content.back() == '\t'))
        content.remove_suffix(1);

    auto seed = content.size() == 2 * crypto_sign_SEEDBYTES ? from_hex(content) : std::nullopt;
    sodium_memzero(text.data(), text.size());
    if (!seed) fail_file(path, "expected 64 hex digits (a 32-byte Ed25519 seed)");
    KeyPair key = keypair_from_seed(std::span<const std::uint8_t, 32>(seed->data(), 32));
    sodium_memzero(seed->data(), seed->size());
    return key;
}

}  // namespace forgehive::crypto
