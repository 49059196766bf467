#include "support/capture_stream.hpp"

namespace socketlab::test {

capture_stream::capture_stream() : std::ostream(&buffer_) {}

std::string capture_stream::str() const {
  std::lock_guard lock(buffer_.mutex);
  return buffer_.text;
}

bool capture_stream::wait_for(std::string_view needle, std::chrono::milliseconds timeout) {
  std::unique_lock lock(buffer_.mutex);
  return buffer_.changed.wait_for(lock, timeout,
                                  [&] { return buffer_.text.find(needle) != std::string::npos; });
}

capture_stream::buffer::int_type capture_stream::buffer::overflow(int_type ch) {
  if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
  const char c = traits_type::to_char_type(ch);
  xsputn(&c, 1);
  return ch;
}

std::streamsize capture_stream::buffer::xsputn(const char* s, std::streamsize n) {
  {
    std::lock_guard lock(mutex);
    text.append(s, static_cast<std::size_t>(n));
  }
  changed.notify_all();
  return n;
}

}  // namespace socketlab::test
