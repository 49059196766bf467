/// @file
/// An allocator for an asynchronous operation that waits long: its memory is its own size.
#pragma once

#include <cstddef>

namespace socketlab::net {

/// Memory of exactly @p bytes: a block this thread freed of that very size if one is kept, else
/// new memory (see exact_allocator).
/// @param bytes the size
/// @return the memory
[[nodiscard]] void* allocate_exact(std::size_t bytes);

/// Frees what allocate_exact() gave, or keeps it for this thread's next allocation of its size.
/// @param p the memory
/// @param bytes its size, as given to allocate_exact()
void deallocate_exact(void* p, std::size_t bytes) noexcept;

/// An allocator for asio::bind_allocator() whose blocks are exactly the size asked for. Asio
/// allocates an operation's memory from blocks it recycles per thread unless the handler names
/// an allocator of its own; a recycled block fits whatever used it last (an accept, a coroutine's
/// frame: often twice the size of a wait). For a wait that lasts as long as an idle connection (a
/// parked read, a deadline's timer), that is memory held for nothing, ten thousand times over.
/// This allocator is not std::allocator, so Asio uses it, and the wait costs exactly its size.
/// Like Asio's, it keeps a few freed blocks per thread, each for the next allocation of its exact
/// size: a kept-alive connection parked after every request reuses the last one's block.
/// @tparam T what it allocates
template <typename T>
struct exact_allocator {
  using value_type = T;  ///< what it allocates

  exact_allocator() noexcept = default;
  /// The same allocator for another type (Asio rebinds it to its operation's type).
  template <typename U>
  exact_allocator(const exact_allocator<U>& /*other*/) noexcept {}  // NOLINT(google-explicit-constructor)

  /// @param n how many objects
  /// @return memory for them
  [[nodiscard]] T* allocate(std::size_t n) { return static_cast<T*>(allocate_exact(n * sizeof(T))); }
  /// @param p what allocate() gave
  /// @param n how many objects it was for
  void deallocate(T* p, std::size_t n) noexcept { deallocate_exact(p, n * sizeof(T)); }

  /// Every exact_allocator frees what any other allocated.
  /// @return true
  template <typename U>
  bool operator==(const exact_allocator<U>& /*other*/) const noexcept {
    return true;
  }
};

}  // namespace socketlab::net
