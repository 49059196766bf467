#include "client/get_command.hpp"

#include <array>
#include <fstream>
#include <optional>
#include <thread>

#include <asio/error.hpp>

#include "client/connection.hpp"
#include "client/failure.hpp"
#include "client/format.hpp"
#include "client/response_reader.hpp"
#include "client/wire_trace.hpp"
#include "socketlab/http/serializer.hpp"
#include "socketlab/net/endpoint.hpp"
#include "socketlab/net/quoted.hpp"

namespace socketlab::client {
namespace {

using clock = connection::clock;

/// "0.412 ms": the time since @p start, for -v.
std::string since(clock::time_point start) {
  const std::chrono::duration<double, std::milli> ms = clock::now() - start;
  return format("%.3f ms", ms.count());
}

/// The lines of a message head (start line and fields), without line ends.
std::vector<std::string> head_lines(std::string head) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  for (auto end = head.find("\r\n"); end != std::string::npos && end != at; end = head.find("\r\n", at)) {
    lines.push_back(head.substr(at, end - at));
    at = end + 2;
  }
  return lines;
}

/// The head of @p res as it came: status line and fields.
std::vector<std::string> head_lines(const http::response& res) {
  std::string line = "HTTP/" + std::to_string(res.version / 10) + "." + std::to_string(res.version % 10) +
                     " " + std::to_string(res.status);
  if (!res.reason.empty()) line += " " + res.reason;
  std::vector<std::string> lines{line};
  for (const auto& f : res.headers)
    lines.push_back(f.name + ": " + f.value);
  return lines;
}

/// Why a connection cannot carry the next request, from the response that ended it.
std::string close_reason(const http::response& res, bool close_delimited, bool asked_close, bool closed) {
  if (res.status == 101) return "the server switched protocols (101): what follows is not HTTP";
  if (close_delimited) return "the body ended when the server closed the connection";
  if (res.headers.has_token("Connection", "close")) return "the server sent Connection: close";
  if (asked_close) return "the request asked for Connection: close";
  if (closed) return "the server closed the connection";
  return "an HTTP/1.0 response without Connection: keep-alive";
}

/// Fetches URLs one after another over as few connections as it can.
class fetcher {
 public:
  fetcher(const get_options& options, std::ostream& out, std::ostream& err)
      : options_(options), out_(out), err_(err) {}

  /// Fetches @p u, reusing the open connection when it goes to the same host and port.
  /// @return an exit_status
  int fetch(const url& u) {
    start_ = clock::now();
    deadline_ = start_ + std::chrono::duration_cast<clock::duration>(options_.timeout);
    const http::request req = request_for(u);
    std::string wire;
    const std::string one = http::to_string(req);
    for (int i = 0; i < options_.pipeline; ++i)
      wire += one;

    const bool reuse = conn_.is_open() && reusable_ && same_origin(origin_, u);
    if (conn_.is_open() && !reuse) finish(reusable_ ? "the next URL is on another host" : "");
    if (reuse) {
      info("Re-using connection #" + std::to_string(number_) + " to " + net::to_string(conn_.remote()));
    } else if (const int status = open(u); status != exit_status::ok) {
      return status;
    }
    origin_ = u;
    show_request(req);

    std::optional<failure> failed = exchange(wire, req);
    if (failed && reuse && stale_) {
      // An idle keep-alive connection the server closed meanwhile: curl retries once too.
      info("connection #" + std::to_string(number_) +
           " was closed by the server while idle; opening a new one");
      if (const int status = open(u); status != exit_status::ok) return status;
      failed = exchange(wire, req);
    }
    if (failed) {
      conn_.close();
      err_ << "socketlab-client: " << failed->message << "\n";
      return failed->status;
    }
    return exit_status::ok;
  }

  /// Closes the open connection, saying why (-v).
  void finish(const std::string& why) {
    if (!conn_.is_open()) return;
    if (!why.empty()) info("Closing connection #" + std::to_string(number_) + ": " + why);
    conn_.close();
  }

 private:
  /// The request for @p u: HEAD when -I was given and no -X.
  [[nodiscard]] http::request request_for(const url& u) const {
    request_options options = options_.request;
    if (options_.head && options.method.empty()) options.method = "HEAD";
    return make_request(u, options);
  }

  /// Where bodies go: standard output, or the -o file, created at the first byte to write (as
  /// curl does), so a failed request leaves an existing file alone.
  std::ostream* output() {
    if (options_.output.empty()) return &out_;
    if (!file_.is_open()) file_.open(options_.output, std::ios::binary | std::ios::trunc);
    return file_.is_open() ? &file_ : nullptr;
  }

  /// A "* " line of -v, stamped with the time since this URL started.
  void info(const std::string& text) {
    if (options_.verbose) err_ << "* [" << since(start_) << "] " << text << "\n";
  }

  /// Connects to @p u's host, trying each address.
  int open(const url& u) {
    const std::error_code ec =
        conn_.open(u.host, u.port, deadline_, [this](std::string_view line) { info(std::string(line)); });
    if (ec) {
      const failure f = explain_open(u.host, u.port, conn_.tried(), ec, options_.timeout);
      err_ << "socketlab-client: " << f.message << "\n";
      return f.status;
    }
    ++number_;
    sent_ = received_ = 0;
    reusable_ = true;
    info("Connected to " + net::to_string(conn_.remote()) + " from " + net::to_string(conn_.local()) +
         " (connection #" + std::to_string(number_) + ")");
    return exit_status::ok;
  }

  /// The request head on -v, as curl shows it.
  void show_request(const http::request& req) {
    if (!options_.verbose) return;
    http::request head = req;
    head.body.clear();
    for (const auto& line : head_lines(http::to_string(head)))
      err_ << "> " << line << "\n";
    err_ << ">\n";
    if (!req.body.empty()) info("request body: " + std::to_string(req.body.size()) + " bytes");
  }

  /// Writes @p bytes, in --split pieces when asked.
  std::error_code send(std::string_view bytes) {
    const std::size_t piece = options_.split == 0 ? bytes.size() : options_.split;
    for (std::size_t at = 0; at < bytes.size(); at += piece) {
      const std::string_view part = bytes.substr(at, piece);
      if (const auto ec = conn_.write(part, deadline_)) return ec;
      if (options_.trace) err_ << format_trace(direction::sent, part, sent_);
      sent_ += part.size();
      if (options_.split == 0) continue;
      info("sent bytes " + std::to_string(at) + ".." + std::to_string(at + part.size() - 1) + " (" +
           std::to_string(part.size()) + " of " + std::to_string(bytes.size()) + ")");
      if (at + piece < bytes.size() && options_.pause.count() > 0) {
        info("pausing " + std::to_string(options_.pause.count()) + " ms");
        std::this_thread::sleep_for(options_.pause);  // the user asked the client itself to wait
        deadline_ += options_.pause;                  // so the pause is not the server's time
      }
    }
    return {};
  }

  /// Sends @p wire (one request, or --pipeline copies of it) and reads a response for each copy.
  std::optional<failure> exchange(const std::string& wire, const http::request& req) {
    stale_ = false;
    pending_.clear();
    if (const auto ec = send(wire)) {
      stale_ = closed_by_peer(ec);
      return explain_send(conn_.remote(), ec, options_.timeout);
    }
    if (options_.pipeline > 1) {
      info(std::to_string(options_.pipeline) +
           " requests sent in one write (pipelined): " + std::to_string(wire.size()) + " bytes");
    } else {
      info("request sent: " + std::to_string(wire.size()) + " bytes");
    }
    const bool head = req.method == "HEAD";
    bool first_byte = true;
    for (int k = 0; k < options_.pipeline; ++k) {
      reader_.start(head);
      bool closed = false;
      while (true) {
        if (!pending_.empty()) {
          const auto r = reader_.feed(pending_);
          pending_.erase(0, r.consumed);
          if (r.status == http::parse_status::done) break;
          if (r.status == http::parse_status::error) {
            return explain_receive(conn_.remote(), reader_.error(), reader_, options_.timeout);
          }
        }
        std::error_code ec;
        const std::size_t n = conn_.read_some(buffer_, deadline_, ec);
        if (ec == asio::error::eof) {
          closed = true;
          if (reader_.feed_eof().status == http::parse_status::done) break;
          stale_ = k == 0 && reader_.bytes() == 0;
          if (k > 0 && reader_.bytes() == 0) return unanswered(k, "the server closed the connection");
          return explain_receive(conn_.remote(), reader_.error(), reader_, options_.timeout);
        }
        if (ec) {
          stale_ = k == 0 && reader_.bytes() == 0 && closed_by_peer(ec);
          if (k > 0 && reader_.bytes() == 0 && closed_by_peer(ec))
            return unanswered(k, "the server reset the connection");
          return explain_receive(conn_.remote(), ec, reader_, options_.timeout);
        }
        if (first_byte) {
          info("first byte of the response");
          first_byte = false;
        }
        const std::string_view got(buffer_.data(), n);
        if (options_.trace) err_ << format_trace(direction::received, got, received_);
        received_ += n;
        pending_ += got;
      }
      if (auto f = deliver(k)) return f;
      if (closed || !reader_.keep_alive() || !req.keep_alive()) {
        reusable_ = false;
        const std::string why =
            close_reason(reader_.response(), reader_.close_delimited(), !req.keep_alive(), closed);
        if (k + 1 < options_.pipeline) return unanswered(k + 1, why);
        finish(why);
      }
    }
    if (!pending_.empty()) {  // curl says "Excess found": bytes no request asked for
      info(std::to_string(pending_.size()) + " bytes after the last response were discarded");
    }
    if (conn_.is_open()) {
      info("Connection #" + std::to_string(number_) + " to " + net::to_string(conn_.remote()) +
           " left open for the next request (keep-alive)");
    }
    return std::nullopt;
  }

  /// The failure when the server stopped answering pipelined requests after @p answered of them.
  [[nodiscard]] failure unanswered(int answered, const std::string& why) const {
    return {exit_status::partial, "only " + std::to_string(answered) + " of " +
                                      std::to_string(options_.pipeline) +
                                      " pipelined requests were answered: " + why};
  }

  /// Whether @p ec says the server closed or reset the connection (Windows says "aborted").
  static bool closed_by_peer(const std::error_code& ec) {
    return ec == asio::error::eof || ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
           ec == asio::error::connection_aborted;
  }

  /// Shows response @p k on -v and writes its body (or head, with -I or -i) to the output.
  std::optional<failure> deliver(int k) {
    const http::response& res = reader_.response();
    if (options_.verbose) {
      for (const auto& interim : reader_.interim()) {
        for (const auto& line : head_lines(interim))
          err_ << "< " << line << "\n";
        err_ << "<\n";
      }
      for (const auto& line : head_lines(res))
        err_ << "< " << line << "\n";
      err_ << "<\n";
    }
    std::string prefix = options_.pipeline > 1 ? "response " + std::to_string(k + 1) + ": " : "";
    info(prefix + "complete: status " + std::to_string(res.status) + ", " + std::to_string(res.body.size()) +
         " bytes of body, " + std::to_string(reader_.bytes()) + " bytes in all");
    if (options_.fail && res.status >= 400) {
      return failure{exit_status::http_error,
                     "the server answered " + head_lines(res).front().substr(9) + " (--fail)"};
    }
    std::ostream* out = output();
    if (out == nullptr) {
      return failure{exit_status::write_output, "cannot write to " + net::quoted(options_.output) +
                                                    "; give -o a file in a writable folder"};
    }
    if (options_.head || options_.include) {
      for (const auto& interim : reader_.interim()) {
        for (const auto& line : head_lines(interim))
          *out << line << "\r\n";
        *out << "\r\n";
      }
      for (const auto& line : head_lines(res))
        *out << line << "\r\n";
      *out << "\r\n";
    }
    *out << res.body;
    out->flush();
    if (!*out) return failure{exit_status::write_output, "could not write the body (is the disk full?)"};
    return std::nullopt;
  }

  const get_options& options_;        ///< what the user asked for
  std::ostream& out_;                 ///< standard output
  std::ofstream file_;                ///< the -o file, once something is written to it
  std::ostream& err_;                 ///< where -v, --trace and errors go
  connection conn_;                   ///< the current connection
  url origin_;                        ///< the host and port conn_ goes to
  int number_ = -1;                   ///< conn_'s number in -v ("#0", "#1", ...)
  bool reusable_ = false;             ///< whether conn_ may carry another request
  bool stale_ = false;                ///< the last exchange failed before a byte of response came
  response_reader reader_;            ///< frames the responses
  std::string pending_;               ///< bytes read but not yet parsed (the next pipelined response)
  std::array<char, 16384> buffer_{};  ///< one read's worth
  std::uint64_t sent_ = 0;            ///< bytes sent on conn_, for --trace offsets
  std::uint64_t received_ = 0;        ///< bytes received on conn_, for --trace offsets
  clock::time_point start_;           ///< when the current URL started
  clock::time_point deadline_;        ///< when the current URL must be done
};

}  // namespace

int run_get(const get_options& options, std::ostream& out, std::ostream& err) {
  fetcher f(options, out, err);
  for (const auto& u : options.urls) {
    if (const int status = f.fetch(u); status != exit_status::ok) return status;
  }
  f.finish("no more URLs");
  return exit_status::ok;
}

}  // namespace socketlab::client
