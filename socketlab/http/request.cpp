#include "socketlab/http/request.hpp"

#include "socketlab/http/detail/connection.hpp"

namespace socketlab::http {

bool request::keep_alive() const {
  return detail::keep_alive(version, headers);
}

std::string request::request_line() const {
  if (method.empty()) return {};
  std::string line = method;
  if (target.empty()) return line;  // cut short after the method
  line.append(" ").append(target).append(" HTTP/");
  line.append(std::to_string(version / 10)).append(".").append(std::to_string(version % 10));
  return line;
}

}  // namespace socketlab::http
