/// @file
/// Reads the answer to one request from a connection's bytes: any 1xx, then the final response.
#pragma once

#include <cstdint>
#include <string_view>
#include <system_error>
#include <vector>

#include "socketlab/http/parse_result.hpp"
#include "socketlab/http/response.hpp"
#include "socketlab/http/response_parser.hpp"

namespace socketlab::client {

/// The client side of one exchange, with no I/O: feed it whatever the socket gave, in any
/// pieces, until it says done; the bytes it did not consume belong to the next response (a
/// pipelined one). Interim responses (100 Continue, 103 Early Hints) are kept apart, as curl
/// shows them; 101 is final, since nothing after it would be HTTP.
///
/// get, bench and backlog all read through this class, so they frame responses identically.
///
/// Threading: one reader per connection; not thread safe.
class response_reader {
 public:
  /// A reader with the client's default limits (a body up to 1 GiB).
  response_reader();

  /// Gets ready for the response to a new request.
  /// @param head_request true when the request was HEAD: the response has no body
  void start(bool head_request);

  /// Parses the next bytes of the connection.
  /// @param data bytes as they arrived
  /// @return need_more (all consumed), done (the final response is complete; `consumed` says
  ///   where it ended) or error (see error() and error_offset())
  http::parse_result feed(std::string_view data);

  /// Tells the reader the server closed the connection: completes a close-delimited body.
  /// @return done, or error (socketlab::http::error::unexpected_eof) when the response was cut short
  http::parse_result feed_eof();

  /// @return the final response (complete once feed() said done)
  [[nodiscard]] const http::response& response() const noexcept { return parser_.get(); }
  /// @return the final response, to move the body out of
  [[nodiscard]] http::response& response() noexcept { return parser_.get(); }
  /// @return the 1xx responses that came before the final one, in order
  [[nodiscard]] const std::vector<http::response>& interim() const noexcept { return interim_; }
  /// @return whether the final response's status line and fields are complete
  [[nodiscard]] bool header_done() const noexcept { return parser_.header_done(); }
  /// @return whether the final response's body ends only when the server closes
  [[nodiscard]] bool close_delimited() const noexcept { return parser_.close_delimited(); }
  /// @return bytes of this exchange consumed so far (interim responses included)
  [[nodiscard]] std::uint64_t bytes() const noexcept { return bytes_; }
  /// @return why parsing failed; empty unless feed() or feed_eof() returned error
  [[nodiscard]] std::error_code error() const noexcept { return parser_.error(); }
  /// @return where in this exchange's bytes parsing stopped on an error (0 is the first byte)
  [[nodiscard]] std::uint64_t error_offset() const noexcept { return error_offset_; }
  /// @return whether the connection may carry another request after this response (not after a
  ///   101 Switching Protocols: what follows it is another protocol's bytes)
  [[nodiscard]] bool keep_alive() const {
    return !parser_.close_delimited() && parser_.get().status != 101 && parser_.get().keep_alive();
  }

 private:
  http::response_parser parser_;         ///< parses one message at a time
  std::vector<http::response> interim_;  ///< 1xx responses seen in this exchange
  std::uint64_t bytes_ = 0;              ///< bytes consumed in this exchange
  std::uint64_t error_offset_ = 0;       ///< offset of the parse error
};

}  // namespace socketlab::client
