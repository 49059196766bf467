// socketlab-server: the multi-port HTTP/1.1 server. Everything is in run_cli(), which the
// tests call too; main() only connects it to the process's streams.
#include <iostream>

#include "server/cli.hpp"

int main(int argc, char* argv[]) {
  return socketlab::server::run_cli(argc, argv, std::cout, std::cerr);
}
