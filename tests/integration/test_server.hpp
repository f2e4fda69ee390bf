// Integration-test harness: starts the real `forgehive` binary on an ephemeral port with a private
// data dir, runs its CLI, and speaks raw HTTP/1.1 over TCP sockets (so tests control every byte
// and every pause).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace forgehive::testing {

using namespace std::chrono_literals;

struct CliResult {
    int exit_code = -1;
    std::string out;  // stdout and stderr together
};

// Runs `forgehive ARGS...` to completion.
CliResult run_cli(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {});
std::string forgehive_bin();
std::string source_dir();

class TempDir {
public:
    TempDir();
    ~TempDir();
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

struct ServerSpec {
    std::string config_toml;                    // written to a file and passed as --config when non-empty
    std::map<std::string, std::string> env;     // extra environment variables
    std::vector<std::string> extra_args;
    std::string data_dir;  // a data dir that outlives the process (restart tests); default: private temp dir
};

inline ServerSpec with_config(std::string toml, std::map<std::string, std::string> env = {}) {
    ServerSpec spec;
    spec.config_toml = std::move(toml);
    spec.env = std::move(env);
    return spec;
}

class ServerProcess {
public:
    // Starts `forgehive serve --listen 127.0.0.1:0 --data-dir <tmp>` and waits for "listening on".
    explicit ServerProcess(const ServerSpec& spec = {});
    ~ServerProcess();

    int port() const { return port_; }
    // The server's process id (for /proc/<pid>/status), -1 once it has exited.
    pid_t pid() const { return pid_; }
    // The directory holding the server's data dir ("<data_dir()>/data" unless ServerSpec.data_dir is set).
    const std::string& data_dir() const { return data_.path(); }
    const std::string& store_dir() const { return store_dir_; }
    std::string log() const;
    // Sends `signal` and waits up to `timeout` for exit; returns the exit status (or -1 on timeout).
    int stop(int signal, std::chrono::milliseconds timeout = 30s);
    bool running();
    // Waits until the log contains `text`.
    bool wait_for_log(const std::string& text, std::chrono::milliseconds timeout = 10s) const;
    // Creates a project and returns a fresh token for it.
    std::string make_token(const std::string& project, long credits = 0) const;

private:
    TempDir data_;
    std::string store_dir_;
    std::string log_path_;
    pid_t pid_ = -1;
    int port_ = 0;
};

struct HttpResponse {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string header(const std::string& name) const;  // case-insensitive; empty when absent
};

// A raw TCP connection to 127.0.0.1:port.
class Connection {
public:
    explicit Connection(int port);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    void send(const std::string& bytes);
    // Reads one response (status line, headers, Content-Length body); nullopt on EOF/timeout first.
    std::optional<HttpResponse> read_response(std::chrono::milliseconds timeout = 10s);
    // True when the server closed the connection (EOF or reset) within `timeout`.
    bool closed_by_peer(std::chrono::milliseconds timeout = 10s);

private:
    bool fill(std::chrono::steady_clock::time_point deadline);
    int fd_ = -1;
    std::string buffer_;
};

// A project's credit balance, read with `forgehive project list`; -1 when absent.
long project_credits(const std::string& store_dir, const std::string& project);

// One request on a fresh connection: "GET /healthz" plus optional headers and body.
HttpResponse request(int port, const std::string& method, const std::string& target,
                     const std::vector<std::pair<std::string, std::string>>& headers = {},
                     const std::string& body = "");

}  // namespace forgehive::testing
