// The `forgehive` command line: serve, project and token administration, Hive keys, signatures,
// delegation certificates and principals.
// Exit codes: 0 success, 1 operation failed, 2 usage or configuration error.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <csignal>
#include <fstream>
#include <fmt/format.h>
#include <iostream>
#include <iterator>
#include <spdlog/spdlog.h>
#include <stdexcept>

#include "forgehive/app/app.hpp"
#include "forgehive/core/api_error.hpp"
#include "forgehive/core/config.hpp"
#include "forgehive/core/logging.hpp"
#include "forgehive/crypto/ed25519.hpp"
#include "forgehive/crypto/hash.hpp"
#include "forgehive/crypto/jcs.hpp"
#include "forgehive/crypto/secrets.hpp"
#include "forgehive/gateway/tokens.hpp"
#include "forgehive/hive/delegation.hpp"
#include "forgehive/hive/gns.hpp"
#include "forgehive/hive/proof.hpp"
#include "forgehive/store/sqlite_store.hpp"

extern char** environ;

namespace {

using namespace forgehive;

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

struct ServeArgs {
    std::string config_file;
    std::string listen;
    std::string data_dir;
};

struct AdminArgs {
    std::string data_dir = "./var";
    std::string name;
    std::string project;
    std::int64_t credits = 0;
    std::int64_t token_id = 0;
    std::string public_key;
};

// Hive keys, signatures and delegation certificates (docs/hive-delegation.md).
struct KeyArgs {
    std::string key_file;
    std::string subject;
    std::vector<std::string> steps;
    std::string max_budget;
    std::string not_before;
    std::string expires;
    std::vector<std::string> cells;
    bool set_signature = false;
    std::string proof_file;
};

std::vector<std::string> environment() {
    std::vector<std::string> out;
    for (char** e = environ; *e; ++e) out.emplace_back(*e);
    return out;
}

core::Config load_config(const ServeArgs& args) {
    core::Config config;
    if (!args.config_file.empty()) core::apply_toml_file(config, args.config_file);
    core::apply_environment(config, environment());
    if (!args.listen.empty()) core::apply_override(config, "server.listen", args.listen);
    if (!args.data_dir.empty()) core::apply_override(config, "store.data_dir", args.data_dir);
    core::validate(config);
    return config;
}

int serve(const ServeArgs& args) {
    auto config = load_config(args);
    core::setup_logging(config.log_level, config.log_format);
    crypto::init_sodium();
    std::signal(SIGPIPE, SIG_IGN);
    app::App app(config);
    app.listen();
    app.run();
    return 0;
}

std::unique_ptr<store::Store> open_store(const AdminArgs& args) { return store::open_sqlite_store({args.data_dir}); }

int project_create(const AdminArgs& args) {
    gateway::validate_project_name(args.name);
    auto store = open_store(args);
    auto project = store->create_project(args.name);
    std::cout << fmt::format("created project {} (id {})\n", project.name, project.id);
    return 0;
}

int project_list(const AdminArgs& args) {
    auto store = open_store(args);
    std::cout << fmt::format("{:<6} {:<24} {:>14} {}\n", "ID", "NAME", "CREDITS", "CREATED");
    for (const auto& p : store->list_projects())
        std::cout << fmt::format("{:<6} {:<24} {:>14} {}\n", p.id, p.name, p.credits, p.created_at);
    return 0;
}

int token_create(const AdminArgs& args) {
    auto store = open_store(args);
    auto issued = gateway::issue_token(*store, args.project, args.credits);
    std::cout << fmt::format("token {} for project {} (prefix fpak_{}); {} credits added\n", issued.record.id,
                             issued.record.project_name, issued.record.prefix, args.credits);
    std::cout << "store it now: it is never shown again\n";
    std::cout << issued.token << "\n";
    return 0;
}

int token_list(const AdminArgs& args) {
    auto store = open_store(args);
    std::optional<std::int64_t> project_id;
    if (!args.project.empty()) {
        auto project = store->find_project(args.project);
        if (!project) throw store::StoreError(store::StoreError::Kind::not_found, "no project named '" + args.project + "'");
        project_id = project->id;
    }
    std::cout << fmt::format("{:<6} {:<24} {:<18} {:<26} {}\n", "ID", "PROJECT", "PREFIX", "CREATED", "REVOKED");
    for (const auto& t : store->list_tokens(project_id))
        std::cout << fmt::format("{:<6} {:<24} {:<18} {:<26} {}\n", t.id, t.project_name, "fpak_" + t.prefix,
                                 t.created_at, t.revoked_at.value_or("-"));
    return 0;
}

int token_revoke(const AdminArgs& args) {
    auto store = open_store(args);
    auto token = store->revoke_token(args.token_id);
    std::cout << fmt::format("token {} (prefix {}) revoked at {}\n", token.id, token.prefix, *token.revoked_at);
    return 0;
}

void add_data_dir(CLI::App* command, AdminArgs& args) {
    command->add_option("--data-dir", args.data_dir, "Data directory holding forgehive.db")->capture_default_str();
}

std::string public_key_hex(const crypto::KeyPair& key) {
    return crypto::to_hex(key.public_key.data(), key.public_key.size());
}

std::string lower_case(std::string text) {
    for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

int keygen(const KeyArgs& args) {
    crypto::init_sodium();
    const auto key = crypto::generate_keypair();
    crypto::save_secret_key(args.key_file, key);
    std::cout << public_key_hex(key) << "\n";
    return 0;
}

int pubkey(const KeyArgs& args) {
    std::cout << public_key_hex(crypto::load_secret_key(args.key_file)) << "\n";
    return 0;
}

int delegate(const KeyArgs& args) {
    const auto key = crypto::load_secret_key(args.key_file);
    const auto not_before = args.not_before.empty()
                                ? std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())
                                : *hive::parse_rfc3339_utc(args.not_before);
    hive::DelegationScope scope{args.steps, hive::gns_from_text(args.max_budget, "--max-budget"), std::nullopt};
    if (!args.cells.empty()) scope.h3_cells = args.cells;
    try {
        auto cert =
            hive::make_delegation_cert(key, args.subject, scope, not_before, *hive::parse_rfc3339_utc(args.expires));
        std::cout << crypto::canonicalize(cert) << "\n";
    } catch (const std::invalid_argument& e) {
        std::cerr << "forgehive: delegate: " << e.what() << "\n";
        return kExitUsage;
    }
    return 0;
}

// Signs what a Hive server verifies: the JCS form of the request object without its "signature".
int sign(const KeyArgs& args) {
    const auto key = crypto::load_secret_key(args.key_file);
    auto request = crypto::parse_strict(std::string(std::istreambuf_iterator<char>(std::cin), {}));
    if (!request.is_object()) throw std::runtime_error("the request on stdin must be a JSON object");
    request.erase("signature");
    const auto signature = crypto::sign(crypto::canonicalize(request), key);
    const auto hex = crypto::to_hex(signature.data(), signature.size());
    if (!args.set_signature) {
        std::cout << hex << "\n";
        return 0;
    }
    request["signature"] = hex;
    std::cout << crypto::canonicalize(request) << "\n";
    return 0;
}

// Checks a saved /v1/compute response or proof document offline (docs/hive-proofs.md).
int proof_verify(const KeyArgs& args) {
    std::ifstream in(args.proof_file);
    auto document = nlohmann::json::parse(in, nullptr, false);
    if (document.is_discarded() || !document.is_object())
        throw std::runtime_error(fmt::format("{} does not hold a JSON object", args.proof_file));
    auto problems = hive::verify_saved_proof(document);
    for (const auto& problem : problems) std::cout << "proof FAILED: " << problem << "\n";
    if (!problems.empty()) return kExitFailure;
    const auto& proof = document.contains("proof") ? document["proof"] : document;
    std::cout << fmt::format("proof OK: job {}, {} steps, job_hash {}, signed by worker {}\n",
                             document.value("job_id", "?"), document["steps"].size(),
                             proof["job_hash"].get<std::string>(), document.value("worker_pk", "?"));
    return 0;
}

int principal_add(const AdminArgs& args) {
    auto store = open_store(args);
    auto principal = store->add_principal(lower_case(args.public_key), args.name);
    std::cout << fmt::format("added principal {} ({}, id {})\n", principal.public_key, principal.name, principal.id);
    return 0;
}

int principal_list(const AdminArgs& args) {
    auto store = open_store(args);
    std::cout << fmt::format("{:<6} {:<64} {:<26} {:<26} {}\n", "ID", "PUBLIC_KEY", "CREATED", "REVOKED", "NAME");
    for (const auto& p : store->list_principals())
        std::cout << fmt::format("{:<6} {:<64} {:<26} {:<26} {}\n", p.id, p.public_key, p.created_at,
                                 p.revoked_at.value_or("-"), p.name);
    return 0;
}

int principal_revoke(const AdminArgs& args) {
    auto store = open_store(args);
    auto principal = store->revoke_principal(lower_case(args.public_key));
    std::cout << fmt::format("principal {} ({}) revoked at {}\n", principal.public_key, principal.name,
                             *principal.revoked_at);
    return 0;
}

// Validators turn bad option values into usage errors (exit 2) before any command runs.
CLI::Validator public_key_check() {
    return CLI::Validator(
        [](std::string& value) {
            return hive::is_ed25519_public_key_hex(value) ? std::string()
                                                          : "must be 64 hex digits of a valid Ed25519 public key";
        },
        "HEX");
}

CLI::Validator rfc3339_check() {
    return CLI::Validator(
        [](std::string& value) {
            return hive::parse_rfc3339_utc(value) ? std::string()
                                                  : "must be an RFC 3339 UTC time such as 2025-06-01T12:00:00Z";
        },
        "RFC3339");
}

CLI::Validator gns_check() {
    return CLI::Validator(
        [](std::string& value) {
            try {
                hive::gns_from_text(value, "value");
                return std::string();
            } catch (const core::ApiError& e) {
                return e.message();
            }
        },
        "GNS");
}

CLI::Validator principal_name_check() {
    return CLI::Validator(
        [](std::string& value) {
            const auto control = [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; };
            const bool printable = std::none_of(value.begin(), value.end(), control);
            return !value.empty() && value.size() <= 128 && printable
                       ? std::string()
                       : "must be 1 to 128 characters without control characters";
        },
        "NAME");
}

void add_key_commands(CLI::App& cli, KeyArgs& args, int (*&action)(const KeyArgs&)) {
    auto* keygen_cmd =
        cli.add_subcommand("keygen", "Create an Ed25519 key (secret key file 0600); prints the public key");
    keygen_cmd->add_option("--out", args.key_file, "Secret key file to create (never overwritten)")->required();
    keygen_cmd->callback([&action] { action = keygen; });
    auto* pubkey_cmd = cli.add_subcommand("pubkey", "Print the public key of a secret key file");
    pubkey_cmd->add_option("--key", args.key_file, "Secret key file")->required()->check(CLI::ExistingFile);
    pubkey_cmd->callback([&action] { action = pubkey; });

    auto* delegate_cmd = cli.add_subcommand("delegate", "Sign a delegation certificate; prints its JSON on one line");
    delegate_cmd->add_option("--key", args.key_file, "Issuer's secret key file")->required()->check(CLI::ExistingFile);
    delegate_cmd->add_option("--subject", args.subject, "Subject's public key (64 hex)")
        ->required()
        ->check(public_key_check());
    delegate_cmd->add_option("--steps", args.steps, "Allowed step types, comma-separated")->required()->delimiter(',');
    delegate_cmd->add_option("--max-budget", args.max_budget, "Largest budget_gns allowed, in GNS")
        ->required()
        ->check(gns_check());
    delegate_cmd->add_option("--expires", args.expires, "End of validity (RFC 3339 UTC)")
        ->required()
        ->check(rfc3339_check());
    delegate_cmd->add_option("--not-before", args.not_before, "Start of validity (RFC 3339 UTC; default now)")
        ->check(rfc3339_check());
    delegate_cmd->add_option("--cells", args.cells, "H3 cells the subject may act in, comma-separated")->delimiter(',');
    delegate_cmd->callback([&action] { action = delegate; });

    auto* sign_cmd =
        cli.add_subcommand("sign", "Sign the JSON request on stdin (JCS without \"signature\"); prints the signature");
    sign_cmd->add_option("--key", args.key_file, "Secret key file")->required()->check(CLI::ExistingFile);
    sign_cmd->add_flag("--set-signature", args.set_signature, "Print the request with \"signature\" set instead");
    sign_cmd->callback([&action] { action = sign; });
}

void add_proof_commands(CLI::App& cli, KeyArgs& args, int (*&action)(const KeyArgs&)) {
    auto* proof = cli.add_subcommand("proof", "Hive job proofs")->require_subcommand(1);
    auto* verify_cmd = proof->add_subcommand("verify", "Check a saved /v1/compute response or proof document");
    verify_cmd->add_option("file", args.proof_file, "JSON file")->required()->check(CLI::ExistingFile);
    verify_cmd->callback([&action] { action = proof_verify; });
}

void add_principal_commands(CLI::App& cli, AdminArgs& args, int (*&action)(const AdminArgs&)) {
    auto* principal =
        cli.add_subcommand("principal", "Manage Hive principals (roots of delegation)")->require_subcommand(1);
    auto* add_cmd = principal->add_subcommand("add", "Register a principal's public key");
    add_cmd->add_option("--pk", args.public_key, "Public key (64 hex)")->required()->check(public_key_check());
    add_cmd->add_option("--name", args.name, "Name shown in listings")->required()->check(principal_name_check());
    add_data_dir(add_cmd, args);
    add_cmd->callback([&action] { action = principal_add; });
    auto* list_cmd = principal->add_subcommand("list", "List principals");
    add_data_dir(list_cmd, args);
    list_cmd->callback([&action] { action = principal_list; });
    auto* revoke_cmd = principal->add_subcommand("revoke", "Revoke a principal");
    revoke_cmd->add_option("--pk", args.public_key, "Public key (64 hex)")->required()->check(public_key_check());
    add_data_dir(revoke_cmd, args);
    revoke_cmd->callback([&action] { action = principal_revoke; });
}

int run(int argc, char** argv) {
    CLI::App cli{"forgehive: a deterministic compute gateway (Forge Pool Execute API and Hive Unified Compute API)"};
    cli.require_subcommand(1);
    int (*action)(const AdminArgs&) = nullptr;
    ServeArgs serve_args;
    AdminArgs admin;
    int (*key_action)(const KeyArgs&) = nullptr;
    KeyArgs keys;

    auto* serve_cmd = cli.add_subcommand("serve", "Run the HTTP server");
    serve_cmd->add_option("--config", serve_args.config_file, "TOML config file (see config/forgehive.toml)")
        ->check(CLI::ExistingFile);
    serve_cmd->add_option("--listen", serve_args.listen, "HOST:PORT to listen on (port 0 picks a free port)");
    serve_cmd->add_option("--data-dir", serve_args.data_dir, "Data directory (SQLite database)");

    auto* project = cli.add_subcommand("project", "Manage projects")->require_subcommand(1);
    auto* project_create_cmd = project->add_subcommand("create", "Create a project");
    project_create_cmd->add_option("name", admin.name, "Project name ([a-z0-9_-], up to 64)")->required();
    add_data_dir(project_create_cmd, admin);
    project_create_cmd->callback([&] { action = project_create; });
    auto* project_list_cmd = project->add_subcommand("list", "List projects");
    add_data_dir(project_list_cmd, admin);
    project_list_cmd->callback([&] { action = project_list; });

    auto* token = cli.add_subcommand("token", "Manage project API tokens")->require_subcommand(1);
    auto* token_create_cmd = token->add_subcommand("create", "Issue a token; prints it as the last line, once");
    token_create_cmd->add_option("--project", admin.project, "Project name")->required();
    token_create_cmd->add_option("--credits", admin.credits, "Credits to add to the project's balance")
        ->check(CLI::NonNegativeNumber);
    add_data_dir(token_create_cmd, admin);
    token_create_cmd->callback([&] { action = token_create; });
    auto* token_list_cmd = token->add_subcommand("list", "List tokens (ids and prefixes only)");
    token_list_cmd->add_option("--project", admin.project, "Only this project's tokens");
    add_data_dir(token_list_cmd, admin);
    token_list_cmd->callback([&] { action = token_list; });
    auto* token_revoke_cmd = token->add_subcommand("revoke", "Revoke a token by id");
    token_revoke_cmd->add_option("id", admin.token_id, "Token id (from token list)")->required();
    add_data_dir(token_revoke_cmd, admin);
    token_revoke_cmd->callback([&] { action = token_revoke; });

    add_key_commands(cli, keys, key_action);
    add_proof_commands(cli, keys, key_action);
    add_principal_commands(cli, admin, action);

    try {
        cli.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return cli.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return cli.exit(e);
    } catch (const CLI::ParseError& e) {
        cli.exit(e);
        return kExitUsage;
    }
    if (serve_cmd->parsed()) return serve(serve_args);
    if (key_action) return key_action(keys);
    return action(admin);
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const core::ConfigError& e) {
        std::cerr << "forgehive: configuration error: " << e.what() << "\n";
        return kExitUsage;
    } catch (const core::ApiError& e) {
        std::cerr << "forgehive: " << e.what() << "\n";
        return kExitUsage;
    } catch (const std::exception& e) {
        std::cerr << "forgehive: " << e.what() << "\n";
        return kExitFailure;
    }
}
