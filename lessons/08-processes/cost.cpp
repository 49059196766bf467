// Lesson 08: what a process costs, next to a thread. The program fills some memory (a server's
// caches and code, say), then times, over a number of rounds:
//   - starting a thread and joining it (lesson 07's way);
//   - forking a child that exits at once, and waiting for it (this lesson's way);
//   - the same, but the child writes one byte in every page of that memory first: copy-on-write;
//   - copying that memory in the parent, to compare.
// POSIX only (fork), like the lesson's server.
//
// Usage: lesson08-cost [--memory-mib N] [--rounds N]    (defaults: 64 MiB, 50 rounds)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace {

using clock_type = std::chrono::steady_clock;

/// Runs @p step @p rounds times; prints the mean time of one.
template <typename Step>
void measure(const char* what, int rounds, Step step) {
  const auto start = clock_type::now();
  for (int i = 0; i < rounds; ++i) step();
  const std::chrono::duration<double, std::micro> each = (clock_type::now() - start) / rounds;
  if (each.count() < 1000.0) {
    std::printf("%-58s %8.1f µs\n", what, each.count());
  } else {
    std::printf("%-58s %8.1f ms\n", what, each.count() / 1000.0);
  }
}

/// Forks a child that runs @p child and exits; waits for it.
template <typename Child>
void fork_and_wait(Child child) {
  const pid_t pid = fork();
  if (pid == 0) {
    child();
    _exit(0);
  }
  if (pid < 0) {
    std::perror("lesson08-cost: fork");
    std::exit(1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
}

}  // namespace

int main(int argc, char* argv[]) {
  long mib = 64;
  int rounds = 50;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--memory-mib" && i + 1 < argc) {
      mib = std::atol(argv[++i]);
    } else if (arg == "--rounds" && i + 1 < argc) {
      rounds = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: lesson08-cost [--memory-mib N] [--rounds N]\n");
      return arg == "--help" ? 0 : 2;
    }
  }
  if (mib < 1 || rounds < 1) {
    std::fprintf(stderr, "lesson08-cost: the memory must be 1 MiB or more, and the rounds 1 or more\n");
    return 2;
  }

  std::vector<char> memory(static_cast<std::size_t>(mib) << 20, 'x');  // every page written: really in use
  const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  std::printf("%ld MiB of memory in use, %d rounds each\n", mib, rounds);
  std::fflush(stdout);  // or the children would inherit the unprinted line, and print it again

  measure("start a thread, join it", rounds, [] { std::thread([] {}).join(); });
  measure("fork a child that exits at once, wait for it", rounds, [] { fork_and_wait([] {}); });
  measure("fork a child that writes a byte in every page, wait for it", rounds, [&] {
    fork_and_wait([&] {
      volatile char* bytes = memory.data();
      for (std::size_t i = 0; i < memory.size(); i += page) bytes[i] = 'y';  // copy-on-write: copied now
    });
  });
  measure("copy the memory in this process", rounds, [&] {
    const std::vector<char> copy(memory);
    [[maybe_unused]] const volatile char first = copy.front();  // the copy is used: not optimized away
  });
}
