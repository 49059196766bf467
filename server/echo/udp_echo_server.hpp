/// @file
/// `socketlab-server udp-echo`: the Echo Protocol over UDP (RFC 862), with simulated trouble.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/udp.hpp>

#include "server/echo/impairment.hpp"
#include "server/log_sink.hpp"

namespace socketlab::server {

/// The UDP echo server's settings.
struct udp_echo_config {
  std::string host = "127.0.0.1";  ///< address to bind; loopback unless asked
  std::uint16_t port = 7007;       ///< the echo service's port is 7, which needs privileges
  double rate_limit = 0;           ///< most datagrams per second answered per sender; 0: no limit
  impairment_config impair;        ///< simulated loss, delay, duplicates, reordering
  bool verbose = false;            ///< a line per datagram
  log_sink console;                ///< where those lines and notices go
};

/// What the server did, counted since it started.
struct udp_echo_stats {
  std::uint64_t received = 0;      ///< datagrams received
  std::uint64_t echoed = 0;        ///< datagrams sent back (a duplicate counts twice)
  std::uint64_t refused = 0;       ///< not answered: they came from a port that could loop
  std::uint64_t rate_limited = 0;  ///< not answered: over --rate-limit
  std::uint64_t dropped = 0;       ///< not answered: the simulation dropped them
  std::uint64_t duplicated = 0;    ///< echoed twice by the simulation
  std::uint64_t held_back = 0;     ///< held back by the simulation to go out after the next
};

/// Whether a datagram from @p port must go unanswered: echoing to another service's port (echo
/// 7, daytime 13, chargen 19, time 37, DNS 53, NTP 123) could start an endless exchange between
/// two servers, each answering the other.
/// @param port the sender's port
/// @return true for those ports (and port 0, which no one can receive on)
[[nodiscard]] bool is_loop_prone_port(std::uint16_t port) noexcept;

/// One UDP socket and one loop: receive a datagram and whom it came from, send it back there.
/// No acceptor, no connection, no session: each datagram stands alone (compare tcp_echo_server).
///
/// @code
///   for (;;) {
///     n = receive_from(buffer, sender);   // one whole datagram, up to 65,535 bytes
///     send_to(buffer[0..n), sender);      // the same bytes, to the same address and port
///   }
/// @endcode
///
/// Threading: runs on the io_context it was given (one thread); stop() must be called from it
/// too (post it there).
class udp_echo_server {
 public:
  /// Opens and binds the socket now, so a taken port fails at start-up.
  /// @param io the event loop
  /// @param config the settings
  /// @throws net::listen_failure when the port cannot be used ("port 7007 is already in use ...")
  /// @throws std::invalid_argument when the host is not an IP address
  udp_echo_server(asio::io_context& io, udp_echo_config config);

  /// Starts the receive loop on the io_context.
  void start();
  /// Closes the socket: the loop ends, datagrams waiting for a delay are dropped.
  void stop();

  /// @return the bound address and port
  [[nodiscard]] asio::ip::udp::endpoint local_endpoint() const;
  /// @return the counts so far (read them on the io_context's thread, or after it stopped)
  [[nodiscard]] const udp_echo_stats& stats() const noexcept { return stats_; }

  /// The receive buffer: the largest UDP payload (65,535 minus the 8-byte UDP header is
  /// 65,527; over IPv4 the 20-byte IP header leaves 65,507), rounded up, so nothing is cut.
  static constexpr std::size_t buffer_size = 65536;

 private:
  /// Receives and echoes until the socket is closed.
  asio::awaitable<void> serve();
  /// Holds @p data back (simulated reordering) until the sender's next datagram is echoed.
  /// @param data the datagram
  /// @param sender where it came from, and where its echo goes
  void hold_back(std::string data, const asio::ip::udp::endpoint& sender);
  /// Sends @p data to @p to after the plan's delay, as a detached timer.
  void send_later(std::string data, asio::ip::udp::endpoint to, int copies, std::chrono::milliseconds delay);
  /// Whether @p from may have another echo this second (a token bucket per sender).
  bool within_rate(const asio::ip::udp::endpoint& from);
  /// Writes a -v line.
  void log(const std::string& line) const;

  asio::io_context& io_;          ///< the event loop
  udp_echo_config config_;        ///< the settings
  asio::ip::udp::socket socket_;  ///< the one socket
  impairment impair_;             ///< decides the simulated trouble
  udp_echo_stats stats_;          ///< counts
  /// Per sender: tokens left and when they were last refilled (bounded: see within_rate()).
  std::map<asio::ip::udp::endpoint, std::pair<double, std::chrono::steady_clock::time_point>> buckets_;
  /// Per sender: an echo held back for --reorder, sent after the next one.
  std::map<asio::ip::udp::endpoint, std::string> held_;
};

}  // namespace socketlab::server
