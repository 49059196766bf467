#include "server/models/live_connections.hpp"

namespace socketlab::server::async {

std::optional<std::uint64_t> live_connections::admit(const std::shared_ptr<connection>& c,
                                                     int max_connections) {
  std::lock_guard lock(mutex_);
  if (stopping_) return std::nullopt;  // accepted while stopping
  c->admitted = server::admit(live_.size() - refusing_, refusing_, max_connections);
  if (c->admitted == admission::drop) return std::nullopt;
  if (c->admitted == admission::refuse) {
    c->session.on_overload();  // a 503: the coroutine writes it, then closes gracefully
    ++refusing_;
  }
  const auto id = next_id_++;
  live_.emplace(id, c);
  return id;
}

void live_connections::remove(const connection& c, std::uint64_t id) noexcept {
  std::lock_guard lock(mutex_);
  live_.erase(id);
  if (c.admitted == admission::refuse) --refusing_;
}

std::optional<std::vector<std::shared_ptr<connection>>> live_connections::stop() {
  std::vector<std::shared_ptr<connection>> open;
  std::lock_guard lock(mutex_);
  if (stopping_) return std::nullopt;
  stopping_ = true;
  stop_requested_.store(true, std::memory_order_release);
  for (auto& [id, weak] : live_) {
    if (auto c = weak.lock()) open.push_back(std::move(c));
  }
  return open;
}

}  // namespace socketlab::server::async
