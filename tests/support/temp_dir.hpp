// Test support: a private temporary directory removed with its contents at the end of the test,
// and a file-mode helper.
#pragma once

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <stdlib.h>
#include <string>
#include <sys/stat.h>

namespace forgehive::testing {

class TempDir {
public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "forgehive-test-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }

    // Writes `content` to a file in the directory and returns its path.
    std::string write(const std::string& name, const std::string& content) const {
        auto file = path_ / name;
        std::ofstream(file, std::ios::binary) << content;
        return file.string();
    }

private:
    std::filesystem::path path_;
};

// Permission bits of `path` (0777 mask), or 0xFFFFFFFF when it cannot be stat'ed.
inline unsigned mode_of(const std::filesystem::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return 0xFFFFFFFFu;
    return static_cast<unsigned>(st.st_mode) & 0777u;
}

}  // namespace forgehive::testing
