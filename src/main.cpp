// The `forgehive` command line: serve, project and token administration.
// Exit codes: 0 success, 1 operation failed, 2 usage or configuration error.
#include <CLI/CLI.hpp>
#include <csignal>
#include <fmt/format.h>
#include <iostream>
#include <spdlog/spdlog.h>

#include "forgehive/app/app.hpp"
#include "forgehive/core/api_error.hpp"
#include "forgehive/core/config.hpp"
#include "forgehive/core/logging.hpp"
#include "forgehive/crypto/secrets.hpp"
#include "forgehive/gateway/tokens.hpp"
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

int run(int argc, char** argv) {
    CLI::App cli{"forgehive: a deterministic compute gateway (Forge Pool Execute API and Hive Unified Compute API)"};
    cli.require_subcommand(1);
    int (*action)(const AdminArgs&) = nullptr;
    ServeArgs serve_args;
    AdminArgs admin;

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
