#include "client/http/blocking_tcp_client.hpp"

#include <asio/buffer.hpp>
#include <asio/write.hpp>

#include "socketlab/net/address_literal.hpp"
#include "socketlab/net/endpoint.hpp"
#include "socketlab/net/resolve.hpp"

namespace socketlab::client {

blocking_tcp_client::blocking_tcp_client() = default;

void blocking_tcp_client::run_until(const bool& done, clock::time_point deadline, std::error_code& ec) {
  ioc_.restart();
  ioc_.run_until(deadline);  // returns early once the one operation has completed
  if (!done) {
    // The deadline passed first: closing the socket makes the operation finish at once with
    // operation_aborted; run its handler, then say what really happened.
    std::error_code ignored;
    socket_.close(ignored);
    ioc_.restart();
    ioc_.run();
    ec = asio::error::timed_out;
  }
}

std::error_code blocking_tcp_client::open(const std::string& host, std::uint16_t port,
                                          clock::time_point deadline, const step_log& log) {
  close();
  tried_.clear();
  const auto say = [&](const std::string& line) {
    if (log) log(line);
  };
  std::error_code ec;
  const bool literal = net::detail::parse_address_literal(host).has_value();  // needs no lookup
  if (!literal) say("Resolving " + host + "...");
  const auto endpoints = net::resolve(ioc_.get_executor(), host, port, ec);
  if (ec) return ec;
  if (!literal) {
    std::string list;
    for (const auto& ep : endpoints)
      list += (list.empty() ? "" : ", ") + ep.address().to_string();
    say(host + " is " + list);
  }

  for (const auto& ep : endpoints) {
    tried_.push_back(ep);
    say("Trying " + net::to_string(ep) + "...");
    bool done = false;
    socket_.async_connect(ep, [&](const std::error_code& result) {
      ec = result;
      done = true;
    });
    run_until(done, deadline, ec);
    if (!ec) {
      socket_.set_option(asio::ip::tcp::no_delay(true), ec);
      local_ = socket_.local_endpoint(ec);
      remote_ = ep;
      if (!ec) return {};
    }
    say("connect to " + net::to_string(ep) + " failed: " + ec.message());
    std::error_code ignored;
    socket_.close(ignored);
    if (ec == asio::error::timed_out) break;  // no time left for the next address
  }
  return ec;
}

std::error_code blocking_tcp_client::write(std::string_view data, clock::time_point deadline) {
  std::error_code ec;
  bool done = false;
  asio::async_write(socket_, asio::buffer(data), [&](const std::error_code& result, std::size_t) {
    ec = result;
    done = true;
  });
  run_until(done, deadline, ec);
  return ec;
}

std::size_t blocking_tcp_client::read_some(std::span<char> buffer, clock::time_point deadline,
                                           std::error_code& ec) {
  ec.clear();
  bool done = false;
  std::size_t n = 0;
  socket_.async_read_some(asio::buffer(buffer.data(), buffer.size()),
                          [&](const std::error_code& result, std::size_t got) {
                            ec = result;
                            n = got;
                            done = true;
                          });
  run_until(done, deadline, ec);
  return n;
}

void blocking_tcp_client::close() {
  std::error_code ignored;
  socket_.close(ignored);
}

}  // namespace socketlab::client
