#include "server/http_server.hpp"

#include <chrono>
#include <stdexcept>
#include <thread>

#include <asio/error.hpp>

#include "server/models/driver.hpp"
#include "server/sites/site.hpp"
#include "socketlab/net/resolve.hpp"

namespace socketlab::server {
namespace {

/// What to tell Asio about the threads that will use the event loop's sockets.
int concurrency_hint(const server_config& config) {
  if (config.model != serving_model::async) return ASIO_CONCURRENCY_HINT_SAFE;  // sockets on many threads
  // One thread: Asio may skip locking around each socket's operations (other threads still
  // post to the loop safely: stop() does).
  const int threads = worker_threads(config);
  return threads == 1 ? ASIO_CONCURRENCY_HINT_UNSAFE_IO : threads;
}

/// --defer-accept on @p listener: a silent client is held back at most for the header timeout,
/// as nginx's `deferred` does with its client_header_timeout.
void defer_accept(net::tcp_listener& listener, const server_config& config) {
  std::error_code ec;
  listener.defer_accept(std::chrono::ceil<std::chrono::seconds>(config.timeouts.header), ec);
  if (ec == asio::error::operation_not_supported) {
    throw std::invalid_argument(
        "--defer-accept: this system has no TCP_DEFER_ACCEPT (only Linux has it); "
        "leave the option out");
  }
  if (ec) throw std::invalid_argument("--defer-accept: " + ec.message());
}

}  // namespace

struct http_server::port {
  std::unique_ptr<site> served;      ///< what this port serves
  net::tcp_listener listener;        ///< the listening socket
  asio::ip::tcp::endpoint bound;     ///< where it listens (kept: the listener closes on stop)
  std::chrono::milliseconds work{};  ///< simulated waiting per request
};

site_listen_failure::site_listen_failure(site_config s, const net::listen_error& e,
                                         const asio::ip::tcp::endpoint& tried)
    : net::listen_failure(e, tried), site(std::move(s)) {}

http_server::http_server(server_config config) : config_(std::move(config)), io_(concurrency_hint(config_)) {
  if (config_.sites.empty()) throw std::invalid_argument("no sites to serve; add one with --site 8888=en");
  const int backlog = config_.backlog > 0 ? config_.backlog : net::max_backlog();
  for (const auto& sc : config_.sites) {
    auto p =
        std::make_unique<port>(port{make_site(sc.spec), net::tcp_listener(io_.get_executor()), {}, sc.work});
    std::error_code ec;
    const auto where = net::resolve_listen(io_.get_executor(), config_.host, sc.port, ec);
    if (ec) {
      throw std::invalid_argument("cannot listen on host '" + config_.host + "': " + ec.message() +
                                  "; use an address of this machine such as 127.0.0.1, ::1 or 0.0.0.0");
    }
    if (auto err = p->listener.listen(where, backlog)) throw site_listen_failure(sc, *err, where);
    if (config_.defer_accept) defer_accept(p->listener, config_);
    p->bound = p->listener.local_endpoint();
    ports_.push_back(std::move(p));
  }
  driver_ = make_driver(io_, config_);
  for (auto& p : ports_)
    driver_->serve({p->served.get(), &p->listener, p->work});
}

http_server::~http_server() {
  // A blocking model's threads call into the driver: they end before it is destroyed.
  driver_->stop();
  driver_->join();
}

std::vector<listening_site> http_server::sites() const {
  std::vector<listening_site> out;
  for (const auto& p : ports_)
    out.push_back({p->bound, p->served->describe()});
  return out;
}

asio::any_io_executor http_server::executor() noexcept {
  return io_.get_executor();
}

void http_server::run() {
  driver_->start();
  {
    const int loop_threads = config_.model == serving_model::async ? worker_threads(config_) : 1;
    std::vector<std::jthread> extra;
    for (int i = 1; i < loop_threads; ++i)
      extra.emplace_back([this] { io_.run(); });
    io_.run();
  }
  driver_->join();
}

void http_server::stop() {
  driver_->stop();
}

}  // namespace socketlab::server
