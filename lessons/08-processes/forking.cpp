// Lesson 08: one process per connection. The forking server of Spivak's "Let's Build A Web
// Server", part 3 (webserver3g.py), in the raw POSIX calls: the parent accepts and forks, the
// child serves that one client and exits, the parent closes its copy of the connection and goes
// back to accept, and a SIGCHLD handler reaps the children that have ended. POSIX only: Windows
// has no fork (the lesson's README tells that story), so this file is not built there.
//
// Usage: lesson08-forking [PORT] [--keep-parent-copy] [--no-reap]    (default 8888)
//   --keep-parent-copy  the parent keeps its copy of every connection (webserver3d.py's bug)
//   --no-reap           no SIGCHLD handler: children that have ended stay zombies
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

/// Writes all of @p bytes to @p fd, however many write() calls it takes.
bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;  // a signal came before anything was written: again
    if (n < 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

/// One line on standard output, "parent 4242: ..." or "child 4243: ...", in one write(): lines
/// of different processes never mix, and no line waits in a buffer that fork() would copy into
/// the child (a line left in std::cout's buffer would be printed by both).
void say(std::string_view who, const std::string& line) {
  write_all(STDOUT_FILENO, std::string(who) + " " + std::to_string(getpid()) + ": " + line + "\n");
}

/// One line on standard error, with errno's text: "lesson08-forking: bind: Address already in use".
int fail(const std::string& what, int error, const std::string& more = "") {
  write_all(STDERR_FILENO, "lesson08-forking: " + what + ": " + std::strerror(error) + more + "\n");
  return 1;
}

/// accept() failed for good (EMFILE, say): one line that says why, and the exit status to stop with.
int cannot_accept(int error, int kept) {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  return fail("accept", error,
              "; " + std::to_string(kept) + " connections kept open, " + std::to_string(limit.rlim_cur) +
                  " descriptors allowed (ulimit -n); stopping");
}

/// "127.0.0.1:52814"
std::string to_string(const sockaddr_in& address) {
  std::array<char, INET_ADDRSTRLEN> text{};
  inet_ntop(AF_INET, &address.sin_addr, text.data(), text.size());
  return std::string(text.data()) + ":" + std::to_string(ntohs(address.sin_port));
}

//! [serve]
void serve(int connection, int number) {  // def handle_request(client_connection):
  std::array<char, 1024> request{};
  const ssize_t n = read(connection, request.data(), request.size());  // client_connection.recv(1024)
  if (n > 0 && std::string_view(request.data(), static_cast<std::size_t>(n)).starts_with("GET /crash ")) {
    std::abort();  // a bug in this child: it dies of a signal (SIGABRT); the parent does not
  }
  const std::string body = "Hello, World! (process " + std::to_string(getpid()) + ", child of " +
                           std::to_string(getppid()) + ", connection " + std::to_string(number) + ")\n";
  const std::string response =
      "HTTP/1.1 200 OK\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n"
      "Connection: close\r\n"  // and no Content-Length: the body ends where the connection does
      "\r\n" +
      body;
  write_all(connection, response);  // client_connection.sendall(http_response)
}
//! [serve]

//! [reaper]
extern "C" void reap_children(int /*signal*/) {  // def grim_reaper(signum, frame):
  const int saved = errno;                       // the code we interrupted may be about to read errno
  int status = 0;
  while (waitpid(-1, &status, WNOHANG) > 0) {  // os.waitpid(-1, os.WNOHANG) until no child has ended
  }
  errno = saved;
}
//! [reaper]

/// The command line: [PORT] [--keep-parent-copy] [--no-reap].
struct options {
  unsigned short port = 8888;     ///< where to listen
  bool keep_parent_copy = false;  ///< the parent forgets to close its copy of each connection
  bool reap = true;               ///< a SIGCHLD handler reaps the children that have ended
};

/// Reads the command line into @p o; an exit status when the program must end now (--help, a mistake).
std::optional<int> parse(int argc, char* argv[], options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--keep-parent-copy") {
      o.keep_parent_copy = true;
    } else if (arg == "--no-reap") {
      o.reap = false;
    } else if (!arg.empty() && arg[0] != '-') {
      o.port = static_cast<unsigned short>(std::atoi(argv[i]));
    } else {
      write_all(STDERR_FILENO, "usage: lesson08-forking [PORT] [--keep-parent-copy] [--no-reap]\n");
      return arg == "--help" ? 0 : 2;
    }
  }
  return std::nullopt;
}

/// With @p reap, has SIGCHLD call reap_children().
void install_reaper(bool reap) {
  //! [sigaction]
  if (reap) {
    struct sigaction action{};
    action.sa_handler = reap_children;  // signal.signal(signal.SIGCHLD, grim_reaper)
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // not SA_RESTART: a signal makes the accept() we wait in fail, with EINTR
    sigaction(SIGCHLD, &action, nullptr);
  }
  //! [sigaction]
}

}  // namespace

int main(int argc, char* argv[]) {
  options o;
  if (const auto status = parse(argc, argv, o)) return *status;
  const auto [port, keep_parent_copy, reap] = o;

  //! [socket]
  const int listener = socket(AF_INET, SOCK_STREAM, 0);  // socket.socket(socket.AF_INET, socket.SOCK_STREAM)
  if (listener < 0) return fail("socket", errno);
  const int on = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);  // .setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // 127.0.0.1, in network byte order (big-endian)
  address.sin_port = htons(port);                    // the port (8888), in network byte order too
  const auto* any_address = reinterpret_cast<const sockaddr*>(&address);             // what the C API takes
  if (bind(listener, any_address, sizeof address) < 0) return fail("bind", errno);  // .bind(SERVER_ADDRESS)
  if (listen(listener, 5) < 0) return fail("listen", errno);  // .listen(REQUEST_QUEUE_SIZE)
  //! [socket]

  install_reaper(reap);
  const std::string mode = std::string(keep_parent_copy ? ", keeping the parent's copies" : "") +
                           (reap ? "" : ", not reaping");
  say("parent", "listening on 127.0.0.1:" + std::to_string(port) + ", a process per connection" + mode);

  int connections = 0;
  for (;;) {
    //! [accept]
    sockaddr_in client{};
    socklen_t size = sizeof client;
    const int connection = accept(listener, reinterpret_cast<sockaddr*>(&client), &size);  // .accept()
    if (connection < 0 && errno == EINTR) {  // if code == errno.EINTR:
      say("parent", "accept: Interrupted system call (a child ended: SIGCHLD); calling it again");
      continue;
    }
    if (connection < 0) return cannot_accept(errno, keep_parent_copy ? connections : 0);  // EMFILE, say
    //! [accept]
    ++connections;

    //! [fork]
    const pid_t pid = fork();  // pid = os.fork()
    if (pid == 0) {            // if pid == 0:  # child
      close(listener);         //     listen_socket.close()  # close child copy
      serve(connection, connections);
      say("child", to_string(client) + " served, exiting");
      close(connection);  //     client_connection.close()
      _exit(0);           //     os._exit(0)  # child exits here
    }
    //! [fork]
    //! [parent]
    if (pid > 0) say("parent", to_string(client) + " accepted, child " + std::to_string(pid) + " serves it");
    if (pid < 0) say("parent", std::string("fork: ") + std::strerror(errno));  // ulimit -u reached, say
    if (!keep_parent_copy || pid < 0) {  // else:  # parent
      close(connection);                 //     client_connection.close()  # close parent copy and loop over
    }
    //! [parent]
  }
}
