#!/usr/bin/env bash
# Measures socketlab-server against nginx with wrk on loopback: requests per second for each,
# and the ratio socketlab/nginx. Target: socketlab-server >= nginx in both scenarios.
# It measures; it is not a test: a result below nginx still exits 0.
#
# Usage: scripts/bench-server.sh [OPTIONS]
#
#   --server PATH      the socketlab-server to run (default: $SOCKETLAB_SERVER, else
#                      build/release/server/socketlab-server, else build/server/socketlab-server)
#   --duration SEC     seconds per wrk run (default 10)
#   --rounds N         rounds (default 3); a round runs each scenario on both servers, which
#                      go first in turn, so machine noise hits both; the table shows medians
#   --wrk-threads N    wrk threads (default 1: one core for the server, one for wrk)
#   --quick            a smoke run: 2 s per run, 1 round
#   --no-pin           do not pin the servers and wrk to CPUs
#   --nice N           run the servers and wrk with this niceness adjustment, as nice -n N
#                      (e.g. -10, which needs root), so other work on the machine disturbs them less
#   --markdown FILE    also write the table as Markdown
#   --json FILE        also write every run and the medians as JSON
#   --keep-logs DIR    keep every wrk output, the servers' logs and nginx.conf in DIR
#   -h, --help         this text
#
# Scenarios (wrk -t THREADS -d SEC):
#   keep-alive   64 connections, each reused for every request
#   close        32 connections, a new one per request (-H "Connection: close")
#
# The servers, each on a free 127.0.0.1 port, started here and stopped on exit:
#   socketlab-server --site PORT=en --threads 1 --access-log off
#   nginx (Debian's nginx-light) as the current user from scripts/bench/nginx.conf.in in a
#   temporary folder: one worker, access_log off, the same 14-byte body "Hello, World!\n" with
#   the same Content-Type, and keepalive_requests 1000000 so that, like socketlab-server, it
#   keeps a keep-alive connection open instead of closing it every 1000 requests.
# Both get a 1 s warm-up run first. With taskset and two CPUs or more, both servers run on the
# first allowed CPU and wrk on the second; the output says whether this happened. Each run
# also shows the CPU the server used (100% = one core busy: the server is the bottleneck).
#
# Exit status: 0 when measured; 1 when a tool is missing, a server failed to start or died,
# or wrk reported socket errors or non-2xx responses; 2 on a usage error.
# Needs bash, coreutils, wrk, nginx, curl and python3: scripts/install-deps.sh --bench
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=SCRIPTDIR/bench/common.sh
. "$root/scripts/bench/common.sh" bench-server.sh "apt install @PACKAGE@"

server="${SOCKETLAB_SERVER:-}"
wrk_threads=1
niceness=""

while [ $# -gt 0 ]; do
  case "$1" in
    --server) need_value "$@"; server="$2"; shift 2 ;;
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

# --- tools -------------------------------------------------------------------------------

find_tools
find_program server socketlab-server "$server"
check_build_type "$server"

# --- cleanup -----------------------------------------------------------------------------

# $tmp, removed on exit after stopping wrk, socketlab-server and nginx.
socketlab_pid=""
make_tmp socketlab-bench load_pid socketlab_pid nginx_pid

# --- CPUs --------------------------------------------------------------------------------

# The servers get the first CPU this script may use, wrk the second.
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
pin_cpus servers wrk

# --- servers -----------------------------------------------------------------------------

read -r socketlab_port nginx_port <<<"$(free_ports 2)"

"${server_pin[@]}" "$server" --site "$socketlab_port=en" --threads 1 --access-log off >"$tmp/socketlab.log" 2>&1 &
socketlab_pid=$!

start_nginx "$nginx_port"

wait_ready socketlab-server "$socketlab_pid" "$socketlab_port" "$tmp/socketlab.log"
wait_ready nginx "$nginx_pid" "$nginx_port" "$tmp/nginx/error.log"

response_bytes() { curl -s -D - -o /dev/null "http://127.0.0.1:$1/" | wc -c; }

echo "socketlab-server: $server (${build_type:-unknown build type}) on 127.0.0.1:$socketlab_port"
echo "nginx:            $nginx_bin ($(nginx_version), one worker) on 127.0.0.1:$nginx_port"
echo "wrk:              $(wrk_version), $wrk_threads thread(s), ${duration} s per run, $rounds round(s)"
echo "CPUs:             ${#cpus[@]} allowed; $pinning; niceness ${wanted:-$(nice)}"
report_load
echo "response header:  socketlab $(response_bytes "$socketlab_port") bytes, nginx $(response_bytes "$nginx_port") bytes; body 14 bytes each"

# --- runs --------------------------------------------------------------------------------

results="$tmp/results.tsv"  # round scenario server req/s server-cpu% wrk-cpu% errors
: >"$results"
failed=0
mkdir -p "$tmp/wrk"

# run_wrk NAME PORT PID SCENARIO ROUND: one wrk run; prints its line and records it.
run_wrk() {
  local name="$1" port="$2" pid="$3" scenario="$4" round="$5"
  local args=(-t "$wrk_threads" -d "${duration}s")
  case "$scenario" in
    keep-alive) args+=(-c 64) ;;
    close) args+=(-c 32 -H "Connection: close") ;;
    warm-up) args=(-t "$wrk_threads" -d 1s -c 64) ;;
  esac
  local log="$tmp/wrk/round$round-$scenario-$name.txt"
  run_measured "$pid" "$log" "${load_pin[@]}" wrk "${args[@]}" "http://127.0.0.1:$port/"
  if [ "$load_status" != 0 ]; then
    echo "bench-server.sh: wrk failed against $name:" >&2
    sed 's/^/  /' "$log" >&2
    failed=1
    return 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "bench-server.sh: $name died during the $scenario run" >&2
    failed=1
    return 0
  fi
  [ "$scenario" = warm-up ] && return 0

  local rps errors server_cpu
  parse_wrk_report "$log" "wrk's output"
  server_cpu=$run_cpu_percent

  printf 'round %d  %-10s  %-9s  %10s req/s   server CPU %5s%%   wrk CPU %3s%%\n' \
    "$round" "$scenario" "$name" "$rps" "$server_cpu" "$load_cpu"
  flag_errors "$log" "$name, $scenario, round $round" "see wrk's output"
  record_run "$round" "$scenario" "$name" "$rps" "$server_cpu" "$load_cpu" "$errors"
}

run_wrk socketlab "$socketlab_port" "$socketlab_pid" warm-up 0
run_wrk nginx "$nginx_port" "$nginx_pid" warm-up 0
echo

for ((round = 1; round <= rounds; round++)); do
  if ((round % 2 == 1)); then order=(socketlab nginx); else order=(nginx socketlab); fi
  for scenario in keep-alive close; do
    for name in "${order[@]}"; do
      if [ "$name" = socketlab ]; then
        run_wrk socketlab "$socketlab_port" "$socketlab_pid" "$scenario" "$round"
      else
        run_wrk nginx "$nginx_port" "$nginx_pid" "$scenario" "$round"
      fi
    done
  done
done

# --- table -------------------------------------------------------------------------------

run_report server_report "$wrk_threads"

exit_if_failed "server died, socket errors or non-2xx responses"
