/// @file
/// A site: what one port serves. Pure functions from request to response, no sockets.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "server/sites/file_body.hpp"
#include "socketlab/http/request.hpp"
#include "socketlab/http/response.hpp"

namespace socketlab::server {

/// A site's answer: a response whose body is either in memory (`body`) or the bytes of a file
/// (`file`), which the connection sends straight from the file (http_session::file_output()).
struct reply : http::response {
  reply() = default;
  /// An answer whose body, if any, is in @p res (implicit: a site returns a response as is).
  /// @param res the response
  reply(http::response res) : http::response(std::move(res)) {}  // NOLINT(google-explicit-constructor)

  std::optional<file_body> file;  ///< when set, the body: `body` is then empty
  /// The Content-Type, when it is a constant (a site's own, a media type from the table): the
  /// connection layer writes it after Date, and no field is built for it. Empty: `headers` says
  /// it, if anything does.
  std::string_view content_type;
  /// The body, when it is a constant the site keeps for as long as it lives (a greeting built
  /// once): the connection layer copies it into the response it writes, and no string is built
  /// for it per response. Empty: `body` (or `file`) is the body.
  std::string_view constant_body;

  /// @return the body in memory: constant_body when set, else body
  [[nodiscard]] std::string_view body_text() const noexcept {
    return constant_body.empty() ? std::string_view(body) : constant_body;
  }
};

/// What one port serves. A site only turns requests into responses; the connection
/// layer adds Date, Server, Content-Length and Connection, drops the body for HEAD, and sends a
/// file body from the file.
///
/// Threading: handle() is const and may be called from several threads at once.
class site {
 public:
  virtual ~site() = default;

  /// The response to a request whose method this site allows (see respond()).
  /// @param req the request (its method one that allows() accepts)
  /// @return the response
  [[nodiscard]] virtual reply handle(const http::request& req) const = 0;

  /// Whether handle() answers @p method; respond() answers the others for it (405 or 501).
  /// The default is a site that only reads: GET and HEAD.
  /// @param method the request's method, case-sensitive (RFC 9110 §9.1)
  /// @return true when handle() should answer it
  [[nodiscard]] virtual bool allows(std::string_view method) const {
    return method == "GET" || method == "HEAD";
  }

  /// The `Allow` field of a 405: the methods allows() accepts, as a list ("GET, HEAD" by default).
  /// @return the field value
  [[nodiscard]] virtual std::string_view allow_field() const { return "GET, HEAD"; }

  /// One line for the start-up banner, such as "English (en)".
  /// @return the line, without a newline
  [[nodiscard]] virtual std::string describe() const = 0;
};

/// Builds the site a `--site PORT=SPEC` names: a language code gives a greeting_site
/// (server/sites/greeting_site.hpp), `echo` an echo_site (server/sites/echo_site.hpp), the path of
/// a folder a static_site (server/sites/static_site.hpp) serving its files. A language code or
/// `echo` wins: a folder named "fr" or "echo" is served as "./fr" or "./echo".
/// @param spec e.g. "fr", "echo", "./public", "/srv/www"
/// @return the site
/// @throws std::invalid_argument naming the known languages and `echo` when SPEC is none of them
///         and not a folder
[[nodiscard]] std::unique_ptr<site> make_site(std::string_view spec);

/// A response with a plain-text body ("text/plain; charset=utf-8", its reply::content_type).
/// @param status the status code
/// @param body the text, a line end included
/// @return the response
[[nodiscard]] reply text_response(int status, std::string body);

/// The rules every site shares, then the site: a method the site allows (site::allows()) goes to
/// site::handle(); of the others, an unknown method gets 501 and a known one 405 with the site's
/// `Allow` (site::allow_field()).
/// @param s the site
/// @param req the request
/// @return the response
[[nodiscard]] reply respond(const site& s, const http::request& req);

/// The path of a request target without its query: "/a?b" -> "/a";
/// for the absolute form "http://host/a" -> "/a".
/// @param target the request-target
/// @return the path part
[[nodiscard]] std::string_view target_path(std::string_view target) noexcept;

}  // namespace socketlab::server
