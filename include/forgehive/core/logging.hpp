// Logger set-up: spdlog to stderr, as plain text or as JSON lines (one object per line).
#pragma once

#include <string>

namespace forgehive::core {

// level: trace|debug|info|warn|error|critical|off; format: text|json. Replaces the default logger.
void setup_logging(const std::string& level, const std::string& format);

}  // namespace forgehive::core
