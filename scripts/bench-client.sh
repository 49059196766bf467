#!/usr/bin/env bash
# Measures socketlab-client bench against wrk: both load the same nginx on loopback, and the
# table shows requests per second for each, and the ratio socketlab-client/wrk. Target: >= 0.90.
# The server is the same for both, so a difference is the load generator's: how much CPU it
# spends per request. It measures; it is not a test: a result below target still exits 0.
#
# Usage: scripts/bench-client.sh [OPTIONS]
#
#   --client PATH      the socketlab-client to run (default: $SOCKETLAB_CLIENT, else
#                      build/release/client/socketlab-client)
#   --duration SEC     seconds per run (default 10)
#   --rounds N         rounds (default 3); a round runs both load generators, which go first in
#                      turn, so machine noise hits both; the table shows every round and medians
#   --connections N    connections each load generator keeps busy (default 64)
#   --quick            a smoke run: 2 s per run, 1 round
#   --no-pin           do not pin nginx and the load generators to CPUs
#   --markdown FILE    also write the table to FILE
#   --json FILE        also write every run and the medians as JSON
#   --keep-logs DIR    keep every run's output, nginx's logs and nginx.conf in DIR
#   -h, --help         this text
#
# Each run, one after the other (never both at once):
#   socketlab-client bench -t 1 -c CONNECTIONS -d SEC http://127.0.0.1:PORT/
#   wrk                    -t 1 -c CONNECTIONS -d SEC http://127.0.0.1:PORT/
# against one nginx (Debian's nginx-light), run as the current user from
# scripts/bench/nginx.conf.in in a temporary folder: one worker, access_log off, 14-byte
# "Hello, World!\n", keepalive_requests 1000000 (so neither generator has to reconnect).
# Both get a 1 s warm-up run first. With taskset and two CPUs or more, nginx runs on the
# first allowed CPU and the load generators on the second; the output says whether this
# happened. Each run shows the CPU its load generator used (100% = one core busy: the load
# generator is the bottleneck, which is what this compares) and nginx's.
#
# Exit status: 0 when measured; 1 when a tool is missing, nginx failed to start or died, a
# load generator failed, hung, or reported socket errors or non-2xx responses; 2 on a usage error.
# Needs bash, coreutils, wrk, nginx, curl and python3: scripts/install-deps.sh --bench
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=SCRIPTDIR/bench/common.sh
. "$root/scripts/bench/common.sh" bench-client.sh "scripts/install-deps.sh --bench (or apt install @PACKAGE@)"

client="${SOCKETLAB_CLIENT:-}"
connections=64

while [ $# -gt 0 ]; do
  case "$1" in
    --client) need_value "$@"; client="$2"; shift 2 ;;
    --connections) need_value "$@"; positive_int "$1" "$2"; connections="$2"; shift 2 ;;
    *) common_option "$@"; shift "$option_words" ;;
  esac
done

# --- tools -------------------------------------------------------------------------------

find_tools
command -v timeout >/dev/null 2>&1 || missing_tool timeout coreutils

[ -n "$client" ] || client="$root/build/release/client/socketlab-client"
[ -x "$client" ] || die "socketlab-client not found at $client: build it with 'cmake --workflow --preset release', or pass --client PATH"

check_build_type "$client"

# --- cleanup -----------------------------------------------------------------------------

# $tmp, removed on exit after stopping the load generator and nginx.
make_tmp socketlab-bench-client load_pid nginx_pid

# --- CPUs --------------------------------------------------------------------------------

# nginx gets the first CPU this script may use, the load generators the second.
server_pin=()
load_pin=()
pin_cpus nginx "load generators"

# --- nginx -------------------------------------------------------------------------------

port=$(free_ports 1)
url="http://127.0.0.1:$port/"

start_nginx "$port"
wait_ready nginx "$nginx_pid" "$port" "$tmp/nginx/error.log" "$tmp/nginx/stdout.log"

echo "socketlab-client: $client (${build_type:-unknown build type})"
echo "wrk:              $(wrk_version)"
echo "nginx:            $nginx_bin ($(nginx_version), one worker) on 127.0.0.1:$port"
echo "runs:             -t 1 -c $connections, ${duration} s each, $rounds round(s)"
echo "CPUs:             ${#cpus[@]} allowed; $pinning"
report_load

# --- runs --------------------------------------------------------------------------------

results="$tmp/results.tsv"  # round order generator req/s generator-cpu% nginx-cpu% errors
: >"$results"
failed=0
mkdir -p "$tmp/runs"

# run_load NAME ROUND ORDER [SECONDS]: one run of a load generator; prints its line and records it.
# Both print wrk's report, so one parser reads both.
run_load() {
  local name="$1" round="$2" order="$3" seconds="${4:-$duration}"
  local cmd
  case "$name" in
    socketlab-client) cmd=("$client" bench -t 1 -c "$connections" -d "$seconds" "$url") ;;
    wrk) cmd=(wrk -t 1 -c "$connections" -d "${seconds}s" "$url") ;;
  esac
  local log="$tmp/runs/round$round-$name.txt"
  # Under timeout, so that a load generator that never returns fails the run instead of the script.
  run_measured "$nginx_pid" "$log" timeout -k 5 $((seconds + 30)) "${load_pin[@]}" "${cmd[@]}"
  if load_failed "$log" "bench-client.sh: $name did not return within $((seconds + 30)) s of a ${seconds} s run (hung)" \
    "bench-client.sh: $name failed"; then
    failed=1
    return 0
  fi
  kill -0 "$nginx_pid" 2>/dev/null || die "nginx died during round $round ($name)"
  [ "$round" = 0 ] && return 0  # the warm-up

  local rps errors nginx_cpu
  parse_wrk_report "$log" "the output"
  nginx_cpu=$(printf '%.0f' "$run_cpu_percent")

  printf 'round %d  %-16s  %10s req/s   its CPU %3s%%   nginx CPU %3s%%\n' "$round" "$name" "$rps" "$load_cpu" "$nginx_cpu"
  flag_errors "$log" "$name, round $round" "its output"
  record_run "$round" "$order" "$name" "$rps" "$load_cpu" "$nginx_cpu" "$errors"
}

run_load socketlab-client 0 1 1
run_load wrk 0 2 1
echo

for ((round = 1; round <= rounds; round++)); do
  if ((round % 2 == 1)); then order=(socketlab-client wrk); else order=(wrk socketlab-client); fi
  run_load "${order[0]}" "$round" 1
  run_load "${order[1]}" "$round" 2
done

# --- table -------------------------------------------------------------------------------

run_report client_report "$connections"

exit_if_failed "a load generator failed or hung, socket errors or non-2xx responses"
