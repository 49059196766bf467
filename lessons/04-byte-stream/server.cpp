// Lesson 04: TCP is a byte stream. Lesson 02's server, reading requests the right way: in a
// loop until the empty line that ends the header, then exactly Content-Length bytes of body,
// keeping what is left over for the next request. It prints every read, and answers each
// request with how it arrived, so that you see the stream's pieces from the client too.
//
// Usage: lesson04-server [PORT]    (default 8888)
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include <asio.hpp>

using asio::ip::tcp;

namespace {

constexpr std::size_t max_header = 8 * 1024;   // a longer header is refused (431)
constexpr long long max_body = 1024 * 1024;    // a longer body is refused (413)

/// The value of the Content-Length field of @p header: 0 when there is none, -1 when it is
/// not a number. Field names are case-insensitive, so the search is done on a lower-case copy.
//! [content-length]
long long content_length(std::string_view header) {
  std::string lower(header);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  const std::string_view name = "\r\ncontent-length:";
  const std::size_t at = lower.find(name);
  if (at == std::string::npos) return 0;  // no body
  std::string_view value = header.substr(at + name.size());
  value = value.substr(0, value.find('\r'));                                     // the rest of the line
  value.remove_prefix(std::min(value.find_first_not_of(" \t"), value.size()));  // without blanks before
  value = value.substr(0, value.find_last_not_of(" \t") + 1);                   // and after
  long long n = -1;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc{} || end != value.data() + value.size()) return -1;  // "12abc", "", ...
  return n;
}
//! [content-length]

/// A plain-text HTTP response. Without `Connection: close`, an HTTP/1.1 client may send its
/// next request on the same connection (keep-alive).
std::string response(std::string_view status, const std::string& body, bool close) {
  std::string out = "HTTP/1.1 " + std::string(status) + "\r\n";
  out += "Content-Type: text/plain; charset=utf-8\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  if (close) out += "Connection: close\r\n";
  return out + "\r\n" + body;
}

/// "40 + 40 + 9 bytes": which reads brought this request, and what they brought besides.
std::string describe_reads(std::size_t carried, const std::vector<std::size_t>& reads, std::size_t left) {
  std::string text;
  if (carried > 0) text = std::to_string(carried) + " left over from before";
  for (const std::size_t n : reads)
    text += (text.empty() ? "" : " + ") + std::to_string(n);
  if (!reads.empty()) text += " bytes";
  if (left > 0) text += ", " + std::to_string(left) + " of them the next request's";
  return text;
}

/// Serves one connection: request after request, until the client closes it.
void serve(tcp::socket& connection) {
  //! [buffer]
  std::string received;          // bytes read and not used yet: all that matters lives here
  std::array<char, 1024> chunk;  // one read takes at most 1024 bytes, as recv(1024) did
  //! [buffer]
  for (;;) {
    const std::size_t carried = received.size();  // read along with the previous request
    std::vector<std::size_t> reads;               // the size of each read for this request
    //! [read-more]
    auto read_more = [&] {
      std::error_code ec;
      const std::size_t n = connection.read_some(asio::buffer(chunk), ec);  // conn.recv(1024)
      if (ec == asio::error::eof) return false;  // recv() returned b"": the client closed
      if (ec) throw std::system_error(ec, "read");
      std::cout << "read " << n << " bytes" << std::endl;
      received.append(chunk.data(), n);
      reads.push_back(n);
      return true;
    };
    //! [read-more]

    //! [header]
    std::size_t header_end = received.find("\r\n\r\n");
    while (header_end == std::string::npos) {  // read until the empty line
      if (received.size() > max_header) {
        asio::write(connection, asio::buffer(response("431 Request Header Fields Too Large", "", true)));
        return;
      }
      if (!read_more()) return;  // closed, between requests or in the middle of one
      header_end = received.find("\r\n\r\n");
    }
    header_end += 4;  // the empty line belongs to the header
    //! [header]

    //! [body]
    const long long length = content_length(std::string_view(received).substr(0, header_end));
    if (length < 0 || length > max_body) {  // not a number, or more than we accept
      const char* status = length < 0 ? "400 Bad Request" : "413 Content Too Large";
      asio::write(connection, asio::buffer(response(status, "", true)));
      return;
    }
    const std::size_t request_end = header_end + static_cast<std::size_t>(length);
    while (received.size() < request_end) {  // read until Content-Length bytes of body
      if (!read_more()) return;
    }
    //! [body]

    //! [answer]
    const std::string request_line = received.substr(0, received.find("\r\n"));
    std::string report = request_line + "\n";
    report += "header: " + std::to_string(header_end) + " bytes\n";
    report += "body: " + std::to_string(length) + " bytes\n";
    report += "reads: " + describe_reads(carried, reads, received.size() - request_end) + "\n";
    std::cout << report << std::flush;
    asio::write(connection, asio::buffer(response("200 OK", report, false)));  // conn.sendall(...)
    received.erase(0, request_end);  // what is left is the start of the next request
    //! [answer]
  }
}

}  // namespace

int main(int argc, char* argv[]) {
  const auto port = static_cast<unsigned short>(argc > 1 ? std::atoi(argv[1]) : 8888);
  try {
    asio::io_context io;
    // socket, SO_REUSEADDR, bind and listen in one constructor: lesson 02 showed each call.
    tcp::acceptor server(io, {asio::ip::address_v4::loopback(), port});
    std::cout << "listening on 127.0.0.1:" << server.local_endpoint().port() << std::endl;
    for (;;) {
      tcp::endpoint address;
      tcp::socket connection = server.accept(address);
      std::cout << "connection from " << address << std::endl;
      try {
        serve(connection);
        std::cout << "connection from " << address << " closed" << std::endl;
      } catch (const std::system_error& e) {
        std::cout << "connection from " << address << ": " << e.code().message() << std::endl;
      }
    }
  } catch (const std::system_error& e) {
    std::cerr << "lesson04-server: " << e.what() << std::endl;
    return 1;
  }
}
