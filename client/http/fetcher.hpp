/// @file
/// How `get` fetches its URLs: over as few connections as it can, a request (or --pipeline
/// copies of it) at a time, written in --split pieces when asked.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <system_error>

#include "client/failure.hpp"
#include "client/http/blocking_tcp_client.hpp"
#include "client/http/get_command.hpp"
#include "client/http/get_output.hpp"
#include "client/http/response_reader.hpp"
#include "client/http/url.hpp"
#include "socketlab/http/request.hpp"

namespace socketlab::client {

/// Fetches URLs one after another, keeping a connection open for the next URL on the same host
/// and port. An idle keep-alive connection the server closed meanwhile is opened again once, as
/// curl does. What is worth showing goes to a get_output.
///
/// Threading: one thread.
class fetcher {
 public:
  using clock = blocking_tcp_client::clock;  ///< the clock of the deadlines

  /// A fetcher with no connection open yet.
  /// @param options what get was asked to do
  /// @param out standard output (bodies, unless -o)
  /// @param err standard error (-v and --trace)
  fetcher(const get_options& options, std::ostream& out, std::ostream& err);

  /// Fetches @p u, reusing the open connection when it goes to the same host and port.
  /// @param u the URL
  /// @return what went wrong; nothing when the response (each --pipeline one) was delivered
  std::optional<failure> fetch(const url& u);

  /// Closes the open connection, saying why (-v).
  /// @param why the reason, for -v; empty to close without a word
  void finish(const std::string& why);

 private:
  /// The request for @p u: HEAD when -I was given and no -X.
  [[nodiscard]] http::request request_for(const url& u) const;

  /// Connects to @p u's host, trying each address.
  std::optional<failure> open(const url& u);

  /// Writes @p bytes, in --split pieces when asked.
  std::error_code send(std::string_view bytes);

  /// Sends @p wire (one request, or --pipeline copies of it) and reads a response for each copy.
  std::optional<failure> exchange(const std::string& wire, const http::request& req);

  /// Reads response @p k of the exchange into reader_: from what the last read left over first,
  /// then from the connection.
  /// @param k the response's place among the --pipeline copies, from 0
  /// @param head the request was HEAD
  /// @param closed set when the server closed the connection
  std::optional<failure> read_response(int k, bool head, bool& closed);

  /// The failure when the server stopped answering pipelined requests after @p answered of them.
  [[nodiscard]] failure unanswered(int answered, const std::string& why) const;

  const get_options& options_;        ///< what the user asked for
  get_output output_;                 ///< what is shown, and where
  blocking_tcp_client conn_;          ///< the current connection
  url origin_;                        ///< the host and port conn_ goes to
  int number_ = -1;                   ///< conn_'s number in -v ("#0", "#1", ...)
  bool reusable_ = false;             ///< whether conn_ may carry another request
  bool stale_ = false;                ///< the last exchange failed before a byte of response came
  bool got_first_byte_ = false;       ///< a byte of the current exchange's response has come
  response_reader reader_;            ///< frames the responses
  std::string pending_;               ///< bytes read but not yet parsed (the next pipelined response)
  std::array<char, 16384> buffer_{};  ///< one read's worth
  std::uint64_t sent_ = 0;            ///< bytes sent on conn_, for --trace offsets
  std::uint64_t received_ = 0;        ///< bytes received on conn_, for --trace offsets
  clock::time_point deadline_;        ///< when the current URL must be done
};

}  // namespace socketlab::client
