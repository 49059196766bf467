// Fuzz target: the request parser as the server drives it, through http_session, with a greeting or
// an echo site (sites that answer from memory: a static site's file sending is not under test here).
//
// Input: a flags byte, a count k, k piece lengths, then the bytes a client sends. The bytes are fed
// in pieces of those lengths (cycled; 0 counts as 1), and each response is "written" at once, as a
// driver would. Invariants:
// - every request a site sees is within the configured limits;
// - the output is a sequence of whole responses, as many final ones as responses() says and the
//   access log logged, and at most one `100 Continue` per request;
// - at most one final response per complete request, plus one for a parse error or a timeout;
//   after a parse error, or a response that closes, nothing more is parsed or answered;
// - the final statuses do not depend on how the bytes were split.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz/fuzz_check.hpp"
#include "server/config.hpp"
#include "server/http_session.hpp"
#include "server/sites/site.hpp"
#include "socketlab/http/request_parser.hpp"
#include "socketlab/http/response_parser.hpp"

namespace {

using socketlab::fuzz::check;
namespace http = socketlab::http;
namespace server = socketlab::server;

/// What the flags byte chooses.
enum flag : std::uint8_t {
  echo = 1,              ///< the echo site, else the English greeting
  small_limits = 2,      ///< limits a short input can reach
  eof_at_end = 4,        ///< the client closes its side after the last byte
  timeout_at_end = 8,    ///< then the deadline passes
  shutdown_at_end = 16,  ///< then the server stops
  verbose = 32,          ///< -v: each request's bytes go to the console
};

/// Aborts unless @p req fits in @p lim: what the parser promises the site.
void check_limits(const http::request& req, const http::limits& lim) {
  check(req.request_line().size() <= lim.max_start_line, "request line within max_start_line");
  check(req.headers.size() <= lim.max_fields, "fields within max_fields");
  std::size_t field_bytes = 0;
  for (const auto& f : req.headers)
    field_bytes += f.name.size() + 1 + f.value.size() + 2;  // at least "name:value\r\n" on the wire
  check(field_bytes <= lim.max_header_bytes, "field section within max_header_bytes");
  check(req.body.size() <= lim.max_body, "body within max_body");
}

/// A site that checks each request it is handed against the limits, then lets @p inner answer.
class checking_site final : public server::site {
 public:
  /// @param inner the site that answers
  /// @param lim the limits the parser was given
  checking_site(std::unique_ptr<server::site> inner, const http::limits& lim)
      : inner_(std::move(inner)), limits_(lim) {}
  /// Checks @p req, then answers it as the inner site does.
  server::reply handle(const http::request& req) const override {
    check_limits(req, limits_);
    return inner_->handle(req);
  }
  /// The inner site's.
  bool allows(std::string_view method) const override { return inner_->allows(method); }
  /// The inner site's.
  std::string_view allow_field() const override { return inner_->allow_field(); }
  /// The inner site's.
  std::string describe() const override { return inner_->describe(); }

 private:
  std::unique_ptr<server::site> inner_;  ///< answers
  http::limits limits_;                  ///< what each request must fit in
};

/// What a lone request parser makes of the whole stream: the reference the session is held to.
struct reference {
  std::vector<http::request> requests;  ///< the complete requests, in order
  bool error = false;                   ///< the stream ends in a parse error
  bool started = false;                 ///< a request was under way at the end (or failed)
  std::string last_method;              ///< the method of the failed or unfinished request
};

/// Parses @p stream with one request parser with limits @p lim, as far as it goes.
reference parse_alone(std::string_view stream, const http::limits& lim) {
  reference ref;
  http::request_parser parser(lim);
  while (true) {
    const auto r = parser.feed(stream);
    stream.remove_prefix(r.consumed);
    if (r.status == http::parse_status::done) {
      check_limits(parser.get(), lim);
      ref.requests.push_back(std::move(parser.get()));
      parser.reset();
      continue;
    }
    ref.error = r.status == http::parse_status::error;
    ref.started = parser.started() || ref.error;
    ref.last_method = parser.get().method;
    return ref;
  }
}

/// What one run of a session gave.
struct outcome {
  std::string wire;           ///< every byte the session asked to send
  std::size_t responses = 0;  ///< its responses()
  std::size_t log_lines = 0;  ///< access log lines
  bool closed = false;        ///< should_close() at the end
};

/// Runs a session over @p stream cut in pieces of @p cuts, with the end events @p flags ask for.
outcome run_session(const server::site& site, server::server_config cfg, std::string_view stream,
                    std::string_view cuts, std::uint8_t flags) {
  outcome out;
  cfg.access_log = [&out](std::string_view) { ++out.log_lines; };
  const auto t0 = server::http_session::clock::now();
  server::http_session s(site, cfg, "127.0.0.1", "127.0.0.1:5000", t0);
  auto write_all = [&] {
    out.wire.append(s.output());
    s.on_sent(t0);
  };
  for (std::size_t i = 0; !stream.empty(); ++i) {
    const std::size_t n = cuts.empty() ? stream.size() : static_cast<unsigned char>(cuts[i % cuts.size()]);
    const std::string_view piece = stream.substr(0, std::max<std::size_t>(n, 1));
    stream.remove_prefix(piece.size());
    const bool was_closed = s.should_close();
    const std::size_t before = s.responses();
    s.on_bytes(piece, t0);
    check(s.responses() >= before, "responses() never goes down");
    if (was_closed) {
      check(s.responses() == before && s.output().empty(), "nothing answered once the session closes");
    }
    write_all();
  }
  if (flags & eof_at_end) s.on_eof();
  if (flags & shutdown_at_end) s.on_shutdown();
  if (flags & timeout_at_end) s.on_timeout(s.deadline());
  write_all();
  out.responses = s.responses();
  out.closed = s.should_close();
  return out;
}

/// The final responses in @p wire, each parsed as the answer to its request (HEAD: no body);
/// aborts unless the wire is whole responses, at most one 100 Continue before each.
std::vector<http::response> split_responses(std::string_view wire, const reference& ref) {
  http::limits lim{.max_start_line = 1 << 20,
                   .max_header_bytes = 1 << 24,
                   .max_fields = 1 << 16,
                   .max_body = std::size_t{1} << 30};
  http::response_parser parser(lim);
  std::vector<http::response> finals;
  std::size_t interim = 0;
  while (!wire.empty()) {
    const auto& method =
        finals.size() < ref.requests.size() ? ref.requests[finals.size()].method : ref.last_method;
    parser.set_head_request(method == "HEAD");
    const auto r = parser.feed(wire);
    check(r.status == http::parse_status::done, "the output is whole, well-formed responses");
    wire.remove_prefix(r.consumed);
    if (parser.get().status < 200) {
      check(parser.get().status == 100 && ++interim == 1, "at most one 100 Continue per request");
    } else {
      finals.push_back(std::move(parser.get()));
      interim = 0;
    }
    parser.reset();
  }
  return finals;
}

/// How many final responses the session must have given, from the reference.
std::size_t expected_responses(const reference& ref, std::uint8_t flags) {
  for (std::size_t i = 0; i < ref.requests.size(); ++i) {
    if (!ref.requests[i].keep_alive()) return i + 1;  // the connection closes after it
  }
  if (ref.error) return ref.requests.size() + 1;
  // A 408 answers a request under way when the deadline passes, unless the session closed before.
  const bool closed_before_timeout = (flags & eof_at_end) != 0;
  if ((flags & timeout_at_end) && ref.started && !closed_before_timeout) return ref.requests.size() + 1;
  return ref.requests.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  socketlab::fuzz::input in(data, size);
  const std::uint8_t flags = in.byte();
  const std::string_view cuts = in.bytes(in.byte());
  const std::string_view stream = in.rest();

  server::server_config cfg;
  if (flags & small_limits)
    cfg.limits = {.max_start_line = 64, .max_header_bytes = 256, .max_fields = 8, .max_body = 64};
  cfg.verbose = (flags & verbose) != 0;
  cfg.console = [](std::string_view) {};
  const checking_site site(server::make_site((flags & echo) ? "echo" : "en"), cfg.limits);

  const reference ref = parse_alone(stream, cfg.limits);
  const outcome split = run_session(site, cfg, stream, cuts, flags);
  const auto finals = split_responses(split.wire, ref);
  check(finals.size() == split.responses, "responses() counts the final responses sent");
  check(split.log_lines == split.responses, "one access log line per final response");
  check(finals.size() == expected_responses(ref, flags),
        "one final response per complete request, one more for an error or a timeout, none after close");
  if (ref.error) {
    check(split.closed && finals.back().headers.has_token("Connection", "close"),
          "a parse error's response closes the connection");
  }
  if (!cuts.empty()) {
    const outcome whole = run_session(site, cfg, stream, {}, flags);
    const auto whole_finals = split_responses(whole.wire, ref);
    check(whole_finals.size() == finals.size(), "the split does not change the number of responses");
    for (std::size_t i = 0; i < finals.size(); ++i)
      check(whole_finals[i].status == finals[i].status, "the split does not change a status");
  }
  return 0;
}
