// The UDP echo server's simulated trouble, decided without a socket: the statistics a fixed seed
// gives, and that the same seed gives the same run.
#include "server/echo/impairment.hpp"

#include <vector>

#include "server/echo/udp_echo_server.hpp"
#include "support/catch.hpp"

namespace server = socketlab::server;
using socketlab::test::Approx;
using namespace std::chrono_literals;

namespace {

/// The share of @p n plans that satisfy @p pick.
template <typename Pick>
double share(server::impairment& imp, int n, Pick pick) {
  int hits = 0;
  for (int i = 0; i < n; ++i)
    hits += pick(imp.decide()) ? 1 : 0;
  return static_cast<double>(hits) / n;
}

}  // namespace

TEST_CASE("with nothing asked for, every datagram is echoed once at once", "[unit][server][udp]") {
  const server::impairment_config none;
  CHECK_FALSE(none.active());
  server::impairment imp(none);
  for (int i = 0; i < 1000; ++i) {
    const auto plan = imp.decide();
    CHECK_FALSE(plan.drop);
    CHECK_FALSE(plan.hold);
    CHECK(plan.copies == 1);
    CHECK(plan.delay == 0ms);
  }
}

TEST_CASE("drop, duplicate and reorder happen as often as asked", "[unit][server][udp]") {
  // 20,000 draws: the standard deviation of a 30 % share is 0.32 %, so +-2 % is over 6 sigma.
  server::impairment_config c;
  c.seed = 42;
  c.drop = 0.3;
  server::impairment drops(c);
  CHECK(share(drops, 20'000, [](const auto& p) { return p.drop; }) == Approx(0.3).margin(0.02));
  c = {};
  c.seed = 42;
  c.duplicate = 0.1;
  server::impairment dups(c);
  CHECK(share(dups, 20'000, [](const auto& p) { return p.copies == 2; }) == Approx(0.1).margin(0.02));
  c = {};
  c.seed = 42;
  c.reorder = 0.5;
  server::impairment holds(c);
  CHECK(share(holds, 20'000, [](const auto& p) { return p.hold; }) == Approx(0.5).margin(0.02));
}

TEST_CASE("delays stay between delay and delay + jitter and use the whole range", "[unit][server][udp]") {
  server::impairment_config c;
  c.seed = 7;
  c.delay = 20ms;
  c.jitter = 10ms;
  server::impairment imp(c);
  std::chrono::milliseconds lowest = 1h;
  std::chrono::milliseconds highest = 0ms;
  for (int i = 0; i < 5000; ++i) {
    const auto d = imp.decide().delay;
    CHECK(d >= 20ms);
    CHECK(d <= 30ms);
    lowest = std::min(lowest, d);
    highest = std::max(highest, d);
  }
  CHECK(lowest == 20ms);
  CHECK(highest == 30ms);
}

TEST_CASE("the same seed gives the same run; another seed another", "[unit][server][udp]") {
  server::impairment_config c;
  c.drop = 0.5;
  c.duplicate = 0.5;
  c.seed = 1234;
  const auto run = [](const server::impairment_config& config) {
    server::impairment imp(config);
    std::vector<int> out;
    for (int i = 0; i < 200; ++i) {
      const auto p = imp.decide();
      out.push_back((p.drop ? 1 : 0) + 2 * p.copies);
    }
    return out;
  };
  CHECK(run(c) == run(c));
  auto other = c;
  other.seed = 1235;
  CHECK(run(c) != run(other));
  // Which datagrams are dropped does not depend on the other settings: one draw per question.
  auto more_dups = c;
  more_dups.duplicate = 0.9;
  const auto a = run(c);
  const auto b = run(more_dups);
  for (std::size_t i = 0; i < a.size(); ++i)
    CHECK(a[i] % 2 == b[i] % 2);
}

TEST_CASE("service ports that could start an echo loop are never answered", "[unit][server][udp]") {
  for (const int port : {0, 7, 13, 19, 37, 53, 123}) {
    CHECK(server::is_loop_prone_port(static_cast<std::uint16_t>(port)));
  }
  for (const int port : {1, 8, 80, 124, 1024, 7007, 50000, 65535}) {
    CHECK_FALSE(server::is_loop_prone_port(static_cast<std::uint16_t>(port)));
  }
}
