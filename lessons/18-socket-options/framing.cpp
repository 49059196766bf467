// Lesson 18: byte order and length-prefixed framing. A tiny binary protocol: each message is a
// 4-byte length, big-endian (network byte order), then that many bytes. The program sends its
// messages over a loopback connection in one write, and reads them back a few bytes at a time,
// so that lengths and messages are cut at awkward places, as TCP may cut them (lesson 04).
//
// Usage: lesson18-framing [--read-size N] MESSAGE...   frame each MESSAGE, send, read back
//        lesson18-framing [--read-size N] --raw TEXT   send TEXT's bytes as they are, unframed
#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <asio.hpp>

namespace {

using asio::ip::tcp;

/// The bytes of @p data in hexadecimal, "00 00 00 05".
std::string hex(std::string_view data) {
  std::ostringstream out;
  for (const char c : data)
    out << (out.tellp() > 0 ? " " : "") << std::hex << std::setw(2) << std::setfill('0')
        << static_cast<unsigned>(static_cast<unsigned char>(c));
  return out.str();
}

//! [encode]
/// @p n in 4 bytes, the most significant first: big-endian, the "network byte order".
std::string big_endian(std::uint32_t n) {  // struct.pack("!I", n)
  return {static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8), static_cast<char>(n)};
}

/// The number in the first 4 bytes of @p bytes, the most significant first.
std::uint32_t read_big_endian(std::string_view bytes) {  // struct.unpack("!I", bytes[:4])[0]
  std::uint32_t n = 0;
  for (std::size_t i = 0; i < 4; ++i) n = n << 8 | static_cast<unsigned char>(bytes[i]);
  return n;
}

/// A message on the wire: its length, then itself.
std::string frame(std::string_view message) {  // def frame(message):
  const auto length = static_cast<std::uint32_t>(message.size());  // (up to 4 GiB - 1)
  return big_endian(length).append(message);  // return struct.pack("!I", len(message)) + message
}
//! [encode]

/// Prints how @p n lies in this machine's memory, and how it goes on the wire.
void show_byte_order(std::uint32_t n) {
  std::array<char, 4> memory;
  std::memcpy(memory.data(), &n, 4);  // the number's bytes, as this machine keeps them
  const bool little = std::endian::native == std::endian::little;
  std::cout << n << " in this machine's memory: " << hex({memory.data(), 4})
            << (little ? " (little-endian)\n" : " (big-endian)\n")  //
            << n << " on the wire, big-endian:    " << hex(big_endian(n)) << "\n";
}

/// Collects a stream's bytes, however they were cut, and hands out the whole messages in it.
class frame_reader {
 public:
  static constexpr std::uint32_t max_message = 1 << 20;  ///< a longer one is refused: memory is not free

  /// Adds the bytes of one read.
  void feed(std::string_view bytes) { buffer_.append(bytes); }

  //! [decode]
  /// The next whole message, if it has all arrived; an error when its length is over max_message.
  std::optional<std::string> next(std::error_code& ec) {
    if (buffer_.size() < 4) return std::nullopt;  // not even the length yet
    const std::uint32_t length = read_big_endian(buffer_);
    if (length > max_message) {
      ec = std::make_error_code(std::errc::message_size);  // a broken or hostile peer: stop reading it
      error_length_ = length;
      return std::nullopt;
    }
    if (buffer_.size() < 4 + std::size_t{length}) return std::nullopt;  // the length, not all the message
    std::string message = buffer_.substr(4, length);
    buffer_.erase(0, 4 + std::size_t{length});  // what follows is the next message's start: keep it
    return message;
  }
  //! [decode]

  /// The length that next() refused.
  std::uint32_t error_length() const noexcept { return error_length_; }
  /// The bytes of a message not yet whole.
  std::size_t pending() const noexcept { return buffer_.size(); }

 private:
  std::string buffer_;
  std::uint32_t error_length_ = 0;
};

/// The command line: [--read-size N] MESSAGE... or [--read-size N] --raw TEXT.
struct options {
  std::size_t read_size = 5;       ///< bytes a read asks for
  std::optional<std::string> raw;  ///< text sent as it is, no framing
  std::vector<std::string> messages;  ///< each sent behind its length
};

/// Reads the command line into @p o; an exit status when the program must end now (--help, a mistake).
std::optional<int> parse(int argc, char* argv[], options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--read-size" && i + 1 < argc) {
      o.read_size = std::clamp<std::size_t>(std::strtoul(argv[++i], nullptr, 10), 1, 4096);
    } else if (arg == "--raw" && i + 1 < argc) {
      o.raw = argv[++i];
    } else if (arg.starts_with("-")) {
      const bool help = arg == "--help" || arg == "-h";
      (help ? std::cout : std::cerr) << "usage: lesson18-framing [--read-size N] MESSAGE...\n"
                                        "       lesson18-framing [--read-size N] --raw TEXT"
                                     << std::endl;
      return help ? 0 : 2;
    } else {
      o.messages.emplace_back(arg);
    }
  }
  return std::nullopt;
}

}  // namespace

int main(int argc, char* argv[]) {
  options o;
  if (const auto status = parse(argc, argv, o)) return *status;
  const auto& [read_size, raw, messages] = o;
  try {
    if (!messages.empty()) show_byte_order(static_cast<std::uint32_t>(messages[0].size()));

    asio::io_context io;
    tcp::acceptor server(io, {asio::ip::address_v4::loopback(), 0});
    tcp::socket sender(io);
    sender.connect(server.local_endpoint());
    tcp::socket receiver = server.accept();

    std::string stream = raw.value_or("");
    for (const std::string& m : messages) stream += frame(m);
    asio::write(sender, asio::buffer(stream));  // every message in one write (the system's buffer holds them)
    sender.shutdown(tcp::socket::shutdown_send);  // then the end of the stream
    std::cout << "sent " << (raw ? "the text as it is" : std::to_string(messages.size()) + " messages") << ", "
              << stream.size() << " bytes, in one write: " << hex(stream) << "\n";

    frame_reader reader;
    std::vector<char> buffer(read_size);
    std::error_code ec;
    int count = 0;
    for (;;) {
      const std::size_t n = receiver.read_some(asio::buffer(buffer), ec);  // data = conn.recv(5)
      if (ec) break;                                                     // the end of the stream (or an error)
      std::cout << "read " << n << " bytes: " << hex({buffer.data(), n}) << "\n";
      reader.feed({buffer.data(), n});
      while (const auto message = reader.next(ec))
        std::cout << "  message " << ++count << ": \"" << *message << "\" (" << message->size() << " bytes)\n";
      if (ec) {
        std::cout << "  a length of " << reader.error_length() << " bytes: over the " << frame_reader::max_message
                  << " this protocol allows; the connection is closed\n";
        return 1;
      }
    }
    if (ec != asio::error::eof) throw std::system_error(ec, "read");
    std::cout << "the stream ended after " << count << (count == 1 ? " message" : " messages");
    if (reader.pending() > 0) std::cout << ", inside a message (" << reader.pending() << " bytes of it)";
    std::cout << std::endl;
    return 0;
  } catch (const std::system_error& e) {
    std::cerr << "lesson18-framing: " << e.what() << std::endl;
    return 1;
  }
}
