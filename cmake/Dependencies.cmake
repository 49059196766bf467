# Finds what socketlab needs. Everything comes from the system's packages
# (apt, Homebrew, vcpkg); nothing is downloaded.
find_package(Threads REQUIRED)
find_package(Asio 1.18 REQUIRED)

# CLI11: its CMake package where one is installed, else its headers alone
# (the MinGW cross-build sees only the headers it stages).
find_package(CLI11 2.1 QUIET CONFIG)
if(NOT TARGET CLI11::CLI11)
  find_path(CLI11_INCLUDE_DIR NAMES CLI/CLI.hpp)
  if(NOT CLI11_INCLUDE_DIR)
    message(FATAL_ERROR "CLI11 not found: apt install libcli11-dev, brew install cli11, or vcpkg install cli11")
  endif()
  add_library(CLI11::CLI11 INTERFACE IMPORTED)
  target_include_directories(CLI11::CLI11 SYSTEM INTERFACE "${CLI11_INCLUDE_DIR}")
endif()

if(SOCKETLAB_BUILD_TESTS)
  # Catch2 v3 where installed, v2 otherwise; tests/support/catch.hpp hides the difference.
  # socketlab::catch2 is the header(s) plus SOCKETLAB_CATCH2_MAJOR; the main() is ours.
  add_library(socketlab_catch2 INTERFACE)
  add_library(socketlab::catch2 ALIAS socketlab_catch2)
  find_package(Catch2 3 QUIET CONFIG)
  if(Catch2_FOUND)
    set(SOCKETLAB_CATCH2_MAJOR 3)
    target_link_libraries(socketlab_catch2 INTERFACE Catch2::Catch2)
  else()
    find_path(Catch2_v2_INCLUDE_DIR NAMES catch2/catch.hpp)
    if(NOT Catch2_v2_INCLUDE_DIR)
      message(FATAL_ERROR "Catch2 not found: apt install catch2, brew install catch2, or vcpkg install catch2")
    endif()
    set(SOCKETLAB_CATCH2_MAJOR 2)
    target_include_directories(socketlab_catch2 SYSTEM INTERFACE "${Catch2_v2_INCLUDE_DIR}")
  endif()
  target_compile_definitions(socketlab_catch2 INTERFACE SOCKETLAB_CATCH2_MAJOR=${SOCKETLAB_CATCH2_MAJOR})
  message(STATUS "socketlab: Catch2 v${SOCKETLAB_CATCH2_MAJOR}")
endif()
