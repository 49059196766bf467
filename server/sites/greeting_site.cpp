#include "server/sites/greeting_site.hpp"

namespace socketlab::server {

greeting_site::greeting_site(const greeting& g) : greeting_(g), body_(std::string(g.text) + "\n") {}

reply greeting_site::handle(const http::request& req) const {
  if (target_path(req.target) != "/") return text_response(404, "Not Found\n");
  reply res = text_response(200, {});
  res.constant_body = body_;  // sent from here: no copy of the text per request
  return res;
}

std::string greeting_site::describe() const {
  return std::string(greeting_.name) + " (" + std::string(greeting_.code) + ")";
}

}  // namespace socketlab::server
