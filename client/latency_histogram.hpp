/// @file
/// A latency histogram in the style of HdrHistogram: bounded memory, at most 1 % error.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace socketlab::client {

/// Latencies from 1 ns to 73 minutes, counted in log-linear buckets so that memory does not
/// grow with the number of samples (as a vector of every sample would, which is what wrk
/// avoids with HdrHistogram) and every reported percentile is within 1 % of the exact one.
///
/// Bucket layout (HdrHistogram with 2 significant digits, rounded to powers of two):
/// @code
///   value v (ns)          bucket width      buckets
///   0 .. 255              1 (exact)         256
///   [2^k, 2^(k+1)), k>=8  2^(k-7)           128 per power of two, k = 8 .. 41
/// @endcode
/// In [2^k, 2^(k+1)) the 128 equal sub-buckets are 2^(k-7) wide, so a value and the top of its
/// bucket differ by at most 2^(k-7) - 1 < 2^k / 128, i.e. by less than 1/128 = 0.78 % of the
/// value. 128 is the smallest power of two whose reciprocal is below 1 % (1/64 = 1.6 %).
/// 256 + 34 * 128 = 4608 counters of 8 bytes: 36 KiB, whatever the number of samples.
///
/// min, max, count and mean are exact (tracked apart from the buckets); stdev is computed with
/// Welford's method in long double, so all-equal samples give exactly 0.
///
/// Threading: not thread safe. A benchmark keeps one histogram per thread and merge()s them
/// once the threads have joined.
class latency_histogram {
 public:
  /// Sub-buckets per power of two: 2^7 = 128, for a relative error below 1/128.
  static constexpr int sub_bucket_bits = 7;
  /// Values below 2^highest_bits ns are bucketed; 2^42 ns is about 73 minutes.
  static constexpr int highest_bits = 42;
  /// The largest value that is bucketed; larger ones are counted in the top bucket.
  static constexpr std::uint64_t highest_trackable = (std::uint64_t{1} << highest_bits) - 1;
  /// Number of counters: 256 exact ones, then 128 per power of two from 2^8 to 2^41.
  static constexpr std::size_t bucket_count =
      (std::size_t{2} << sub_bucket_bits) +
      static_cast<std::size_t>(highest_bits - sub_bucket_bits - 1) * (std::size_t{1} << sub_bucket_bits);

  /// An empty histogram (its counters are allocated once, here).
  latency_histogram();

  /// Counts one latency. Negative durations (impossible with a steady clock) count as 0;
  /// values above highest_trackable go into the top bucket and are counted by saturated().
  /// @param latency the measured time
  void record(std::chrono::nanoseconds latency);

  /// Adds every sample of @p other to this histogram, as if they had been recorded here.
  /// @param other another histogram (e.g. another thread's)
  void merge(const latency_histogram& other);

  /// Forgets every sample.
  void reset();

  /// @return the number of samples recorded
  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  /// @return how many samples were above highest_trackable (their percentiles are imprecise)
  [[nodiscard]] std::uint64_t saturated() const noexcept { return saturated_; }
  /// @return the smallest sample, exactly; 0 when empty
  [[nodiscard]] std::chrono::nanoseconds min() const noexcept;
  /// @return the largest sample, exactly (even if saturated); 0 when empty
  [[nodiscard]] std::chrono::nanoseconds max() const noexcept;
  /// @return the mean of the samples, exact up to the rounding of the final division; 0 when empty
  [[nodiscard]] std::chrono::duration<double, std::nano> mean() const noexcept;
  /// @return the population standard deviation of the samples; 0 when fewer than two
  [[nodiscard]] std::chrono::duration<double, std::nano> stdev() const noexcept;

  /// The smallest recorded value v such that at least @p percentile % of the samples are <= v,
  /// reported as the highest value of v's bucket (HdrHistogram's "highest equivalent value",
  /// which wrk prints too), kept within [min(), max()]. So the result is never below the exact
  /// percentile and at most 1/128 above it.
  /// @param percentile 0..100 (clamped); 0 gives min(), 100 gives max() exactly
  /// @return the latency; 0 when empty
  [[nodiscard]] std::chrono::nanoseconds value_at_percentile(double percentile) const;

  /// The share of samples between @p low and @p high inclusive, judged by each bucket's
  /// highest equivalent value (so within the histogram's 1/128 precision). wrk prints it for
  /// mean ± stdev as "+/- Stdev": how many samples lie within one standard deviation.
  /// @param low smallest latency counted
  /// @param high largest latency counted
  /// @return 0..1; 0 when empty
  [[nodiscard]] double fraction_within(std::chrono::nanoseconds low, std::chrono::nanoseconds high) const;

  /// @return the bytes this histogram occupies, counters included (constant)
  [[nodiscard]] std::size_t memory_bytes() const noexcept;

  /// The counter that @p value falls into.
  /// @param value a latency in ns, at most highest_trackable
  /// @return an index below bucket_count
  [[nodiscard]] static std::size_t bucket_index(std::uint64_t value) noexcept;
  /// The largest value that falls into bucket @p index.
  /// @param index below bucket_count
  /// @return the value in ns
  [[nodiscard]] static std::uint64_t highest_equivalent(std::size_t index) noexcept;

 private:
  std::vector<std::uint64_t> counts_;  ///< one counter per bucket, bucket_count of them
  std::uint64_t count_ = 0;            ///< samples recorded
  std::uint64_t saturated_ = 0;        ///< samples above highest_trackable
  std::uint64_t min_ = 0;              ///< smallest sample (valid when count_ > 0)
  std::uint64_t max_ = 0;              ///< largest sample (valid when count_ > 0)
  // The exact sum as a 128-bit number in two words: 1 hour times 5 million samples already
  // overflows 64 bits, and unsigned __int128 is not portable (MSVC).
  std::uint64_t sum_low_ = 0;     ///< low 64 bits of the sum of samples
  std::uint64_t sum_high_ = 0;    ///< high 64 bits of the sum of samples
  long double welford_mean_ = 0;  ///< running mean, for Welford's variance
  long double welford_m2_ = 0;    ///< sum of squared deviations from the running mean
};

}  // namespace socketlab::client
