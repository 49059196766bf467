/// @file
/// The async model's open connections: counted for --max-connections, and found again by a stop.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "server/models/async_connection.hpp"

namespace socketlab::server::async {

/// Every connection the async model has admitted and not yet closed, each under an id, held
/// weakly: a connection lives in its pending wait or coroutine, not here. Thread safe.
class live_connections {
 public:
  /// Counts @p c in: served, or refused with a 503 (its session is told: on_overload()).
  /// @param c a new connection; its `admitted` is set
  /// @param max_connections --max-connections
  /// @return its id; nothing when it is to be closed at once (a flood, or a stop has begun)
  std::optional<std::uint64_t> admit(const std::shared_ptr<connection>& c, int max_connections);

  /// Counts out @p c, closed.
  /// @param c the connection admit() counted in
  /// @param id what admit() returned for it
  void remove(const connection& c, std::uint64_t id) noexcept;

  /// Marks the stop: admit() takes no more, and stop_requested() is true from now on.
  /// @return the connections still open, to tell; nothing when stop() was called before
  std::optional<std::vector<std::shared_ptr<connection>>> stop();

  /// @return whether stop() was called: read without the lock, on every read of every connection
  [[nodiscard]] bool stop_requested() const noexcept {
    return stop_requested_.load(std::memory_order_acquire);
  }

 private:
  std::mutex mutex_;                                                   ///< guards the four below
  bool stopping_ = false;                                              ///< stop() was called
  std::atomic<bool> stop_requested_{false};                            ///< stopping_, read without the lock
  std::unordered_map<std::uint64_t, std::weak_ptr<connection>> live_;  ///< the open connections
  std::uint64_t next_id_ = 0;                                          ///< ids for live_
  std::size_t refusing_ = 0;  ///< connections in live_ answered 503, being closed
};

}  // namespace socketlab::server::async
