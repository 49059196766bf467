# socketlab::warnings — the warnings every socketlab target is built with.
# An INTERFACE target linked PRIVATE, so the flags never leak to users of our libraries.
add_library(socketlab_warnings INTERFACE)
add_library(socketlab::warnings ALIAS socketlab_warnings)

if(MSVC)
  target_compile_options(socketlab_warnings INTERFACE
    /W4            # all reasonable warnings
    /permissive-   # standard conformance
    /utf-8)        # sources and greetings are UTF-8
  if(SOCKETLAB_WARNINGS_AS_ERRORS)
    target_compile_options(socketlab_warnings INTERFACE /WX)
  endif()
else()
  target_compile_options(socketlab_warnings INTERFACE
    -Wall
    -Wextra
    -Wpedantic
    -Wshadow               # a local hides another name
    -Wnon-virtual-dtor     # a class with virtual functions needs a virtual destructor
    -Wold-style-cast       # C casts hide what they do
    -Wcast-align
    -Wunused
    -Woverloaded-virtual
    -Wconversion           # implicit narrowing loses data
    -Wsign-conversion
    -Wdouble-promotion
    -Wformat=2
    -Wimplicit-fallthrough
    -Wsuggest-override)    # an override without `override` breaks silently when the base changes
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    # A null pointer dereferenced where the compiler can see it. Not for GCC: its version follows
    # paths after inlining (-O2 and up), and there it reports Asio's own scheduler code inlined
    # into ours (GCC 12, asio/detail/impl/scheduler.ipp:330), which no change of ours can fix.
    target_compile_options(socketlab_warnings INTERFACE -Wnull-dereference)
  endif()
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(socketlab_warnings INTERFACE
      -Wduplicated-cond    # if (a) ... else if (a): the second branch never runs
      -Wlogical-op)        # a && a, or a || b where both are the same test
  endif()
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    # GCC 12 warns inside libstdc++'s own std::string at -O2/-O3 (GCC bug 105329): false positives.
    target_compile_options(socketlab_warnings INTERFACE -Wno-restrict)
  endif()
  if(SOCKETLAB_WARNINGS_AS_ERRORS)
    target_compile_options(socketlab_warnings INTERFACE -Werror)
  endif()
endif()
