/// @file
/// The original exercise's site: a greeting in one language.
#pragma once

#include <string>

#include "server/sites/greetings.hpp"
#include "server/sites/site.hpp"

namespace socketlab::server {

/// A site that answers `/` with a greeting in one language, and 404 elsewhere.
class greeting_site final : public site {
 public:
  /// @param g the greeting to serve
  explicit greeting_site(const greeting& g);

  /// 200 with the greeting for `/` (a query string is ignored), 404 otherwise.
  /// @param req the request (method is GET or HEAD)
  /// @return the response
  [[nodiscard]] reply handle(const http::request& req) const override;

  /// "English (en)".
  /// @return the greeting's language name and code
  [[nodiscard]] std::string describe() const override;

 private:
  greeting greeting_;  ///< what `/` answers
  std::string body_;   ///< the greeting with its line end, built once
};

}  // namespace socketlab::server
