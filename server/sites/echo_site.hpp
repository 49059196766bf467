/// @file
/// A site that sends each request back as the server parsed it: for HTTP conformance suites
/// (h1spec, for one), and for the learner who wants to see what the parser made of a request,
/// the way the original exercise printed each one.
#pragma once

#include <string>
#include <string_view>

#include "server/sites/site.hpp"

namespace socketlab::server {

/// A site that answers every request with 200 and the request itself. `--site 8080=echo` makes
/// one; each response carries:
/// - `Echo-Request-Line`: the request line as parsed, e.g. `POST /a?b HTTP/1.1` (the version is
///   the one the parser read, so `HTTP/1.0` stays `HTTP/1.0`);
/// - `Echo-Field-<name>`: one per request field, in arrival order, the name's case as sent and
///   the value as parsed (without the whitespace around it); a repeated field stays repeated;
/// - the body:
///   - when the request had one (it said so with Content-Length or Transfer-Encoding, RFC 9112
///     §6.3): that body, byte for byte, chunked framing already removed by the parser; with the
///     request's Content-Type, or `application/octet-stream` when it had none. An empty body
///     (`Content-Length: 0`) comes back empty;
///   - otherwise: the same request line and fields as text, one `name: value` a line, in
///     `text/plain; charset=utf-8`;
/// - `X-Content-Type-Options: nosniff`: the body is whatever the client sent, so a browser must
///   take the Content-Type as given rather than guess that the bytes are a page to run;
/// - `Content-Security-Policy: sandbox`: and when the client said `text/html` itself (a form on
///   another site posting to this one, say), the page it gets back runs no script and is nobody's
///   origin, so a reflected page cannot act as this server's.
///
/// The fields are there whatever the request, so a program reads them in one place, and a HEAD
/// (whose body the connection drops) still shows what was parsed. Nothing is copied into a
/// response field that could end it early: the parser lets no CR, LF or other control byte
/// into a value, and the site replaces any byte a field may not hold with `_` all the same
/// (a request built in code has not been through the parser).
///
/// Every method is answered, unknown tokens (`FOO`) included, since seeing what the server
/// parsed is the point, except CONNECT: a 2xx to CONNECT opens a tunnel (RFC 9110 §9.3.6),
/// after which the client's bytes would no longer be HTTP, so CONNECT gets 405 as on any site.
/// A request at the server's limits (--max-fields, --max-header-bytes) gives a response header
/// as large, which a client with the same limits may refuse.
///
/// Threading: stateless; handle() may be called from several threads at once.
class echo_site final : public site {
 public:
  /// 200 with the request as described in the class comment.
  /// @param req the request (any method but CONNECT)
  /// @return the response
  [[nodiscard]] reply handle(const http::request& req) const override;

  /// Every method but CONNECT.
  /// @param method the request's method
  /// @return false for CONNECT only
  [[nodiscard]] bool allows(std::string_view method) const override;

  /// The methods RFC 9110 and RFC 5789 define, but CONNECT (unknown tokens are allowed too, but
  /// cannot be listed).
  /// @return "GET, HEAD, POST, PUT, DELETE, OPTIONS, TRACE, PATCH"
  [[nodiscard]] std::string_view allow_field() const override;

  /// "echo (each request sent back as parsed)".
  /// @return the line
  [[nodiscard]] std::string describe() const override;
};

}  // namespace socketlab::server
