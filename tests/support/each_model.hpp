/// @file
/// Runs a test case once per serving model: `SOCKETLAB_FOR_EACH_MODEL(config);`
#pragma once

#include <string>

#include "server/config.hpp"
#include "support/catch.hpp"

/// Sets @p config's model to each serving model in turn, one run of the enclosing test case
/// per model (a Catch2 generator), and names the model in every failure that follows:
/// @code
///   server::server_config config;
///   SOCKETLAB_FOR_EACH_MODEL(config);
///   running_server server(config);
/// @endcode
#define SOCKETLAB_FOR_EACH_MODEL(config)                                                                    \
  (config).model =                                                                                          \
      GENERATE(::socketlab::server::serving_model::iterative,                                               \
               ::socketlab::server::serving_model::thread_per_connection,                                   \
               ::socketlab::server::serving_model::thread_pool, ::socketlab::server::serving_model::async); \
  INFO("serving model: " << std::string(::socketlab::server::to_string((config).model)))

/// As SOCKETLAB_FOR_EACH_MODEL(), for the models that serve several connections at once
/// (all but the iterative one).
#define SOCKETLAB_FOR_EACH_CONCURRENT_MODEL(config)                                                         \
  (config).model =                                                                                          \
      GENERATE(::socketlab::server::serving_model::thread_per_connection,                                   \
               ::socketlab::server::serving_model::thread_pool, ::socketlab::server::serving_model::async); \
  INFO("serving model: " << std::string(::socketlab::server::to_string((config).model)))
