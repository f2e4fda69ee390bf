// The Hive key commands of the real `forgehive` binary: keygen, pubkey, sign, delegate and
// principal add|list|revoke, checked against libsodium through forgehive's crypto module, against an
// independent signer (PyNaCl, tests/fixtures/hive/ed25519_sign.py) and against the delegation gate.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fcntl.h>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "support/temp_dir.hpp"

#include "forgehive/crypto/ed25519.hpp"
#include "forgehive/crypto/hash.hpp"
#include "forgehive/crypto/hex.hpp"
#include "forgehive/crypto/jcs.hpp"
#include "forgehive/hive/delegation.hpp"

namespace forgehive::testing {
namespace {

using nlohmann::json;

// Debian's interpreter, where python3-nacl is installed (a PATH python may be another one).
constexpr const char* kPython = "/usr/bin/python3";

struct ProcessResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string trim(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
    return text;
}

// Runs `argv` to completion with `input` on stdin; stdout and stderr are kept apart.
ProcessResult run_process(const TempDir& dir, std::vector<std::string> argv, const std::string& input = "") {
    const auto in = dir.write("stdin", input);
    const auto out = (dir.path() / "stdout").string();
    const auto err = (dir.path() / "stderr").string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, in.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("posix_spawn failed for " + argv[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return ProcessResult{WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), read_file(out),
                         read_file(err)};
}

class CliTest : public ::testing::Test {
protected:
    ProcessResult cli(std::vector<std::string> args, const std::string& input = "") {
        args.insert(args.begin(), FORGEHIVE_TEST_BIN);
        return run_process(io_, std::move(args), input);
    }

    // A new key file; returns its public key hex as printed by keygen.
    std::string keygen(const std::string& name) {
        const auto result = cli({"keygen", "--out", key_path(name)});
        EXPECT_EQ(result.exit_code, 0) << result.err;
        return trim(result.out);
    }

    std::string key_path(const std::string& name) const { return (keys_.path() / name).string(); }
    std::string data_dir() const { return (keys_.path() / "data").string(); }

    TempDir keys_;
    TempDir io_;
};

const char* kRequest = R"({
  "requester_pk": "PK",
  "h3_cell": "871e8052affffff",
  "steps": [{"id": "ask", "type": "inference", "messages": [{"role": "user", "content": "Caff\u00e8 vicino?"}]}],
  "budget_gns": 0.01
})";

std::string request_for(const std::string& pk) {
    std::string text = kRequest;
    text.replace(text.find("PK"), 2, pk);
    return text;
}

bool verifies(const std::string& message, const std::string& signature_hex, const std::string& pk_hex) {
    const auto signature = crypto::from_hex(signature_hex);
    const auto pk = crypto::from_hex(pk_hex);
    return signature && pk && crypto::verify(message, *signature, *pk);
}

TEST_F(CliTest, KeygenWritesAPrivateKeyFileAndPrintsThePublicKey) {
    const auto pk = keygen("alice.key");
    EXPECT_TRUE(hive::is_ed25519_public_key_hex(pk)) << pk;
    EXPECT_EQ(pk.size(), 64u);
    EXPECT_EQ(mode_of(key_path("alice.key")), 0600u);
    const auto key = crypto::load_secret_key(key_path("alice.key"));
    EXPECT_EQ(crypto::to_hex(key.public_key.data(), key.public_key.size()), pk);

    const auto pubkey = cli({"pubkey", "--key", key_path("alice.key")});
    EXPECT_EQ(pubkey.exit_code, 0);
    EXPECT_EQ(trim(pubkey.out), pk);
}

TEST_F(CliTest, KeygenRefusesToOverwrite) {
    const auto pk = keygen("alice.key");
    const auto again = cli({"keygen", "--out", key_path("alice.key")});
    EXPECT_EQ(again.exit_code, 1);
    EXPECT_NE(again.err.find("exists"), std::string::npos) << again.err;
    EXPECT_EQ(trim(cli({"pubkey", "--key", key_path("alice.key")}).out), pk);
}

TEST_F(CliTest, SignatureVerifiesOverTheCanonicalRequestWithoutSignature) {
    const auto pk = keygen("agent.key");
    const auto signed_run = cli({"sign", "--key", key_path("agent.key")}, request_for(pk));
    ASSERT_EQ(signed_run.exit_code, 0) << signed_run.err;
    const auto signature = trim(signed_run.out);
    EXPECT_EQ(signature.size(), 128u);
    const auto canonical = crypto::canonicalize(crypto::parse_strict(request_for(pk)));
    EXPECT_TRUE(verifies(canonical, signature, pk));
    EXPECT_FALSE(verifies(canonical + " ", signature, pk));
}

TEST_F(CliTest, SignatureIgnoresWhitespaceKeyOrderAndAnExistingSignature) {
    const auto pk = keygen("agent.key");
    const auto first = trim(cli({"sign", "--key", key_path("agent.key")}, request_for(pk)).out);
    // Same object: members reordered, no whitespace, a stale signature member, é written raw.
    const std::string reordered =
        R"({"signature":"00","budget_gns":1e-2,"steps":[{"type":"inference","messages":[{"content":"Caffè vicino?",)"
        R"("role":"user"}],"id":"ask"}],"h3_cell":"871e8052affffff","requester_pk":")" +
        pk + "\"}";
    const auto second = cli({"sign", "--key", key_path("agent.key")}, reordered);
    ASSERT_EQ(second.exit_code, 0) << second.err;
    EXPECT_EQ(trim(second.out), first);
}

TEST_F(CliTest, SetSignaturePrintsTheSignedRequest) {
    const auto pk = keygen("agent.key");
    const auto signature = trim(cli({"sign", "--key", key_path("agent.key")}, request_for(pk)).out);
    const auto with = cli({"sign", "--key", key_path("agent.key"), "--set-signature"}, request_for(pk));
    ASSERT_EQ(with.exit_code, 0) << with.err;
    auto request = crypto::parse_strict(with.out);
    EXPECT_EQ(request["signature"], signature);
    request.erase("signature");
    EXPECT_EQ(request, crypto::parse_strict(request_for(pk)));
}

TEST_F(CliTest, SignRefusesWhatJcsCannotRepresent) {
    keygen("agent.key");
    for (const char* bad : {R"({"a":1,"a":2})", R"({"a":"\ud800"})", "[1,2]", "{", R"({"a":1e400})"}) {
        const auto result = cli({"sign", "--key", key_path("agent.key")}, bad);
        EXPECT_EQ(result.exit_code, 1) << bad;
        EXPECT_TRUE(result.out.empty()) << bad;
    }
}

// PyNaCl, given the same seed and the same JCS bytes, produces the identical signature (Ed25519 is
// deterministic), so the CLI signs exactly the canonical bytes with the key in the file.
TEST_F(CliTest, SignAgreesWithAnIndependentSigner) {
    const auto pk = keygen("agent.key");
    const auto seed = trim(read_file(key_path("agent.key")));
    const auto canonical = crypto::canonicalize(crypto::parse_strict(request_for(pk)));
    const auto script = std::string(FORGEHIVE_TEST_SOURCE_DIR) + "/tests/fixtures/hive/ed25519_sign.py";
    const auto python = run_process(io_, {kPython, script, seed}, canonical);
    ASSERT_EQ(python.exit_code, 0) << "python3-nacl is required (scripts/install-deps): " << python.err;
    std::istringstream lines(python.out);
    std::string python_pk, python_signature;
    lines >> python_pk >> python_signature;
    EXPECT_EQ(python_pk, pk);
    EXPECT_EQ(trim(cli({"sign", "--key", key_path("agent.key")}, request_for(pk)).out), python_signature);
}

TEST_F(CliTest, DelegatedCertificatePassesTheGate) {
    const auto principal = keygen("principal.key");
    const auto agent = keygen("agent.key");
    const auto result = cli({"delegate", "--key", key_path("principal.key"), "--subject", agent, "--steps",
                             "inference,tile_render", "--max-budget", "0.05", "--not-before", "2025-06-01T00:00:00Z",
                             "--expires", "2025-07-01T00:00:00Z", "--cells", "861e8052fffffff"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 1);
    const auto cert = crypto::parse_strict(result.out);
    EXPECT_EQ(trim(result.out), crypto::canonicalize(cert));
    EXPECT_EQ(cert["issuer"], principal);
    EXPECT_EQ(cert["subject"], agent);
    EXPECT_EQ(cert["scope"]["max_budget_gns"], 0.05);
    EXPECT_EQ(cert["expires"], "2025-07-01T00:00:00Z");

    const hive::DelegationRequest request{
        agent, {"inference"}, 10'000'000, "871e8052affffff", *hive::parse_rfc3339_utc("2025-06-15T00:00:00Z")};
    const auto outcome = hive::check_delegation(
        json::array({cert}), request, hive::DelegationPolicy{}, [&](const std::string& pk) { return pk == principal; },
        [](const std::string& scope_cell, const std::string& cell) {
            return scope_cell == cell || (scope_cell == "861e8052fffffff" && cell == "871e8052affffff");
        });
    EXPECT_EQ(outcome.principal_pk, principal);
    EXPECT_EQ(outcome.chain_length, 1u);
}

TEST_F(CliTest, DelegateDefaultsNotBeforeToNow) {
    keygen("principal.key");
    const auto agent = keygen("agent.key");
    const auto before = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const auto result = cli({"delegate", "--key", key_path("principal.key"), "--subject", agent, "--steps", "inference",
                             "--max-budget", "1", "--expires", "2261-01-01T00:00:00Z"});
    const auto after = std::chrono::system_clock::now();
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const auto not_before = hive::parse_rfc3339_utc(crypto::parse_strict(result.out)["not_before"].get<std::string>());
    ASSERT_TRUE(not_before);
    EXPECT_GE(*not_before, before);
    EXPECT_LE(*not_before, after);
}

TEST_F(CliTest, PrincipalAddListRevoke) {
    const auto alice = keygen("alice.key");
    const auto bob = keygen("bob.key");
    auto added = cli({"principal", "add", "--data-dir", data_dir(), "--pk", alice, "--name", "Alice Rossi"});
    ASSERT_EQ(added.exit_code, 0) << added.err;
    EXPECT_NE(added.out.find(alice), std::string::npos);
    std::string upper_bob = bob;
    for (auto& c : upper_bob) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    ASSERT_EQ(cli({"principal", "add", "--data-dir", data_dir(), "--pk", upper_bob, "--name", "Bob"}).exit_code, 0);

    const auto duplicate = cli({"principal", "add", "--data-dir", data_dir(), "--pk", alice, "--name", "Again"});
    EXPECT_EQ(duplicate.exit_code, 1);
    EXPECT_NE(duplicate.err.find("already registered"), std::string::npos) << duplicate.err;

    auto list = cli({"principal", "list", "--data-dir", data_dir()});
    ASSERT_EQ(list.exit_code, 0);
    EXPECT_NE(list.out.find(alice), std::string::npos);
    EXPECT_NE(list.out.find(bob), std::string::npos);  // stored in lower case
    EXPECT_NE(list.out.find("Alice Rossi"), std::string::npos);
    EXPECT_LT(list.out.find(alice), list.out.find(bob));

    const auto revoked = cli({"principal", "revoke", "--data-dir", data_dir(), "--pk", alice});
    ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
    EXPECT_NE(revoked.out.find("revoked at"), std::string::npos);
    list = cli({"principal", "list", "--data-dir", data_dir()});
    const auto alice_line =
        list.out.substr(list.out.find(alice), list.out.find('\n', list.out.find(alice)) - list.out.find(alice));
    const auto bob_line =
        list.out.substr(list.out.find(bob), list.out.find('\n', list.out.find(bob)) - list.out.find(bob));
    EXPECT_EQ(alice_line.find(" - "), std::string::npos) << alice_line;  // a revocation time, not "-"
    EXPECT_NE(bob_line.find(" - "), std::string::npos) << bob_line;

    const auto stranger = keygen("stranger.key");
    EXPECT_EQ(cli({"principal", "revoke", "--data-dir", data_dir(), "--pk", stranger}).exit_code, 1);
}

TEST_F(CliTest, UsageErrorsExitTwo) {
    const auto agent = keygen("agent.key");
    const std::string key = key_path("agent.key");
    const std::vector<std::vector<std::string>> cases = {
        {"keygen"},
        {"pubkey", "--key", key_path("missing.key")},
        {"sign"},
        {"delegate", "--key", key, "--subject", agent, "--steps", "inference", "--max-budget", "0.05"},
        {"delegate", "--key", key, "--subject", "abcd", "--steps", "inference", "--max-budget", "0.05", "--expires",
         "2030-01-01T00:00:00Z"},
        {"delegate", "--key", key, "--subject", agent, "--steps", "inference", "--max-budget", "0.0000000001",
         "--expires", "2030-01-01T00:00:00Z"},
        {"delegate", "--key", key, "--subject", agent, "--steps", "inference", "--max-budget", "0.05", "--expires",
         "2030-01-01"},
        {"delegate", "--key", key, "--subject", agent, "--steps", "Not A Step", "--max-budget", "0.05", "--expires",
         "2030-01-01T00:00:00Z"},
        {"delegate", "--key", key, "--subject", agent, "--steps", "inference", "--max-budget", "0.05", "--not-before",
         "2030-01-02T00:00:00Z", "--expires", "2030-01-01T00:00:00Z"},
        {"principal"},
        {"principal", "add", "--data-dir", data_dir(), "--pk", agent},
        {"principal", "add", "--data-dir", data_dir(), "--pk", std::string(64, 'f'), "--name", "x"},
        {"principal", "add", "--data-dir", data_dir(), "--pk", agent, "--name", ""},
        {"principal", "revoke", "--data-dir", data_dir()},
    };
    for (const auto& args : cases) {
        const auto result = cli(args);
        std::string joined;
        for (const auto& a : args) joined += a + " ";
        EXPECT_EQ(result.exit_code, 2) << joined << "\n" << result.err;
        EXPECT_TRUE(result.out.empty()) << joined << "\n" << result.out;  // errors go to stderr
    }
}

}  // namespace
}  // namespace forgehive::testing
