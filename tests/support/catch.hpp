/// @file
/// One include for Catch2 v3 (where installed) or v2 (Debian 12, Ubuntu 22.04).
#pragma once

#include <string>

#if SOCKETLAB_CATCH2_MAJOR >= 3
#include <catch2/catch_all.hpp>
#else
#include <catch2/catch.hpp>
#endif

namespace socketlab::test {

/// A matcher for "the string contains @p text", named differently in Catch2 v2 and v3.
/// @param text the substring
/// @return the matcher
inline auto contains(const std::string& text) {
#if SOCKETLAB_CATCH2_MAJOR >= 3
  return Catch::Matchers::ContainsSubstring(text);
#else
  return Catch::Matchers::Contains(text);
#endif
}

/// Catch's Approx ("== Approx(0.3).margin(0.02)"): Catch::Approx in v3, Catch::Detail::Approx in v2.
#if SOCKETLAB_CATCH2_MAJOR >= 3
using Catch::Approx;
#else
using Catch::Detail::Approx;
#endif

}  // namespace socketlab::test
