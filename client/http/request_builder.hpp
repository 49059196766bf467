/// @file
/// The request socketlab-client sends, built from what the user typed (curl's -X, -H, -d).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "client/http/url.hpp"
#include "socketlab/http/request.hpp"

namespace socketlab::client {

/// What the command line says about the request, apart from the URL.
struct request_options {
  std::string method;                ///< -X; empty means GET, or POST when there is a body (as curl)
  std::vector<std::string> headers;  ///< -H values as typed: "Name: value", or "Name:" to drop a default
  std::string body;                  ///< -d; sent with Content-Length
  bool has_body = false;             ///< -d was given (even an empty one)
  bool keep_alive = true;            ///< false: send `Connection: close`
};

/// Checks one -H value: "Name: value" with a token name, or "Name:" to remove a default field.
/// @param text what the user typed
/// @throws std::invalid_argument saying what is wrong and what would be right
void check_header_option(std::string_view text);

/// Builds the request for @p target: `METHOD target HTTP/1.1`, then Host, User-Agent and
/// Accept (the fields curl sends), `Connection: close` when keep-alive is off, the user's
/// -H fields (a user field replaces the default of the same name; "Name:" removes it), and
/// Content-Length with the body when there is one.
/// @param target where the request goes
/// @param options method, fields and body
/// @return the request, ready for socketlab::http::serialize()
[[nodiscard]] http::request make_request(const url& target, const request_options& options);

}  // namespace socketlab::client
