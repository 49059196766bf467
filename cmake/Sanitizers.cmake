# socketlab::sanitizers — AddressSanitizer, UndefinedBehaviorSanitizer or ThreadSanitizer,
# chosen by SOCKETLAB_SANITIZERS (e.g. "address,undefined" or "thread"); and, with SOCKETLAB_FUZZ,
# libFuzzer's coverage instrumentation.
add_library(socketlab_sanitizers INTERFACE)
add_library(socketlab::sanitizers ALIAS socketlab_sanitizers)

if(SOCKETLAB_SANITIZERS)
  if(MSVC OR MINGW)
    message(FATAL_ERROR "SOCKETLAB_SANITIZERS is supported with GCC and Clang on Linux and macOS")
  endif()
  target_compile_options(socketlab_sanitizers INTERFACE
    -fsanitize=${SOCKETLAB_SANITIZERS}
    -fno-omit-frame-pointer        # readable stack traces
    -fno-sanitize-recover=all)     # a finding fails the test, not just prints
  target_link_options(socketlab_sanitizers INTERFACE
    -fsanitize=${SOCKETLAB_SANITIZERS})
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang" AND SOCKETLAB_SANITIZERS MATCHES "undefined")
    # Clang 14 cannot emit UBSan's function-type check (part of "undefined") in a coroutine
    # ("Cannot represent a difference across sections"), and the kit's Asio code is coroutines:
    # that one check goes; the rest of UBSan stays.
    target_compile_options(socketlab_sanitizers INTERFACE -fno-sanitize=function)
  endif()
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # The instrumentation makes GCC see "maybe uninitialized" values inside libstdc++
    # (std::function in <regex>) that are not; the sanitizers themselves check the real thing.
    target_compile_options(socketlab_sanitizers INTERFACE -Wno-maybe-uninitialized)
    # With the instrumentation, GCC 12 inlines an Asio coroutine's frame allocation and then
    # takes the frame's class-specific operator delete for a mismatch (a known false positive
    # with coroutines); builds without sanitizers keep the warning.
    target_compile_options(socketlab_sanitizers INTERFACE -Wno-mismatched-new-delete)
    if(SOCKETLAB_SANITIZERS MATCHES "thread")
      # Asio's fenced blocks use atomic_thread_fence, which GCC warns ThreadSanitizer cannot
      # model; the synchronisation that matters to us goes through mutexes and strands.
      target_compile_options(socketlab_sanitizers INTERFACE -Wno-tsan)
    endif()
  endif()
endif()

# SOCKETLAB_FUZZ: every socketlab target gets libFuzzer's coverage instrumentation, so the fuzz
# targets (tests/fuzz, linked with -fsanitize=fuzzer there) see the paths taken in the kit's code.
if(SOCKETLAB_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang" OR MINGW OR MSVC)
    message(FATAL_ERROR "SOCKETLAB_FUZZ needs Clang's libFuzzer: use the fuzz preset "
                        "(or -D CMAKE_CXX_COMPILER=clang++), or turn SOCKETLAB_FUZZ off")
  endif()
  target_compile_options(socketlab_sanitizers INTERFACE -fsanitize=fuzzer-no-link)
  target_link_options(socketlab_sanitizers INTERFACE -fsanitize=fuzzer-no-link)
endif()
