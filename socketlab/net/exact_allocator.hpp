/// @file
/// An allocator for an asynchronous operation that waits long: its memory is its own size.
#pragma once

#include <cstddef>
#include <new>

namespace socketlab::net {

/// std::allocator under another name, for asio::bind_allocator(). Asio allocates an operation's
/// memory from blocks it recycles per thread unless the handler names an allocator of its own;
/// a recycled block fits whatever used it last (an accept, a coroutine's frame: often twice the
/// size of a wait). For a wait that lasts as long as an idle connection (a parked read, a
/// deadline's timer), that is memory held for nothing, ten thousand times over. This allocator
/// is not std::allocator, so Asio uses it, and the wait costs exactly its size.
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
  [[nodiscard]] T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T))); }
  /// @param p what allocate() gave
  /// @param n how many objects it was for
  void deallocate(T* p, std::size_t /*n*/) noexcept { ::operator delete(p); }

  /// Every exact_allocator frees what any other allocated.
  /// @return true
  template <typename U>
  bool operator==(const exact_allocator<U>& /*other*/) const noexcept {
    return true;
  }
};

}  // namespace socketlab::net
