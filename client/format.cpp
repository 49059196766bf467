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

}  // namespace socketlab::client
