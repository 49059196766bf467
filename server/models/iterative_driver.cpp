// The iterative model: one connection at a time, on the thread that accepts.
//
// The simplest server there is, and the original exercise without its threads:
//
//     while True:
//         connection, address = server.accept()
//         serve(connection)          # nobody else is served meanwhile
//
// While one connection is served, the next clients wait in the listen queue (`--backlog`);
// once it is full, the system refuses or drops new ones. A slow client stalls everybody, so
// the deadlines matter here most: the header timeout is what lets the queue move again.
#include <memory>

#include "server/models/blocking_driver.hpp"

namespace socketlab::server {
namespace {

class iterative_driver final : public blocking_driver {
 public:
  using blocking_driver::blocking_driver;

 private:
  // Serve it now, here: the next accept() waits until this connection has closed.
  void on_accepted(accepted_connection c) override { serve_connection(std::move(c)); }
};

}  // namespace

std::unique_ptr<driver> make_iterative_driver(asio::io_context&, const server_config& config) {
  return std::make_unique<iterative_driver>(config);
}

}  // namespace socketlab::server
