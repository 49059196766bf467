#include "server/models/park_queue.hpp"

#include <algorithm>
#include <cassert>

#include <asio/post.hpp>
#include <asio/strand.hpp>

namespace socketlab::server::async {

park_queue::park_queue(asio::io_context& io, on_due due, bool threaded)
    : threaded_(threaded),
      timer_(threaded ? asio::any_io_executor(asio::make_strand(io)) : io.get_executor()),
      due_(std::move(due)) {}

void park_queue::park(park_node& n, clock::time_point deadline, kind k) {
  {
    const auto locked = lock();
    assert(n.list < 0 && "a node is parked once at a time");
    ++n.serial;
    link(k, n, deadline);
    if (deadline >= sweep_due_) return;  // the sweep wakes before it is due, and sees it then
    sweep_due_ = deadline;
  }
  try {
    asio::post(timer_.get_executor(), [this] { arm(); });
  } catch (...) {  // out of memory: not parked after all (the caller closes the connection)
    unpark(n);
    throw;
  }
}

void park_queue::link(kind k, park_node& n, clock::time_point deadline) noexcept {
  auto& l = lists_[k];
  n.deadline = deadline;
  n.list = static_cast<std::int8_t>(k);
  // Walk back from the tail to the last node due no later: nearly always the tail itself.
  park_node* before = l.tail;
  while (before && before->deadline > deadline)
    before = before->prev;
  n.prev = before;
  n.next = before ? before->next : l.head;
  (n.next ? n.next->prev : l.tail) = &n;
  (before ? before->next : l.head) = &n;
}

void park_queue::unpark(park_node& n) noexcept {
  const auto locked = lock();
  ++n.serial;
  if (n.list >= 0) unlink(lists_[static_cast<std::size_t>(n.list)], n);
}

void park_queue::stop() {
  asio::post(timer_.get_executor(), [this] {
    stopped_ = true;
    timer_.cancel();
  });
}

void park_queue::arm() {
  if (stopped_) return;
  clock::time_point due = clock::time_point::max();
  {
    const auto locked = lock();
    for (const auto& l : lists_) {
      if (l.head) due = std::min(due, l.head->deadline);
    }
    sweep_due_ = due;
  }
  // Empty: the timer is left as it is (a wait still pending finds nothing, and does not re-arm);
  // the next park() arms it again.
  if (due == clock::time_point::max()) return;
  timer_.expires_at(due);  // a wait pending for another time ends: operation_aborted
  timer_.async_wait([this](const std::error_code& ec) {
    if (!ec) sweep();
  });
}

//! [sweep]
void park_queue::sweep() {
  const auto now = clock::now();
  {
    const auto locked = lock();
    for (std::size_t k = 0; k < lists_.size(); ++k) {
      auto& l = lists_[k];
      while (l.head && l.head->deadline <= now) {
        park_node& n = *l.head;
        unlink(l, n);
        try {
          due_(n);
        } catch (...) {  // out of memory: its timeout is tried again a second later
          link(static_cast<kind>(k), n, now + std::chrono::seconds(1));
        }
      }
    }
  }
  arm();  // the timer set for the earliest deadline left, if any
}
//! [sweep]

void park_queue::unlink(list& l, park_node& n) noexcept {
  (n.prev ? n.prev->next : l.head) = n.next;
  (n.next ? n.next->prev : l.tail) = n.prev;
  n.prev = n.next = nullptr;
  n.list = -1;
}

}  // namespace socketlab::server::async
