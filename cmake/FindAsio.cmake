#[=======================================================================[.rst:
FindAsio
--------

Finds standalone Asio (header only; not the one inside Boost) and provides the
INTERFACE target ``Asio::asio`` with:

- ``ASIO_STANDALONE`` and ``ASIO_NO_DEPRECATED``;
- ``ASIO_DISABLE_STD_ALIGNED_ALLOC``, so that every file allocates and frees
  Asio's recycled memory the same way (see below);
- ``Threads::Threads``;
- on Windows: ``_WIN32_WINNT`` (Windows 10) and the ws2_32 and mswsock libraries;
- with MinGW-w64: ``ASIO_HAS_PTHREADS``, so that every file builds Asio on the
  same threads (see below);
- with Clang on libstdc++: ``ASIO_HAS_CO_AWAIT`` (Asio only detects coroutines
  on Clang with libc++ by itself).

Sets ``Asio_FOUND``, ``Asio_VERSION`` and ``Asio_INCLUDE_DIR``.
#]=======================================================================]
find_path(Asio_INCLUDE_DIR NAMES asio.hpp
  PATH_SUFFIXES asio/include include
  DOC "Folder that holds asio.hpp")

if(Asio_INCLUDE_DIR AND EXISTS "${Asio_INCLUDE_DIR}/asio/version.hpp")
  file(STRINGS "${Asio_INCLUDE_DIR}/asio/version.hpp" _asio_version_line
    REGEX "^#define ASIO_VERSION [0-9]+")
  string(REGEX REPLACE "^#define ASIO_VERSION ([0-9]+).*" "\\1" _asio_version "${_asio_version_line}")
  # ASIO_VERSION is XXYYZZ: major * 100000 + minor * 100 + patch.
  math(EXPR _asio_major "${_asio_version} / 100000")
  math(EXPR _asio_minor "${_asio_version} / 100 % 1000")
  math(EXPR _asio_patch "${_asio_version} % 100")
  set(Asio_VERSION "${_asio_major}.${_asio_minor}.${_asio_patch}")
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Asio
  REQUIRED_VARS Asio_INCLUDE_DIR
  VERSION_VAR Asio_VERSION
  REASON_FAILURE_MESSAGE "install standalone Asio: apt install libasio-dev, brew install asio, or vcpkg install asio")

if(Asio_FOUND AND NOT TARGET Asio::asio)
  find_package(Threads REQUIRED)
  add_library(Asio::asio INTERFACE IMPORTED)
  target_include_directories(Asio::asio SYSTEM INTERFACE "${Asio_INCLUDE_DIR}")
  target_compile_definitions(Asio::asio INTERFACE ASIO_STANDALONE ASIO_NO_DEPRECATED)
  # Asio takes its handlers' memory with aligned_alloc() and gives it back with free() when its
  # config header finds the standard library's _GLIBCXX_HAVE_ALIGNED_ALLOC (libc++: its own
  # macro) defined, which it is only when a standard header was included before Asio; otherwise
  # with operator new and delete. So two files of one program could allocate and free the same
  # memory two ways (an ODR violation: Clang's AddressSanitizer caught an operator new freed
  # with free()). One way for every file: operator new, which needs no such header.
  target_compile_definitions(Asio::asio INTERFACE ASIO_DISABLE_STD_ALIGNED_ALLOC)
  target_link_libraries(Asio::asio INTERFACE Threads::Threads)
  if(WIN32)
    target_compile_definitions(Asio::asio INTERFACE _WIN32_WINNT=0x0A00)
    target_link_libraries(Asio::asio INTERFACE ws2_32 mswsock)
  endif()
  if(MINGW)
    # Asio picks its threads, mutexes and thread-local slots when its config header is first
    # read: POSIX ones when _POSIX_THREADS is defined by then, which MinGW-w64's <pthread.h>
    # does, and which libstdc++'s <memory> or <thread> includes. So a file that includes one of
    # those before Asio built win_iocp_io_context with a posix_thread, a file that does not with
    # a win_thread: two layouts of one class in one program (an ODR violation). Under Wine the
    # io_context's timer thread was then read at the wrong place and timers stopped, or the heap
    # broke. One choice for every file: winpthreads, which std::thread uses there too.
    target_compile_definitions(Asio::asio INTERFACE ASIO_HAS_PTHREADS=1)
  endif()
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang" AND NOT APPLE AND NOT MSVC)
    target_compile_definitions(Asio::asio INTERFACE ASIO_HAS_CO_AWAIT=1 ASIO_HAS_STD_COROUTINE=1)
  endif()
endif()

mark_as_advanced(Asio_INCLUDE_DIR)
