# Every file of a program built Asio on the same threads: no program holds both Asio's Windows
# and its POSIX thread, mutex or thread-local slot. Two would be two layouts of Asio's own
# classes in one program, which the linker joins without a word (cmake/FindAsio.cmake: how
# MinGW-w64 came to do that, and what the timers and the heap did then under Wine).
#   cmake -D NM=<nm> -D PROGRAMS=<program;...> -P one_asio_threads.cmake
foreach(program IN LISTS PROGRAMS)
  execute_process(COMMAND "${NM}" -C "${program}" OUTPUT_VARIABLE symbols RESULT_VARIABLE failed)
  if(failed)
    message(FATAL_ERROR "${NM} could not read ${program}")
  endif()
  foreach(kind thread mutex tss_ptr event)
    string(FIND "${symbols}" "asio::detail::win_${kind}" windows)
    string(FIND "${symbols}" "asio::detail::posix_${kind}" posix)
    if(windows GREATER -1 AND posix GREATER -1)
      message(FATAL_ERROR "${program} holds both asio::detail::win_${kind} and posix_${kind}: "
                          "its files saw Asio's configuration differently (cmake/FindAsio.cmake)")
    endif()
  endforeach()
  message(STATUS "${program}: one kind of Asio thread")
endforeach()
