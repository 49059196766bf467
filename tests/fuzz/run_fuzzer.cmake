# Fuzzes one target for a bounded time: CTest's fuzz.<name>.run in the fuzz preset.
#   cmake -D FUZZER=<exe> -D CORPUS=<seed folder> -D WORK=<folder> -D CRASHES=<folder>
#         [-D DICT=<file>] -D SECONDS=<n> -P run_fuzzer.cmake
# New inputs go to WORK (emptied first); the seed corpus in the repository is only read
# (libFuzzer writes to its first corpus folder only). A crash is kept in CRASHES and fails the test.
foreach(var FUZZER CORPUS WORK CRASHES SECONDS)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run_fuzzer.cmake: -D ${var}=... is missing; see the usage at the top of the file")
  endif()
endforeach()

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}" "${CRASHES}")
set(options -max_total_time=${SECONDS} -timeout=10 -print_final_stats=1 "-artifact_prefix=${CRASHES}/")
if(DICT)
  list(APPEND options "-dict=${DICT}")
endif()
execute_process(COMMAND "${FUZZER}" ${options} "${WORK}" "${CORPUS}" RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${FUZZER} failed (${status}): the input that broke it is in ${CRASHES}/; "
                      "replay it with: ${FUZZER} <that file>")
endif()
