#include "server/messages.hpp"

#include <asio/error.hpp>

#include "socketlab/net/shutdown_signal.hpp"

namespace socketlab::server {

void fail(const log_sink& console, std::string_view step, const std::error_code& ec) {
  if (console) console(std::string(program_name) + ": " + std::string(step) + ": " + ec.message() + "\n");
}

void fail(const log_sink& console, std::string_view step, const std::exception& e) {
  if (console) console(std::string(program_name) + ": " + std::string(step) + ": " + e.what() + "\n");
}

std::function<void(std::exception_ptr)> fail_on_exception(const log_sink& console, std::string step) {
  return [&console, step = std::move(step)](const std::exception_ptr& thrown) noexcept {
    if (!thrown) return;
    try {
      try {
        std::rethrow_exception(thrown);
      } catch (const std::exception& e) {
        fail(console, step, e);
      } catch (...) {
        if (console) console(std::string(program_name) + ": " + step + ": an unknown exception\n");
      }
    } catch (...) {
      // The console failed too (out of memory, say): nothing is left to tell, and the server must
      // go on serving its other connections.
    }
  };
}

std::string stop_signal_line(int signal, std::string_view then) {
  return std::string(program_name) + ": " + net::signal_name(signal) + " received; " + std::string(then) +
         "\n";
}

std::string explain(const net::listen_failure& failure, std::uint16_t usual_port,
                    const std::function<std::string(std::uint16_t port)>& option) {
  std::string line = failure.what();
  const auto port = failure.where.port();
  if (failure.error.code == asio::error::address_in_use) {
    line +=
        "; choose another with " + option(port == 65535 ? usual_port : static_cast<std::uint16_t>(port + 1));
  } else if (failure.error.code == asio::error::access_denied) {
    line += "; choose a port from 1024 up, e.g. " + option(usual_port);
  } else if (failure.error.step == "bind") {
    line += "; listen on an address of this machine, e.g. --host 127.0.0.1 or --host 0.0.0.0";
  }
  return line;
}

}  // namespace socketlab::server
