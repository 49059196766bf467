// --trace's dump of each write and read: the heading, 16 bytes a line with the stream offset in
// hex, the bytes in hex and as text ('.' for anything unprintable), compared on the exact text.
#include "client/http/wire_trace.hpp"

#include <algorithm>
#include <string>
#include <string_view>

#include "support/catch.hpp"

using namespace std::string_view_literals;
using socketlab::client::direction;
using socketlab::client::format_trace;

TEST_CASE("format_trace: a short read or write is one line, padded so the text lines up", "[unit][client]") {
  CHECK(format_trace(direction::sent, "hi\r\n", 0) ==
        "=> Send 4 bytes (0x4), stream offset 0 (0x0)\n"
        "0000: 68 69 0d 0a                                     hi..\n");
  CHECK(format_trace(direction::received, "x", 0) ==
        "<= Recv 1 byte (0x1), stream offset 0 (0x0)\n"
        "0000: 78                                              x\n");
}

TEST_CASE("format_trace: more than 16 bytes go on as many lines as they need", "[unit][client]") {
  CHECK(format_trace(direction::received, "HTTP/1.1 200 OK\r\n\r\n", 0) ==
        "<= Recv 19 bytes (0x13), stream offset 0 (0x0)\n"
        "0000: 48 54 54 50 2f 31 2e 31 20 32 30 30 20 4f 4b 0d HTTP/1.1 200 OK.\n"
        "0010: 0a 0d 0a                                        ...\n");

  const std::string big(256, 'a');
  const std::string text = format_trace(direction::sent, big, 0);
  CHECK(text.starts_with("=> Send 256 bytes (0x100), stream offset 0 (0x0)\n"));
  CHECK(std::count(text.begin(), text.end(), '\n') == 1 + 16);  // exactly 16 full lines, no empty 17th
  std::string last_line = "00f0: ";
  for (int i = 0; i < 16; ++i)
    last_line += "61 ";
  last_line += std::string(16, 'a') + "\n";
  CHECK(text.ends_with(last_line));
}

TEST_CASE("format_trace: offsets go on from where the stream was", "[unit][client]") {
  CHECK(format_trace(direction::sent, "GET / HTTP/1.1\r\nHost: h\r\n\r\n", 300) ==
        "=> Send 27 bytes (0x1b), stream offset 300 (0x12c)\n"
        "012c: 47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a GET / HTTP/1.1..\n"
        "013c: 48 6f 73 74 3a 20 68 0d 0a 0d 0a                Host: h....\n");
  // Past 64 KiB the offset simply gets wider.
  CHECK(format_trace(direction::received, "0123456789abcdef", 70000) ==
        "<= Recv 16 bytes (0x10), stream offset 70000 (0x11170)\n"
        "11170: 30 31 32 33 34 35 36 37 38 39 61 62 63 64 65 66 0123456789abcdef\n");
}

TEST_CASE("format_trace: unprintable bytes are shown as '.'", "[unit][client]") {
  CHECK(format_trace(direction::received, "\x00\x1f \x7e\x7f\x80\xff\t"sv, 0) ==
        "<= Recv 8 bytes (0x8), stream offset 0 (0x0)\n"
        "0000: 00 1f 20 7e 7f 80 ff 09                         .. ~....\n");
}

TEST_CASE("format_trace: nothing to dump is a heading alone", "[unit][client]") {
  CHECK(format_trace(direction::sent, "", 7) == "=> Send 0 bytes (0x0), stream offset 7 (0x7)\n");
}
