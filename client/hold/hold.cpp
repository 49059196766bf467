// The C10k lab as one coroutine, phase after phase (run_lab): open them all, let the server
// settle, read its memory, time fresh requests, hold, look at what the server closed.
#include "client/hold/hold.hpp"

#include <array>
#include <exception>
#include <string>

#include <asio/co_spawn.hpp>
#include <asio/error.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include "client/failure.hpp"
#include "client/hold/hold_connection.hpp"
#include "socketlab/http/serializer.hpp"
#include "socketlab/net/shutdown_signal.hpp"
#include "socketlab/net/use_nothrow.hpp"

namespace socketlab::client {
namespace {

using clock = std::chrono::steady_clock;
using asio::ip::tcp;

/// How long the server is given, once the last connection is open, to be done with them before
/// its memory is read: its last accepts made, its last responses written.
constexpr std::chrono::milliseconds settle_time{200};

/// One of the connections to hold.
struct held_connection {
  /// What has become of it.
  enum class state : unsigned char {
    opening,  ///< connecting, sending, or reading the response
    held,     ///< open and idle
    failed,   ///< never held (hold_result::failures says why)
    closed    ///< held, then closed by the server
  };

  /// A connection not yet opened.
  /// @param ioc the lab's event loop
  explicit held_connection(asio::io_context& ioc) : socket(ioc) {}

  tcp::socket socket;          ///< the connection
  state now = state::opening;  ///< where it is
  std::error_code cut;  ///< why the lab closed it while opening: timed_out, or operation_aborted (a signal)
  int last_status = 0;  ///< the status of a response that came while it was idle (a 408)
};

/// Everything the lab's coroutines share. Threading: all on the one thread that runs ioc.
struct lab {
  /// The lab for @p o, not started.
  lab(const hold_options& o, const tcp::endpoint& s) : options(o), server(s) {
    const http::request req = make_request(o.target, o.request);
    if (o.send_request) request = http::to_string(req);
    request_options once = o.request;
    once.keep_alive = false;  // a probe is one request on a fresh connection
    probe_request = http::to_string(make_request(o.target, once));
    head = req.method == "HEAD";
  }

  const hold_options& options;         ///< the settings
  const tcp::endpoint server;          ///< where every connection goes
  asio::io_context ioc{1};             ///< the one event loop
  std::string request;                 ///< what each held connection sends; empty with --no-request
  std::string probe_request;           ///< what each probe sends: the same, with Connection: close
  bool head = false;                   ///< the request is HEAD
  std::vector<held_connection> conns;  ///< the connections to hold (never reallocated: they are referred to)
  std::size_t opening = 0;             ///< connections whose opening has not ended yet
  asio::steady_timer wake{ioc};        ///< run_lab() sleeps on it; cancel() wakes it early
  tcp::socket reserve{ioc};      ///< a descriptor held back, so that at the limit the probes still get one
  tcp::socket probe{ioc};        ///< the probe under way
  int probe_number = 0;          ///< which probe is under way (a stale deadline leaves the next alone)
  bool probe_timed_out = false;  ///< the probe's deadline passed
  bool watching = false;         ///< the watchers look at what arrives on held connections
  clock::time_point held_at;     ///< when the last connection was opened
  std::array<char, 16384> buffer{};  ///< every read of every connection, one at a time
  hold_result result;                ///< what is measured
};

/// The completion of a co_spawn: an exception (no memory, say) leaves ioc.run(), and the lab.
void rethrow(const std::exception_ptr& failed) {
  if (failed) std::rethrow_exception(failed);
}

/// Sleeps until @p until, or until something cancels l.wake (the last opening, a signal).
asio::awaitable<void> sleep(lab& l, clock::time_point until) {
  l.wake.expires_at(until);
  co_await l.wake.async_wait(net::use_nothrow);
}

/// Closes every connection still opening, which then ends with @p why.
void cut_opening(lab& l, std::error_code why) {
  for (auto& c : l.conns) {
    if (c.now != held_connection::state::opening) continue;
    c.cut = why;
    std::error_code ignored;
    c.socket.close(ignored);
  }
}

/// Ctrl+C: ends whatever is under way, so that what was measured is reported.
void stop(lab& l, int signal_number) {
  l.result.stopped_by = net::signal_name(signal_number);
  cut_opening(l, asio::error::operation_aborted);
  std::error_code ignored;
  l.probe.close(ignored);
  l.wake.cancel();
}

/// Reads the server's resident memory into @p into, or the reason it cannot into l.result.memory.error.
void read_memory(lab& l, std::optional<std::uint64_t>& into) {
  if (!l.options.server_pid) return;
  std::error_code ec;
  const auto bytes = platform::resident_memory(*l.options.server_pid, ec);
  if (ec && !l.result.memory.error) l.result.memory.error = ec;
  if (!ec) into = bytes;
}

/// Opens one connection; it is held if the server keeps it open after its response.
asio::awaitable<void> open_one(lab& l, held_connection& c) {
  exchange_result r = co_await exchange(c.socket, l.server, l.request, l.head, l.buffer);
  if (c.cut) r.error = c.cut;
  if (!r.error && (l.request.empty() || r.keep_alive)) {
    c.now = held_connection::state::held;
    ++l.result.held;
    co_return;
  }
  c.now = held_connection::state::failed;
  std::error_code ignored;
  c.socket.close(ignored);
  if (r.error == asio::error::operation_aborted && !l.result.stopped_by.empty()) {
    count_failure(l.result.failures, {.why = "not finished: " + l.result.stopped_by + " ended the lab",
                                      .status = exit_status::failed,
                                      .error = r.error,
                                      .connected = r.connected,
                                      .count = 1});
    co_return;
  }
  count_failure(l.result.failures, why_not_held(r, l.options.timeout));
}

/// Opens every connection at once, and waits until each is held or has failed (or --timeout
/// has passed: the ones still opening then fail as timed out).
asio::awaitable<void> open_all(lab& l) {
  const auto start = clock::now();
  asio::steady_timer deadline(l.ioc, std::chrono::duration_cast<clock::duration>(l.options.timeout));
  deadline.async_wait([&l](const std::error_code& ec) {
    if (!ec) cut_opening(l, asio::error::timed_out);
  });
  l.opening = l.conns.size();
  for (auto& c : l.conns) {
    asio::co_spawn(l.ioc, open_one(l, c), [&l](const std::exception_ptr& failed) {
      rethrow(failed);
      if (--l.opening == 0) l.wake.cancel();
    });
  }
  while (l.opening > 0)
    co_await sleep(l, clock::time_point::max());
  deadline.cancel();
  l.held_at = clock::now();
  l.result.opening = l.held_at - start;
}

/// Reads what has come on a held connection; counts it if the server has closed it.
void look(lab& l, held_connection& c) {
  const idle_check seen = read_idle(c.socket, l.buffer);
  if (seen.status != 0) c.last_status = seen.status;
  if (!seen.closed) return;
  c.now = held_connection::state::closed;
  std::error_code ignored;
  c.socket.close(ignored);
  auto& k = l.result.closures;
  ++k.closed;
  if (c.last_status != 0) {
    ++k.answered_first;
    k.status = c.last_status;
  }
  const closure_figures::duration when = clock::now() - l.held_at;
  if (!k.first) k.first = when;
  k.last = when;
}

/// Watches one held connection until the lab ends: whatever arrives is looked at at once, so
/// the time the server closed it is known (its idle timeout).
asio::awaitable<void> watch(lab& l, held_connection& c) {
  while (l.watching && c.now == held_connection::state::held) {
    auto [ec] = co_await c.socket.async_wait(tcp::socket::wait_read, net::use_nothrow);
    if (ec || !l.watching || c.now != held_connection::state::held) co_return;
    look(l, c);
  }
}

/// Starts a watcher on every held connection.
void start_watching(lab& l) {
  l.watching = true;
  for (auto& c : l.conns) {
    if (c.now == held_connection::state::held) asio::co_spawn(l.ioc, watch(l, c), rethrow);
  }
}

/// Ends the watchers, and looks at every connection still held one last time.
void stop_watching(lab& l) {
  l.watching = false;
  for (auto& c : l.conns) {
    if (c.now != held_connection::state::held) continue;
    std::error_code ignored;
    c.socket.cancel(ignored);  // its watcher's wait ends: operation_aborted
    look(l, c);
  }
  l.result.closures.held_for = clock::now() - l.held_at;
}

/// Gives the server a moment, then reads its memory with every connection held.
asio::awaitable<void> settle(lab& l) {
  if (l.result.held > 0 && l.result.stopped_by.empty()) co_await sleep(l, clock::now() + settle_time);
  std::error_code ignored;
  l.reserve.close(ignored);  // a descriptor, at the limit, for /proc and for the probes
  read_memory(l, l.result.memory.after);
  l.result.memory.connections = l.result.held - l.result.closures.closed;
}

/// Counts one probe's outcome.
/// @return false when the probes should stop: one timed out, so the next would too
bool record_probe(lab& l, const exchange_result& r, clock::duration took) {
  auto& p = l.result.probes;
  if (r.error) {
    count_failure(p.failures, why_not_held(r, l.options.timeout));
    p.stopped = r.error == asio::error::timed_out;
    return !p.stopped;
  }
  p.times.emplace_back(took);
  if (r.status < 200 || r.status >= 400) {
    ++p.not_ok;
    p.last_not_ok = r.status;
  }
  return true;
}

/// Times fresh requests one after another, each on a new connection with its own --timeout.
asio::awaitable<void> run_probes(lab& l) {
  asio::steady_timer deadline(l.ioc);
  while (l.result.probes.tried < l.options.probes && l.result.stopped_by.empty()) {
    ++l.result.probes.tried;
    const int number = ++l.probe_number;
    l.probe_timed_out = false;
    deadline.expires_after(std::chrono::duration_cast<clock::duration>(l.options.timeout));
    deadline.async_wait([&l, number](const std::error_code& ec) {
      if (ec || number != l.probe_number) return;  // done, or a deadline of a probe that has finished
      l.probe_timed_out = true;
      std::error_code ignored;
      l.probe.close(ignored);
    });
    const auto start = clock::now();
    exchange_result r = co_await exchange(l.probe, l.server, l.probe_request, l.head, l.buffer);
    const auto took = clock::now() - start;
    std::error_code ignored;
    l.probe.close(ignored);
    if (!l.result.stopped_by.empty()) break;  // Ctrl+C: neither answered nor failed
    if (l.probe_timed_out) r.error = asio::error::timed_out;
    if (!record_probe(l, r, took)) break;
  }
  ++l.probe_number;  // a deadline still queued finds no probe of its own
  deadline.cancel();
}

/// The lab, phase after phase.
asio::awaitable<void> run_lab(lab& l) {
  net::shutdown_signal signal(l.ioc.get_executor(), [&l](int number) { stop(l, number); });
  co_await open_all(l);
  start_watching(l);
  co_await settle(l);
  co_await run_probes(l);
  const auto hold = std::chrono::duration_cast<clock::duration>(l.options.hold);
  if (hold.count() > 0 && l.result.stopped_by.empty()) co_await sleep(l, clock::now() + hold);
  stop_watching(l);
  signal.cancel();
}

}  // namespace

hold_result run_hold(const hold_options& options, const tcp::endpoint& server) {
  lab l(options, server);
  l.result.files = platform::raise_open_file_limit();
  read_memory(l, l.result.memory.before);
  std::error_code ignored;
  l.reserve.open(server.protocol(), ignored);  // before the connections take every descriptor there is
  l.conns.reserve(static_cast<std::size_t>(options.count));
  for (int i = 0; i < options.count; ++i)
    l.conns.emplace_back(l.ioc);
  asio::co_spawn(l.ioc, run_lab(l), rethrow);
  l.ioc.run();
  return std::move(l.result);
}

}  // namespace socketlab::client
