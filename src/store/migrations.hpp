// Versioned schema migrations: each runs once, in order, inside its own transaction, and is recorded
// in schema_migrations. Published migrations are never edited; changes are new versions.
#pragma once

#include <sqlite3.h>

namespace forgehive::store {

// Applies every migration newer than the database's version; returns the resulting version.
int migrate(sqlite3* db);

}  // namespace forgehive::store
