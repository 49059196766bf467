/// @file
/// Network failures said for a person, each with the exit status curl uses for it.
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <asio/ip/tcp.hpp>

namespace socketlab::client {

class response_reader;

/// The program's name, which begins each of its error lines.
inline constexpr std::string_view program = "socketlab-client";

/// socketlab-client's exit statuses: curl's numbers, so scripts written for curl read them.
namespace exit_status {
inline constexpr int ok = 0;             ///< everything worked
inline constexpr int failed = 1;         ///< anything not listed below
inline constexpr int usage = 2;          ///< a mistake on the command line
inline constexpr int resolve = 6;        ///< the host name could not be resolved
inline constexpr int connect = 7;        ///< no address of the host accepted the connection
inline constexpr int bad_response = 8;   ///< the response is not valid HTTP/1.x
inline constexpr int partial = 18;       ///< the connection closed in the middle of a response
inline constexpr int http_error = 22;    ///< --fail and a status of 400 or more
inline constexpr int write_output = 23;  ///< the -o file could not be written
inline constexpr int timeout = 28;       ///< --timeout passed
inline constexpr int empty_reply = 52;   ///< the server closed without sending a byte
inline constexpr int send = 55;          ///< sending the request failed
inline constexpr int receive = 56;       ///< receiving failed (e.g. connection reset)

/// The list above as --help ends with it (the program's and get's).
inline constexpr std::string_view help =
    "Exit status (curl's numbers): 0 done, 2 bad command line, 6 unknown host, 7 could not connect,\n"
    "8 malformed response, 18 response cut short, 22 status >= 400 with --fail, 23 cannot write -o,\n"
    "28 timeout, 52 empty reply, 55 send failed, 56 receive failed.";
}  // namespace exit_status

/// What went wrong, and the exit status that says it to a script.
struct failure {
  int status = exit_status::failed;  ///< one of exit_status
  std::string message;               ///< one line: what happened and what to try
};

/// Says @p f in the program's one error line: "socketlab-client: <message>".
/// @param f the failure
/// @param err where the line goes
/// @return f.status, for the caller to return
int report_failure(const failure& f, std::ostream& err);

/// "2 s", "0.3 s": a duration as the user gave it to --timeout.
/// @param d the duration
/// @return the text
[[nodiscard]] std::string format_seconds(std::chrono::duration<double> d);

/// Explains why blocking_tcp_client::open() failed: an unknown host, nothing listening ("is the server
/// running?"), a timeout, or another system error.
/// @param host the host as the user wrote it
/// @param port the port
/// @param tried the addresses tried (blocking_tcp_client::tried())
/// @param ec the error open() returned
/// @param timeout the time allowed (named in a timeout's message)
/// @return the failure
[[nodiscard]] failure explain_open(const std::string& host, std::uint16_t port,
                                   const std::vector<asio::ip::tcp::endpoint>& tried, std::error_code ec,
                                   std::chrono::duration<double> timeout);

/// Explains why sending a request failed.
/// @param server the server's address
/// @param ec the error
/// @param timeout the time allowed
/// @return the failure
[[nodiscard]] failure explain_send(const asio::ip::tcp::endpoint& server, std::error_code ec,
                                   std::chrono::duration<double> timeout);

/// Explains why a response could not be read: a timeout, a close before or in the middle of
/// the response, a reset, or a malformed response (what, and the byte where parsing stopped).
/// @param server the server's address
/// @param ec the error from reading, or the reader's error after a parse failure
/// @param reader the reader, for how many bytes arrived and where parsing stopped
/// @param timeout the time allowed
/// @return the failure
[[nodiscard]] failure explain_receive(const asio::ip::tcp::endpoint& server, std::error_code ec,
                                      const response_reader& reader, std::chrono::duration<double> timeout);

}  // namespace socketlab::client
