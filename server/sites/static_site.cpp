#include "server/sites/static_site.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <stdexcept>
#include <system_error>
#include <type_traits>
#include <utility>

#include "server/sites/byte_range.hpp"
#include "server/sites/conditional_get.hpp"
#include "server/sites/media_type.hpp"
#include "server/sites/static_path.hpp"
#include "socketlab/http/date.hpp"
#include "socketlab/http/fields.hpp"
#include "socketlab/http/status.hpp"
#include "socketlab/net/per_thread.hpp"
#include "socketlab/net/readable_file.hpp"

namespace socketlab::server {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view html_type = "text/html; charset=utf-8";  ///< the error pages' type

/// @p p as UTF-8 text, for messages (never for a response: no answer names a file-system path).
std::string to_utf8(const fs::path& p) {
  const std::u8string text = p.u8string();
  return {text.begin(), text.end()};
}

/// @p folder, canonical.
/// @throws std::invalid_argument when it is not an existing folder
fs::path canonical_folder(const fs::path& folder) {
  const std::string name = "'" + to_utf8(folder) + "'";
  std::error_code ec;
  const auto type = fs::status(folder, ec).type();
  if (type == fs::file_type::not_found) {
    std::error_code ignored;
    const auto here = fs::current_path(ignored);
    throw std::invalid_argument("no folder " + name + " to serve" +
                                (folder.is_relative() && !here.empty()
                                     ? " (a relative path starts from " + to_utf8(here) + ")"
                                     : std::string()));
  }
  if (ec) throw std::invalid_argument("cannot serve " + name + ": " + ec.message());
  if (type != fs::file_type::directory) {
    throw std::invalid_argument("cannot serve " + name +
                                ": it is not a folder; give the folder that holds it");
  }
  auto canonical = fs::canonical(folder, ec);
  if (ec) throw std::invalid_argument("cannot serve " + name + ": " + ec.message());
  return canonical;
}

/// @p text with the characters HTML gives a meaning escaped, for a page that quotes the client.
std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

/// The Last-Modified field's value for @p modified, formatted once per thread while it is the
/// same time (a site's files are asked for again and again).
const std::string& last_modified_text(std::chrono::system_clock::time_point modified) {
  struct last_modified;
  return net::per_thread<http::http_date_cache, last_modified>().format(modified);
}

/// Opens @p target's file, unless map_target() has (as it does unless a symlink or a permission
/// was in the way); its facts are then those of the open file.
/// @return the error opening or stat-ing it, if any (the file is open when only the stat failed)
std::error_code open_target(static_target& target) {
  std::error_code ec;
  if (target.opened) return ec;
  target.opened = net::readable_file::open(target.file, ec);
  if (!ec) target.facts = target.opened.stat(ec);
  return ec;
}

/// 301 to @p location, with the query of @p target kept: "/docs?page=2" -> "/docs/?page=2".
reply redirect(std::string location, std::string_view target) {
  if (const auto q = target.find('?'); q != std::string_view::npos) {
    const auto query = target.substr(q, target.find('#', q) - q);
    if (query.size() > 1) location += query;
  }
  auto res = text_response(301, "Moved Permanently: " + location + "\n");
  res.headers.add("Location", location);
  return res;
}

}  // namespace

static_site::static_site(const fs::path& folder) : root_(canonical_folder(folder)) {}

reply static_site::handle(const http::request& req) const {
  const std::string_view path = target_path(req.target);
  static_target st = map_target(root_, path);
  switch (st.what) {
    case static_target::kind::file:
      return serve(st, path, req);
    case static_target::kind::redirect:
      return redirect(st.location, req.target);
    case static_target::kind::refused:
      break;
  }
  // A 404 never says why: "outside the folder" would tell what exists outside.
  if (st.status == 404) return not_found(path);
  return text_response(st.status, std::string(http::reason_phrase(st.status)) + ": " + st.reason + "\n");
}

std::string static_site::describe() const {
  return "files from " + to_utf8(root_);
}

reply static_site::serve(static_target& target, std::string_view path, const http::request& req) const {
  // Open first: a file we may not read is a 403 whatever the client's validators say. Its size
  // and time are those of the file opened (fstat), whatever its name points to a moment later.
  const fs::path& file = target.file;
  const std::error_code ec = open_target(target);
  if (ec && !target.opened) {
    std::error_code ignored;
    if (!fs::exists(file, ignored)) return not_found(path);  // removed since map_target() saw it
    return text_response(403, "Forbidden: the file cannot be read\n");
  }
  if (ec || !target.facts.regular) return not_found(path);  // replaced by a folder since, say
  net::readable_file in = std::move(target.opened);
  const net::file_facts facts = target.facts;
  const std::uint64_t size = facts.size;

  const auto current = validators_of(size, facts.modified);
  reply res;
  res.headers.reserve(4);  // Accept-Ranges, Content-Range, Last-Modified, ETag: one allocation
  const auto range = requested_range(req, current, size);
  if (not_modified(req, current)) {
    // The validators again (RFC 9110 §15.4.5), so the client can refresh what it keeps; no body.
    res.status = 304;
  } else if (range.what == byte_range::kind::unsatisfiable) {
    res = text_response(416, "Range Not Satisfiable: the file has " + std::to_string(size) + " bytes\n");
    res.headers.add("Content-Range", "bytes */" + std::to_string(size));
  } else {
    const bool partial = range.what == byte_range::kind::partial;
    res.status = partial ? 206 : 200;
    res.content_type = mime_type(file);
    res.headers.add("Accept-Ranges", "bytes");
    if (partial) {
      res.headers.add("Content-Range", "bytes " + std::to_string(range.first) + "-" +
                                           std::to_string(range.last) + "/" + std::to_string(size));
    }
    const std::uint64_t first = partial ? range.first : 0;
    res.file.emplace(std::move(in), first, partial ? range.last + 1 - first : size);
  }
  res.headers.add("Last-Modified", last_modified_text(current.modified));
  res.headers.add("ETag", current.etag);
  return res;
}

reply static_site::not_found(std::string_view path) const {
  reply res;
  res.status = 404;
  res.content_type = html_type;
  // The site's own page, found by the same rules as any file (a symlink out is not followed).
  if (auto page = map_target(root_, "/404.html"); page.what == static_target::kind::file) {
    if (!open_target(page) && page.facts.regular) {
      res.file.emplace(std::move(page.opened), 0, page.facts.size);
      return res;
    }
  }
  res.body =
      "<!DOCTYPE html>\n"
      "<html lang=\"en\">\n"
      "<head><meta charset=\"utf-8\"><title>404 Not Found</title></head>\n"
      "<body>\n"
      "<h1>Not Found</h1>\n"
      "<p>Nothing is served at <code>" +
      html_escape(path) +
      "</code>.</p>\n"
      "</body>\n"
      "</html>\n";
  return res;
}

}  // namespace socketlab::server
