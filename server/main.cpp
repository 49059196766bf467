// socketlab-server: the multi-port HTTP/1.1 server. Everything is in run_cli(), which the
// tests call too; main() only connects it to the process's streams, and makes sure that
// nothing thrown ends the program in std::terminate.
#include <iostream>

#include "server/cli.hpp"
#include "socketlab/cli/program.hpp"

int main(int argc, char* argv[]) {
  return socketlab::cli::guarded_main("socketlab-server", std::cerr, [&] {
    return socketlab::server::run_cli(argc, argv, std::cout, std::cerr);
  });
}
