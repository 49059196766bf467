/// @file
/// Internal: the few things socketlab::net does differently on Linux, macOS and Windows.
///
/// This header, with platform.cpp (listeners, datagrams, polls, signals), platform_sockets.cpp (a
/// connection's socket by its handle) and platform_files.cpp (files), is the one place in
/// socketlab/net allowed to test _WIN32, __linux__ or __APPLE__; everything else is written once
/// for all systems. Not installed, not public.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>
#include <system_error>

#include <asio/ip/tcp.hpp>
#include <asio/ip/udp.hpp>

#include "socketlab/net/datagram.hpp"
#include "socketlab/net/native_socket.hpp"
#include "socketlab/net/readable_file.hpp"
#include "socketlab/net/wait.hpp"

namespace socketlab::net::platform {

/// Lets a listening socket bind its port again at once after a restart, without letting a
/// second server share that port: SO_REUSEADDR on POSIX, SO_EXCLUSIVEADDRUSE on Windows.
/// Call it after open() and before bind().
/// @param acceptor an open acceptor
/// @param ec set when the system refuses the option
void reuse_address(asio::ip::tcp::acceptor& acceptor, std::error_code& ec);

/// Hands connections to accept() only once their first bytes have arrived, or @p wait has passed
/// (see tcp_listener::defer_accept()): TCP_DEFER_ACCEPT on Linux.
/// @param acceptor a listening acceptor
/// @param wait the longest a connection that sends nothing is held back
/// @param ec operation_not_supported where the system has no such option
void defer_accept(asio::ip::tcp::acceptor& acceptor, std::chrono::seconds wait, std::error_code& ec);

/// True for EADDRNOTAVAIL (WSAEADDRNOTAVAIL on Windows): binding an address this machine
/// does not have. Asio names no error for it, and the code differs between systems.
/// @param code an error from bind()
/// @return true when @p code means "cannot assign requested address"
[[nodiscard]] bool is_address_not_available(const std::error_code& code) noexcept;

/// The system's largest listen backlog (see socketlab::net::max_backlog()).
/// @return a positive number
[[nodiscard]] int max_backlog() noexcept;

/// A signal that asks the process to stop, with the name people know it by.
struct named_signal {
  int number;             ///< its number on this system (SIGBREAK is 21 on Windows, SIGTERM 15)
  std::string_view name;  ///< "SIGINT", "SIGTERM", "SIGBREAK"
};

/// The signals that ask this process to stop, each with its name: SIGINT and SIGTERM; on
/// Windows also SIGBREAK. Number and name side by side, so a message names the signal that came.
/// @return the signals, valid for the whole program
[[nodiscard]] std::span<const named_signal> stop_signals() noexcept;

/// Receives one datagram and says whether it was truncated (see net::receive_datagram()).
/// @param socket an open, connected UDP socket
/// @param buffer where the bytes go
/// @param ec set on failure (would_block when nothing is waiting)
/// @return the bytes received, the datagram's size when known, and whether it was cut
[[nodiscard]] datagram_receipt receive_datagram(asio::ip::udp::socket& socket, std::span<char> buffer,
                                                std::error_code& ec);

/// Waits until one of the sockets is ready (see net::wait_any()): poll() or WSAPoll().
/// @param entries the sockets and what to wait for
/// @param deadline when to give up
/// @param ec set when the wait fails
/// @return the index of the first ready entry, or entries.size() at the deadline
[[nodiscard]] std::size_t wait_any(std::span<const wait_entry> entries,
                                   std::chrono::steady_clock::time_point deadline, std::error_code& ec);

/// Opens @p path for reading (see net::readable_file): open() with O_CLOEXEC, or CreateFileW.
/// @param path the file
/// @param follow_last whether a symlink as the last name is followed; when not, opening one fails
///        with std::errc::too_many_symbolic_link_levels (O_NOFOLLOW; on Windows, a reparse point
///        opened as itself and closed again)
/// @param ec set on failure
/// @return the descriptor or HANDLE; -1 on failure
[[nodiscard]] std::intptr_t open_file(const std::filesystem::path& path, bool follow_last,
                                      std::error_code& ec);

/// Opens @p path for appending, created if missing (see net::log_file): open() with O_APPEND |
/// O_CREAT | O_CLOEXEC, or CreateFileW with FILE_APPEND_DATA and OPEN_ALWAYS.
/// @param path the file
/// @param ec set on failure
/// @return the descriptor or HANDLE; -1 on failure (closed with close_file())
[[nodiscard]] std::intptr_t open_file_to_append(const std::filesystem::path& path, std::error_code& ec);

/// Writes what of @p text the system takes now, at the end of the file: write(), or WriteFile().
/// @param file what open_file_to_append() opened
/// @param text the bytes
/// @param ec set on failure
/// @return the bytes written (at least 1 unless @p ec is set)
[[nodiscard]] std::size_t append_to_file(std::intptr_t file, std::string_view text, std::error_code& ec);

/// Closes what open_file() or open_file_to_append() opened.
/// @param file the descriptor or HANDLE
void close_file(std::intptr_t file) noexcept;

/// The open file's size, last write and type: fstat(), or GetFileInformationByHandle().
/// @param file the descriptor or HANDLE
/// @param ec set on failure
/// @return the facts
[[nodiscard]] file_facts stat_file(std::intptr_t file, std::error_code& ec);

/// Reads at @p offset without moving a file position: pread(), or ReadFile() with an OVERLAPPED
/// offset.
/// @param file the descriptor or HANDLE
/// @param offset where to read
/// @param into where the bytes go
/// @param ec set on failure
/// @return the bytes read; 0 at the end of the file
[[nodiscard]] std::size_t read_file_at(std::intptr_t file, std::uint64_t offset, std::span<char> into,
                                       std::error_code& ec);

/// Sends up to @p count bytes of a file from @p offset on a non-blocking socket (see
/// net::send_file()): sendfile(2) on Linux and macOS; on Windows a read into this thread's buffer
/// and a send from it.
/// @param socket a connected socket in non-blocking mode
/// @param file the descriptor or HANDLE
/// @param offset the first byte to send
/// @param count the most bytes to send
/// @param ec would_block when the socket has no room; another error on failure
/// @return the bytes sent; 0 with no error at the end of the file
[[nodiscard]] std::size_t send_file(native_socket socket, std::intptr_t file, std::uint64_t offset,
                                    std::uint64_t count, std::error_code& ec);

/// Whether a listener can be waited on for readability, to accept what is then waiting
/// (accept_next()): on POSIX. Windows' event loop (IOCP) waits on a socket with a 0-byte receive,
/// which a listener refuses: there a connection is accepted by Asio's async_accept (AcceptEx).
#if defined(_WIN32)
inline constexpr bool accepts_after_a_wait = false;
#else
inline constexpr bool accepts_after_a_wait = true;
#endif

/// No socket: -1 on POSIX, INVALID_SOCKET on Windows.
inline constexpr native_socket invalid_socket = asio::detail::invalid_socket;

// platform_sockets.cpp: a connection's socket by its handle, no event loop involved.

/// Accepts a waiting connection, non-blocking and close-on-exec from its first moment (see
/// net::accept_ready()): accept4() on Linux; accept() and the settings after it elsewhere.
/// @param listener a listening socket in non-blocking mode
/// @param peer set to the client's address and port
/// @param ec would_block when none is waiting; connection_aborted when one gave up; else the error
/// @return the connection; invalid_socket when @p ec is set
[[nodiscard]] native_socket accept_ready(native_socket listener, asio::ip::tcp::endpoint& peer,
                                         std::error_code& ec) noexcept;

/// One recv() on a non-blocking socket (see net::read_now()).
/// @param socket the connection
/// @param into where the bytes go
/// @param ec would_block, eof, or the error, as Asio names them
/// @return the bytes read
[[nodiscard]] std::size_t receive_now(native_socket socket, std::span<char> into,
                                      std::error_code& ec) noexcept;

/// One send() on a non-blocking socket, never raising SIGPIPE (see net::write_now()).
/// @param socket the connection
/// @param bytes what to send
/// @param ec would_block, or the error, as Asio names them
/// @return the bytes sent
[[nodiscard]] std::size_t send_now(native_socket socket, std::span<const char> bytes,
                                   std::error_code& ec) noexcept;

/// TCP_NODELAY on (see net::set_no_delay()).
/// @param socket a TCP socket
/// @param ec set when the system refuses
void set_no_delay(native_socket socket, std::error_code& ec) noexcept;

/// Keeps at most about @p bytes unsent on @p socket (see net::limit_unsent()): TCP_NOTSENT_LOWAT
/// where the system has it, nothing elsewhere.
/// @param socket a connected socket
/// @param bytes the most kept unsent
void limit_unsent(native_socket socket, std::size_t bytes) noexcept;

/// shutdown(SHUT_WR), or SD_SEND on Windows; a failure (the peer has gone) is ignored.
/// @param socket a connected socket
void shutdown_send(native_socket socket) noexcept;

/// close(), or closesocket() on Windows.
/// @param socket a socket no event loop holds
void close_socket(native_socket socket) noexcept;

}  // namespace socketlab::net::platform
