#include "server/config.hpp"

namespace socketlab::server {

std::string_view to_string(serving_model model) noexcept {
  switch (model) {
    case serving_model::iterative:
      return "iterative";
    case serving_model::thread_per_connection:
      return "thread-per-connection";
    case serving_model::thread_pool:
      return "thread-pool";
    case serving_model::async:
      return "async";
  }
  return "async";
}

std::optional<serving_model> parse_serving_model(std::string_view name) noexcept {
  for (auto model : all_serving_models) {
    if (to_string(model) == name) return model;
  }
  return std::nullopt;
}

int worker_threads(const server_config& config) noexcept {
  switch (config.model) {
    case serving_model::iterative:
      return 1;
    case serving_model::thread_per_connection:
      return 0;
    case serving_model::thread_pool:
      return config.threads > 0 ? config.threads : 8;
    case serving_model::async:
      return config.threads > 0 ? config.threads : 1;
  }
  return 1;
}

std::vector<site_config> default_sites() {
  return {{8888, "en"}, {8881, "fr"}, {8000, "es"}};
}

}  // namespace socketlab::server
