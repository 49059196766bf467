#include "client/console.hpp"

#include <cstdio>

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#include <windows.h>
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

void prepare_streams() noexcept {
#ifdef _WIN32
  (void)_setmode(_fileno(stdout), _O_BINARY);
  (void)SetConsoleOutputCP(CP_UTF8);
  const HANDLE err = GetStdHandle(STD_ERROR_HANDLE);
  DWORD mode = 0;
  if (err != INVALID_HANDLE_VALUE && GetConsoleMode(err, &mode)) {
    (void)SetConsoleMode(err, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING);
  }
#endif
}

}  // namespace socketlab::client::console
