#include "support/running_server.hpp"

#include <exception>
#include <utility>

#include "support/catch.hpp"

namespace socketlab::test {

running_server::running_server(server::server_config config) {
  if (config.sites.empty()) config.sites.push_back({0, "en"});
  config.access_log = [this](std::string_view line) {
    std::lock_guard lock(mutex_);
    access_log_.emplace_back(line);
  };
  config.console = [this, also = std::move(config.console)](std::string_view text) {
    {
      std::lock_guard lock(mutex_);
      console_.append(text);
    }
    if (also) also(text);  // the test's own, which may throw to show how the server copes
  };
  server_ = std::make_unique<server::http_server>(std::move(config));
  std::packaged_task<void()> run([this] { server_->run(); });
  finished_ = run.get_future();
  thread_ = std::thread(std::move(run));
}

running_server::~running_server() {
  stop();
  thread_.join();
}

std::uint16_t running_server::port(std::size_t index) const {
  return server_->sites().at(index).endpoint.port();
}

void running_server::stop() {
  server_->stop();
}

bool running_server::finished_within(std::chrono::milliseconds timeout) {
  return finished_.wait_for(timeout) == std::future_status::ready;
}

std::vector<std::string> running_server::access_log() const {
  std::lock_guard lock(mutex_);
  return access_log_;
}

std::string running_server::console() const {
  std::lock_guard lock(mutex_);
  return console_;
}

std::unique_ptr<running_server> start_on_ipv6_loopback(server::server_config config) {
  config.host = "::1";
  try {
    return std::make_unique<running_server>(std::move(config));
  } catch (const std::exception& e) {
    WARN("no IPv6 loopback here: " << e.what());
    return nullptr;
  }
}

}  // namespace socketlab::test
