# shellcheck shell=bash
# What scripts/bench-server.sh and scripts/bench-client.sh share. Each sources it, after its own
# `set -euo pipefail` (this file changes no shell options) and `root=`, with two arguments:
#   . "$root/scripts/bench/common.sh" NAME INSTALL_HINT
# NAME (bench_script) starts every message, e.g. bench-server.sh; INSTALL_HINT (install_hint)
# says what to do about a missing tool, with @PACKAGE@ for its Debian package.
#
# Provides:
#   options      usage, die, usage_error, need_value, positive_int, common_option
#   tools        find_tools, missing_tool, find_program, check_build_type
#   cleanup      make_tmp (the temporary folder and the exit traps), stop_process, cleanup
#   CPUs, ports  pin_cpus, free_ports
#   servers      start_nginx, wait_for, wait_ready, nginx_version, wrk_version, report_load
#   runs         cpu_ns, children_cpu_seconds, run_measured, parse_wrk_report
#   table        run_table (with table_prelude: read_runs, median, write_text, write_json)
# Sets on sourcing the options both scripts take, to their defaults: duration=10, rounds=3,
# pin=1, markdown="", json="", keep_logs="" (common_option changes them).
# Expects, before the functions that use them: root (the repository's top folder); results
# (run_table: the runs, a tab-separated line each) and pinning (pin_cpus sets it); server_pin
# and load_pin, arrays of commands to run the servers / load generators under (empty, or
# nice -n N), which pin_cpus extends with taskset.
# Sets: nginx_bin (find_tools), build_type (check_build_type), tmp, load_pid and nginx_pid
# (make_tmp), cpus and pinning (pin_cpus), nginx_args and nginx_pid (start_nginx);
# run_measured sets load_status, run_seconds, run_cpu_ns and load_cpu, parse_wrk_report rps and
# errors (declare them local in the caller).
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

# common_option ARG...: takes one of the options both scripts have from the front of ARG... and
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

# Finds wrk, nginx (sets nginx_bin: $NGINX, else on PATH, else /usr/sbin/nginx), curl, python3.
find_tools() {
  nginx_bin="${NGINX:-$(command -v nginx || true)}"
  [ -n "$nginx_bin" ] || { [ -x /usr/sbin/nginx ] && nginx_bin=/usr/sbin/nginx; }
  command -v wrk >/dev/null 2>&1 || missing_tool wrk wrk
  if [ -z "$nginx_bin" ] || [ ! -x "$nginx_bin" ]; then missing_tool nginx nginx-light; fi
  command -v curl >/dev/null 2>&1 || missing_tool curl curl
  command -v python3 >/dev/null 2>&1 || missing_tool python3 python3
}

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

# --- nginx -------------------------------------------------------------------------------

# start_nginx PORT: writes $tmp/nginx/nginx.conf from scripts/bench/nginx.conf.in, checks it
# and starts nginx under server_pin in the background (sets nginx_args and nginx_pid).
start_nginx() {
  local port="$1" temp_paths nginx_build module line
  mkdir -p "$tmp/nginx"
  temp_paths="  client_body_temp_path $tmp/nginx/client_body;"
  nginx_build=$("$nginx_bin" -V 2>&1)
  for module in proxy fastcgi uwsgi scgi; do
    [[ "$nginx_build" == *"--without-http_${module}_module"* ]] ||
      temp_paths+=$'\n'"  ${module}_temp_path $tmp/nginx/$module;"
  done
  sed -e "s|@DIR@|$tmp/nginx|g" -e "s|@PORT@|$port|g" "$root/scripts/bench/nginx.conf.in" |
    while IFS= read -r line; do
      if [ "$line" = "@TEMP_PATHS@" ]; then printf '%s\n' "$temp_paths"; else printf '%s\n' "$line"; fi
    done >"$tmp/nginx/nginx.conf"
  nginx_args=(-p "$tmp/nginx/" -c "$tmp/nginx/nginx.conf")
  # -e (nginx 1.19.5+) keeps even the start-up messages out of /var/log/nginx.
  "$nginx_bin" -h 2>&1 | grep -q -- '-e filename' && nginx_args+=(-e "$tmp/nginx/error.log")
  if ! "$nginx_bin" -t -q "${nginx_args[@]}" >"$tmp/nginx/test.log" 2>&1; then
    echo "$bench_script: nginx rejected the generated configuration:" >&2
    sed 's/^/  /' "$tmp/nginx/test.log" >&2
    exit 1
  fi
  "${server_pin[@]}" "$nginx_bin" "${nginx_args[@]}" >"$tmp/nginx/stdout.log" 2>&1 &
  nginx_pid=$!
}

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

# --- what the output says about the tools and the machine --------------------------------

# Prints nginx's version, e.g. 1.22.1.
nginx_version() { "$nginx_bin" -v 2>&1 | sed 's|.*nginx/||'; }
# Prints wrk's version, e.g. debian/4.1.0-3+b2.
wrk_version() { wrk -v 2>&1 | head -n 1 | awk '{print $2}'; }

# Prints the 1-minute load average, and warns on stderr when other work is using the CPUs.
report_load() {
  local load
  load=$(cut -d ' ' -f 1 /proc/loadavg 2>/dev/null || echo 0)
  echo "load average:     $load (1 minute, before the runs)"
  if awk -v l="$load" 'BEGIN {exit !(l >= 0.5)}'; then
    echo "$bench_script: warning: other work is using the CPUs (load $load): expect noisy req/s; compare requests per CPU-second too" >&2
  fi
}

# --- runs --------------------------------------------------------------------------------

# CPU time in nanoseconds used so far by a process's threads and its children's (nginx's
# worker), from the scheduler's own accounting (/proc/PID/task/TID/schedstat, first field).
cpu_ns() {
  local pid="$1" p
  local pids=("$pid")
  for p in /proc/"$pid"/task/*/children; do
    # shellcheck disable=SC2207
    [ -r "$p" ] && pids+=($(cat "$p"))
  done
  for p in "${pids[@]}"; do cat /proc/"$p"/task/*/schedstat 2>/dev/null || true; done |
    awk '{ns += $1} END {printf "%.0f\n", ns}'
}

# User + system CPU seconds of this shell's finished children so far, from bash's `times`
# (run in this shell, not in a $(...) subshell, whose children these are not).
children_cpu_seconds() {
  times >"$tmp/times"
  awk 'NR == 2 {
    total = 0
    for (i = 1; i <= 2; i++) { split($i, t, "m"); sub("s", "", t[2]); total += t[1] * 60 + t[2] }
    print total
  }' "$tmp/times"
}

# run_measured PID LOG COMMAND...: runs the load generator COMMAND with its output in LOG, in
# the background (load_pid) and waited for, so that a signal to this script ends it at once.
# Sets load_status (its exit status), run_seconds (wall time), run_cpu_ns (CPU time PID used
# meanwhile), run_cpu_percent (the same as a share of one core, one decimal) and load_cpu
# (COMMAND's CPU, % of one core). Call it as a plain command, not in
# `if` or `||`, which would turn off set -e inside it.
run_measured() {
  local pid="$1" log="$2" before after start end
  shift 2
  before=$(cpu_ns "$pid")
  start=$(date +%s.%N)
  children_cpu_seconds >"$tmp/load-cpu-before"
  "$@" >"$log" 2>&1 &
  load_pid=$!
  load_status=0
  wait "$load_pid" || load_status=$?
  load_pid=""
  end=$(date +%s.%N)
  children_cpu_seconds >"$tmp/load-cpu-after"
  after=$(cpu_ns "$pid")
  run_seconds=$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')
  run_cpu_ns=$((after - before))
  run_cpu_percent=$(awk -v ns="$run_cpu_ns" -v r="$run_seconds" 'BEGIN {printf "%.1f", ns / 1e7 / r}')
  load_cpu=$(awk -v a="$(cat "$tmp/load-cpu-before")" -v b="$(cat "$tmp/load-cpu-after")" -v r="$run_seconds" 'BEGIN {printf "%.0f", 100 * (b - a) / r}')
}

# load_failed LOG HUNG FAILED: after run_measured, when the load generator did not exit 0, says
# HUNG (timeout killed it) or FAILED with its exit status, shows its output (LOG) and returns 0;
# returns 1 when it succeeded.
load_failed() {
  [ "$load_status" = 0 ] && return 1
  if [ "$load_status" = 124 ] || [ "$load_status" = 137 ]; then
    echo "$2; its output:" >&2
  else
    echo "$3 (exit status $load_status):" >&2
  fi
  sed 's/^/  /' "$1" >&2
}

# parse_wrk_report LOG WHAT: reads wrk's report (socketlab-client bench prints the same) in LOG;
# sets rps (0 if none) and errors (what went wrong, "" if nothing; WHAT names LOG in it).
parse_wrk_report() {
  local log="$1" non2xx sockerr
  errors=""
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$log")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$log")
  sockerr=$(sed -n 's/^ *Socket errors: *//p' "$log")
  [ -n "$rps" ] || { errors="no Requests/sec in $2"; rps=0; }
  [ -z "$non2xx" ] || errors="${errors:+$errors; }$non2xx non-2xx responses"
  [ -z "$sockerr" ] || errors="${errors:+$errors; }socket errors: $sockerr"
}

# --- table -------------------------------------------------------------------------------

# The Python that run_table puts before each program: the variables and functions it offers.
table_prelude() {
  cat <<'EOF'
import json, statistics, sys

results, markdown, json_path, duration, rounds, pinning = sys.argv[1:7]  # strings, as given

def read_runs(path, fields):
    """The runs in the tab-separated file at path, a dict a line; fields: (name, type) a column."""
    with open(path) as f:
        return [{name: kind(value) for (name, kind), value in zip(fields, line.rstrip("\n").split("\t"))}
                for line in f]

def median(values):
    """The median of values; 0.0 when there are none."""
    return statistics.median(values) if values else 0.0

def write_text(path, text):
    """Writes text to the file path (--markdown); nothing when path is empty."""
    if path:
        with open(path, "w") as f:
            f.write(text)

def write_json(path, data):
    """Writes data as indented JSON to the file path (--json); nothing when path is empty."""
    if path:
        with open(path, "w") as f:
            json.dump(data, f, indent=2)
            f.write("\n")
EOF
}

# run_table ARG... <<'EOF' ... EOF: prints a blank line, then runs the Python program on stdin
# (which prints the table and writes the --markdown and --json files) after table_prelude, with
# sys.argv[7:] = ARG...
run_table() {
  local program
  program=$(cat)
  echo
  python3 -c "$(table_prelude)"$'\n\n'"$program" "$results" "$markdown" "$json" "$duration" "$rounds" "$pinning" "$@"
}
