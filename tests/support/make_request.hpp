/// @file
/// Requests built in code, for tests of what a site or a session does with a parsed request.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "socketlab/http/request.hpp"

namespace socketlab::test {

/// A request as the parser would give it: @p method, @p target, HTTP/1.1, `Host: x`, then
/// @p fields in order.
/// @param method e.g. "GET"
/// @param target e.g. "/a.txt?v=2"
/// @param fields more header fields, name and value
/// @return the request
inline http::request make_request(std::string method, std::string target,
                                  const std::vector<std::pair<std::string, std::string>>& fields = {}) {
  http::request req;
  req.method = std::move(method);
  req.target = std::move(target);
  req.headers.add("Host", "x");
  for (const auto& [name, value] : fields)
    req.headers.add(name, value);
  return req;
}

}  // namespace socketlab::test
