#!/usr/bin/env bash
# Measures socketlab-server against nginx on loopback, side by side: requests per second for a
# greeting and for static files (wrk), the server's CPU time per request and per byte sent, and
# its memory per idle connection (socketlab-client hold), each with the ratio socketlab/nginx and
# the rounds in which socketlab-server did better than nginx in the same round (on a noisy machine,
# a ratio near 1.00 that is not won in most rounds is no difference).
# Target: socketlab-server as good as nginx or better in every row. It measures; it is not a
# test: a result behind nginx still exits 0.
#
# Usage: scripts/bench-server.sh [OPTIONS]
#
#   --server PATH      the socketlab-server to run (default: $SOCKETLAB_SERVER, else
#                      build/release/server/socketlab-server, else build/server/socketlab-server)
#   --client PATH      the socketlab-client whose hold measures the idle scenario (default:
#                      $SOCKETLAB_CLIENT, else build/release/client/socketlab-client, else
#                      build/client/socketlab-client)
#   --scenarios LIST   the scenarios to run, e.g. "static-4k idle" (default: all; they run in the
#                      order below whatever the order of LIST)
#   --idle-connections N
#                      idle connections the idle scenario holds (default 10000)
#   --duration SEC     seconds per wrk run (default 10)
#   --rounds N         rounds (default 3); a round runs each scenario on both servers, which
#                      go first in turn, so machine noise hits both; the table shows medians
#   --wrk-threads N    wrk threads (default 1: one core for the server, one for wrk)
#   --quick            a smoke run: 2 s per run, 1 round (the idle scenario still holds N)
#   --no-pin           do not pin the servers, wrk and hold to CPUs
#   --nice N           run the servers, wrk and hold with this niceness adjustment, as nice -n N
#                      (e.g. -10, which needs root), so other work on the machine disturbs them less
#   --markdown FILE    also write the table as Markdown
#   --json FILE        also write every run and the medians as JSON
#   --keep-logs DIR    keep every wrk and hold output, the servers' logs and nginx.conf in DIR
#   -h, --help         this text
#
# Scenarios (wrk -t THREADS -d SEC; a server's CPU time is its utime + stime from /proc/PID/stat
# before and after the run, divided by the requests wrk counted or the bytes they carried):
#   keep-alive       the greeting, 64 connections, each reused for every request: req/s, and
#                    the server's CPU time per request
#   close            the greeting, 32 connections, a new one per request (-H "Connection: close"):
#                    the same
#   keep-alive-log   keep-alive again with both servers writing an access log to a file, in Common
#                    Log Format: CPU time per request; beside keep-alive's, what the log costs
#   close-log        close again, the same
#   close-deferred   close again with both servers deferring accept until a connection's request
#                    has begun to arrive (socketlab-server --defer-accept, nginx `listen ...
#                    deferred`: Linux's TCP_DEFER_ACCEPT): req/s and CPU time per request
#   static-4k        a 4 KiB file from a folder, 16 connections, keep-alive: req/s
#   static-1m        a 1 MiB file, 16 connections, keep-alive: MB/s (10^6 bytes, headers included)
#                    and the server's CPU seconds per GB sent
#   idle             socketlab-client hold -n N --server-pid PID: N keep-alive connections held
#                    idle after one greeting each, then (another fresh server) after one 4 KiB
#                    file each: the server's resident memory per connection, and the median time
#                    of hold's 20 fresh requests, made one after another while they are held
#
# The servers, on free 127.0.0.1 ports, started here and stopped on exit:
#   socketlab-server --site PORT=en --site PORT2=FOLDER --threads 1 --access-log off
#   nginx (Debian's nginx-light) as the current user from scripts/bench/nginx.conf.in in a
#   temporary folder: one worker, access_log off, sendfile on; at / the same 14-byte body
#   "Hello, World!\n" with the same Content-Type, elsewhere the same files from the same folder
#   (application/octet-stream); keepalive_requests 1000000 so that, like socketlab-server, it
#   keeps a keep-alive connection open instead of closing it every 1000 requests.
# Each round starts both afresh, gives each a 1 s warm-up run and runs keep-alive, close,
# static-4k and static-1m; then it starts both again with their access logs to files
# (socketlab-server --access-log FILE, nginx access_log FILE) for keep-alive-log and close-log,
# and a third time deferring accept for close-deferred.
# Each idle measurement starts its server afresh, with room for N connections
# (socketlab-server --max-connections N+64, nginx worker_connections N+N/8+64: it closes idle
# ones to keep 1/16 free), because memory a server freed after earlier work stays in its heap,
# for the next connections; this script raises its open-file limit for them. For nginx, CPU time
# and memory are its worker's.
# With taskset and two CPUs or more, the servers run on the first allowed CPU, wrk and hold on
# the second; the output says whether this happened. Each run also shows the CPU the server used
# (100% = one core busy: the server is the bottleneck).
#
# Exit status: 0 when measured; 1 when a tool is missing, a server failed to start or died,
# wrk reported socket errors or non-2xx responses, or hold could not hold every connection;
# 2 on a usage error.
# Needs bash, coreutils, wrk, nginx, curl and python3: scripts/install-deps.sh --bench
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=SCRIPTDIR/bench/common.sh
. "$root/scripts/bench/common.sh" bench-server.sh "apt install @PACKAGE@"

all_scenarios="keep-alive close keep-alive-log close-log close-deferred static-4k static-1m idle"
server="${SOCKETLAB_SERVER:-}"
client="${SOCKETLAB_CLIENT:-}"
scenarios="$all_scenarios"
idle_connections=10000
wrk_threads=1
niceness=""

known_scenario() {
  [[ " $all_scenarios " == *" $2 "* ]] || usage_error "$1: '$2' is not a scenario; use some of: $all_scenarios"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --server) need_value "$@"; server="$2"; shift 2 ;;
    --client) need_value "$@"; client="$2"; shift 2 ;;
    --scenarios)
      need_value "$@"
      words_option "$1" "$2" known_scenario
      scenarios=$(in_order "$all_scenarios")
      shift 2 ;;
    --idle-connections)
      need_value "$@"; positive_int "$1" "$2"
      (($2 <= 1000000)) || usage_error "--idle-connections wants at most 1000000 (hold's limit), not $2"
      idle_connections="$2"; shift 2 ;;
    --wrk-threads) need_value "$@"; positive_int "$1" "$2"; wrk_threads="$2"; shift 2 ;;
    --nice)
      need_value "$@"
      if ! [[ "$2" =~ ^-?[0-9]+$ ]] || (($2 < -39 || $2 > 39)); then
        usage_error "--nice wants an adjustment like nice -n, from -39 to 39, not '$2'"
      fi
      niceness="$2"; shift 2 ;;
    *) common_option "$@"; shift "$option_words" ;;
  esac
done

# Whether SCENARIO is one of those to run.
selected() { [[ " $scenarios " == *" $1 "* ]]; }

# --- tools -------------------------------------------------------------------------------

find_tools
command -v timeout >/dev/null 2>&1 || missing_tool timeout coreutils
find_program server socketlab-server "$server"
check_build_type "$server"
server_build="$build_type"
if selected idle; then
  find_program client socketlab-client "$client"
  check_build_type "$client"
  client_build="$build_type"
fi

# nginx's worker_connections for the idle scenario: nginx closes idle keep-alive connections to
# keep a sixteenth of them free ("worker_connections are not enough, reusing connections").
nginx_idle_connections=$((idle_connections + idle_connections / 8 + 64))
# The idle scenario's servers hold N connections, an open file each, and inherit this limit
# (nginx raises its worker's to worker_connections + 256, within the hard limit unless root).
if selected idle; then
  open_files=$((nginx_idle_connections + 256))
  if [ "$(ulimit -n)" != unlimited ] && (($(ulimit -n) < open_files)); then
    ulimit -n "$open_files" 2>/dev/null ||
      die "--idle-connections $idle_connections needs $open_files open files for the servers; the hard limit is $(ulimit -Hn): raise it (as root: ulimit -Hn $open_files) or hold fewer"
  fi
fi

# --- cleanup -----------------------------------------------------------------------------

# $tmp, removed on exit after stopping wrk or hold, socketlab-server and nginx.
socketlab_pid=""
make_tmp socketlab-bench load_pid socketlab_pid nginx_pid

# --- CPUs --------------------------------------------------------------------------------

# The servers get the first CPU this script may use, wrk and hold the second.
server_pin=()
load_pin=()
if [ -n "$niceness" ]; then
  wanted=$(($(nice) + niceness))
  ((wanted < -20)) && wanted=-20
  ((wanted > 19)) && wanted=19
  if [ "$(nice -n "$niceness" nice 2>/dev/null)" != "$wanted" ]; then
    die "--nice $niceness: cannot change the niceness this way (lowering it needs root)"
  fi
  server_pin=(nice -n "$niceness")
  load_pin=(nice -n "$niceness")
fi
pin_cpus servers "wrk and hold"

# --- files -------------------------------------------------------------------------------

# Both servers serve this folder: socketlab-server as a site of its own, nginx as its root.
file_4k=4096
file_1m=1048576
mkdir -p "$tmp/www"
head -c "$file_4k" /dev/urandom >"$tmp/www/4k.bin"
head -c "$file_1m" /dev/urandom >"$tmp/www/1m.bin"

echo "socketlab-server: $server (${server_build:-unknown build type})"
selected idle && echo "socketlab-client: $client (${client_build:-unknown build type})"
echo "nginx:            $nginx_bin ($(nginx_version), one worker, sendfile on)"
echo "wrk:              $(wrk_version), $wrk_threads thread(s), ${duration} s per run, $rounds round(s)"
echo "scenarios:        $scenarios"
selected idle && printf 'idle:             %d connections held (open-file limit %s)\n' "$idle_connections" "$(ulimit -n)"
echo "CPUs:             ${#cpus[@]} allowed; $pinning; niceness ${wanted:-$(nice)}"
report_load

# shellcheck source=SCRIPTDIR/bench/server_runs.sh
. "$root/scripts/bench/server_runs.sh"

for ((round = 1; round <= rounds; round++)); do
  if ((round % 2 == 1)); then order=(socketlab nginx); else order=(nginx socketlab); fi
  for mode in plain log deferred; do
    case "$mode" in
      plain) wanted_runs="keep-alive close static-4k static-1m" ;;
      log) wanted_runs="keep-alive-log close-log" ;;
      deferred) wanted_runs="close-deferred" ;;
    esac
    runs=()
    for scenario in $wanted_runs; do selected "$scenario" && runs+=("$scenario"); done
    [ "${#runs[@]}" -gt 0 ] || continue
    for name in "${order[@]}"; do start_server "$name" "$mode"; done
    [ "$mode" = plain ] && describe_responses
    warm_up=warm-up
    if [ "$mode" = log ]; then warm_up=warm-up-log; fi
    for name in "${order[@]}"; do run_wrk "$name" "$warm_up" "$round"; done
    for scenario in "${runs[@]}"; do
      for name in "${order[@]}"; do run_wrk "$name" "$scenario" "$round"; done
    done
    for name in "${order[@]}"; do stop_server "$name"; done
  done
  if selected idle; then
    for kind in greeting file; do
      for name in "${order[@]}"; do run_hold "$name" "$kind" "$round"; done
    done
  fi
done

# --- table -------------------------------------------------------------------------------

run_report server_report "$wrk_threads" "$idle_connections" "$scenarios"

exit_if_failed "a server died, socket errors, non-2xx responses or connections not held"
