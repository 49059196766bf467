/// @file
/// The async model's parked connections in the order their deadlines fall due, so that one timer
/// serves them all: an idle connection holds no timer of its own.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

namespace socketlab::server::async {

/// What a park_queue links: a parked connection's place in its list, its deadline, and a serial
/// number that tells a timeout for this parking from one for an earlier parking.
struct park_node {
  using clock = std::chrono::steady_clock;  ///< the clock of the deadlines

  park_node* prev = nullptr;   ///< the node due before this one, in its list
  park_node* next = nullptr;   ///< the node due after this one, in its list
  clock::time_point deadline;  ///< when the connection's wait for a request times out
  std::uint32_t serial = 0;    ///< changes whenever the node is parked or unparked
  std::int8_t list = -1;       ///< the list it is in (a park_queue::kind); -1 when in none
};

/// Parked connections by deadline, and the one timer that times them out, as nginx keeps its idle
/// connections' timers in one tree per worker: ten thousand idle clients, one system timer.
///
/// A list per kind of wait, each with one timeout for all (a new connection's header, the idle
/// time between requests): a connection parked later is due later, so a node is appended at its
/// list's tail (a node parked again after a spurious wake-up walks back to its place), and the
/// due ones are at the heads. The sweep, a timer set for the earliest head, takes the due nodes
/// out and hands each to the action given to the constructor. The queue owns nothing: a node is a
/// member of its connection, which outlives its time in the queue (its pending wait holds it).
///
/// @code
///   park_queue parked(io, time_out, threaded);  // time_out(n): post to n's strand a cancel,
///                                               // dropped there if n.serial has moved
///   parked.park(*c, deadline, park_queue::idle);  // c (a park_node) waits for a request
///   ...
///   parked.unpark(*c);  // its wait ended: a timeout taken for it meanwhile is now stale
/// @endcode
///
/// Threading: park(), unpark() and stop() are thread safe (one mutex guards the lists when
/// several threads run the loop). The action runs on the sweep's executor, under that mutex, with
/// the node's serial as it was when parked; a node's serial changes under the mutex, on its
/// connection's strand, so either may read it.
class park_queue {
 public:
  using clock = park_node::clock;                  ///< the clock of the deadlines
  using on_due = std::function<void(park_node&)>;  ///< what to do with a node that timed out

  /// The kinds of wait, a list each.
  enum kind : std::uint8_t {
    first_request = 0,  ///< a new connection: its first request's header is due
    idle = 1,           ///< between requests: the idle (keep-alive) timeout
  };

  /// @param io the event loop the sweep runs on (on a strand of its own when @p threaded)
  /// @param due called for each node taken out at its deadline (it must not call the queue)
  /// @param threaded whether several threads run the loop; with one, the queue takes no lock
  park_queue(asio::io_context& io, on_due due, bool threaded);

  /// Puts @p n in the list of @p k, due at @p deadline; the sweep is re-armed if it is due sooner.
  /// @throws std::bad_alloc when the sweep cannot be re-armed; @p n is then in no list
  /// @param n a node in no list
  /// @param deadline when its wait for a request times out
  /// @param k which list
  void park(park_node& n, clock::time_point deadline, kind k);

  /// Takes @p n out of its list, if it is in one (the sweep may have taken it), and changes its
  /// serial either way, so a timeout the sweep took for it is seen to be stale.
  /// @param n the node
  void unpark(park_node& n) noexcept;

  /// The sweep stops: nothing parked times out any more, and the timer holds the loop no longer
  /// (a server stopping closes its parked connections itself).
  void stop();

 private:
  struct list {
    park_node* head = nullptr;  ///< due first
    park_node* tail = nullptr;  ///< due last
  };
  /// Puts @p n in the list of @p k at its place for @p deadline (the lock held).
  void link(kind k, park_node& n, clock::time_point deadline) noexcept;
  static void unlink(list& l, park_node& n) noexcept;
  /// The lock on the lists, taken only when several threads run the loop.
  std::unique_lock<std::mutex> lock() {
    return threaded_ ? std::unique_lock(mutex_) : std::unique_lock<std::mutex>();
  }
  void arm();    // on the sweeper: the timer set for the earliest deadline
  void sweep();  // on the sweeper: the due nodes taken out, then arm()

  const bool threaded_;        ///< several threads run the loop: mutex_ is locked
  std::mutex mutex_;           ///< guards the lists, the nodes' links and sweep_due_
  std::array<list, 2> lists_;  ///< one per kind
  clock::time_point sweep_due_ = clock::time_point::max();  ///< when the timer is set for (max: not set)
  asio::steady_timer timer_;                                ///< the sweep's (on the sweeper)
  bool stopped_ = false;                                    ///< stop() was called (on the sweeper)
  on_due due_;                                              ///< what a node timed out gets
};

}  // namespace socketlab::server::async
