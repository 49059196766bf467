# What `cmake --install` puts where, and the .deb that CPack makes of it (`cmake --workflow
# --preset package`). With the GNU layout of the prefix (/usr for the package, /usr/local by
# default):
#   bin/                                  socketlab-server, socketlab-client
#   share/man/man1/                       their manual pages          (made by `<program> man`)
#   share/bash-completion/completions/    their bash completions      (`<program> completion bash`)
#   share/doc/socketlab/                  README.md, lessons/ (each README and its sources), html/ (the docs site)
#   libexec/socketlab/                    the lessons' programs (lesson02-server, ...)
# The manual pages and completions are made by running the programs just built, so they are
# not made when cross-compiling (Windows has neither).
include(GNUInstallDirs)

# socketlab_install_program(<target>): installs a program, with its manual page and completion.
function(socketlab_install_program program)
  install(TARGETS ${program} RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
  if(CMAKE_CROSSCOMPILING OR WIN32)
    return()
  endif()
  set(man "${CMAKE_CURRENT_BINARY_DIR}/${program}.1")
  set(completion "${CMAKE_CURRENT_BINARY_DIR}/${program}.bash")
  set(capture "${PROJECT_SOURCE_DIR}/cmake/CaptureOutput.cmake")
  add_custom_command(
    OUTPUT "${man}" "${completion}"
    COMMAND "${CMAKE_COMMAND}" -D "OUTPUT=${man}" -P "${capture}" "$<TARGET_FILE:${program}>" man
    COMMAND "${CMAKE_COMMAND}" -D "OUTPUT=${completion}" -P "${capture}" "$<TARGET_FILE:${program}>" completion bash
    DEPENDS ${program} "${capture}"
    COMMENT "${program}: its manual page and bash completion, from its command line"
    VERBATIM)
  add_custom_target(${program}-docs ALL DEPENDS "${man}" "${completion}")
  install(FILES "${man}" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
  install(FILES "${completion}" DESTINATION "${CMAKE_INSTALL_DATADIR}/bash-completion/completions"
    RENAME ${program})
endfunction()
