// Lesson 16: measuring. What a benchmark does inside: send a request, wait for the whole
// response, note the time it took; many times; then sort the times and read them. Two series in
// one run, so that they share the machine's mood: every request on one kept-alive connection,
// and a new connection for every request. The response's end is found by the kit's HTTP parser
// (lesson 04), the sockets are plain blocking Asio, one request at a time.
//
// Usage: lesson16-latency [PORT] [REQUESTS]    (default 8888 and 1000)
// Needs an HTTP server on 127.0.0.1:PORT, e.g.  socketlab-server --site 8888=en --access-log off
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <numeric>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <asio.hpp>

#include "socketlab/http/response_parser.hpp"

using asio::ip::tcp;
using steady = std::chrono::steady_clock;
using microseconds = std::chrono::duration<double, std::micro>;

//! [round_trip]
// Sends one request and reads until the parser says the response is complete.
void round_trip(tcp::socket& connection, std::string_view request) {
  asio::write(connection, asio::buffer(request));
  socketlab::http::response_parser parser;
  std::array<char, 4096> buffer;
  for (;;) {
    const std::size_t n = connection.read_some(asio::buffer(buffer));
    const auto result = parser.feed({buffer.data(), n});
    if (result.status == socketlab::http::parse_status::done) return;
    if (result.status == socketlab::http::parse_status::error)
      throw std::system_error(parser.error(), "response");
  }
}
//! [round_trip]

//! [measure]
// The latency of each of `count` requests, one at a time, in microseconds.
std::vector<double> measure(asio::io_context& io, const tcp::endpoint& server, int count, bool keep_alive) {
  const std::string request = std::string("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n") +
                              (keep_alive ? "" : "Connection: close\r\n") + "\r\n";
  std::vector<double> latencies;
  tcp::socket connection(io);
  if (keep_alive) connection.connect(server);  // once: every request reuses it
  for (int i = 0; i < count; ++i) {
    const auto start = steady::now();
    if (!keep_alive) connection.connect(server);  // the handshake is part of this request's time
    round_trip(connection, request);
    if (!keep_alive) connection.close();
    latencies.push_back(microseconds(steady::now() - start).count());
  }
  return latencies;
}
//! [measure]

//! [report]
// The latency that p% of the requests stayed within (nearest rank), from sorted latencies.
double percentile(const std::vector<double>& sorted, double p) {
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::max<std::size_t>(rank, 1) - 1];
}

// One line: the smallest, the median, the 99th percentile, the largest and the mean.
void report(std::string_view name, std::vector<double>& us) {
  std::sort(us.begin(), us.end());
  const double mean = std::accumulate(us.begin(), us.end(), 0.0) / static_cast<double>(us.size());
  std::cout << std::left << std::setw(16) << name << std::right << std::fixed << std::setprecision(0);
  for (const double value : {us.front(), percentile(us, 50), percentile(us, 99), us.back(), mean})
    std::cout << std::setw(8) << value;
  std::cout << std::setw(12) << 1e6 / mean << "\n";  // one at a time: requests/s = 1 s / mean latency
}
//! [report]

int main(int argc, char* argv[]) {
  const auto port = static_cast<unsigned short>(argc > 1 ? std::atoi(argv[1]) : 8888);
  const int count = argc > 2 ? std::max(1, std::atoi(argv[2])) : 1000;
  try {
    asio::io_context io;
    const tcp::endpoint server(asio::ip::address_v4::loopback(), port);
    //! [run]
    measure(io, server, 100, true);  // warm-up, thrown away: caches, page faults, the first accept
    auto kept = measure(io, server, count, true);
    auto fresh = measure(io, server, count, false);
    std::cout << count << " requests to " << server << ", one at a time, after 100 to warm up\n"
              << "latency (us)         min  median     p99     max    mean  requests/s\n";
    report("keep-alive", kept);
    report("new connection", fresh);
    std::cout << std::setprecision(1) << "a new connection per request: median x"
              << percentile(fresh, 50) / percentile(kept, 50) << "\n";
    //! [run]
  } catch (const std::system_error& e) {
    std::cerr << "lesson16-latency: " << e.what() << std::endl;  // "connect: Connection refused"
    return 1;
  }
}
