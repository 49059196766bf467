/// @file
/// A socketlab HTTP server running inside the test process, stopped by a scope guard.
#pragma once

#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server/config.hpp"
#include "server/http_server.hpp"

namespace socketlab::test {

/// A server on port 0 (or the configured ports), run on a thread of its own.
/// Its constructor returns once every port listens, so clients may connect at once;
/// its destructor stops it gracefully and joins the thread.
class running_server {
 public:
  /// Starts serving @p config; with no sites, one English site on a free port. The access log
  /// and the console are kept for access_log() and console(); a console @p config already has is
  /// called too, after the text is kept.
  explicit running_server(server::server_config config = {});
  ~running_server();
  running_server(const running_server&) = delete;
  running_server& operator=(const running_server&) = delete;

  /// The port of site @p index (in config order).
  [[nodiscard]] std::uint16_t port(std::size_t index = 0) const;

  /// Asks the server to stop (returns at once).
  void stop();

  /// Whether run() returned within @p timeout after stop().
  bool finished_within(std::chrono::milliseconds timeout);

  /// The access-log lines so far.
  [[nodiscard]] std::vector<std::string> access_log() const;

  /// The console text so far (verbose requests, notices).
  [[nodiscard]] std::string console() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> access_log_;
  std::string console_;
  std::unique_ptr<server::http_server> server_;
  std::future<void> finished_;
  std::thread thread_;
};

/// A server on the IPv6 loopback ::1, or nullptr, with a Catch2 warning, on a machine that has
/// none (some containers and CI runners): the caller's test then has nothing to check.
/// @param config the settings; its host is set to "::1"
std::unique_ptr<running_server> start_on_ipv6_loopback(server::server_config config = {});

}  // namespace socketlab::test
