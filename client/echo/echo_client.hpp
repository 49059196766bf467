/// @file
/// The echo clients' measurements: numbered messages over TCP or UDP, their round trips, and
/// what each transport does to message boundaries and to large messages.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include <asio/ip/tcp.hpp>

#include "client/echo/echo_stats.hpp"

namespace socketlab::client {

/// Which transport an echo run uses.
enum class echo_transport {
  tcp,  ///< one connection, a byte stream
  udp,  ///< one socket, a datagram per message
};

/// @param t a transport
/// @return "TCP" or "UDP"
[[nodiscard]] const char* name(echo_transport t) noexcept;

/// @param t a transport
/// @return "tcp-echo" or "udp-echo": the command of socketlab-client, and of socketlab-server,
///   for that transport
[[nodiscard]] const char* command_name(echo_transport t) noexcept;

/// Whether each message carries its number: UDP needs sequence_bytes for it; TCP needs none,
/// as the stream keeps the order.
/// @param t a transport
/// @param size bytes per message
/// @return true when an echo can be matched to its message
[[nodiscard]] bool carries_numbers(echo_transport t, std::size_t size) noexcept;

/// The port the echo servers listen on by default, and the echo commands send to.
inline constexpr std::uint16_t default_echo_port = 7007;

/// What to send, and how to wait for the echoes.
struct echo_options {
  std::string host = "127.0.0.1";          ///< the echo server's name or address
  std::uint16_t port = default_echo_port;  ///< its port
  std::uint64_t count = 10;                ///< numbered messages to send
  std::size_t size = 64;                   ///< bytes per message (the first 8 carry its number)
  /// Time between the starts of two messages; 0 sends the next one as soon as the previous
  /// echo is back (one at a time: the round trips per second of a single client).
  std::chrono::milliseconds interval{200};
  /// How long to wait for an echo, and to connect (TCP).
  std::chrono::milliseconds timeout{1000};
  std::size_t buffer = 65'536;  ///< bytes one receive can take (a larger datagram is truncated)
  /// After the numbered messages, this many more are written back to back before reading
  /// any echo, to show what becomes of the boundaries between them; 0: none. A burst larger
  /// than the sockets' buffers can hold is read while it is written (else neither side could
  /// go on).
  std::size_t burst = 0;
  /// After those, single messages of these sizes, each sent and awaited on its own (compare
  /// sends the largest datagram and 70,000 bytes). A size of 0 stands for the largest
  /// datagram the server's address family allows (UDP).
  std::vector<std::size_t> large;
};

/// One echo as the -v lines tell it.
struct echo_event {
  std::uint64_t sequence = 0;                             ///< the message's number
  echo_stats::arrival kind = echo_stats::arrival::first;  ///< first, reordered, duplicate, unknown
  std::size_t bytes = 0;                                  ///< bytes received
  std::size_t size = 0;                                   ///< the datagram's real size (0: unknown)
  bool truncated = false;                                 ///< cut to fit the receive buffer
  bool mismatched = false;                                ///< the bytes differ from those sent
  std::chrono::nanoseconds rtt{};                         ///< since the message was sent
};

/// What became of messages sent back to back (the burst) or of one large message: how many
/// receives brought their bytes back, and how many bytes each brought.
struct delivery {
  std::size_t messages = 0;        ///< messages sent (writes or datagrams)
  std::size_t message_size = 0;    ///< bytes in each
  std::error_code send_error;      ///< why sending failed (e.g. message_size for UDP); empty if sent
  std::vector<std::size_t> reads;  ///< bytes per receive that brought them back, in order
  /// @return bytes that came back
  [[nodiscard]] std::size_t received() const noexcept;
  /// @return whether every byte sent came back
  [[nodiscard]] bool complete() const noexcept {
    return !send_error && received() == messages * message_size;
  }
};

/// Everything an echo run measured.
struct echo_result {
  echo_transport transport = echo_transport::udp;  ///< the transport used
  std::string remote;                              ///< the server, "127.0.0.1:7007"
  std::string local;                               ///< this side's address and port
  bool ipv6 = false;                               ///< whether the address is IPv6
  std::error_code failure;                         ///< what stopped the run early; empty if nothing
  std::string failed_step;                         ///< "resolve", "connect", "send" or "receive"
  std::vector<asio::ip::tcp::endpoint> tried;      ///< addresses tried (UDP: the one used)
  std::optional<std::chrono::nanoseconds> setup;   ///< TCP: connect() (the handshake); UDP: none
  std::size_t size = 0;                            ///< bytes per numbered message
  echo_stats stats;                                ///< the numbered messages
  std::uint64_t truncated = 0;                     ///< echoes cut to fit the receive buffer
  std::uint64_t mismatched = 0;                    ///< echoes whose bytes differ from those sent
  bool numbered = true;                            ///< messages carry their number (see carries_numbers())
  std::chrono::nanoseconds elapsed{};              ///< from the first message to the last echo
  delivery burst;                                  ///< the messages sent back to back
  std::vector<delivery> large;                     ///< one per echo_options::large
  /// @return the echoes of numbered messages per second of elapsed; 0 when no time passed
  [[nodiscard]] double round_trips_per_second() const noexcept;
};

/// Called with each echo as it arrives (the -v lines).
using echo_observer = std::function<void(const echo_event&)>;

/// Runs one echo exchange on one event loop and returns what it measured. Network failures are
/// not thrown: they end the run and are named in echo_result::failure.
///
/// UDP: the socket is connect()ed, which sends nothing but fixes the peer: the system then
/// drops datagrams from anyone else and reports an ICMP "port unreachable" as
/// connection_refused. Each echo is matched to its message by the number in its first 8 bytes;
/// messages shorter than that go one at a time and each echo counts for the last one sent.
///
/// TCP: the echo is a byte stream in the order sent, so the k-th @p size bytes back are message
/// k; no number is needed, and what the reads return is counted.
/// @param transport TCP or UDP
/// @param options the workload
/// @param observer called for each echo of a numbered message; may be empty
/// @return the measurements
[[nodiscard]] echo_result run_echo(echo_transport transport, const echo_options& options,
                                   const echo_observer& observer = {});

}  // namespace socketlab::client
