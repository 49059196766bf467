#!/usr/bin/env bash
# Compares socketlab-server's four serving models (--model iterative, thread-per-connection,
# thread-pool, async) on loopback: requests per second for each model at 1, 16, 64 and 256
# connections, in three scenarios; then what an idle connection costs each model and the most
# connections each one held. Writes the tables to docs/serving-models.md and a chart to
# docs/serving-models.svg (gnuplot) for the lessons to show. It measures; it is not a test:
# timeouts and errors are results (the iterative model starves connections by design).
#
# Usage: scripts/compare-models.sh [OPTIONS]
#
#   --server PATH        the socketlab-server to run (default: $SOCKETLAB_SERVER, else
#                        build/release/server/socketlab-server, else build/server/socketlab-server)
#   --client PATH        the socketlab-client to run (default: $SOCKETLAB_CLIENT, else
#                        build/release/client/socketlab-client, else build/client/socketlab-client)
#   --models "LIST"      the models to compare, in this order (default "iterative
#                        thread-per-connection thread-pool async")
#   --scenarios "LIST"   the scenarios to run, some of "keep-alive work close idle" (default: all;
#                        they run in this order whatever the order of LIST); e.g. "idle" rewrites
#                        only the idle part of the page, "keep-alive work close" leaves it as it is
#   --connections "LIST" connection counts, each a run (default "1 16 64 256")
#   --work-ms MS         the work scenario's simulated waiting per request (default 20)
#   --pool-threads N     thread-pool's workers (default 8); async runs one event-loop thread
#   --duration SEC       seconds per run (default 3)
#   --rounds N           rounds (default 1); the tables show the medians
#   --idle-connections "LIST"
#                        idle connections each model is asked to hold, each a hold (default
#                        "1000 10000")
#   --idle-max N         the most connections the idle search asks a model to hold (default
#                        20000; less when the open-file limit, memory or, for
#                        thread-per-connection, the system's threads allow less: the table says)
#   --quick              a smoke run: 1 s per run, 1 round; idle: 1000 connections, the search up
#                        to 4000 (unless --idle-connections and --idle-max say otherwise)
#   --no-pin             do not pin the servers and the client to CPUs
#   --markdown FILE      write the tables to FILE (default docs/serving-models.md)
#   --svg FILE           write the chart to FILE (default docs/serving-models.svg)
#   --no-docs            write nothing under docs/ (only what --markdown and --svg name)
#   --json FILE          also write every run and the medians as JSON
#   --keep-logs DIR      keep every run's output and the servers' logs in DIR
#   -h, --help           this text
#
# The default run takes about 5 minutes: 3.5 for requests per second, 1.5 for idle connections
# (more on a busy machine, where a hold may have to be made twice: see below).
#
# Scenarios for requests per second, each run as socketlab-client bench -c CONNECTIONS -d SEC
# --timeout 2s --json:
#   keep-alive   every connection reused for every request; no work
#   work         the same, with the server started with --work-ms MS
#   close        --no-keepalive: a new connection for every request; no work
# For each model and scenario a fresh server on a free 127.0.0.1 port, started here, warmed up
# with a 1 s run on one connection, measured at each connection count (smallest first) and
# stopped:
#   socketlab-server --site PORT=en --model MODEL --access-log off [--threads N] [--work-ms MS]
# A request unanswered after 2 s counts as a timeout (the client then reconnects); timeouts,
# errors and non-2xx answers (503: past --max-connections) appear next to the requests per second.
#
# The idle scenario, for each model and each --idle-connections N, a fresh server and
#   socketlab-client hold -n N --server-pid PID --timeout T --hold 1 http://127.0.0.1:PORT/
# which opens N keep-alive connections at once, one request each, and keeps them open and idle:
# how many were held, the server's resident memory (RSS) per connection, the median of 20 fresh
# requests meanwhile, and why the others were not held (timed out, refused, reset, closed,
# EMFILE...); T is 5 s and 1 s more per 1,000 connections (the listen queue overflows: dropped
# SYNs are sent again 1, 3, 7 s later); when the connections not held all timed out while the
# server answered every fresh request, the machine was too busy for the opening, not the server:
# that hold is made once more with 3 T. Sampled every 0.1 s meanwhile: the server's threads and
# virtual size, and the kernel's stacks (the whole machine's, /proc/meminfo). Then the search
# for the most connections each model holds goes on from the --idle-connections counts: twice the
# largest, twice that... up to the cap (--idle-max, or less: see there), each a fresh server and a
# hold, stopping at the first count the model did not hold all of. The idle scenario's servers:
#   socketlab-server --site PORT=en --model MODEL --access-log off --max-connections N+64
#     --header-timeout 300 --idle-timeout 300 [--threads N]
# (not --max-connections for the iterative model, which refuses it: it serves one connection
# and leaves the rest in the listen queue); the timeouts, so that the server closes nothing the
# lab is opening or holding. This script raises its open-file limit to the hard limit, for the
# servers; hold raises its own.
#
# With taskset and two CPUs or more, the server runs on the first allowed CPU and the client on
# the second; the output says whether this happened.
# The page has two parts, requests per second and idle connections, between marking comments:
# a run rewrites the part of the scenarios it ran and keeps the other from the page as it was.
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
all_scenarios="keep-alive work close idle"
models="$all_models"
scenarios="$all_scenarios"
connections="1 16 64 256"
work_ms=20
pool_threads=8
svg=""
docs=1
duration=3
rounds=1
quick=0
idle_connections=""   # "1000 10000", or "1000" with --quick
idle_max=""           # 20000, or 4000 with --quick
idle_server_timeout=300  # the idle servers' --header-timeout and --idle-timeout, seconds
request_timeout=2  # socketlab-client bench --timeout, seconds

known_model() { [[ " $all_models " == *" $2 "* ]] || usage_error "$1: '$2' is not a model; use some of: $all_models"; }
known_scenario() {
  [[ " $all_scenarios " == *" $2 "* ]] || usage_error "$1: '$2' is not a scenario; use some of: $all_scenarios"
}
# at_most_hold OPTION N: a usage error unless N is at most hold's limit.
at_most_hold() {
  positive_int "$1" "$2"
  (($2 <= 1000000)) || usage_error "$1 wants at most 1000000 connections (hold's limit), not $2"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --server) need_value "$@"; server="$2"; shift 2 ;;
    --client) need_value "$@"; client="$2"; shift 2 ;;
    --models) need_value "$@"; words_option "$1" "$2" known_model; models="${words[*]}"; shift 2 ;;
    --scenarios)
      need_value "$@"
      words_option "$1" "$2" known_scenario
      scenarios=$(in_order "$all_scenarios")
      shift 2 ;;
    --connections) need_value "$@"; words_option "$1" "$2" positive_int; connections="${words[*]}"; shift 2 ;;
    --work-ms) need_value "$@"; positive_int "$1" "$2"; work_ms="$2"; shift 2 ;;
    --pool-threads) need_value "$@"; positive_int "$1" "$2"; pool_threads="$2"; shift 2 ;;
    --idle-connections) need_value "$@"; words_option "$1" "$2" at_most_hold; idle_connections="${words[*]}"; shift 2 ;;
    --idle-max) need_value "$@"; at_most_hold "$1" "$2"; idle_max="$2"; shift 2 ;;
    --svg) need_value "$@"; svg="$2"; shift 2 ;;
    --no-docs) docs=0; shift ;;
    --quick) duration=1; rounds=1; quick=1; shift ;;
    *) common_option "$@"; shift "$option_words" ;;
  esac
done
((pool_threads <= 1024)) || usage_error "--pool-threads wants at most 1024 (the server's limit), not $pool_threads"
if [ "$quick" = 1 ]; then
  idle_connections="${idle_connections:-1000}"
  idle_max="${idle_max:-4000}"
fi
idle_connections="${idle_connections:-1000 10000}"
idle_max="${idle_max:-20000}"
if [ "$docs" = 1 ]; then
  markdown="${markdown:-$root/docs/serving-models.md}"
  svg="${svg:-$root/docs/serving-models.svg}"
fi

# Whether SCENARIO is one of those to run; whether any of the requests-per-second ones is.
selected() { [[ " $scenarios " == *" $1 "* ]]; }
rates_selected() { selected keep-alive || selected work || selected close; }

# --- tools -------------------------------------------------------------------------------

command -v python3 >/dev/null 2>&1 || missing_tool python3 python3
command -v curl >/dev/null 2>&1 || missing_tool curl curl
command -v timeout >/dev/null 2>&1 || missing_tool timeout coreutils
find_both_programs

chart_note=""
rates_selected || svg=""  # the chart draws requests per second
if [ -n "$svg" ] && ! command -v gnuplot >/dev/null 2>&1; then
  chart_note="no chart: gnuplot not found; scripts/install-deps.sh --bench installs it (gnuplot-nox)"
  svg=""
fi

# --- open files --------------------------------------------------------------------------

# The idle servers hold a connection an open file each, and inherit this script's limit: raise it
# to the hard limit. files_cap: the most connections the server and hold can each open under it.
files_cap="$idle_max"
if selected idle; then
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  if [ "$(ulimit -n)" != unlimited ] && (($(ulimit -n) - 64 < files_cap)); then
    files_cap=$(($(ulimit -n) - 64))
  fi
  for n in $idle_connections; do
    ((n <= files_cap)) || die "--idle-connections: $n needs $((n + 64)) open files for the server and for hold; the hard limit is $(ulimit -Hn): raise it (as root: ulimit -Hn $((n + 64))) or hold at most $files_cap"
  done
fi

# --- cleanup -----------------------------------------------------------------------------

# $tmp, removed on exit after stopping the client, the idle scenario's sampler and the server
# under test.
server_pid=""
sampler_pid=""
make_tmp socketlab-compare-models load_pid sampler_pid server_pid

# --- CPUs --------------------------------------------------------------------------------

# The server gets the first CPU this script may use, the client the second.
server_pin=()
load_pin=()
pin_cpus server client

cpu_name=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
machine="$(nproc) CPUs (nproc), ${cpu_name:-unknown CPU}, $(uname -s) $(uname -r)"
memory=$(awk '/^MemTotal:/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
read -r -a model_list <<<"$models"
read -r -a connection_list <<<"$connections"

echo "socketlab-server: $server (${server_build:-unknown build type})"
echo "socketlab-client: $client (${client_build:-unknown build type})"
echo "models:           ${model_list[*]}; thread-pool with $pool_threads workers, async with 1 thread"
echo "scenarios:        $scenarios"
if rates_selected; then
  echo "runs:             ${connection_list[*]} connections, ${duration} s each, $rounds round(s); --work-ms $work_ms in the work scenario"
fi
if selected idle; then
  echo "idle:             hold $idle_connections connections, then search up to $idle_max (open-file limit $(ulimit -n))"
fi
echo "machine:          $machine, $memory"
echo "CPUs:             ${#cpus[@]} allowed; $pinning"
report_load

# --- runs --------------------------------------------------------------------------------

# shellcheck source=SCRIPTDIR/bench/models_runs.sh
. "$root/scripts/bench/models_runs.sh"

rates_elapsed=0
if rates_selected; then
  started=$(date +%s)
  for ((round = 1; round <= rounds; round++)); do
    for scenario in keep-alive work close; do
      selected "$scenario" || continue
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
  rates_elapsed=$(($(date +%s) - started))
fi

idle_elapsed=0
if selected idle; then
  started=$(date +%s)
  for model in "${model_list[@]}"; do
    for n in $idle_connections; do run_hold "$model" "$n"; done
  done
  for model in "${model_list[@]}"; do search_idle "$model"; done
  idle_elapsed=$(($(date +%s) - started))
fi

# --- tables and chart --------------------------------------------------------------------

# The builds, and when they were made: other work may rebuild them between two runs.
built() { date -r "$1" '+%Y-%m-%d %H:%M' 2>/dev/null || echo "at an unknown time"; }
build="socketlab-server ${server_build:-unknown build type} (built $(built "$server")), socketlab-client ${client_build:-unknown build type} (built $(built "$client"))"
regenerate="scripts/compare-models.sh"
for word in "${command_line[@]}"; do regenerate+=" $(printf '%q' "$word")"; done
[ -z "$markdown" ] || mkdir -p "$(dirname "$markdown")"
[ -z "$svg" ] || mkdir -p "$(dirname "$svg")"

run_report models_report "$svg" "$tmp" "$work_ms" "$pool_threads" "$request_timeout" "${model_list[*]}" "${connection_list[*]}" \
  "$(date +%Y-%m-%d)" "$machine, $memory" "$build" "$regenerate" "$scenarios" "$rates_elapsed" \
  "$idle_results" "$idle_search_results" "$idle_connections" "$idle_server_timeout" "$(ulimit -n)" "$idle_elapsed"

if [ -n "$svg" ]; then
  gnuplot "$tmp/chart.gp" >"$tmp/gnuplot.log" 2>&1 || { sed 's/^/  /' "$tmp/gnuplot.log" >&2; die "gnuplot failed to draw $svg"; }
fi
[ -z "$markdown" ] || echo "tables: $markdown"
[ -z "$svg" ] || echo "chart:  $svg"
[ -z "$chart_note" ] || echo "compare-models.sh: $chart_note" >&2
elapsed=$((rates_elapsed + idle_elapsed))
echo "took $((elapsed / 60)) min $((elapsed % 60)) s"

exit_if_failed "the client failed or hung, or a server died"
