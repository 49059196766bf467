/// @file
/// Small helpers the socketlab::net tests share.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace socketlab::net::test {

/// True when @p text contains @p part (Catch2 v2 and v3 name their substring matcher differently).
inline bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

/// The message of the std::invalid_argument that @p parse throws, or "" when it throws none.
template <typename Parse>
std::string error_of(Parse parse) {
  try {
    parse();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return {};
}

}  // namespace socketlab::net::test
