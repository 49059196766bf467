#include "server/sites/site.hpp"

#include <array>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "server/sites/echo_site.hpp"
#include "server/sites/greeting_site.hpp"
#include "server/sites/static_site.hpp"

namespace socketlab::server {
namespace {

// Methods RFC 9110 and RFC 5789 define. Others are "not implemented" (501), these are
// "not allowed" (405) on a site that does not allow them (a site that only reads).
constexpr std::array<std::string_view, 9> known_methods{"GET",     "HEAD",    "POST",  "PUT",  "DELETE",
                                                        "CONNECT", "OPTIONS", "TRACE", "PATCH"};

bool is_known_method(std::string_view method) {
  for (auto m : known_methods) {
    if (m == method) return true;
  }
  return false;
}

std::string known_languages() {
  std::string list;
  for (const auto& g : greetings()) {
    if (!list.empty()) list += ", ";
    list += g.code;
  }
  return list;
}

}  // namespace

std::unique_ptr<site> make_site(std::string_view spec) {
  if (auto g = find_greeting(spec)) return std::make_unique<greeting_site>(*g);
  if (spec == "echo") return std::make_unique<echo_site>();
  // The command line is taken as UTF-8, like request paths (see static_path.hpp).
  const std::filesystem::path folder(std::u8string(spec.begin(), spec.end()));
  std::error_code ec;
  if (!spec.empty() && std::filesystem::is_directory(folder, ec))
    return std::make_unique<static_site>(folder);
  throw std::invalid_argument(
      "unknown language '" + std::string(spec) + "' and no folder '" + std::string(spec) + "'; use one of " +
      known_languages() + " (a greeting), echo (each request sent back) or the path of a folder of files");
}

reply text_response(int status, std::string body) {
  reply res;
  res.status = status;
  res.content_type = "text/plain; charset=utf-8";
  res.body = std::move(body);
  return res;
}

reply respond(const site& s, const http::request& req) {
  if (s.allows(req.method)) return s.handle(req);
  if (!is_known_method(req.method)) return text_response(501, "Not Implemented: " + req.method + "\n");
  auto res = text_response(405, "Method Not Allowed: " + req.method + "\n");
  res.headers.add("Allow", s.allow_field());
  return res;
}

std::string_view target_path(std::string_view target) noexcept {
  // absolute-form (RFC 9112 §3.2.2): skip "scheme://authority".
  if (auto scheme_end = target.find("://"); scheme_end != std::string_view::npos && target.front() != '/') {
    auto path_start = target.find('/', scheme_end + 3);
    target = path_start == std::string_view::npos ? std::string_view("/") : target.substr(path_start);
  }
  return target.substr(0, target.find_first_of("?#"));
}

}  // namespace socketlab::server
