#!/usr/bin/env bash
# Compares socketlab-server's four serving models (--model iterative, thread-per-connection,
# thread-pool, async) under the same load on loopback: requests per second for each model at 1,
# 16, 64 and 256 connections, in three scenarios. Writes the tables to docs/serving-models.md and
# a chart to docs/serving-models.svg (gnuplot) for the lessons to show. It measures; it is not a
# test: timeouts and errors are results (the iterative model starves connections by design).
#
# Usage: scripts/compare-models.sh [OPTIONS]
#
#   --server PATH        the socketlab-server to run (default: $SOCKETLAB_SERVER, else
#                        build/release/server/socketlab-server, else build/server/socketlab-server)
#   --client PATH        the socketlab-client to run (default: $SOCKETLAB_CLIENT, else
#                        build/release/client/socketlab-client, else build/client/socketlab-client)
#   --models "LIST"      the models to compare, in this order (default "iterative
#                        thread-per-connection thread-pool async")
#   --connections "LIST" connection counts, each a run (default "1 16 64 256")
#   --work-ms MS         the work scenario's simulated waiting per request (default 20)
#   --pool-threads N     thread-pool's workers (default 8); async runs one event-loop thread
#   --duration SEC       seconds per run (default 3: the default run takes about 4 minutes)
#   --rounds N           rounds (default 1); the tables show the medians
#   --quick              a smoke run: 1 s per run, 1 round
#   --no-pin             do not pin the servers and the client to CPUs
#   --markdown FILE      write the tables to FILE (default docs/serving-models.md)
#   --svg FILE           write the chart to FILE (default docs/serving-models.svg)
#   --no-docs            write nothing under docs/ (only what --markdown and --svg name)
#   --json FILE          also write every run and the medians as JSON
#   --keep-logs DIR      keep every run's output and the servers' logs in DIR
#   -h, --help           this text
#
# Scenarios, each run as socketlab-client bench -c CONNECTIONS -d SEC --timeout 2s --json:
#   keep-alive   every connection reused for every request; no work
#   work         the same, with the server started with --work-ms MS
#   close        --no-keepalive: a new connection for every request; no work
# For each model and scenario a fresh server on a free 127.0.0.1 port, started here, warmed up
# with a 1 s run on one connection, measured at each connection count (smallest first) and
# stopped:
#   socketlab-server --site PORT=en --model MODEL --access-log off [--threads N] [--work-ms MS]
# With taskset and two CPUs or more, the server runs on the first allowed CPU and the client on
# the second; the output says whether this happened. A request unanswered after 2 s counts as a
# timeout (the client then reconnects); timeouts, errors and non-2xx answers (503: past
# --max-connections) appear next to the requests per second.
#
# Exit status: 0 when measured; 1 when a tool is missing, a server failed to start or died, or
# the client failed or hung; 2 on a usage error.
# Needs bash, coreutils, curl, python3 and gnuplot (for the chart): scripts/install-deps.sh --bench
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=SCRIPTDIR/bench/common.sh
. "$root/scripts/bench/common.sh" compare-models.sh "scripts/install-deps.sh --bench (or apt install @PACKAGE@)"

command_line=("$@")  # for the "regenerate" line of the Markdown
server="${SOCKETLAB_SERVER:-}"
client="${SOCKETLAB_CLIENT:-}"
all_models="iterative thread-per-connection thread-pool async"
models="$all_models"
connections="1 16 64 256"
work_ms=20
pool_threads=8
svg=""
docs=1
duration=3
rounds=1
request_timeout=2  # socketlab-client bench --timeout, seconds

# words_option OPTION VALUE CHECK: a usage error unless VALUE is a list of words each of which
# the function CHECK accepts (CHECK OPTION WORD).
words_option() {
  local word
  read -r -a words <<<"$2"
  [ "${#words[@]}" -gt 0 ] || usage_error "$1 needs at least one value"
  for word in "${words[@]}"; do "$3" "$1" "$word"; done
}
known_model() { [[ " $all_models " == *" $2 "* ]] || usage_error "$1: '$2' is not a model; use some of: $all_models"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --server) need_value "$@"; server="$2"; shift 2 ;;
    --client) need_value "$@"; client="$2"; shift 2 ;;
    --models) need_value "$@"; words_option "$1" "$2" known_model; models="${words[*]}"; shift 2 ;;
    --connections) need_value "$@"; words_option "$1" "$2" positive_int; connections="${words[*]}"; shift 2 ;;
    --work-ms) need_value "$@"; positive_int "$1" "$2"; work_ms="$2"; shift 2 ;;
    --pool-threads) need_value "$@"; positive_int "$1" "$2"; pool_threads="$2"; shift 2 ;;
    --svg) need_value "$@"; svg="$2"; shift 2 ;;
    --no-docs) docs=0; shift ;;
    --quick) duration=1; rounds=1; shift ;;
    *) common_option "$@"; shift "$option_words" ;;
  esac
done
((pool_threads <= 1024)) || usage_error "--pool-threads wants at most 1024 (the server's limit), not $pool_threads"
if [ "$docs" = 1 ]; then
  markdown="${markdown:-$root/docs/serving-models.md}"
  svg="${svg:-$root/docs/serving-models.svg}"
fi

# --- tools -------------------------------------------------------------------------------

command -v python3 >/dev/null 2>&1 || missing_tool python3 python3
command -v curl >/dev/null 2>&1 || missing_tool curl curl
command -v timeout >/dev/null 2>&1 || missing_tool timeout coreutils
find_both_programs

chart_note=""
if [ -n "$svg" ] && ! command -v gnuplot >/dev/null 2>&1; then
  chart_note="no chart: gnuplot not found; scripts/install-deps.sh --bench installs it (gnuplot-nox)"
  svg=""
fi

# --- cleanup -----------------------------------------------------------------------------

# $tmp, removed on exit after stopping the client and the server under test.
server_pid=""
make_tmp socketlab-compare-models load_pid server_pid

# --- CPUs --------------------------------------------------------------------------------

# The server gets the first CPU this script may use, the client the second.
server_pin=()
load_pin=()
pin_cpus server client

cpu_name=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
machine="$(nproc) CPUs (nproc), ${cpu_name:-unknown CPU}, $(uname -s) $(uname -r)"
read -r -a model_list <<<"$models"
read -r -a connection_list <<<"$connections"

echo "socketlab-server: $server (${server_build:-unknown build type})"
echo "socketlab-client: $client (${client_build:-unknown build type})"
echo "models:           ${model_list[*]}; thread-pool with $pool_threads workers, async with 1 thread"
echo "runs:             ${connection_list[*]} connections, ${duration} s each, $rounds round(s); --work-ms $work_ms in the work scenario"
echo "machine:          $machine"
echo "CPUs:             ${#cpus[@]} allowed; $pinning"
report_load

# --- runs --------------------------------------------------------------------------------

results="$tmp/results.tsv"  # round scenario model connections status req/s timeouts errors non-2xx server-cpu%
: >"$results"
failed=0
mkdir -p "$tmp/runs"
started=$(date +%s)

# start_server MODEL SCENARIO: starts socketlab-server for MODEL under server_pin on a free port
# (sets port and server_pid; its output in $tmp/MODEL-SCENARIO.log) and waits until it answers.
start_server() {
  local model="$1" scenario="$2"
  local args=(--model "$model" --access-log off)
  [ "$model" = thread-pool ] && args+=(--threads "$pool_threads")
  [ "$scenario" = work ] && args+=(--work-ms "$work_ms")
  port=$(free_ports 1)
  server_log="$tmp/$model-$scenario.log"
  "${server_pin[@]}" "$server" --site "$port=en" "${args[@]}" >"$server_log" 2>&1 &
  server_pid=$!
  wait_ready "socketlab-server --model $model" "$server_pid" "$port" "$server_log"
}

# CPU time in clock ticks that process PID has used, its finished threads' included (from
# /proc/PID/stat: thread-per-connection's threads end with their connections, before
# run_measured's cpu_ns, which adds up the live threads, could count them).
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
ticks_per_second=$(getconf CLK_TCK)

# run_bench MODEL SCENARIO CONNECTIONS ROUND: one socketlab-client bench run against the server;
# prints its line and records it (round 0 is the warm-up: neither). A client that fails or hangs
# is recorded as such; a server that dies ends the script.
run_bench() {
  local model="$1" scenario="$2" c="$3" round="$4" seconds="$duration"
  local args=(-c "$c" --timeout "${request_timeout}s" --json)
  [ "$scenario" = close ] && args+=(--no-keepalive)
  [ "$round" = 0 ] && seconds=1
  local log="$tmp/runs/round$round-$scenario-$model-$c.json"
  # Under timeout, so that a client that never returns fails the run instead of the script; the
  # limit allows for the run, the requests under way at its end and a slow start.
  local limit=$((seconds + 2 * request_timeout + 30)) ticks server_cpu
  ticks=$(cpu_ticks "$server_pid")
  run_measured "$server_pid" "$log" timeout -k 5 "$limit" "${load_pin[@]}" \
    "$client" bench "http://127.0.0.1:$port/" -d "${seconds}s" "${args[@]}"
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "compare-models.sh: socketlab-server --model $model died during the $scenario run at $c connections; its output:" >&2
    sed 's/^/  /' "$server_log" >&2
    exit 1
  fi
  ticks=$(($(cpu_ticks "$server_pid") - ticks))
  server_cpu=$(awk -v t="$ticks" -v hz="$ticks_per_second" -v r="$run_seconds" 'BEGIN {printf "%.1f", 100 * t / hz / r}')

  local status=ok rps=0 timeouts=0 errors=0 non2xx=0
  if load_failed "$log" \
    "compare-models.sh: socketlab-client bench did not finish within $limit s ($model, $scenario, $c connections: hung)" \
    "compare-models.sh: socketlab-client bench failed ($model, $scenario, $c connections)"; then
    status="exit $load_status"
    { [ "$load_status" = 124 ] || [ "$load_status" = 137 ]; } && status=hung
    failed=1
  else
    # The JSON summary (skipping anything else the client may have printed before it).
    local summary
    summary=$(python3 -c '
import json, sys
text = open(sys.argv[1]).read()
r, _ = json.JSONDecoder().raw_decode(text[text.index("{"):])
e = r["errors"]
print(r["requests_per_sec"], e["timeout"], e["connect"] + e["read"] + e["write"], r["non_2xx_3xx"])' "$log" 2>/dev/null) ||
      summary=""
    read -r rps timeouts errors non2xx <<<"$summary"
    if [ -z "$rps" ]; then
      echo "compare-models.sh: no JSON summary from socketlab-client bench ($model, $scenario, $c connections):" >&2
      sed 's/^/  /' "$log" >&2
      status="no summary"
      rps=0 timeouts=0 errors=0 non2xx=0
      failed=1
    fi
  fi
  [ "$round" = 0 ] && return 0

  local notes=""
  ((timeouts == 0)) || notes+=", $timeouts timeouts"
  ((errors == 0)) || notes+=", $errors errors"
  ((non2xx == 0)) || notes+=", $non2xx non-2xx"
  [ "$status" = ok ] || notes+=", FAILED ($status)"
  printf 'round %d  %-10s  %-21s  %3d conn  %10.0f req/s   server CPU %5s%%%s\n' \
    "$round" "$scenario" "$model" "$c" "$rps" "$server_cpu" "$notes"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$scenario" "$model" "$c" "$status" "$rps" \
    "$timeouts" "$errors" "$non2xx" "$server_cpu" >>"$results"
}

for ((round = 1; round <= rounds; round++)); do
  for scenario in keep-alive work close; do
    for model in "${model_list[@]}"; do
      start_server "$model" "$scenario"
      run_bench "$model" "$scenario" 1 0
      for c in "${connection_list[@]}"; do
        # The previous run's connections may still be queued (iterative): wait until it answers.
        wait_ready "socketlab-server --model $model" "$server_pid" "$port" "$server_log"
        run_bench "$model" "$scenario" "$c" "$round"
      done
      stop_process "$server_pid"
      server_pid=""
    done
  done
done
elapsed=$(($(date +%s) - started))

# --- tables and chart --------------------------------------------------------------------

build="socketlab-server ${server_build:-unknown build type}, socketlab-client ${client_build:-unknown build type}"
regenerate="scripts/compare-models.sh"
for word in "${command_line[@]}"; do regenerate+=" $(printf '%q' "$word")"; done
[ -z "$markdown" ] || mkdir -p "$(dirname "$markdown")"
[ -z "$svg" ] || mkdir -p "$(dirname "$svg")"

run_report models_report "$svg" "$tmp" "$work_ms" "$pool_threads" "$request_timeout" "${model_list[*]}" "${connection_list[*]}" \
  "$(date +%Y-%m-%d)" "$machine" "$build" "$regenerate" "$elapsed"

if [ -n "$svg" ]; then
  gnuplot "$tmp/chart.gp" >"$tmp/gnuplot.log" 2>&1 || { sed 's/^/  /' "$tmp/gnuplot.log" >&2; die "gnuplot failed to draw $svg"; }
fi
[ -z "$markdown" ] || echo "tables: $markdown"
[ -z "$svg" ] || echo "chart:  $svg"
[ -z "$chart_note" ] || echo "compare-models.sh: $chart_note" >&2
echo "took $((elapsed / 60)) min $((elapsed % 60)) s"

exit_if_failed "the client failed or hung"
