// The latency histogram against the exact statistics of the same samples, kept and sorted.
#include "client/latency_histogram.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "support/catch.hpp"

using socketlab::client::latency_histogram;
using std::chrono::nanoseconds;

namespace {

/// The percentiles wrk prints, in tenths of a percent so that exact ranks need no floating point.
constexpr std::array<std::uint64_t, 6> wrk_permille{500, 750, 900, 990, 999, 1000};

/// The bound every percentile must meet (the layout gives 1/128 = 0.78 %).
constexpr double max_relative_error = 0.01;

/// The exact percentile of @p sorted: the smallest sample with at least permille/10 % of the
/// samples at or below it, i.e. the one at rank ceil(permille * n / 1000), 1-based.
std::uint64_t exact_percentile(const std::vector<std::uint64_t>& sorted, std::uint64_t permille) {
  const auto n = sorted.size();
  const auto rank = std::max<std::uint64_t>(1, (permille * n + 999) / 1000);
  return sorted[rank - 1];
}

/// (reported - exact) / exact.
double relative_error(std::uint64_t reported, std::uint64_t exact) {
  return (static_cast<double>(reported) - static_cast<double>(exact)) / static_cast<double>(exact);
}

/// True when @p actual is within @p tolerance (relative) of @p expected. Written out rather than
/// Catch's Approx, which lives in different namespaces in Catch2 v2 and v3.
bool close(double actual, double expected, double tolerance) {
  return std::abs(actual - expected) <= tolerance * std::abs(expected);
}

/// A histogram of @p samples.
latency_histogram histogram_of(const std::vector<std::uint64_t>& samples) {
  latency_histogram h;
  for (const auto s : samples)
    h.record(nanoseconds{static_cast<nanoseconds::rep>(s)});
  return h;
}

/// Checks every statistic of @p h against the exact one computed from @p samples; returns the
/// worst relative error of the percentiles.
double check_against_exact(const latency_histogram& h, std::vector<std::uint64_t> samples) {
  std::sort(samples.begin(), samples.end());
  const auto n = samples.size();
  REQUIRE(h.count() == n);
  CHECK(h.min().count() == static_cast<nanoseconds::rep>(samples.front()));
  CHECK(h.max().count() == static_cast<nanoseconds::rep>(samples.back()));

  long double sum = 0;
  for (const auto s : samples)
    sum += static_cast<long double>(s);
  const auto mean = sum / static_cast<long double>(n);
  long double squares = 0;
  for (const auto s : samples)
    squares += (static_cast<long double>(s) - mean) * (static_cast<long double>(s) - mean);
  const auto stdev = static_cast<double>(std::sqrt(squares / static_cast<long double>(n)));
  CHECK(close(h.mean().count(), static_cast<double>(mean), 1e-9));
  if (stdev == 0.0) {
    CHECK(h.stdev().count() == 0.0);
  } else {
    CHECK(close(h.stdev().count(), stdev, 1e-9));
  }

  double worst = 0;
  for (const auto permille : wrk_permille) {
    const auto exact = exact_percentile(samples, permille);
    const auto reported =
        static_cast<std::uint64_t>(h.value_at_percentile(static_cast<double>(permille) / 10.0).count());
    const auto error = relative_error(reported, exact);
    CAPTURE(permille, exact, reported, error);
    CHECK(reported >= exact);  // the top of the bucket: never optimistic
    CHECK(error <= max_relative_error);
    worst = std::max(worst, error);
  }
  CHECK(h.value_at_percentile(100).count() == static_cast<nanoseconds::rep>(samples.back()));
  CHECK(h.value_at_percentile(0).count() == static_cast<nanoseconds::rep>(samples.front()));
  return worst;
}

/// @p n samples drawn by @p draw from a fixed-seed generator, at least 1 ns each.
template <typename Draw>
std::vector<std::uint64_t> draw_samples(std::size_t n, Draw draw) {
  std::mt19937_64 random(20261124);
  std::vector<std::uint64_t> samples(n);
  for (auto& s : samples)
    s = std::max<std::uint64_t>(1, draw(random));
  return samples;
}

}  // namespace

TEST_CASE("the bucket layout covers 1 ns to an hour with buckets under 1 % wide", "[unit][client]") {
  STATIC_REQUIRE(latency_histogram::bucket_count == 4608);
  STATIC_REQUIRE(latency_histogram::highest_trackable >= 3'600'000'000'000ULL);  // one hour in ns
  CHECK(latency_histogram::bucket_index(0) == 0);
  CHECK(latency_histogram::bucket_index(255) == 255);
  CHECK(latency_histogram::bucket_index(latency_histogram::highest_trackable) ==
        latency_histogram::bucket_count - 1);

  // Every bucket starts right after the previous one ends, and is narrower than 1/128 of its start.
  std::uint64_t lowest = 0;
  for (std::size_t index = 0; index < latency_histogram::bucket_count; ++index) {
    const auto highest = latency_histogram::highest_equivalent(index);
    CAPTURE(index, lowest, highest);
    REQUIRE(highest >= lowest);
    REQUIRE(latency_histogram::bucket_index(lowest) == index);
    REQUIRE(latency_histogram::bucket_index(highest) == index);
    if (lowest > 0) REQUIRE(static_cast<double>(highest - lowest) / static_cast<double>(lowest) < 1.0 / 128);
    lowest = highest + 1;
  }
  CHECK(lowest - 1 == latency_histogram::highest_trackable);
}

TEST_CASE("the memory is bounded and does not grow with the samples", "[unit][client]") {
  latency_histogram h;
  const auto before = h.memory_bytes();
  CHECK(before <= 40 * 1024);  // 36 KiB of counters and a few words
  CHECK(sizeof(latency_histogram) <= 128);
  for (int i = 0; i < 100'000; ++i)
    h.record(nanoseconds{i * 1'000'003LL});
  CHECK(h.memory_bytes() == before);
}

TEST_CASE("an empty histogram reports zeros", "[unit][client]") {
  const latency_histogram h;
  CHECK(h.count() == 0);
  CHECK(h.min() == nanoseconds{0});
  CHECK(h.max() == nanoseconds{0});
  CHECK(h.mean().count() == 0.0);
  CHECK(h.stdev().count() == 0.0);
  CHECK(h.value_at_percentile(50) == nanoseconds{0});
}

TEST_CASE("percentiles are within 1 % of the exact ones", "[unit][client]") {
  using distribution = std::vector<std::uint64_t> (*)();
  struct named {
    std::string_view name;  ///< what the samples look like
    distribution make;      ///< makes them
  };
  const auto row = GENERATE(values<named>({
      {"uniform 1 us .. 10 ms",
       [] {
         std::uniform_int_distribution<std::uint64_t> d(1'000, 10'000'000);
         return draw_samples(100'000, [&](auto& r) { return d(r); });
       }},
      {"exponential, mean 1 ms",
       [] {
         std::exponential_distribution<double> d(1e-6);
         return draw_samples(100'000, [&](auto& r) { return static_cast<std::uint64_t>(d(r)); });
       }},
      {"log-uniform 1 ns .. 1 h",
       [] {
         std::uniform_real_distribution<double> d(0.0, std::log(3.6e12));
         return draw_samples(100'000, [&](auto& r) { return static_cast<std::uint64_t>(std::exp(d(r))); });
       }},
      {"small values 1 .. 300 ns (exact buckets)",
       [] {
         std::uniform_int_distribution<std::uint64_t> d(1, 300);
         return draw_samples(10'000, [&](auto& r) { return d(r); });
       }},
      {"100 us with a few huge stalls (1 s .. 50 min)",
       [] {
         std::normal_distribution<double> fast(100'000.0, 10'000.0);
         std::uniform_int_distribution<std::uint64_t> huge(1'000'000'000ULL, 3'000'000'000'000ULL);
         std::uniform_int_distribution<int> one_in(0, 499);
         return draw_samples(50'000, [&](auto& r) {
           return one_in(r) == 0 ? huge(r) : static_cast<std::uint64_t>(std::max(1.0, fast(r)));
         });
       }},
      {"all equal", [] { return std::vector<std::uint64_t>(10'000, 123'456'789); }},
      {"a single sample", [] { return std::vector<std::uint64_t>{987'654'321}; }},
      {"two samples",
       [] {
         return std::vector<std::uint64_t>{1'000, 2'000'000};
       }},
  }));
  CAPTURE(row.name);
  const auto samples = row.make();
  const auto worst = check_against_exact(histogram_of(samples), samples);
  CHECK(worst <= 1.0 / 128);
}

TEST_CASE("every percentile from 0 to 100 in 0.1 steps is within 1/128", "[unit][client]") {
  std::uniform_real_distribution<double> d(0.0, std::log(3.6e12));
  auto samples = draw_samples(20'001, [&](auto& r) { return static_cast<std::uint64_t>(std::exp(d(r))); });
  const auto h = histogram_of(samples);
  std::sort(samples.begin(), samples.end());
  double worst = 0;
  for (std::uint64_t permille = 0; permille <= 1000; ++permille) {
    const auto exact = exact_percentile(samples, permille);
    const auto reported =
        static_cast<std::uint64_t>(h.value_at_percentile(static_cast<double>(permille) / 10).count());
    CAPTURE(permille, exact, reported);
    REQUIRE(reported >= exact);
    worst = std::max(worst, relative_error(reported, exact));
  }
  CHECK(worst <= 1.0 / 128);
}

TEST_CASE("merging per-thread halves equals one histogram of everything", "[unit][client]") {
  std::exponential_distribution<double> d(1e-6);
  const auto samples = draw_samples(50'000, [&](auto& r) { return static_cast<std::uint64_t>(d(r)); });
  const auto whole = histogram_of(samples);
  const auto middle = samples.begin() + 20'000;
  auto merged = histogram_of({samples.begin(), middle});
  merged.merge(histogram_of({middle, samples.end()}));

  CHECK(merged.count() == whole.count());
  CHECK(merged.min() == whole.min());
  CHECK(merged.max() == whole.max());
  CHECK(merged.mean().count() == whole.mean().count());  // exact sums add exactly
  CHECK(close(merged.stdev().count(), whole.stdev().count(), 1e-12));
  for (int permille = 0; permille <= 1000; ++permille) {
    CAPTURE(permille);
    REQUIRE(merged.value_at_percentile(permille / 10.0) == whole.value_at_percentile(permille / 10.0));
  }
  check_against_exact(merged, samples);

  SECTION("merging into or from an empty histogram copies") {
    latency_histogram empty;
    empty.merge(whole);
    CHECK(empty.count() == whole.count());
    CHECK(empty.value_at_percentile(99) == whole.value_at_percentile(99));
    auto copy = whole;
    copy.merge(latency_histogram{});
    CHECK(copy.count() == whole.count());
    CHECK(copy.stdev().count() == whole.stdev().count());
  }
}

TEST_CASE("values past the top are clamped into it and counted", "[unit][client]") {
  latency_histogram h;
  h.record(std::chrono::milliseconds{5});
  h.record(std::chrono::hours{2});
  h.record(std::chrono::hours{3});
  CHECK(h.count() == 3);
  CHECK(h.saturated() == 2);
  CHECK(h.max() == std::chrono::hours{3});  // exact, not the clamped value
  CHECK(h.value_at_percentile(100) == std::chrono::hours{3});
  CHECK(h.value_at_percentile(50).count() ==
        static_cast<nanoseconds::rep>(latency_histogram::highest_trackable));
  CHECK(close(h.mean().count(), (5e6 + 7.2e12 + 1.08e13) / 3, 1e-12));
}

TEST_CASE("negative durations count as 0 and reset forgets everything", "[unit][client]") {
  latency_histogram h;
  h.record(nanoseconds{-5});
  h.record(nanoseconds{0});
  h.record(nanoseconds{7});
  CHECK(h.min() == nanoseconds{0});
  CHECK(h.max() == nanoseconds{7});
  CHECK(h.value_at_percentile(50) == nanoseconds{0});

  h.reset();
  CHECK(h.count() == 0);
  CHECK(h.value_at_percentile(99) == nanoseconds{0});
  h.record(std::chrono::microseconds{250});
  CHECK(h.count() == 1);
  CHECK(h.min() == std::chrono::microseconds{250});
  CHECK(h.mean().count() == 250'000.0);
  CHECK(h.stdev().count() == 0.0);
}

TEST_CASE("the mean stays exact when the sum passes 64 bits", "[unit][client]") {
  // Five samples of 292 years: their sum needs 66 bits, and a plain uint64_t sum would wrap.
  constexpr auto longest = nanoseconds{std::numeric_limits<nanoseconds::rep>::max()};
  latency_histogram a;
  latency_histogram b;
  for (int i = 0; i < 3; ++i)
    a.record(longest);
  for (int i = 0; i < 2; ++i)
    b.record(longest);
  a.merge(b);
  CHECK(a.count() == 5);
  CHECK(a.saturated() == 5);
  CHECK(a.mean().count() == static_cast<double>(longest.count()));
  CHECK(a.stdev().count() == 0.0);
  CHECK(a.max() == longest);
}
