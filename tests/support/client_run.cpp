#include "support/client_run.hpp"

#include <exception>
#include <future>
#include <memory>
#include <sstream>
#include <thread>

#include "client/cli.hpp"
#include "support/catch.hpp"

namespace socketlab::test {

client_run run_client(std::vector<std::string> args) {
  args.insert(args.begin(), "socketlab-client");
  std::vector<const char*> argv;
  for (const auto& a : args)
    argv.push_back(a.c_str());
  std::ostringstream out;
  std::ostringstream err;
  client_run run;
  run.status = client::run_cli(static_cast<int>(argv.size()), argv.data(), out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

client_run run_client_within(std::vector<std::string> args, std::chrono::seconds limit) {
  auto done = std::make_shared<std::promise<client_run>>();
  auto result = done->get_future();
  std::thread([args, done] {
    try {
      done->set_value(run_client(args));
    } catch (...) {
      done->set_exception(std::current_exception());
    }
  }).detach();
  std::string command = "socketlab-client";
  for (const auto& a : args)
    command += " " + a;
  INFO(command);
  REQUIRE(result.wait_for(limit) == std::future_status::ready);  // else: the client never returned
  return result.get();
}

}  // namespace socketlab::test
