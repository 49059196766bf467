#include "client/http/get_output.hpp"

#include <vector>

#include "client/format.hpp"
#include "socketlab/http/serializer.hpp"
#include "socketlab/net/quoted.hpp"

namespace socketlab::client {
namespace {

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

/// "200 OK", "404 Not Found": a response's status and reason.
std::string status_text(const http::response& res) {
  return std::to_string(res.status) + (res.reason.empty() ? "" : " " + res.reason);
}

/// The head of @p res as it came: status line and fields.
std::vector<std::string> head_lines(const http::response& res) {
  std::vector<std::string> lines{"HTTP/" + std::to_string(res.version / 10) + "." +
                                 std::to_string(res.version % 10) + " " + status_text(res)};
  for (const auto& f : res.headers)
    lines.push_back(f.name + ": " + f.value);
  return lines;
}

/// Writes a head, each line after @p marker and a space ("< HTTP/1.1 200 OK", as -v shows it;
/// with no marker, as it came), then the empty line that ends it.
void write_head(std::ostream& out, const std::vector<std::string>& lines, std::string_view marker,
                std::string_view line_end) {
  const std::string lead = marker.empty() ? "" : std::string(marker) + " ";
  for (const auto& line : lines)
    out << lead << line << line_end;
  out << marker << line_end;
}

/// Writes the heads of the response @p reader framed: the 1xx ones, then the final one.
void write_heads(std::ostream& out, const response_reader& reader, std::string_view marker,
                 std::string_view line_end) {
  for (const auto& interim : reader.interim())
    write_head(out, head_lines(interim), marker, line_end);
  write_head(out, head_lines(reader.response()), marker, line_end);
}

}  // namespace

get_output::get_output(const get_options& options, std::ostream& out, std::ostream& err)
    : options_(options), out_(out), err_(err) {}

void get_output::info(const std::string& text) {
  if (!options_.verbose) return;
  const std::chrono::duration<double, std::milli> since = clock::now() - start_;
  err_ << "* [" << format("%.3f ms", since.count()) << "] " << text << "\n";
}

void get_output::trace(direction dir, std::string_view bytes, std::uint64_t stream_offset) {
  if (options_.trace) err_ << format_trace(dir, bytes, stream_offset);
}

void get_output::show_request(const http::request& req) {
  if (!options_.verbose) return;
  http::request head = req;
  head.body.clear();
  write_head(err_, head_lines(http::to_string(head)), ">", "\n");
  if (!req.body.empty()) info("request body: " + std::to_string(req.body.size()) + " bytes");
}

std::optional<failure> get_output::deliver(const response_reader& reader, int k) {
  const http::response& res = reader.response();
  if (options_.verbose) write_heads(err_, reader, "<", "\n");
  const std::string prefix = options_.pipeline > 1 ? "response " + std::to_string(k + 1) + ": " : "";
  info(prefix + "complete: status " + std::to_string(res.status) + ", " + std::to_string(res.body.size()) +
       " bytes of body, " + std::to_string(reader.bytes()) + " bytes in all");
  if (options_.fail && res.status >= 400) {
    return failure{exit_status::http_error, "the server answered " + status_text(res) + " (--fail)"};
  }
  std::ostream* out = output();
  if (out == nullptr) {
    return failure{exit_status::write_output, "cannot write to " + net::quoted(options_.output) +
                                                  "; give -o a file in a writable folder"};
  }
  if (options_.head || options_.include) write_heads(*out, reader, "", "\r\n");
  *out << res.body;
  out->flush();
  if (!*out) return failure{exit_status::write_output, "could not write the body (is the disk full?)"};
  return std::nullopt;
}

std::ostream* get_output::output() {
  if (options_.output.empty()) return &out_;
  if (!file_.is_open()) file_.open(options_.output, std::ios::binary | std::ios::trunc);
  return file_.is_open() ? &file_ : nullptr;
}

}  // namespace socketlab::client
