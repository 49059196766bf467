// Lesson 09: an event loop by hand. Lesson 02's greeting, served over HTTP/1.1 to any number of
// clients at once by ONE thread: every socket is non-blocking, and poll() tells the loop which of
// them can go on. No thread's stack remembers where a client is, so a struct does: what it has
// sent, what is left to answer, what it waits for. What differs on Windows is in sockets.hpp.
//
// Usage: lesson09-poll [PORT] [--body-size BYTES] [-v]
//   PORT         where to listen on 127.0.0.1 (default 8888)
//   --body-size  answer BYTES bytes of greetings, repeated, instead of one (a big body: partial sends)
//   -v           print each event: poll()'s wake-ups, accept, recv and send, and each EAGAIN
#include <array>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "sockets.hpp"

namespace {

/// What the command line asked for, and the one response every client gets.
struct settings {
  unsigned short port = 8888;
  bool verbose = false;
  std::string response;  ///< the whole answer, head and body, built once
};

constexpr std::size_t max_header = 8192;  ///< a longer request header is refused: memory is not free

//! [connection]
/// One client, and how far its exchange has come: the loop's memory of it between two poll()s.
struct connection {
  sockets::handle socket;       // the client's socket, non-blocking
  std::string peer;             // "127.0.0.1:50412", for the log
  std::string request{};        // the bytes received so far
  std::string_view response{};  // what to send, once the request's header is complete
  std::size_t written = 0;      // how much of the response send() has taken
  short waiting_for = POLLIN;   // what poll() watches: readable (the request), writable (the response)
  bool done = false;            // answered or failed: closed and removed after this turn of the loop
  int sends = 0;                // send() calls that took bytes,
  int partial = 0;              //   of which took fewer than offered,
  int would_block = 0;          // and send() calls that took none: EAGAIN
};
//! [connection]

/// Prints @p line when the user asked for every event (-v).
void event(const settings& s, const std::string& line) {
  if (s.verbose) std::cout << line << std::endl;
}

/// Ends the connection: it is closed and removed after this turn. @p why is always printed.
void finish(connection& c, const std::string& why) {
  c.done = true;
  std::cout << c.peer << " " << why << std::endl;
}

/// Ends the connection on the error @p error of the call @p what.
void fail(connection& c, const std::string& what, int error) {
  finish(c, what + ": " + sockets::message(error));
}

//! [write]
/// Sends what is left of the response, until all is sent or the socket's send buffer is full.
void write_response(connection& c, const settings& s) {
  while (c.written < c.response.size()) {
    const std::string_view rest = c.response.substr(c.written);
    const std::ptrdiff_t n = sockets::send(c.socket.get(), rest);  // sent = conn.send(rest)
    if (n < 0) {
      const int error = sockets::last_error();
      if (!sockets::would_block(error)) return fail(c, "send", error);
      ++c.would_block;          // except BlockingIOError:
      c.waiting_for = POLLOUT;  //   sel.modify(conn, EVENT_WRITE)
      return event(s, c.peer + " send: " + sockets::would_block_name + ", the buffer is full: wait for POLLOUT");
    }
    ++c.sends;
    if (static_cast<std::size_t>(n) < rest.size()) ++c.partial;
    c.written += static_cast<std::size_t>(n);
    event(s, c.peer + " send " + std::to_string(n) + " of " + std::to_string(rest.size()) + " bytes");
  }
  finish(c, "answered, " + std::to_string(c.written) + " bytes: " + std::to_string(c.sends) + " send(), " +
                std::to_string(c.partial) + " partial, " + std::to_string(c.would_block) + " " +
                sockets::would_block_name);
}
//! [write]

//! [read]
/// Receives what has arrived, until the system says there is no more for now.
void read_request(connection& c, const settings& s) {
  std::array<char, 4096> buffer;
  for (;;) {
    const std::ptrdiff_t n = sockets::receive(c.socket.get(), buffer);  // data = conn.recv(4096)
    if (n == 0) return finish(c, "closed by the peer before a whole request (recv returned 0)");
    if (n < 0) {
      const int error = sockets::last_error();
      if (!sockets::would_block(error)) return fail(c, "recv", error);
      return event(s, c.peer + " recv: " + sockets::would_block_name + ", nothing more now: wait for POLLIN");
    }
    c.request.append(buffer.data(), static_cast<std::size_t>(n));
    const bool whole = c.request.find("\r\n\r\n") != std::string::npos;  // the end of the header
    event(s, c.peer + " recv " + std::to_string(n) + " bytes, " + std::to_string(c.request.size()) + " so far" +
                 (whole ? ": the header is complete" : ""));
    if (whole) {
      c.response = s.response;      // the same for every client
      return write_response(c, s);  // tried at once: most answers fit in the send buffer
    }
    if (c.request.size() > max_header) return finish(c, "sent a header past 8192 bytes: closed");
  }
}
//! [read]

//! [serve]
/// Acts on what poll() said about @p c: an error, or that it can go on (POLLIN, POLLOUT, POLLHUP).
void serve(connection& c, short revents, const settings& s) {
  if (revents & POLLERR) return fail(c, "poll: POLLERR", sockets::pending_error(c.socket.get()));
  // Otherwise do what the connection waits for: recv() or send() tells what really happened.
  if (c.waiting_for == POLLIN) {
    read_request(c, s);
  } else {
    write_response(c, s);
  }
}
//! [serve]

/// "127.0.0.1:50412"
std::string to_string(const sockaddr_in& address) {
  std::array<char, INET_ADDRSTRLEN> ip{};
  inet_ntop(AF_INET, &address.sin_addr, ip.data(), ip.size());
  return std::string(ip.data()) + ":" + std::to_string(ntohs(address.sin_port));
}

//! [accept]
/// Accepts every connection waiting in the listen queue.
void accept_all(sockets::native listener, std::vector<connection>& open, const settings& s) {
  for (;;) {
    sockaddr_in address{};
    socklen_t length = sizeof address;
    sockets::handle socket(::accept(listener, reinterpret_cast<sockaddr*>(&address), &length));
    if (!socket) {  // conn, addr = server.accept() raised
      const int error = sockets::last_error();
      if (sockets::would_block(error)) {  // BlockingIOError: nobody else waits
        return event(s, std::string("accept: ") + sockets::would_block_name + ", the listen queue is empty");
      }
      std::cout << "accept: " << sockets::message(error) << std::endl;
      return;
    }
    open.push_back({.socket = std::move(socket), .peer = to_string(address)});  // sel.register(conn, EVENT_READ)
    connection& c = open.back();
    if (!sockets::make_non_blocking(c.socket.get())) {  // conn.setblocking(False)
      fail(c, "non-blocking", sockets::last_error());
    }
    event(s, "accept " + c.peer + " (" + std::to_string(open.size()) + " open)");
  }
}
//! [accept]

/// The server's socket, listening on 127.0.0.1:@p port, non-blocking.
/// @throws std::system_error when a step fails ("bind: Address already in use")
sockets::handle listen_on(unsigned short port) {
  const auto failed = [](const char* step) {
    return std::system_error(sockets::last_error(), std::system_category(), step);
  };
  sockets::handle server(::socket(AF_INET, SOCK_STREAM, 0));  // server = socket.socket()
  if (!server) throw failed("socket");
  sockets::reuse_address(server.get());
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(server.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    throw failed("bind");  // server.bind(("127.0.0.1", 8888))
  }
  if (::listen(server.get(), SOMAXCONN) != 0) throw failed("listen");  // server.listen()
  if (!sockets::make_non_blocking(server.get())) throw failed("non-blocking");  // server.setblocking(False)
  return server;
}

/// The HTTP response to every request: @p body with its head, and Connection: close.
std::string make_response(const std::string& body) {
  return "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

constexpr std::string_view usage = "usage: lesson09-poll [PORT] [--body-size BYTES] [-v]";

}  // namespace

int main(int argc, char* argv[]) {
  settings s;
  const std::string greeting = "Hello, World!\n";
  std::string body = greeting;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--body-size" && i + 1 < argc) {
      const std::size_t size = std::strtoull(argv[++i], nullptr, 10);
      body.clear();
      while (body.size() < size) body += greeting;
      body.resize(size);
    } else if (arg == "-v") {
      s.verbose = true;
    } else if (arg == "-h" || arg == "--help") {
      std::cout << usage << std::endl;
      return 0;
    } else if (!arg.empty() && arg[0] != '-') {
      s.port = static_cast<unsigned short>(std::atoi(argv[i]));
    } else {
      std::cerr << usage << std::endl;
      return 2;
    }
  }
  s.response = make_response(body);
  try {
    const sockets::library library;
    const sockets::handle listener = listen_on(s.port);
    std::cout << "listening on 127.0.0.1:" << s.port << ", one thread, poll() on every socket" << std::endl;

    std::vector<connection> open;             // the connections, in no particular order
    std::vector<sockets::poll_entry> polled;  // what poll() watches: the listener, then each of open
    //! [loop]
    for (;;) {
      polled.clear();
      polled.push_back({listener.get(), POLLIN, 0});  // sel.register(server, EVENT_READ)
      for (const connection& c : open) polled.push_back({c.socket.get(), c.waiting_for, 0});

      const int ready = sockets::poll(polled, -1);  // events = sel.select(): sleep until some are ready
      if (ready < 0) {
        const int error = sockets::last_error();
        if (sockets::interrupted(error)) continue;  // a signal woke it: wait again
        throw std::system_error(error, std::system_category(), "poll");
      }
      event(s, "poll: " + std::to_string(ready) + " of " + std::to_string(polled.size()) + " sockets ready");

      for (std::size_t i = 1; i < polled.size(); ++i) {  // for key, mask in events:
        if (polled[i].revents != 0) serve(open[i - 1], polled[i].revents, s);
      }
      if (polled[0].revents != 0) accept_all(listener.get(), open, s);
      std::erase_if(open, [](const connection& c) { return c.done; });  // sel.unregister(conn); conn.close()
    }
    //! [loop]
  } catch (const std::system_error& e) {
    std::cerr << "lesson09-poll: " << e.what() << std::endl;
    return 1;
  }
}
