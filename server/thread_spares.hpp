/// @file
/// What a thread keeps for reuse between its connections: the memory an idle connection gives back.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "socketlab/net/per_thread.hpp"

namespace socketlab::server {

/// Up to @p Max objects of type @p T that this thread's connections are not using, each with the
/// memory its last use left it. A connection takes one when it needs it (a request begins, a
/// response is queued) and gives it back once it is idle: ten thousand idle keep-alive
/// connections hold none, and a busy connection's next request allocates nothing, as nginx
/// frees a request's memory between requests and keeps free buffers for the next. One list per
/// thread: no lock.
/// @tparam T a type whose move assignment does not throw (std::string, std::unique_ptr)
/// @tparam Max the most kept per thread
template <typename T, std::size_t Max = 16>
class thread_spares {
 public:
  /// Takes a spare into @p into, if there is one.
  /// @param into where it goes (its old value is dropped)
  /// @return whether one was taken
  static bool take(T& into) noexcept {
    auto* list = spares();
    if (!list || list->empty()) return false;
    into = std::move(list->back());
    list->pop_back();
    return true;
  }

  /// Keeps @p item for the next taker if there is room. Allocates nothing but the thread's list
  /// the first time the thread asks, and never throws, so a destructor may call it.
  /// @param item what to keep, moved from only when kept
  /// @return whether it was kept
  static bool give(T&& item) noexcept {
    auto* list = spares();
    if (!list || list->size() >= list->capacity()) return false;
    list->push_back(std::move(item));
    return true;
  }

 private:
  /// A thread's list: room for Max from the start, so that give() never allocates.
  struct list : std::vector<T> {
    list() {
      try {
        this->reserve(Max);
      } catch (...) {  // out of memory: this thread keeps nothing
      }
    }
  };

  /// This thread's list; null when it could not be made (out of memory: the thread keeps nothing).
  static std::vector<T>* spares() noexcept {
    try {
      return &net::per_thread<list>();
    } catch (...) {
      return nullptr;
    }
  }
};

}  // namespace socketlab::server
