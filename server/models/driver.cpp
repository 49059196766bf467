#include "server/models/driver.hpp"

namespace socketlab::server {

std::unique_ptr<driver> make_driver(asio::io_context& io, const server_config& config) {
  switch (config.model) {
    case serving_model::iterative:
      return make_iterative_driver(io, config);
    case serving_model::thread_per_connection:
      return make_thread_per_connection_driver(io, config);
    case serving_model::thread_pool:
      return make_thread_pool_driver(io, config);
    case serving_model::async:
      break;
  }
  return make_async_driver(io, config);
}

}  // namespace socketlab::server
