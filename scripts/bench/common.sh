# shellcheck shell=bash
# What every bench script (scripts/bench-server.sh, bench-client.sh, bench-echo.sh and
# compare-models.sh) does around its runs: options, tools, the temporary folder, CPUs and ports,
# waiting for servers; it sources the rest (scripts/bench/runs.sh, scripts/bench/wrk-nginx.sh).
# Each sources it after its own `set -euo pipefail` (none of these files changes shell options)
# and `root=`, with two arguments:
#   . "$root/scripts/bench/common.sh" NAME INSTALL_HINT
# NAME (bench_script) starts every message, e.g. bench-server.sh; INSTALL_HINT (install_hint)
# says what to do about a missing tool, with @PACKAGE@ for its Debian package.
#
# Provides:
#   options      usage, die, usage_error, need_value, positive_int, words_option, common_option
#   tools        missing_tool, find_program, find_both_programs, check_build_type
#   cleanup      make_tmp (the temporary folder and the exit traps), stop_process, cleanup
#   CPUs, ports  pin_cpus, free_ports
#   servers      wait_for, wait_ready, report_load
# Sets on sourcing the options every script takes, to their defaults: duration=10, rounds=3,
# pin=1, markdown="", json="", keep_logs="" (common_option changes them), and load_advice.
# Expects, before the functions that use them: root (the repository's top folder); server and
# client (find_both_programs: --server, --client); server_pin and load_pin, arrays of commands to
# run the servers / load generators under (empty, or nice -n N), which pin_cpus extends with
# taskset.
# Sets: words (words_option), build_type (check_build_type), server, client, server_build and
# client_build (find_both_programs), tmp, load_pid and nginx_pid (make_tmp), cpus and pinning
# (pin_cpus).
#
# shellcheck disable=SC2034,SC2154  # the variables above cross between this file and the scripts

bench_script="${1:?usage: . common.sh NAME INSTALL_HINT}"
install_hint="${2:?usage: . common.sh NAME INSTALL_HINT}"

duration=10
rounds=3
pin=1
markdown=""
json=""
keep_logs=""
load_advice="expect noisy req/s; compare requests per CPU-second too"  # report_load's warning

# Prints the calling script's header comment (lines 2 up to `set -euo`) as its --help.
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
# Prints "$bench_script: MESSAGE" on stderr and exits 1.
die() { echo "$bench_script: $*" >&2; exit 1; }
# Prints "$bench_script: MESSAGE; see --help" on stderr and exits 2.
usage_error() { echo "$bench_script: $*; see --help" >&2; exit 2; }
# need_value OPTION [VALUE]: a usage error when OPTION has no (or an empty) value.
need_value() { if [ $# -lt 2 ] || [ -z "$2" ]; then usage_error "$1 needs a value"; fi; }
# positive_int OPTION VALUE: a usage error unless VALUE is a whole number from 1 up.
positive_int() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || usage_error "$1 wants a whole number from 1 up, not '$2'"; }

# words_option OPTION VALUE CHECK: a usage error unless VALUE is a list of words each of which
# the function CHECK accepts (CHECK OPTION WORD); sets words to them.
words_option() {
  local word
  read -r -a words <<<"$2"
  [ "${#words[@]}" -gt 0 ] || usage_error "$1 needs at least one value"
  for word in "${words[@]}"; do "$3" "$1" "$word"; done
}

# in_order ALL: the words of words_option's last list, in the order ALL gives them, each once.
in_order() {
  local word chosen=""
  for word in $1; do [[ " ${words[*]} " == *" $word "* ]] && chosen+="${chosen:+ }$word"; done
  echo "$chosen"
}

# common_option ARG...: takes one of the options every script has from the front of ARG... and
# sets option_words to the words it used (shift them); a usage error for an unknown option.
common_option() {
  case "$1" in
    --duration) need_value "$@"; positive_int "$1" "$2"; duration="$2"; option_words=2 ;;
    --rounds) need_value "$@"; positive_int "$1" "$2"; rounds="$2"; option_words=2 ;;
    --quick) duration=2; rounds=1; option_words=1 ;;
    --no-pin) pin=0; option_words=1 ;;
    --markdown) need_value "$@"; markdown="$2"; option_words=2 ;;
    --json) need_value "$@"; json="$2"; option_words=2 ;;
    --keep-logs) need_value "$@"; keep_logs="$2"; option_words=2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage_error "unknown option '$1'" ;;
  esac
}

# --- tools -------------------------------------------------------------------------------

# missing_tool TOOL PACKAGE: dies saying TOOL is missing and how to get it ($install_hint).
missing_tool() { die "$1 not found: ${install_hint//@PACKAGE@/$2}"; }

# find_program VAR NAME GIVEN: sets VAR to the path of socketlab's program NAME (socketlab-server
# or socketlab-client): GIVEN when not empty (--server PATH, $SOCKETLAB_SERVER...), else
# build/release/DIR/NAME, else build/DIR/NAME, where DIR is NAME without "socketlab-"; dies
# unless that is an executable file.
find_program() {
  local var="$1" name="$2" path="$3" dir="${2#socketlab-}"
  if [ -z "$path" ]; then
    path="$root/build/$dir/$name"
    [ -x "$root/build/release/$dir/$name" ] && path="$root/build/release/$dir/$name"
  fi
  if [ ! -f "$path" ] || [ ! -x "$path" ]; then
    die "$name not found at $path: build it with 'cmake --workflow --preset release', or pass --$dir PATH"
  fi
  printf -v "$var" '%s' "$path"
}

# find_both_programs: find_program for socketlab-server and socketlab-client from $server and
# $client (--server / --client), then check_build_type for each; sets server, client,
# server_build and client_build.
find_both_programs() {
  find_program server socketlab-server "$server"
  find_program client socketlab-client "$client"
  check_build_type "$server"
  server_build="$build_type"
  check_build_type "$client"
  client_build="$build_type"
}

# check_build_type BINARY: sets build_type from its build's CMakeCache.txt and warns unless it is
# an optimised build (a Debug build measures the compiler's -O0, not the program).
check_build_type() {
  local cache
  cache="$(dirname "$(dirname "$1")")/CMakeCache.txt"
  build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$cache" 2>/dev/null || true)
  case "$build_type" in
    Release|RelWithDebInfo|MinSizeRel) ;;
    *) echo "$bench_script: warning: $1 is a '${build_type:-unknown}' build; benchmark a Release one (cmake --workflow --preset release)" >&2 ;;
  esac
}

# --- temporary folder and cleanup --------------------------------------------------------

# stop_process PID: TERM, wait up to 5 s, then KILL; nothing when PID is empty or gone.
stop_process() {
  local pid="$1" i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# On exit: stops the processes named in stop_at_exit, keeps $tmp in $keep_logs if asked, removes it.
cleanup() {
  local name
  for name in "${stop_at_exit[@]}"; do stop_process "${!name}"; done
  if [ -n "$keep_logs" ]; then
    { mkdir -p "$keep_logs" && cp -r "$tmp"/. "$keep_logs"/; } 2>/dev/null || echo "$bench_script: could not keep the logs in $keep_logs" >&2
  fi
  rm -rf "$tmp"
}

# make_tmp PREFIX VAR...: makes $tmp (with expected-body, the servers' answer), clears load_pid
# and nginx_pid, and sets the traps: on exit, cleanup stops the pids in the variables VAR, in
# that order (nginx's master stops its worker on TERM).
make_tmp() {
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  shift
  stop_at_exit=("$@")
  load_pid=""
  nginx_pid=""
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  printf 'Hello, World!\n' >"$tmp/expected-body"
}

# --- CPUs and ports ----------------------------------------------------------------------

# pin_cpus SERVERS LOAD: sets cpus (the CPUs this script may use, e.g. "0 1") and, unless pin=0,
# appends taskset to server_pin (the first CPU) and load_pin (the second); pinning says what
# happened, naming SERVERS and LOAD.
pin_cpus() {
  read -r -a cpus <<<"$(python3 -c 'import os; print(*sorted(os.sched_getaffinity(0)))')"
  if [ "$pin" = 1 ] && command -v taskset >/dev/null 2>&1 && [ "${#cpus[@]}" -ge 2 ]; then
    server_pin+=(taskset -c "${cpus[0]}")
    load_pin+=(taskset -c "${cpus[1]}")
    pinning="$1 on CPU ${cpus[0]}, $2 on CPU ${cpus[1]} (taskset)"
  elif [ "$pin" = 0 ]; then
    pinning="not pinned (--no-pin)"
  elif ! command -v taskset >/dev/null 2>&1; then
    pinning="not pinned: taskset not found (apt install util-linux)"
  else
    pinning="not pinned: only ${#cpus[@]} CPU"
  fi
}

# free_ports N [udp]: prints N different free TCP ports on 127.0.0.1; with udp, ports free for
# UDP as well, so that a TCP and a UDP server can share each.
free_ports() {
  python3 -c '
import socket, sys
wanted, udp_too = int(sys.argv[1]), sys.argv[2:] == ["udp"]
socks, ports = [], []  # every socket stays bound until the end, so the ports all differ
while len(ports) < wanted:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
    if udp_too:
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            u.bind(s.getsockname())
        except OSError:  # taken for UDP: try another
            continue
        socks.append(u)
    ports.append(s.getsockname()[1])
print(*ports)' "$@"
}

# --- servers -----------------------------------------------------------------------------

# wait_for NAME PID WHAT PROBE LOG...: waits until the command PROBE (a function; it sees the
# caller's locals) succeeds, at most 10 s; exits 1 showing the server's LOGs if PID exits first
# or PROBE never succeeds ("NAME did not WHAT within 10 s").
wait_for() {
  local name="$1" pid="$2" what="$3" probe="$4" i
  shift 4
  for ((i = 0; i < 200; i++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$bench_script: $name exited at start; its output:" >&2
      sed 's/^/  /' "$@" >&2 2>/dev/null || true
      exit 1
    fi
    if "$probe"; then return 0; fi
    sleep 0.05
  done
  echo "$bench_script: $name did not $what within 10 s; its output:" >&2
  sed 's/^/  /' "$@" >&2 2>/dev/null || true
  exit 1
}

# wait_ready NAME PID PORT LOG...: waits until the server on PORT answers the greeting (at most
# 10 s); exits 1 showing its LOGs if it exits first or does not answer.
wait_ready() {
  local port="$3"
  wait_for "$1" "$2" "answer 'Hello, World!' on port $port" answers_greeting "${@:4}"
}
# Whether the HTTP server on wait_ready's port answers "Hello, World!\n".
answers_greeting() {
  curl -s --max-time 1 -o "$tmp/body" "http://127.0.0.1:$port/" 2>/dev/null && cmp -s "$tmp/body" "$tmp/expected-body"
}

# Prints the 1-minute load average, and warns on stderr when other work is using the CPUs, with
# $load_advice (by default, on reading requests per second).
report_load() {
  local load
  load=$(cut -d ' ' -f 1 /proc/loadavg 2>/dev/null || echo 0)
  echo "load average:     $load (1 minute, before the runs)"
  if awk -v l="$load" 'BEGIN {exit !(l >= 0.5)}'; then
    echo "$bench_script: warning: other work is using the CPUs (load $load): $load_advice" >&2
  fi
}

# --- the rest, in files of their own -----------------------------------------------------

# Measuring, recording and reporting the runs (every script), and wrk and nginx (bench-server.sh
# and bench-client.sh). SCRIPTDIR is scripts/ when shellcheck checks a script that sources this
# file, scripts/bench/ when it checks this file: hence both source paths.
# shellcheck source-path=SCRIPTDIR source-path=SCRIPTDIR/bench source=runs.sh
. "$root/scripts/bench/runs.sh"
# shellcheck source-path=SCRIPTDIR source-path=SCRIPTDIR/bench source=wrk-nginx.sh
. "$root/scripts/bench/wrk-nginx.sh"
