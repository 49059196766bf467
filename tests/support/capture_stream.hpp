/// @file
/// An output stream that several threads may write to while a test waits for its text.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>

namespace socketlab::test {

/// A thread-safe std::ostream into a string, with a way to wait for some text to appear
/// (a readiness signal: no sleeping and hoping).
class capture_stream : public std::ostream {
 public:
  capture_stream();

  /// Everything written so far.
  [[nodiscard]] std::string str() const;

  /// Waits until the text contains @p needle.
  /// @return true if it did within @p timeout
  bool wait_for(std::string_view needle, std::chrono::milliseconds timeout);

 private:
  class buffer : public std::streambuf {
   public:
    mutable std::mutex mutex;
    std::condition_variable changed;
    std::string text;

   protected:
    int_type overflow(int_type ch) override;
    std::streamsize xsputn(const char* s, std::streamsize n) override;
  };
  buffer buffer_;
};

}  // namespace socketlab::test
