#!/usr/bin/env bash
# Soaks socketlab-server: each serving model under a mixed load for N minutes, all the models at
# once (each its own server on its own free 127.0.0.1 ports), then a graceful stop under way.
# Checks that every response that began arrived whole and right, that the errors are only the
# expected ones, that the server's open file descriptors come back to their baseline exactly and
# its memory within a tolerance, and that SIGTERM lets the responses under way finish and the
# server exit 0. Prints a summary table, a row a model, and PASS or FAIL for each. It is a test.
#
# Usage: scripts/soak.sh [OPTIONS]
#
#   --minutes N        how long each model is soaked (default 30); the models run at the same
#                      time, so the whole run takes N minutes and about a minute more
#   --models "LIST"    the models to soak (default "iterative thread-per-connection thread-pool
#                      async")
#   --quick            a smoke run for CI: a 2 s warm-up, a 10 s soak (about 35 s in all: the
#                      clients finish what they are doing, a slow read lasts up to 6 s)
#   --server PATH      the socketlab-server to soak (default: $SOCKETLAB_SERVER, else
#                      build/release/server/socketlab-server, else build/server/socketlab-server)
#   --client PATH      the socketlab-client whose bench gives the bursts (default:
#                      $SOCKETLAB_CLIENT, else build/release/client/socketlab-client, else
#                      build/client/socketlab-client)
#   --keep-logs DIR    keep the servers' output and access logs and each model's JSON in DIR
#   -h, --help         this text
#
# Each model's server serves a folder of files of random bytes (index.html, the greeting, for the
# readiness check; 4k.bin 4097 B, 16k.bin 16384 B, 64k.bin 65553 B, 1m.bin 1 MiB, 6m.bin 6 MiB
# and 5 B) and the English greeting on a second port:
#   socketlab-server --site PORT=FOLDER --site PORT2=en --model MODEL [--threads N]
#     --access-log FILE --header-timeout 3
# (thread-pool with its default 8 workers, async with 2 event-loop threads; the header timeout
# shortened so that the 408 case takes 3 s, not 10.) The load, scripts/bench/soak_run.py (Python
# asyncio), runs these clients at once against each server (one of each against the iterative
# model, which serves one connection at a time; its clients wait up to 60 s, others 30 s):
#   keep-alive   4 loops of connections of 5 to 40 requests: GET, HEAD, Range (206, 416),
#                If-None-Match (304), 404; to the files or the greeting
#   new-conn     2 loops of a connection a request, half with Connection: close (then the server
#                must close)
#   pipelined    2 loops of batches of 2 to 8 such requests written in one send, read in order
#   slow-read    2 loops reading 1m.bin or 6m.bin at 1 MiB/s through a 32 KiB receive buffer
#   malformed    1 loop: 21 kinds of bad request (400, 413, 414, 431, 501, 505, 405, and 408 for
#                a header left unfinished), each status checked, then that the server closes
#                where the framing is broken, or that the connection still serves where not
#   vanish       1 loop: half a header then a close or a reset (SO_LINGER 0), a request closed
#                unread, a big response reset part-way, a connection closed at once
#   bench        socketlab-client bench -c 2 -d 1s on the greeting every 3 minutes (quick: once);
#                its errors are unexpected but its timeouts on the iterative model and its read
#                errors on the thread pool (a kept-alive connection closed: the hand-back)
# Every response is checked: its status, Content-Length and body, byte for byte. A response
# began when its first byte arrived; one that began and did not arrive whole is an unexpected
# error, as is any error other than the expected ones: a thread pool closing a connection idle
# for 100 ms (kept alive, or new with its request not come yet) or answering Connection: close to
# hand its thread to a waiting one, the iterative model making a client wait past its timeout,
# and, at the stop, connections closed or refused.
#
# The phases, for each model: a warm-up (30 s; quick: 2 s); the load stopped and, once the
# server's open descriptors have not changed for a second, the baseline (descriptors and RSS,
# from /proc); the soak, sampled every second (the peaks); the load stopped again and the
# descriptors awaited back at the baseline (at most 30 s), the RSS read; then 3 slow readers of
# 6m.bin (iterative: 1) and 3 keep-alive clients, SIGTERM once every slow response has begun, and:
# every response under way arrives whole, a new connection is refused (while the server still
# finishes and after it exits), the server exits 0 within the slow read's time and 30 s. Last,
# the access log has one line for each response that began (and at most one more for each
# client that left before it could see whether its request was answered).
#
# A model passes with no unexpected error, every response under way at the stop delivered, the
# descriptors back at the baseline, the RSS at the end at most 4 MiB over the baseline, an
# exit status 0 within the deadline, new connections refused once SIGTERM has come (before the
# exit: the listening sockets closed at once) and after the exit, and the access log's lines
# matching the responses that began.
#
# Exit status: 0 when every model passed; 1 when one failed, a tool is missing or a server did
# not start; 2 on a usage error.
# Needs bash, coreutils, curl and python3 (3.8 or later, no packages).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=SCRIPTDIR/bench/common.sh
. "$root/scripts/bench/common.sh" soak.sh "scripts/install-deps.sh --bench (or apt install @PACKAGE@)"

server="${SOCKETLAB_SERVER:-}"
client="${SOCKETLAB_CLIENT:-}"
all_models="iterative thread-per-connection thread-pool async"
models="$all_models"
minutes=30
quick=0
pool_threads=8     # thread-pool's workers: the server's default, said on the command line
async_threads=2    # async's event-loop threads: more than one, so that strands are exercised
header_timeout=3   # the server's --header-timeout: the 408 case waits this long

known_model() { [[ " $all_models " == *" $2 "* ]] || usage_error "$1: '$2' is not a model; use some of: $all_models"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) need_value "$@"; positive_int "$1" "$2"; minutes="$2"; shift 2 ;;
    --models) need_value "$@"; words_option "$1" "$2" known_model; models="${words[*]}"; shift 2 ;;
    --quick) quick=1; shift ;;
    --server) need_value "$@"; server="$2"; shift 2 ;;
    --client) need_value "$@"; client="$2"; shift 2 ;;
    --keep-logs | -h | --help) common_option "$@"; shift "$option_words" ;;
    *) usage_error "unknown option '$1'" ;;
  esac
done
soak_seconds=$((minutes * 60)) warmup=30 bench_every=180
[ "$quick" = 0 ] || soak_seconds=10 warmup=2 bench_every=1000
read -r -a model_list <<<"$models"

command -v python3 >/dev/null 2>&1 || missing_tool python3 python3
command -v curl >/dev/null 2>&1 || missing_tool curl curl
python3 -c 'import sys; sys.exit(sys.version_info < (3, 8))' || die "python3 is older than 3.8: install a newer one"
find_both_programs

# --- the servers -------------------------------------------------------------------------

# $tmp, removed on exit after stopping the loads and the servers still running (cleanup reads
# these variables by name).
# shellcheck disable=SC2034
load_0="" load_1="" load_2="" load_3="" server_0="" server_1="" server_2="" server_3=""
make_tmp socketlab-soak load_0 load_1 load_2 load_3 server_0 server_1 server_2 server_3
mkdir -p "$tmp/www"
cp "$tmp/expected-body" "$tmp/www/index.html"
for file in 4k:4097 16k:16384 64k:65553 1m:1048576 6m:6291461; do
  head -c "${file#*:}" /dev/urandom >"$tmp/www/${file%:*}.bin"
done

server_pin=()
# shellcheck source=SCRIPTDIR/bench/models_runs.sh
. "$root/scripts/bench/models_runs.sh"  # start_model

echo "socketlab-server: $server (${server_build:-unknown build type})"
echo "socketlab-client: $client (${client_build:-unknown build type})"
echo "soak:             ${model_list[*]}, all at once, $((soak_seconds / 60)) min $((soak_seconds % 60)) s each after a $warmup s warm-up"
echo "CPUs:             $(nproc) (not pinned: the models share them with their loads)"
load_advice="the soak checks correctness, not speed, but a busy machine makes the clients' waits longer"
report_load
echo

# start_soaked MODEL I: its server (start_model) with a greeting on a second port, its pid in
# server_I, its ports in ports_I ("FILES GREETING"); the readiness check's line cleared from its
# access log.
start_soaked() {
  local model="$1" i="$2" greet args=(--access-log "$tmp/$1-access.log" --header-timeout "$header_timeout")
  greet=$(free_ports 1)
  [ "$model" = async ] && args+=(--threads "$async_threads")
  start_model "$model" "$tmp/www" "$tmp/$model-server.log" --site "$greet=en" "${args[@]}"
  printf -v "server_$i" '%s' "$server_pid"
  printf -v "ports_$i" '%s %s' "$port" "$greet"
  : >"$tmp/$model-access.log"
}

for i in "${!model_list[@]}"; do start_soaked "${model_list[$i]}" "$i"; done

# --- the soaks, all at once ----------------------------------------------------------------

started=$(date +%s)
for i in "${!model_list[@]}"; do
  model="${model_list[$i]}" server_var="server_$i" ports_var="ports_$i"
  read -r files_port greet_port <<<"${!ports_var}"
  python3 "$root/scripts/bench/soak_run.py" --model "$model" --pid "${!server_var}" --port "$files_port" \
    --greet-port "$greet_port" --dir "$tmp/www" --access-log "$tmp/$model-access.log" --client "$client" \
    --seconds "$soak_seconds" --warmup "$warmup" --bench-every "$bench_every" \
    --header-timeout "$header_timeout" --out "$tmp/$model.json" >"$tmp/$model-load.log" 2>&1 &
  printf -v "load_$i" '%s' "$!"
  echo "soaking $model: server pid ${!server_var} on ports $files_port and $greet_port"
done

# has_exited PID: whether the process PID has ended (a zombie until this shell waits for it).
has_exited() {
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 0
  [ -z "$state" ] || [ "$state" = Z ]
}

# Each load ends with its server's stop; the server's exit status is read here, its parent.
for i in "${!model_list[@]}"; do
  model="${model_list[$i]}" load_var="load_$i" server_var="server_$i"
  status=0
  wait "${!load_var}" || status=$?
  printf -v "load_$i" '%s' ""
  [ "$status" = 0 ] || { echo "soak.sh: the load of $model failed (exit status $status):" >&2; sed 's/^/  /' "$tmp/$model-load.log" >&2; }
  exit_status=hung
  if has_exited "${!server_var}"; then
    exit_status=0
    wait "${!server_var}" || exit_status=$?
  fi
  stop_process "${!server_var}"  # one that did not exit after the load's SIGTERM: TERM again, then KILL
  printf -v "server_$i" '%s' ""
  echo "$exit_status" >"$tmp/$model.exit"
done
echo "elapsed: $(($(date +%s) - started)) s"
echo

python3 "$root/scripts/bench/soak_report.py" "$tmp" "${model_list[@]}"
