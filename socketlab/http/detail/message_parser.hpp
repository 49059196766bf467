/// @file
/// The machinery request_parser and response_parser share: lines, header fields, body
/// framing and chunked coding. Internal: not part of the public interface.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

#include "socketlab/http/detail/framing.hpp"
#include "socketlab/http/error.hpp"
#include "socketlab/http/fields.hpp"
#include "socketlab/http/limits.hpp"
#include "socketlab/http/parse_result.hpp"

namespace socketlab::http::detail {

/// Which line ends a parser takes, in the start line, the header section and the chunked
/// framing (RFC 9112 §2.2). The choice is the derived parser's, made once, in the open.
enum class line_ends : std::uint8_t {
  /// CRLF only; a LF without its CR fails with error::bare_lf. What a server reads requests
  /// with: two readers that split lines differently are how requests get smuggled.
  crlf,
  /// CRLF or a lone LF, which §2.2 lets a recipient accept. What a client reads responses with:
  /// an old or hand-written server that ends lines with LF alone is still understood.
  crlf_or_lf,
};

/// An incremental HTTP/1.x message parser without its start line.
///
/// It finds lines (CRLF, or also a lone LF: line_ends), parses header and trailer fields, and
/// reads the body the way the header section frames it. What is specific to a request or a
/// response — the start line and the body decision — comes from the hooks a derived class
/// overrides.
///
/// A line is judged in an order that does not depend on where the input was cut: first the
/// start line's first impossible byte (check_partial_start_line()), then the line's length,
/// then its line end, then its content (a bare CR, then on_start_line() or the field syntax).
///
/// A complete line inside the fed data is parsed in place; only a line split across feeds
/// is copied into a buffer, and each feed searches only its new bytes, so feeding byte by
/// byte stays linear. The buffer keeps its memory across restart().
///
/// @code
///   start_line ──> field_line ──> done                        (no body)
///                      │──────> body_length ──> done           (Content-Length)
///                      │──────> body_to_eof ──(eof)──> done    (close-delimited response)
///                      └──────> chunk_size <──> chunk_data ──> chunk_data_cr/lf
///                                   └──(size 0)──> trailer_line ──> done
/// @endcode
class message_parser {
 public:
  /// Virtual because the derived parsers override the hooks.
  virtual ~message_parser() = default;
  /// Copies the state, including a partly received message.
  message_parser(const message_parser&) = default;
  /// Copies the state, including a partly received message.
  message_parser& operator=(const message_parser&) = default;
  /// Moves the state, including a partly received message.
  message_parser(message_parser&&) noexcept = default;
  /// Moves the state, including a partly received message.
  message_parser& operator=(message_parser&&) noexcept = default;

 protected:
  /// A parser waiting for a start line.
  /// @param lim the limits to enforce
  /// @param ends the line ends to accept
  message_parser(const limits& lim, line_ends ends) noexcept : limits_(lim), ends_(ends) {}

  /// Parses as much of @p data as belongs to the current message.
  /// @param data the next bytes
  /// @param headers where header fields go
  /// @param body where body bytes go
  /// @return need_more, done (consumed stops at the message end) or error
  parse_result parse_some(std::string_view data, fields& headers, std::string& body);

  /// The peer closed: completes a close-delimited body, otherwise fails with unexpected_eof.
  /// @return done or error
  parse_result parse_eof() noexcept;

  /// Gets ready for the next message (limits kept, buffer memory kept).
  void restart() noexcept;

  /// Enforces @p lim from the next message on.
  /// @param lim the limits
  void set_limits(const limits& lim) noexcept { limits_ = lim; }

  /// Called with each start line, without its line end. Empty lines before it are skipped.
  /// @param line the line
  /// @return error{} to go on, or why the line is invalid
  virtual error on_start_line(std::string_view line) = 0;

  /// How much of a start line that has not ended yet may still begin a valid one.
  struct start_line_prefix {
    std::size_t valid;  ///< bytes that may begin a valid start line (all of them: nothing wrong yet)
    error why;          ///< why the byte after them cannot, when valid is short of the whole
  };

  /// Called with the start line's bytes so far, before its line end has arrived: a byte that
  /// no valid start line can hold there fails the message at once, rather than after a
  /// timeout (a TLS ClientHello sent to an HTTP port, say). Parsing stops at that byte.
  /// Called with a whole line too, before anything else is checked, so that the verdict is the
  /// same whether the line came in one piece or byte by byte. Only the first
  /// limits::max_start_line + 1 bytes are passed: past them the line is too long anyway.
  /// @param so_far the line's bytes so far, a final CR included (empty lines before it are
  ///        already skipped)
  /// @return how many of them may begin a valid line, and why the next cannot
  [[nodiscard]] virtual start_line_prefix check_partial_start_line(
      std::string_view so_far) const noexcept = 0;

  /// Called when the header section is complete, to decide how the body is framed.
  /// @param headers the header fields
  /// @return the body plan, or its failure
  virtual body_plan on_header_done(const fields& headers) = 0;

  /// Whether the start line and header fields are complete.
  [[nodiscard]] bool header_complete() const noexcept { return header_done_; }
  /// Whether some byte of a message other than leading empty lines has arrived.
  [[nodiscard]] bool message_started() const noexcept;
  /// Whether the header is done and body bytes (or chunk framing) are still expected.
  [[nodiscard]] bool body_pending() const noexcept;
  /// How the current body is delimited (meaningful once the header is complete).
  [[nodiscard]] body_kind framing() const noexcept { return framing_; }
  /// Why parsing failed, as an error_code; empty when it did not.
  [[nodiscard]] std::error_code failure() const noexcept;

 private:
  /// Where the parser is in a message.
  enum class state : std::uint8_t {
    start_line,     ///< skipping empty lines, then reading the start line
    field_line,     ///< reading header field lines until an empty line
    body_length,    ///< reading the remaining Content-Length bytes
    body_to_eof,    ///< reading until the connection closes
    chunk_size,     ///< reading a chunk-size line with its extensions
    chunk_data,     ///< reading the remaining bytes of a chunk
    chunk_data_cr,  ///< expecting the CR (or a lone LF, if line_ends allow it) that ends chunk data
    chunk_data_lf,  ///< expecting the LF after that CR
    trailer_line,   ///< reading trailer field lines until an empty line
    done,           ///< the message is complete
    failed,         ///< the input was malformed; failure_ says why
  };

  /// What next_line() found: a whole line, part of one, one over its limit, the beginning
  /// of a start line that no valid one has (impossible_ says why), or a line ended by a LF
  /// alone where line_ends::crlf is required.
  enum class line_status : std::uint8_t { complete, partial, too_long, impossible, bare_lf };

  /// The error for a line over its limit in the current state.
  [[nodiscard]] error too_long() const noexcept;
  /// Finds the next line from @p pos, buffering an incomplete one.
  line_status next_line(std::string_view data, std::size_t& pos, std::string_view& line);
  /// Parses one complete line in the current state.
  error on_line(std::string_view line, fields& headers, std::string& body);
  /// Parses a field line; adds it to @p headers unless that is null (trailers are dropped).
  error add_field(std::string_view line, fields* headers);
  /// Ends the header section: asks the derived parser how the body is framed.
  error finish_header(const fields& headers, std::string& body);
  /// Parses a chunk-size line.
  error on_chunk_size(std::string_view line, const std::string& body);
  /// Records @p e and reports it.
  parse_result fail(error e, std::size_t consumed) noexcept;

  limits limits_;                        ///< what this parser accepts
  line_ends ends_;                       ///< whether a lone LF ends a line
  state state_ = state::start_line;      ///< where we are
  body_kind framing_ = body_kind::none;  ///< how the body is delimited
  bool header_done_ = false;             ///< the header section is complete
  error failure_{};                      ///< why parsing failed; error{} while it has not
  error impossible_{};                   ///< why a start line's beginning cannot be valid
  std::size_t header_bytes_ = 0;         ///< bytes of complete field (and trailer) lines so far
  std::size_t field_count_ = 0;          ///< header and trailer fields so far
  std::uint64_t remaining_ = 0;          ///< body or chunk bytes still to read
  std::string line_;                     ///< the start of a line split across feeds
};

}  // namespace socketlab::http::detail
