#include "support/client_run.hpp"

#include <sstream>

#include "client/cli.hpp"

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

}  // namespace socketlab::test
