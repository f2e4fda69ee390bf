// RAII wrappers for an SQLite connection and a prepared statement. Untrusted values only ever reach
// SQLite through bind(), never through SQL text (DESIGN.md §5).
#pragma once

#include <cstdint>
#include <optional>
#include <sqlite3.h>
#include <string>
#include <string_view>

#include "forgehive/store/store.hpp"

namespace forgehive::store {

[[noreturn]] void throw_sqlite(sqlite3* db, int rc, std::string_view what);

class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::string_view value);
    // Advances to the next row; false when done. Throws StoreError on failure.
    bool step();
    // Runs to completion, for statements without rows.
    void run();
    void reset();

    std::int64_t column_int(int index) const;
    std::string column_text(int index) const;
    std::optional<std::string> column_optional_text(int index) const;

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace forgehive::store
