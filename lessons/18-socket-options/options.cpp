// Lesson 18: what every socket program meets. Five small experiments, one per subcommand, each
// showing what a socket does at an edge when nobody told it otherwise, and the option or flag
// that changes it. Every connection is on 127.0.0.1; what differs per system is in platform.hpp.
//
// Usage: lesson18-options sigpipe [--nosignal | --ignore]
//          a send() to a connection the peer has reset: SIGPIPE, or the error, with each fix
//        lesson18-options nagle PORT [REQUESTS]
//          HTTP requests written in two pieces, with Nagle's algorithm and with TCP_NODELAY
//          (needs an HTTP server on 127.0.0.1:PORT, e.g. socketlab-server --site PORT=en)
//        lesson18-options keepalive PORT
//          a silent connection with SO_KEEPALIVE on, probed after 5 s (watch it with ss -tno)
//        lesson18-options linger PORT
//          close() as usual, then close() with SO_LINGER {on, 0 s}: what the peer reads
//        lesson18-options defer
//          a listener with TCP_DEFER_ACCEPT (Linux): accept() sees a connection only with its request
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <asio.hpp>

#include "platform.hpp"
#include "socketlab/http/response_parser.hpp"

namespace {

using asio::ip::tcp;
using namespace std::chrono_literals;
using milliseconds = std::chrono::duration<double, std::milli>;

constexpr std::string_view usage =
    "usage: lesson18-options sigpipe [--nosignal | --ignore]\n"
    "       lesson18-options nagle PORT [REQUESTS]\n"
    "       lesson18-options keepalive PORT\n"
    "       lesson18-options linger PORT\n"
    "       lesson18-options defer";

/// A listening socket on 127.0.0.1:@p port (0: any free port).
tcp::acceptor listen_on(asio::io_context& io, unsigned short port) {
  tcp::acceptor server(io);
  server.open(tcp::v4());
  server.set_option(tcp::acceptor::reuse_address(true));
  server.bind({asio::ip::address_v4::loopback(), port});
  server.listen();
  return server;
}

/// sigpipe: a send() to a connection the peer has reset, as C makes it, or with a fix.
int run_sigpipe(std::string_view fix) {
  asio::io_context io;
  tcp::acceptor server = listen_on(io, 0);
  tcp::socket client(io);
  client.connect(server.local_endpoint());
  platform::allow_sigpipe(client);  // macOS: clear the SO_NOSIGPIPE Asio set, as C's socket() has it
  //! [sigpipe]
  server.accept().close();  // the peer accepts, then closes at once: a FIN comes
  std::cout << "the peer accepted the connection and closed it" << std::endl;

  int flags = 0;  // what C's send() passes, and Python's sock.send()
  if (fix == "--nosignal") flags = platform::no_sigpipe(client);  // MSG_NOSIGNAL: none for this call
  if (fix == "--ignore") platform::ignore_sigpipe();              // signal(SIGPIPE, SIG_IGN): none at all

  std::error_code ec = platform::plain_send(client, "hello", flags);  // sock.send(b"hello")
  std::cout << "send() 1: " << (ec ? ec.message() : "5 bytes taken; the peer's system answers with a reset")
            << std::endl;
  platform::wait_for_reset(client);  // until the reset (RST) has arrived: no sleep, no race
  std::cout << "the reset has arrived; send() 2..." << std::endl;
  ec = platform::plain_send(client, "hello", flags);  // SIGPIPE ends the process here, unless fixed
  std::cout << "send() 2" << (ec ? " failed: " + ec.message() : ": 5 bytes taken") << std::endl;
  //! [sigpipe]
  return 0;
}

/// Reads until the kit's HTTP parser has seen a whole response (lesson 16's loop).
void read_response(tcp::socket& connection) {
  socketlab::http::response_parser parser;
  std::array<char, 4096> buffer;
  for (;;) {
    const std::size_t n = connection.read_some(asio::buffer(buffer));
    const auto result = parser.feed({buffer.data(), n});
    if (result.status == socketlab::http::parse_status::done) return;
    if (result.status == socketlab::http::parse_status::error) throw std::system_error(parser.error(), "response");
  }
}

/// The time of each of @p count requests on one connection, each written in two pieces.
std::vector<double> split_requests(asio::io_context& io, const tcp::endpoint& server, int count, bool no_delay) {
  tcp::socket connection(io);
  connection.connect(server);
  //! [nagle]
  connection.set_option(tcp::no_delay(no_delay));  // s.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1)
  std::vector<double> times;
  for (int i = 0; i < count; ++i) {
    const auto start = std::chrono::steady_clock::now();
    asio::write(connection, asio::buffer(std::string_view("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")));
    asio::write(connection, asio::buffer(std::string_view("\r\n")));  // the header's end: a second write
    read_response(connection);
    times.push_back(milliseconds(std::chrono::steady_clock::now() - start).count());
  }
  //! [nagle]
  std::sort(times.begin(), times.end());
  return times;
}

/// nagle: the same requests with Nagle's algorithm (the default) and with TCP_NODELAY.
int run_nagle(unsigned short port, int count) {
  asio::io_context io;
  const tcp::endpoint server(asio::ip::address_v4::loopback(), port);
  const auto nagle_on = split_requests(io, server, count, false);
  const auto nodelay = split_requests(io, server, count, true);
  std::cout << count << " requests to " << server << " on one connection, each written in two pieces\n"
            << "latency (ms)           min  median     max\n"
            << std::fixed << std::setprecision(2);
  const auto median = [](const std::vector<double>& sorted) { return sorted[sorted.size() / 2]; };
  for (const auto& [name, times] : {std::pair{"Nagle (the default)", &nagle_on}, std::pair{"TCP_NODELAY", &nodelay}})
    std::cout << std::left << std::setw(19) << name << std::right << std::setw(7) << times->front() << std::setw(8)
              << median(*times) << std::setw(8) << times->back() << "\n";
  const double waited = median(nagle_on) - median(nodelay);
  if (waited > 20.0)
    std::cout << "Nagle held back each second piece: the median request waited " << waited << " ms longer\n";
  else
    std::cout << "no stall this time: the medians differ by " << waited << " ms\n";
  return 0;
}

/// keepalive: one connection that nobody writes to, probed after 5 s of silence.
int run_keepalive(unsigned short port) {
  asio::io_context io;
  tcp::acceptor server = listen_on(io, port);
  tcp::socket client(io);
  client.connect(server.local_endpoint());
  tcp::socket peer = server.accept();  // kept open and silent: it only answers the probes
  //! [keepalive]
  client.set_option(tcp::socket::keep_alive(true));                  // s.setsockopt(SOL_SOCKET, SO_KEEPALIVE, 1)
  const auto ec = platform::set_keepalive_times(client, 5s, 1s, 3);  // TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT
  //! [keepalive]
  std::cout << "connected " << client.local_endpoint() << " to " << client.remote_endpoint()
            << " with SO_KEEPALIVE on:\n  a probe after 5 s of silence, then every 1 s while unanswered; "
            << "after 3 unanswered, the end" << (ec ? " (times not set: " + ec.message() + ")" : "") << std::endl;
  std::array<char, 1> byte;
  std::error_code error;
  client.read_some(asio::buffer(byte), error);  // nothing comes: waits until the peer is found dead
  std::cout << "the connection ended: " << error.message() << std::endl;
  return 0;
}

/// linger: what the peer's read gets when a connection is closed as usual, then with SO_LINGER {on, 0 s}.
int run_linger(unsigned short port) {
  asio::io_context io;
  tcp::acceptor server = listen_on(io, port);
  //! [linger]
  for (const bool abort : {false, true}) {
    tcp::socket client(io);
    client.connect(server.local_endpoint());
    tcp::socket peer = server.accept();
    if (abort) client.set_option(tcp::socket::linger(true, 0));  // s.setsockopt(SOL_SOCKET, SO_LINGER,
                                                                 //   struct.pack("ii", 1, 0)); Windows: "HH"
    client.close();  // with linger {on, 0 s}: a reset (RST) instead of a FIN, and no TIME_WAIT
    std::array<char, 1> byte;
    std::error_code ec;
    peer.read_some(asio::buffer(byte), ec);
    std::cout << (abort ? "close() with SO_LINGER {on, 0 s}" : "close() as usual") << ": the peer reads "
              << ec.message() << std::endl;
  }
  //! [linger]
  return 0;
}

/// defer: accept() on a listener with TCP_DEFER_ACCEPT, before and after the client's request.
int run_defer() {
  asio::io_context io;
  tcp::acceptor server = listen_on(io, 0);
  //! [defer]
  const auto ec = platform::defer_accept(server, 5s);  // s.setsockopt(IPPROTO_TCP, TCP_DEFER_ACCEPT, 5)
  //! [defer]
  if (ec) {
    std::cout << "no TCP_DEFER_ACCEPT on this system: only Linux has it" << std::endl;
    return 0;
  }
  tcp::socket client(io);
  client.connect(server.local_endpoint());
  std::cout << "connect() returned: the handshake is done" << std::endl;
  server.non_blocking(true);  // an accept() with nothing to accept says so instead of waiting
  std::error_code nothing;
  (void)server.accept(nothing);
  std::cout << "accept() at once: " << nothing.message() << " (the connection is not in the accept queue)"
            << std::endl;
  asio::write(client, asio::buffer(std::string_view("GET / HTTP/1.0\r\n\r\n")));
  server.non_blocking(false);
  const tcp::socket peer = server.accept();
  std::cout << "the client sent its request: accept() returned the connection, " << peer.available()
            << " bytes there for the first recv()" << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char* argv[]) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  const auto number = [&](std::size_t i, int fallback) { return i < args.size() ? std::atoi(args[i].data()) : fallback; };
  const auto port = static_cast<unsigned short>(number(1, 0));
  try {
    if (args.size() <= 2 && !args.empty() && args[0] == "sigpipe" &&
        (args.size() == 1 || args[1] == "--nosignal" || args[1] == "--ignore"))
      return run_sigpipe(args.size() == 2 ? args[1] : "");
    if (args.size() >= 2 && args.size() <= 3 && args[0] == "nagle" && port != 0)
      return run_nagle(port, std::max(1, number(2, 20)));
    if (args.size() == 2 && args[0] == "keepalive" && port != 0) return run_keepalive(port);
    if (args.size() == 2 && args[0] == "linger" && port != 0) return run_linger(port);
    if (args.size() == 1 && args[0] == "defer") return run_defer();
    const bool help = args.size() == 1 && (args[0] == "--help" || args[0] == "-h");
    (help ? std::cout : std::cerr) << usage << std::endl;
    return help ? 0 : 2;
  } catch (const std::system_error& e) {
    std::cerr << "lesson18-options: " << e.what() << std::endl;  // "connect: Connection refused"
    return 1;
  }
}
