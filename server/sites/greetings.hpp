/// @file
/// The built-in greetings: one per language, as the original exercise served them.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace socketlab::server {

/// A language a greeting site can speak.
struct greeting {
  std::string_view code;  ///< language tag used on the command line: "en", "fr", ...
  std::string_view name;  ///< the language's name in English, for start-up lines and --help
  std::string_view text;  ///< the greeting, UTF-8, without a line end
};

/// Every built-in greeting, in a stable order (the original three first).
/// @return the table
[[nodiscard]] std::span<const greeting> greetings() noexcept;

/// The greeting for a language code, compared case-insensitively ("FR" finds "fr").
/// @param code e.g. "es"
/// @return the greeting, or nothing for an unknown code
[[nodiscard]] std::optional<greeting> find_greeting(std::string_view code) noexcept;

}  // namespace socketlab::server
