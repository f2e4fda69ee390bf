// Process and socket plumbing for the integration tests (POSIX fork/exec, poll, raw sockets).
#include "test_server.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace forgehive::testing {
namespace {

namespace fs = std::filesystem;

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// fork + exec with stdout/stderr sent to `output_path`. The child gets the parent's environment
// plus `env`, minus inherited FORGEHIVE_* settings (tests choose their own).
pid_t spawn(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
            const std::string& output_path) {
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid > 0) return pid;
    int fd = ::open(output_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    std::vector<std::string> inherited;
    for (char** e = environ; *e; ++e)
        if (std::strncmp(*e, "FORGEHIVE_", 10) == 0) inherited.emplace_back(*e, std::strchr(*e, '=') - *e);
    for (const auto& name : inherited) ::unsetenv(name.c_str());
    for (const auto& [key, value] : env) ::setenv(key.c_str(), value.c_str(), 1);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
}

int wait_exit(pid_t pid, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int status = 0;
        pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (std::chrono::steady_clock::now() > deadline) return -1;
        std::this_thread::sleep_for(10ms);
    }
}

}  // namespace

std::string forgehive_bin() { return FORGEHIVE_TEST_BIN; }

std::string source_dir() { return FORGEHIVE_TEST_SOURCE_DIR; }

TempDir::TempDir() {
    std::string pattern = (fs::temp_directory_path() / "forgehive-test-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

CliResult run_cli(const std::vector<std::string>& args, const std::map<std::string, std::string>& env) {
    TempDir dir;
    auto output = dir.path() + "/out.txt";
    std::vector<std::string> argv{forgehive_bin()};
    argv.insert(argv.end(), args.begin(), args.end());
    pid_t pid = spawn(argv, env, output);
    int code = wait_exit(pid, 60s);
    return CliResult{code, read_file(output)};
}

ServerProcess::ServerProcess(const ServerSpec& spec) {
    log_path_ = data_.path() + "/server.log";
    store_dir_ = spec.data_dir.empty() ? data_.path() + "/data" : spec.data_dir;
    std::vector<std::string> args{forgehive_bin(), "serve", "--listen", "127.0.0.1:0", "--data-dir", store_dir_};
    if (!spec.config_toml.empty()) {
        auto config = data_.path() + "/forgehive.toml";
        std::ofstream(config) << spec.config_toml;
        args.push_back("--config");
        args.push_back(config);
    }
    args.insert(args.end(), spec.extra_args.begin(), spec.extra_args.end());
    // The Hive reference data lives in the source tree; a test's own env may point elsewhere.
    auto env = spec.env;
    env.emplace("FORGEHIVE_HIVE_BORDERS_FILE", source_dir() + "/data/borders/countries.geojson");
    env.emplace("FORGEHIVE_HIVE_JURISDICTIONS_FILE", source_dir() + "/config/jurisdictions.toml");
    pid_ = spawn(args, env, log_path_);
    // No std::regex: GCC 12 warns falsely inside it at -O1 with the sanitizers.
    constexpr std::string_view kListening = "listening on 127.0.0.1:";
    auto deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline) {
        auto text = log();
        auto at = text.find(kListening);
        if (at != std::string::npos && text.find('\n', at) != std::string::npos) {
            port_ = std::stoi(text.substr(at + kListening.size()));
            return;
        }
        if (!running()) throw std::runtime_error("server exited before listening:\n" + text);
        std::this_thread::sleep_for(20ms);
    }
    throw std::runtime_error("server did not start listening:\n" + log());
}

ServerProcess::~ServerProcess() {
    if (pid_ > 0 && running()) {
        ::kill(pid_, SIGKILL);
        wait_exit(pid_, 10s);
    }
}

std::string ServerProcess::log() const { return read_file(log_path_); }

bool ServerProcess::running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
    }
    return true;
}

int ServerProcess::stop(int signal, std::chrono::milliseconds timeout) {
    ::kill(pid_, signal);
    int code = wait_exit(pid_, timeout);
    if (code >= 0) pid_ = -1;
    return code;
}

bool ServerProcess::wait_for_log(const std::string& text, std::chrono::milliseconds timeout) const {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (log().find(text) != std::string::npos) return true;
        std::this_thread::sleep_for(20ms);
    }
    return false;
}

std::string ServerProcess::make_token(const std::string& project, long credits) const {
    const auto& data = store_dir_;
    run_cli({"project", "create", project, "--data-dir", data});
    auto result = run_cli({"token", "create", "--project", project, "--credits", std::to_string(credits),
                           "--data-dir", data});
    if (result.exit_code != 0) throw std::runtime_error("token create failed: " + result.out);
    auto trimmed = result.out.substr(0, result.out.find_last_not_of('\n') + 1);
    return trimmed.substr(trimmed.rfind('\n') + 1);
}

long project_credits(const std::string& store_dir, const std::string& project) {
    std::istringstream lines(run_cli({"project", "list", "--data-dir", store_dir}).out);
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream fields(line);
        std::string id, name;
        long credits = -1;
        if (fields >> id >> name >> credits && name == project) return credits;
    }
    return -1;
}

std::string HttpResponse::header(const std::string& name) const {
    for (const auto& [key, value] : headers)
        if (::strcasecmp(key.c_str(), name.c_str()) == 0) return value;
    return {};
}

Connection::Connection(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        throw std::runtime_error(std::string("connect failed: ") + std::strerror(errno));
}

Connection::~Connection() { ::close(fd_); }

void Connection::send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) throw std::runtime_error(std::string("send failed: ") + std::strerror(errno));
        sent += static_cast<std::size_t>(n);
    }
}

bool Connection::fill(std::chrono::steady_clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[16384];
    auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
}

std::optional<HttpResponse> Connection::read_response(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos)
        if (!fill(deadline)) return std::nullopt;
    std::istringstream head(buffer_.substr(0, end));
    HttpResponse response;
    std::string line, version;
    std::getline(head, line);
    std::istringstream(line) >> version >> response.status;
    while (std::getline(head, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        auto value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        response.headers.emplace_back(line.substr(0, colon), value);
    }
    buffer_.erase(0, end + 4);
    auto length_text = response.header("Content-Length");
    std::size_t length = length_text.empty() ? 0 : std::stoul(length_text);
    while (buffer_.size() < length)
        if (!fill(deadline)) return std::nullopt;
    response.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return response;
}

bool Connection::closed_by_peer(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        char chunk[4096];
        auto n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n <= 0) return true;
        buffer_.append(chunk, static_cast<std::size_t>(n));
    }
    return false;
}

HttpResponse request(int port, const std::string& method, const std::string& target,
                     const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body) {
    Connection c(port);
    std::string text = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    for (const auto& [k, v] : headers) text += k + ": " + v + "\r\n";
    if (!body.empty() || method == "POST") text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    text += "\r\n" + body;
    c.send(text);
    auto response = c.read_response();
    if (!response) throw std::runtime_error("no response to " + method + " " + target);
    return *response;
}

}  // namespace forgehive::testing
