# Every command of a program answers --help: exit status 0, its usage on standard output and
# nothing on standard error (no std::terminate whatever CLI11's version). The commands are read
# from the program's own --help, so a new one is tested without a line here.
#   cmake -D PROGRAM=<program> [-D EMULATOR=<wine>] [-D EXPECT=<command;command...>] -P every_help.cmake
# EXPECT names commands that must be among them (a --help that lists none would test nothing).
cmake_minimum_required(VERSION 3.25)

# Runs `<program> <args> --help` and checks how it went; sets <out_var> to what it printed.
function(check_help out_var)
  execute_process(COMMAND ${EMULATOR} "${PROGRAM}" ${ARGN} --help
    RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  list(JOIN ARGN " " command)
  if(NOT status EQUAL 0)
    message(SEND_ERROR "'${command} --help' exited with ${status}:\n${err}")
  elseif(NOT err STREQUAL "")
    message(SEND_ERROR "'${command} --help' wrote to standard error:\n${err}")
  elseif(NOT out MATCHES "Usage: [^\n]*${command}")
    message(SEND_ERROR "'${command} --help' printed no usage line for '${command}':\n${out}")
  else()
    message(STATUS "${PROGRAM_NAME} ${command} --help: ok")
  endif()
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

get_filename_component(PROGRAM_NAME "${PROGRAM}" NAME_WE)
check_help(help)
# The "Subcommands:" section: one "  name   description" line each, up to a blank line.
string(REGEX MATCH "[Ss][Uu][Bb][Cc][Oo][Mm][Mm][Aa][Nn][Dd][Ss]:\n([^\n]+\n)*" section "${help}")
string(REGEX MATCHALL "\n  [a-z][a-z0-9-]*" commands "${section}")
list(TRANSFORM commands REPLACE "^\n  " "")
foreach(command IN LISTS EXPECT)
  if(NOT command IN_LIST commands)
    message(SEND_ERROR "${PROGRAM_NAME} --help lists no '${command}' command (it lists: ${commands})")
  endif()
endforeach()
foreach(command IN LISTS commands)
  check_help(ignored ${command})
endforeach()
