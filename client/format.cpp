#include "client/format.hpp"

#include <cstdarg>
#include <cstdio>
#include <string>
#include <vector>

namespace socketlab::client {

std::string format(const char* pattern, ...) {
  std::va_list args;
  va_start(args, pattern);
  std::va_list again;
  va_copy(again, args);
  const int size = std::vsnprintf(nullptr, 0, pattern, args);
  va_end(args);
  std::string text;
  if (size > 0) {
    std::vector<char> buffer(static_cast<std::size_t>(size) + 1);
    std::vsnprintf(buffer.data(), buffer.size(), pattern, again);
    text.assign(buffer.data(), static_cast<std::size_t>(size));
  }
  va_end(again);
  return text;
}

std::string grouped(unsigned long long n) {
  std::string digits = std::to_string(n);
  for (auto i = digits.size(); i > 3; i -= 3)
    digits.insert(i - 3, 1, ',');
  return digits;
}

std::string counted(std::size_t n, const std::string& noun) {
  const char* plural = noun.ends_with('o') ? "es" : "s";
  return grouped(n) + " " + noun + (n == 1 ? "" : plural);
}

double milliseconds(std::chrono::nanoseconds d) noexcept {
  return static_cast<double>(d.count()) / 1e6;
}

std::string host_and_port(const std::string& host, std::uint16_t port) {
  // Only IPv6 literals contain ':'.
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace socketlab::client
