# Runs a command and writes what it prints on standard output to a file; fails when the command
# fails, leaving no half-written file behind. How the build turns `socketlab-server man` into
# socketlab-server.1 on every generator, with no shell redirection:
#   cmake -D OUTPUT=<file> -P CaptureOutput.cmake <command> [<argument>...]
set(command "")
set(after_script OFF)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE ${last})
  if(after_script)
    list(APPEND command "${CMAKE_ARGV${i}}")
  elseif(CMAKE_ARGV${i} MATCHES "CaptureOutput\\.cmake$")
    set(after_script ON)
  endif()
endforeach()
if(NOT command OR NOT OUTPUT)
  message(FATAL_ERROR "usage: cmake -D OUTPUT=<file> -P CaptureOutput.cmake <command> [<argument>...]")
endif()

execute_process(COMMAND ${command} OUTPUT_FILE "${OUTPUT}.part" RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  file(REMOVE "${OUTPUT}.part")
  list(JOIN command " " shown)
  message(FATAL_ERROR "'${shown}' failed (${status})")
endif()
file(RENAME "${OUTPUT}.part" "${OUTPUT}")
