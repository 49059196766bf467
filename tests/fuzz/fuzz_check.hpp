/// @file
/// What every fuzz target shares: the entry point libFuzzer calls, an invariant check that aborts
/// (so libFuzzer, and the corpus replay, report the input), and a reader that takes the choices a
/// target makes (limits, split points) from the front of the fuzz data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

/// The fuzz target: called with each input, by libFuzzer or by replay_main.cpp.
/// @param data the input's bytes
/// @param size how many
/// @return 0 (libFuzzer reserves other values)
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace socketlab::fuzz {

/// Aborts with @p what when @p holds is false: an invariant, not an assert, so that it is checked
/// in every build type (NDEBUG included), and libFuzzer keeps the input that broke it.
/// @param holds the invariant
/// @param what the invariant in words, printed before aborting
inline void check(bool holds, const char* what) {
  if (holds) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::fflush(stderr);
  std::abort();
}

/// Takes a target's choices off the front of the fuzz data; the rest is the input proper. When the
/// data runs out, every choice is 0, so a short input still means something.
class input {
 public:
  /// @param data the fuzz data
  /// @param size its length
  input(const std::uint8_t* data, std::size_t size) noexcept
      : rest_(reinterpret_cast<const char*>(data), size) {}  // NOLINT: bytes as chars

  /// @return the next byte, or 0 when none is left
  std::uint8_t byte() noexcept {
    if (rest_.empty()) return 0;
    const auto b = static_cast<std::uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    return b;
  }

  /// @param n how many bytes to take (fewer when fewer are left)
  /// @return the next @p n bytes
  std::string_view bytes(std::size_t n) noexcept {
    const auto taken = rest_.substr(0, n);
    rest_.remove_prefix(taken.size());
    return taken;
  }

  /// @return the next 8 bytes as a big-endian number (missing bytes count as 0)
  std::uint64_t u64() noexcept {
    std::uint64_t value = 0;
    for (int i = 0; i < 8; ++i)
      value = (value << 8) | byte();
    return value;
  }

  /// @return everything not taken yet
  [[nodiscard]] std::string_view rest() const noexcept { return rest_; }

 private:
  std::string_view rest_;  ///< what is left
};

}  // namespace socketlab::fuzz
