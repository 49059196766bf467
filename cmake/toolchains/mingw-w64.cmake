# Cross-build for Windows with MinGW-w64 on Debian/Ubuntu; the tests run under Wine.
#
# Two facts shape this file:
# - it must be the *posix* thread model compiler (x86_64-w64-mingw32-g++-posix);
#   the win32 one has no std::thread.
# - the header-only dependencies (Asio, CLI11, Catch2) live in /usr/include, but adding
#   /usr/include to a MinGW build pulls in glibc headers and breaks it. So we stage links
#   to just those folders in a sysroot of our own and search only there.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(_mingw x86_64-w64-mingw32)
find_program(CMAKE_CXX_COMPILER NAMES ${_mingw}-g++-posix REQUIRED)
find_program(CMAKE_RC_COMPILER NAMES ${_mingw}-windres)

set(_stage "${CMAKE_BINARY_DIR}/mingw-sysroot")
file(MAKE_DIRECTORY "${_stage}/usr/include")
foreach(_header asio asio.hpp CLI catch2)
  if(EXISTS "/usr/include/${_header}" AND NOT EXISTS "${_stage}/usr/include/${_header}")
    file(CREATE_LINK "/usr/include/${_header}" "${_stage}/usr/include/${_header}" SYMBOLIC)
  endif()
endforeach()

set(CMAKE_FIND_ROOT_PATH "/usr/${_mingw}" "${_stage}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

find_program(_wine NAMES wine wine64)
if(_wine)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${_wine}")
endif()
