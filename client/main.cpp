// socketlab-client: get, bench, backlog, hold, udp-echo, tcp-echo and compare. Everything is in
// run_cli(), which the tests call too; main() only connects it to the process's streams, and
// makes sure that nothing thrown ends the program in std::terminate.
#include <iostream>

#include "client/cli.hpp"
#include "client/console.hpp"
#include "socketlab/cli/program.hpp"

int main(int argc, char* argv[]) {
  return socketlab::cli::guarded_main("socketlab-client", std::cerr, [&] {
    socketlab::client::console::prepare_streams();  // bodies are bytes and messages UTF-8, on Windows too
    return socketlab::client::run_cli(argc, argv, std::cout, std::cerr);
  });
}
