#include "client/failure.hpp"

#include <cmath>
#include <sstream>

#include <asio/error.hpp>

#include "client/http/response_reader.hpp"
#include "socketlab/http/error.hpp"
#include "socketlab/net/endpoint.hpp"
#include "socketlab/net/quoted.hpp"

namespace socketlab::client {

int report_failure(const failure& f, std::ostream& err) {
  err << program << ": " << f.message << "\n";
  return f.status;
}

std::string format_seconds(std::chrono::duration<double> d) {
  std::ostringstream text;
  text << std::round(d.count() * 1000.0) / 1000.0 << " s";
  return text.str();
}

failure explain_open(const std::string& host, std::uint16_t port,
                     const std::vector<asio::ip::tcp::endpoint>& tried, std::error_code ec,
                     std::chrono::duration<double> timeout) {
  if (tried.empty()) {
    return {exit_status::resolve, "could not resolve host " + net::quoted(host) + " (" + ec.message() +
                                      "); check the name, or give an address such as 127.0.0.1"};
  }
  std::string where = net::to_string(tried.back());
  if (tried.size() > 1) {  // "localhost" and the like: name every address that was tried
    where = host + " port " + std::to_string(port) + " (";
    for (std::size_t i = 0; i < tried.size(); ++i)
      where += (i ? ", " : "") + net::to_string(tried[i]);
    where += ")";
  }
  if (ec == asio::error::connection_refused) {
    return {exit_status::connect,
            "nothing is listening on " + where + " \xe2\x80\x94 is the server running?"};
  }
  if (ec == asio::error::timed_out) {
    return {exit_status::timeout,
            "timed out after " + format_seconds(timeout) + " connecting to " + where +
                " (no answer at all: is the address right, or a firewall dropping it?)"};
  }
  return {exit_status::connect, "could not connect to " + where + ": " + ec.message()};
}

failure explain_send(const asio::ip::tcp::endpoint& server, std::error_code ec,
                     std::chrono::duration<double> timeout) {
  const std::string where = net::to_string(server);
  if (ec == asio::error::timed_out) {
    return {exit_status::timeout, "timed out after " + format_seconds(timeout) + " sending the request to " +
                                      where + " (the server is not reading it)"};
  }
  return {exit_status::send, "could not send the request to " + where + ": " + ec.message()};
}

failure explain_receive(const asio::ip::tcp::endpoint& server, std::error_code ec,
                        const response_reader& reader, std::chrono::duration<double> timeout) {
  const std::string where = net::to_string(server);
  const std::string got = std::to_string(reader.bytes()) + (reader.bytes() == 1 ? " byte" : " bytes");
  if (ec == asio::error::timed_out) {
    if (reader.bytes() == 0) {
      return {exit_status::timeout, "timed out after " + format_seconds(timeout) +
                                        " waiting for a response from " + where +
                                        "; is the server stuck? (raise --timeout to wait longer)"};
    }
    return {exit_status::timeout, "timed out after " + format_seconds(timeout) +
                                      " receiving the response from " + where + " (" + got +
                                      " arrived; raise --timeout to wait longer)"};
  }
  if (ec == asio::error::eof || ec == http::error::unexpected_eof) {
    if (reader.bytes() == 0) {
      return {exit_status::empty_reply, where + " closed the connection without sending a response"};
    }
    return {exit_status::partial,
            where + " closed the connection after " + got + ", before the response ended"};
  }
  if (ec == http::error::body_too_large) {
    return {exit_status::bad_response, "the response from " + where +
                                           " has a body larger than the client's " +
                                           "1 GiB limit; fetch it with another tool"};
  }
  if (ec.category() == http::category()) {
    return {exit_status::bad_response, "malformed response from " + where + ": " + ec.message() +
                                           " (parsing stopped at byte " +
                                           std::to_string(reader.error_offset()) +
                                           "); is that port an HTTP server? --trace shows every byte"};
  }
  if (ec == asio::error::connection_reset || ec == asio::error::connection_aborted) {
    return {exit_status::receive, where + " reset the connection after " + got + " of the response"};
  }
  return {exit_status::receive, "could not receive the response from " + where + ": " + ec.message()};
}

}  // namespace socketlab::client
