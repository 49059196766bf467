#include "client/latency_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace socketlab::client {
namespace {

/// Sub-buckets per power of two (128).
constexpr std::uint64_t sub_bucket_count = std::uint64_t{1} << latency_histogram::sub_bucket_bits;

/// Values below this (256) have a counter each.
constexpr std::uint64_t exact_limit = 2 * sub_bucket_count;

/// Adds @p value to the 128-bit number (@p high, @p low), carrying into @p high.
void add_128(std::uint64_t& high, std::uint64_t& low, std::uint64_t value) noexcept {
  low += value;
  if (low < value) ++high;  // unsigned addition wrapped
}

}  // namespace

latency_histogram::latency_histogram() : counts_(bucket_count, 0) {}

std::size_t latency_histogram::bucket_index(std::uint64_t value) noexcept {
  // v in [2^k, 2^(k+1)) with k >= 8 is shifted right by k - 7 so that 8 significant bits are
  // left: v >> shift is in [128, 256), its sub-bucket. The range of shift s starts at index
  // 128 * (s + 1), which makes the formula one line: index = 128 * s + (v >> s). For v < 256,
  // s = 0 and the index is v itself.
  const auto width = static_cast<int>(std::bit_width(value));
  const int shift = std::max(0, width - (sub_bucket_bits + 1));
  return static_cast<std::size_t>(sub_bucket_count * static_cast<std::uint64_t>(shift) + (value >> shift));
}

std::uint64_t latency_histogram::highest_equivalent(std::size_t index) noexcept {
  if (index < exact_limit) return index;
  // The inverse of bucket_index: index / 128 = s + 1 for index >= 256.
  const auto shift = index / sub_bucket_count - 1;
  const auto sub_bucket = index - sub_bucket_count * shift;
  const auto lowest = std::uint64_t{sub_bucket} << shift;
  return lowest + (std::uint64_t{1} << shift) - 1;
}

void latency_histogram::record(std::chrono::nanoseconds latency) {
  const auto value = static_cast<std::uint64_t>(std::max<std::chrono::nanoseconds::rep>(0, latency.count()));
  if (value > highest_trackable) ++saturated_;
  ++counts_[bucket_index(std::min(value, highest_trackable))];

  min_ = count_ == 0 ? value : std::min(min_, value);
  max_ = count_ == 0 ? value : std::max(max_, value);
  ++count_;
  add_128(sum_high_, sum_low_, value);
  // Welford: no cancellation, unlike sum-of-squares minus squared mean.
  const auto x = static_cast<long double>(value);
  const auto delta = x - welford_mean_;
  welford_mean_ += delta / static_cast<long double>(count_);
  welford_m2_ += delta * (x - welford_mean_);
}

void latency_histogram::merge(const latency_histogram& other) {
  if (other.count_ == 0) return;
  if (count_ == 0) {
    *this = other;
    return;
  }
  std::transform(counts_.begin(), counts_.end(), other.counts_.begin(), counts_.begin(),
                 [](std::uint64_t a, std::uint64_t b) { return a + b; });
  // Chan et al.'s formula for combining two groups' means and squared deviations.
  const auto n_a = static_cast<long double>(count_);
  const auto n_b = static_cast<long double>(other.count_);
  const auto n = n_a + n_b;
  const auto delta = other.welford_mean_ - welford_mean_;
  welford_mean_ += delta * n_b / n;
  welford_m2_ += other.welford_m2_ + delta * delta * n_a * n_b / n;

  count_ += other.count_;
  saturated_ += other.saturated_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  sum_high_ += other.sum_high_;
  add_128(sum_high_, sum_low_, other.sum_low_);
}

void latency_histogram::reset() {
  // Keeps the counters' allocation: a benchmark may reset between rounds.
  std::fill(counts_.begin(), counts_.end(), 0);
  count_ = saturated_ = min_ = max_ = sum_low_ = sum_high_ = 0;
  welford_mean_ = welford_m2_ = 0;
}

std::chrono::nanoseconds latency_histogram::min() const noexcept {
  return std::chrono::nanoseconds{static_cast<std::chrono::nanoseconds::rep>(min_)};
}

std::chrono::nanoseconds latency_histogram::max() const noexcept {
  return std::chrono::nanoseconds{static_cast<std::chrono::nanoseconds::rep>(max_)};
}

std::chrono::duration<double, std::nano> latency_histogram::mean() const noexcept {
  if (count_ == 0) return {};
  const long double sum =
      std::ldexp(static_cast<long double>(sum_high_), 64) + static_cast<long double>(sum_low_);
  return std::chrono::duration<double, std::nano>{
      static_cast<double>(sum / static_cast<long double>(count_))};
}

std::chrono::duration<double, std::nano> latency_histogram::stdev() const noexcept {
  if (count_ < 2) return {};
  const auto variance = std::max(0.0L, welford_m2_ / static_cast<long double>(count_));
  return std::chrono::duration<double, std::nano>{static_cast<double>(std::sqrt(variance))};
}

std::chrono::nanoseconds latency_histogram::value_at_percentile(double percentile) const {
  if (count_ == 0) return {};
  percentile = std::clamp(percentile, 0.0, 100.0);
  if (percentile <= 0.0) return min();
  if (percentile >= 100.0) return max();  // exact even when the largest samples saturated
  // The rank of the wanted sample, 1-based: ceil(p% of count). 99.9 is not exact in binary, so
  // 99.9 % of 1000 computes as 999.0000000000001; shaving a relative 1e-12 off keeps its ceil
  // at 999 (and cannot move a true fraction past an integer for counts below 10^12).
  const auto exact_rank = static_cast<long double>(percentile) / 100.0L * static_cast<long double>(count_);
  const auto rank = std::clamp<std::uint64_t>(
      static_cast<std::uint64_t>(std::ceil(exact_rank * (1.0L - 1e-12L))), 1, count_);
  std::uint64_t seen = 0;
  for (std::size_t index = 0; index < counts_.size(); ++index) {
    seen += counts_[index];
    if (seen >= rank) {
      const auto value = std::clamp(highest_equivalent(index), min_, max_);
      return std::chrono::nanoseconds{static_cast<std::chrono::nanoseconds::rep>(value)};
    }
  }
  return max();  // not reached: the counters add up to count_
}

std::size_t latency_histogram::memory_bytes() const noexcept {
  return sizeof(*this) + counts_.capacity() * sizeof(std::uint64_t);
}

double latency_histogram::fraction_within(std::chrono::nanoseconds low, std::chrono::nanoseconds high) const {
  if (count_ == 0) return 0.0;
  std::uint64_t inside = 0;
  for (std::size_t index = 0; index < counts_.size(); ++index) {
    if (counts_[index] == 0) continue;
    const auto value =
        static_cast<std::chrono::nanoseconds::rep>(std::clamp(highest_equivalent(index), min_, max_));
    if (value >= low.count() && value <= high.count()) inside += counts_[index];
  }
  return static_cast<double>(inside) / static_cast<double>(count_);
}

}  // namespace socketlab::client
