#include "client/echo/echo_client.hpp"

#include <memory>
#include <numeric>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>

#include "client/echo/tcp_echo_run.hpp"
#include "client/echo/udp_echo_run.hpp"

namespace socketlab::client {

const char* name(echo_transport t) noexcept {
  return t == echo_transport::tcp ? "TCP" : "UDP";
}

const char* command_name(echo_transport t) noexcept {
  return t == echo_transport::tcp ? "tcp-echo" : "udp-echo";
}

bool carries_numbers(echo_transport t, std::size_t size) noexcept {
  return t == echo_transport::tcp || size >= sequence_bytes;
}

std::size_t delivery::received() const noexcept {
  return std::accumulate(reads.begin(), reads.end(), std::size_t{0});
}

double echo_result::round_trips_per_second() const noexcept {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  return seconds > 0 ? static_cast<double>(stats.received()) / seconds : 0.0;
}

echo_result run_echo(echo_transport transport, const echo_options& options, const echo_observer& observer) {
  asio::io_context io{1};
  std::unique_ptr<echo_run> run;
  if (transport == echo_transport::tcp) {
    run = std::make_unique<tcp_echo_run>(io, options, observer);
  } else {
    run = std::make_unique<udp_echo_run>(io, options, observer);
  }
  asio::co_spawn(io, run->run(), asio::detached);
  io.run();
  return std::move(run->result);
}

}  // namespace socketlab::client
