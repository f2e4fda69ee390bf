// The SQLite implementation of Store: WAL journal, busy timeout, prepared statements, versioned
// migrations, data directory created with mode 0700.
#pragma once

#include <memory>
#include <string>

#include "forgehive/store/store.hpp"

namespace forgehive::store {

struct SqliteOptions {
    std::string data_dir;           // created (0700) when missing; the database is data_dir/forgehive.db
    int busy_timeout_ms = 5000;
};

std::unique_ptr<Store> open_sqlite_store(const SqliteOptions& options);

}  // namespace forgehive::store
