#include "socketlab/net/exact_allocator.hpp"

#include <array>
#include <new>
#include <utility>

#include "socketlab/net/per_thread.hpp"

namespace socketlab::net {
namespace {

/// Set once this thread's kept_blocks is gone (the thread is ending): a block freed after that is
/// freed for good. A bool needs no destructor, so it outlives every other thread_local.
thread_local bool blocks_gone = false;

/// A few blocks this thread freed, each with its size, freed for good when the thread ends.
struct kept_blocks {
  struct block {
    std::size_t bytes = 0;  ///< its size; 0 for an empty slot
    void* memory = nullptr;
  };
  std::array<block, 4> slots{};
  kept_blocks() = default;
  kept_blocks(const kept_blocks&) = delete;
  kept_blocks& operator=(const kept_blocks&) = delete;
  ~kept_blocks() {
    blocks_gone = true;
    for (auto& b : slots)
      if (b.memory) ::operator delete(b.memory);
  }
};

/// This thread's kept blocks; null once they are gone, or when they could not be made (out of
/// memory): then nothing is kept.
kept_blocks* this_thread_blocks() noexcept {
  if (blocks_gone) return nullptr;
  try {
    return &per_thread<kept_blocks>();
  } catch (...) {
    return nullptr;
  }
}

}  // namespace

void* allocate_exact(std::size_t bytes) {
  if (auto* kept = this_thread_blocks()) {
    for (auto& b : kept->slots) {
      if (b.memory && b.bytes == bytes) return std::exchange(b.memory, nullptr);
    }
  }
  return ::operator new(bytes);
}

void deallocate_exact(void* p, std::size_t bytes) noexcept {
  if (auto* kept = this_thread_blocks()) {
    for (auto& b : kept->slots) {
      if (!b.memory) {
        b = {bytes, p};
        return;
      }
    }
  }
  ::operator delete(p);
}

}  // namespace socketlab::net
