/// @file
/// Test helpers: feed a parser an input split in every way ("grind", after Boost.Beast's
/// basic_parser tests) and describe what came out as one string, so two runs compare with
/// one REQUIRE and a difference prints readably.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "socketlab/http/request.hpp"
#include "socketlab/http/request_parser.hpp"
#include "socketlab/http/response.hpp"
#include "socketlab/http/response_parser.hpp"

namespace socketlab::http::test {

/// A request as text: start line, one line per field (with its name's case), then the body.
inline std::string describe(const request& r) {
  std::string out = r.method + " " + r.target + " v" + std::to_string(r.version) + "\n";
  for (const field& f : r.headers)
    out += "[" + f.name + "]=[" + f.value + "]\n";
  return out + "body(" + std::to_string(r.body.size()) + ")=" + r.body;
}

/// A response as text, like describe(const request&).
inline std::string describe(const response& r) {
  std::string out =
      "v" + std::to_string(r.version) + " " + std::to_string(r.status) + " [" + r.reason + "]\n";
  for (const field& f : r.headers)
    out += "[" + f.name + "]=[" + f.value + "]\n";
  return out + "body(" + std::to_string(r.body.size()) + ")=" + r.body;
}

/// Feeds @p input to @p parser in pieces cut at @p cuts (ascending offsets), parsing every
/// message in it, then feed_eof() when @p eof (parsers that have one).
/// @param finish called with the offset where a message ended; returns its description and
///        gets the parser ready for the next message
/// @param failure returns the text of the parser's error
/// @return each message's description, then how the input finished: "end", "need_more",
///         "need_more(started)" (request parsers), "eof", "eof error <failure>", or "error <failure>"
template <typename Parser, typename Finish, typename Failure>
std::string drive_with(Parser& parser, std::string_view input, const std::vector<std::size_t>& cuts, bool eof,
                       Finish finish, Failure failure) {
  std::string out;
  std::size_t begin = 0;
  bool last_need_more = true;
  for (std::size_t piece = 0; piece <= cuts.size(); ++piece) {
    const std::size_t end = piece < cuts.size() ? cuts[piece] : input.size();
    std::string_view data = input.substr(begin, end - begin);
    begin = end;
    while (true) {
      const parse_result r = parser.feed(data);
      if (r.status == parse_status::error) return out + "error " + failure();
      if (r.status == parse_status::need_more) {
        if (r.consumed != data.size()) return out + "need_more consumed only " + std::to_string(r.consumed);
        last_need_more = true;
        break;
      }
      out += finish(end - data.size() + r.consumed);
      data.remove_prefix(r.consumed);
      last_need_more = false;
      if (data.empty()) break;
    }
  }
  if constexpr (requires { parser.feed_eof(); }) {
    if (eof) {
      const parse_result r = parser.feed_eof();
      if (r.status == parse_status::done) return out + finish(input.size()) + "eof";
      return out + "eof error " + failure();
    }
  }
  if (!last_need_more) return out + "end";
  if constexpr (requires { parser.started(); }) {
    if (parser.started()) return out + "need_more(started)";
  }
  return out + "need_more";
}

/// drive_with() for the request and response parsers: each message as describe() and the
/// offset where it ended; reset() after each.
template <typename Parser>
std::string drive(Parser& parser, std::string_view input, const std::vector<std::size_t>& cuts,
                  bool eof = false) {
  return drive_with(
      parser, input, cuts, eof,
      [&](std::size_t end) {
        std::string text = describe(parser.get()) + "\n@" + std::to_string(end) + "\n";
        parser.reset();
        return text;
      },
      [&] { return parser.error().message(); });
}

/// The ways to cut an input of @p size bytes: every single cut, byte by byte, and a
/// sample of three-piece cuts. Inputs over @p every_split_max bytes get a sample of
/// single cuts, and inputs over 512 bytes no three-piece cuts, to keep the run short.
inline std::vector<std::vector<std::size_t>> splits(std::size_t size, std::size_t every_split_max = 4096) {
  std::vector<std::vector<std::size_t>> all;
  const std::size_t step = size <= every_split_max ? 1 : size / 64 + 1;
  for (std::size_t i = 1; i < size; i += step)
    all.push_back({i});
  std::vector<std::size_t> bytewise;
  for (std::size_t i = 1; i < size; ++i)
    bytewise.push_back(i);
  all.push_back(bytewise);
  for (std::size_t i = 1; i + 1 < size && size <= 512; i += 7) {
    for (std::size_t j = i + 1; j < size; j += 5)
      all.push_back({i, j});
  }
  return all;
}

/// What grind() found.
struct ground {
  std::string one_shot;        ///< drive() of the whole input in one feed
  std::size_t runs = 0;        ///< how many other splits were tried
  std::string first_mismatch;  ///< the first split whose result differed, with both; empty if none
};

/// Parses @p input in one feed with a copy of @p prototype, then with every split of
/// splits() using fresh copies, and compares each result with the one-shot one.
/// @param prototype a parser set up as the test wants (limits, HEAD), not yet fed
/// @param input the bytes
/// @param eof whether to call feed_eof() at the end (response parsers)
template <typename Parser>
ground grind(const Parser& prototype, std::string_view input, bool eof = false) {
  ground g;
  Parser one_shot = prototype;
  g.one_shot = drive(one_shot, input, {}, eof);
  for (const std::vector<std::size_t>& cuts : splits(input.size())) {
    Parser p = prototype;
    const std::string got = drive(p, input, cuts, eof);
    ++g.runs;
    if (got != g.one_shot && g.first_mismatch.empty()) {
      std::string where;
      for (const std::size_t c : cuts)
        where += std::to_string(c) + " ";
      g.first_mismatch = "cut at { " + where + "}:\n" + got + "\n--- but in one feed:\n" + g.one_shot;
    }
  }
  return g;
}

}  // namespace socketlab::http::test
