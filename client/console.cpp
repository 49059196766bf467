#include "client/console.hpp"

#include <cstdio>

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#else
#include <unistd.h>
#endif

namespace socketlab::client::console {

bool stderr_is_terminal() noexcept {
#ifdef _WIN32
  return _isatty(_fileno(stderr)) != 0;
#else
  return isatty(fileno(stderr)) != 0;
#endif
}

void use_binary_stdout() noexcept {
#ifdef _WIN32
  (void)_setmode(_fileno(stdout), _O_BINARY);
#endif
}

}  // namespace socketlab::client::console
