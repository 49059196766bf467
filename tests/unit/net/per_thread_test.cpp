// net::per_thread: each thread its own object, destroyed whole when that thread ends. With
// per_thread made a plain thread_local, the MinGW build's second case fails under Wine: not one
// of the 200 `marked` objects is whole when its destructor runs (GCC bug 80816: emutls frees a
// thread_local's memory first), and the kit's server tests crashed on such a vector.
#include "socketlab/net/per_thread.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/catch.hpp"

namespace net = socketlab::net;

namespace {

std::atomic<int> items_made{0};
std::atomic<int> items_destroyed{0};

/// Something with a destructor that reads its own members: a virtual call through each pointer.
struct item {
  item() { ++items_made; }
  item(const item&) = delete;
  item& operator=(const item&) = delete;
  virtual ~item() { ++items_destroyed; }
  std::string text = std::string(100, 'x');
};

struct kept_items {
  std::vector<std::unique_ptr<item>> items;
};

std::atomic<int> whole_at_the_end{0};

/// Checks in its destructor that its memory is still its own: marks at both ends, unchanged.
struct marked {
  static constexpr std::uint64_t mark = 0x50'63'6b'65'74'6c'61'62;
  std::uint64_t head = mark;
  std::string text = std::string(100, 'z');
  std::uint64_t tail = mark;
  ~marked() {
    if (head == mark && tail == mark && text == std::string(100, 'z')) ++whole_at_the_end;
  }
};

/// Records the thread its destructor ran on.
struct ending_witness {
  std::thread::id* destroyed_on = nullptr;
  ~ending_witness() {
    if (destroyed_on) *destroyed_on = std::this_thread::get_id();
  }
};

thread_local bool touched = false;  // a thread_local without a destructor, used first

}  // namespace

TEST_CASE("per_thread: one object per thread, the same one each time it asks", "[unit][net][per_thread]") {
  auto* mine = &net::per_thread<std::string>();
  CHECK(&net::per_thread<std::string>() == mine);
  std::string* theirs = nullptr;
  std::thread([&theirs] { theirs = &net::per_thread<std::string>(); }).join();
  CHECK(theirs != mine);

  struct other_tag;
  CHECK(&net::per_thread<std::string, other_tag>() != mine);  // a tag of its own: another object
  CHECK(net::per_thread<int, struct fresh_int>() == 0);       // made value-initialized
}

TEST_CASE("per_thread: a thread's object is destroyed whole, on that thread, when the thread ends",
          "[unit][net][per_thread]") {
  constexpr int threads = 200;
  constexpr int per_thread_items = 3;
  const int made_before = items_made.load();
  const int destroyed_before = items_destroyed.load();
  const int whole_before = whole_at_the_end.load();
  touched = true;
  for (int i = 0; i < threads; ++i) {
    std::thread([] {
      touched = true;
      net::per_thread<std::string>() = std::string(300, 'y');
      net::per_thread<marked>().text[0] = 'z';
      auto& kept = net::per_thread<kept_items>();
      for (int j = 0; j < per_thread_items; ++j)
        kept.items.push_back(std::make_unique<item>());
    }).join();
  }
  CHECK(items_made.load() - made_before == threads * per_thread_items);
  CHECK(items_destroyed.load() - destroyed_before == threads * per_thread_items);
  CHECK(whole_at_the_end.load() - whole_before == threads);

  std::thread::id destroyed_on;
  std::thread::id ran_on;
  std::thread([&] {
    ran_on = std::this_thread::get_id();
    net::per_thread<ending_witness>().destroyed_on = &destroyed_on;
  }).join();
  CHECK(destroyed_on == ran_on);
}
