#!/usr/bin/env bash
# Attacks socketlab-server with slow clients, one serving model after another, and times a normal
# client meanwhile. slowhttptest opens thousands of connections that never finish:
#   slowloris   (slowhttptest -H) each sends its request header a line every 2 s, and never ends it
#   slow-read   (slowhttptest -X) each asks for a 1 MiB file and reads it 32 bytes a second
#               through a receive window of at most 512 bytes
# and while they hold on, a normal client (curl) asks for the greeting once a second. Prints a
# table per mode: the connections slowhttptest held, what the server did to them (closed them,
# when, with which answer), the normal client's median and slowest time and how many of its
# requests failed, and the server's threads at the peak. It measures; it is not a test: failed
# requests are results (the iterative model serves nobody else while a slow client holds it).
#
# Usage: scripts/slow-clients.sh [OPTIONS]
#
#   --server PATH          the socketlab-server to attack (default: $SOCKETLAB_SERVER, else
#                          build/release/server/socketlab-server, else build/server/socketlab-server)
#   --models "LIST"        the models to attack, in this order (default "iterative
#                          thread-per-connection thread-pool async")
#   --modes "LIST"         the attacks, some of "slowloris slow-read" (default both, in this order)
#   --connections N        slow connections slowhttptest opens, 1,000 a second (default 2000; at
#                          most 65539, its limit, and the open-file limit less 64)
#   --duration SEC         how long each attack lasts (default 15)
#   --header-timeout SEC   the server's --header-timeout (default 10, the server's own)
#   --send-timeout SEC     the server's --send-timeout (default 10, the server's own)
#   --probe-timeout SEC    how long the normal client waits for an answer (default 5)
#   --quick                a smoke run: 200 connections, 6 s attacks, header and send timeouts
#                          of 3 s (unless the options say otherwise)
#   --no-pin               do not pin the server and the attackers to CPUs
#   --keep-logs DIR        keep slowhttptest's output and CSV, the probes, the servers' output and
#                          access logs in DIR
#   -h, --help             this text
#
# The default run takes about 2 minutes (130 s on 2 CPUs): 8 attacks (2 modes, 4 models) of
# 15 s or less (slowhttptest stops early once the server has closed all its connections), and
# a second or two each to start and stop; --quick, about 40 s.
#
# For each mode and model a fresh server on a free 127.0.0.1 port, started here and stopped after
# its attack, serving a folder with index.html (the greeting) and big.bin (1 MiB):
#   socketlab-server --site PORT=FOLDER --model MODEL [--threads 8] --access-log FILE
#     --header-timeout SEC --send-timeout SEC [--max-connections N+64]
# (--max-connections so that the server admits every slow connection: past it a client gets 503,
# the normal one too; not for the iterative model, which refuses it.) Then, each for --duration:
#   slowhttptest -H -c N -r 1000 -i 2 -x 24 -l SEC -p 3 -g -o PREFIX -u http://127.0.0.1:PORT/
#   slowhttptest -X -c N -r 1000 -w 1 -y 512 -n 1 -z 32 -l SEC -p 3 -g -o PREFIX -u .../big.bin
# Once they are open (N / 1000 s, and 1 s more), the normal client starts a request every
# second until 1 s before the attack's end, each on its own and not waiting for the others:
#   curl -s -o /dev/null --max-time PROBE-TIMEOUT http://127.0.0.1:PORT/index.html
# A request still waiting when the attack ends (slowhttptest closes its connections) may be
# answered then: it counts with its whole wait. "held": the most connections slowhttptest had
# open at once (its CSV, one row a second); on the iterative model most of them wait in the
# listen queue, open but not yet accepted. "closed": those the server closed, and in which
# seconds of the attack (slowhttptest's clock); the answers other than 200 come from the
# server's access log (408: the header timeout; 503: past --max-connections). "threads": the
# server's, at the peak (sampled every 0.1 s).
#
# The open-file limit is raised to the hard limit: the server and slowhttptest need a file a
# connection. With taskset and two CPUs or more, the server runs on the first allowed CPU and
# slowhttptest and curl on the second; the output says whether this happened.
#
# Exit status: 0 when measured; 1 when a tool is missing, a server failed to start or died, or
# slowhttptest failed; 2 on a usage error.
# Needs bash, coreutils, curl, python3 and slowhttptest: scripts/install-deps.sh --bench
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=SCRIPTDIR/bench/common.sh
. "$root/scripts/bench/common.sh" slow-clients.sh "scripts/install-deps.sh --bench (or apt install @PACKAGE@)"

server="${SOCKETLAB_SERVER:-}"
all_models="iterative thread-per-connection thread-pool async"
all_modes="slowloris slow-read"
models="$all_models"
modes="$all_modes"
connections=""    # 2000, or 200 with --quick
duration=""       # 15, or 6 with --quick
header_timeout="" # 10, or 3 with --quick
send_timeout=""   # 10, or 3 with --quick
probe_timeout=5
quick=0
pool_threads=8  # thread-pool's workers: the server's default, said on the command line
rate=1000       # slow connections opened a second

known_model() { [[ " $all_models " == *" $2 "* ]] || usage_error "$1: '$2' is not a model; use some of: $all_models"; }
known_mode() { [[ " $all_modes " == *" $2 "* ]] || usage_error "$1: '$2' is not a mode; use some of: $all_modes"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --server) need_value "$@"; server="$2"; shift 2 ;;
    --models) need_value "$@"; words_option "$1" "$2" known_model; models="${words[*]}"; shift 2 ;;
    --modes)
      need_value "$@"
      words_option "$1" "$2" known_mode
      modes=$(in_order "$all_modes")
      shift 2 ;;
    --connections)
      need_value "$@"
      positive_int "$1" "$2"
      (($2 <= 65539)) || usage_error "--connections wants at most 65539 (slowhttptest's limit), not $2"
      connections="$2"
      shift 2 ;;
    --header-timeout) need_value "$@"; positive_int "$1" "$2"; header_timeout="$2"; shift 2 ;;
    --send-timeout) need_value "$@"; positive_int "$1" "$2"; send_timeout="$2"; shift 2 ;;
    --probe-timeout) need_value "$@"; positive_int "$1" "$2"; probe_timeout="$2"; shift 2 ;;
    --quick) quick=1; shift ;;
    --duration)
      need_value "$@"
      positive_int "$1" "$2"
      (($2 >= 4)) || usage_error "--duration wants at least 4 s (1 s to open the connections, then the normal client), not $2"
      duration="$2"
      shift 2 ;;
    --no-pin | --keep-logs | -h | --help) common_option "$@"; shift "$option_words" ;;
    *) usage_error "unknown option '$1'" ;;
  esac
done
if [ "$quick" = 1 ]; then
  connections="${connections:-200}" duration="${duration:-6}"
  header_timeout="${header_timeout:-3}" send_timeout="${send_timeout:-3}"
fi
connections="${connections:-2000}" duration="${duration:-15}"
header_timeout="${header_timeout:-10}" send_timeout="${send_timeout:-10}"

# The normal client: from the second after the connections are open, a request every second,
# the last 1 s before the attack ends.
probe_start=$(((connections + rate - 1) / rate + 1))
probes=$((duration - 1 - probe_start))
((probes >= 1)) || usage_error "--duration $duration leaves no time for the normal client after opening $connections connections; use --duration $((probe_start + 2)) or more"

# --- tools -------------------------------------------------------------------------------

command -v slowhttptest >/dev/null 2>&1 || missing_tool slowhttptest slowhttptest
command -v curl >/dev/null 2>&1 || missing_tool curl curl
command -v python3 >/dev/null 2>&1 || missing_tool python3 python3
command -v timeout >/dev/null 2>&1 || missing_tool timeout coreutils
find_program server socketlab-server "$server"
check_build_type "$server"
server_build="$build_type"

# --- open files --------------------------------------------------------------------------

# The server holds a connection an open file each, and so does slowhttptest: raise the limit
# they inherit to the hard limit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && ((connections + 64 > $(ulimit -n))); then
  die "--connections $connections needs $((connections + 64)) open files for the server and for slowhttptest; the hard limit is $(ulimit -Hn): raise it (as root: ulimit -Hn $((connections + 64))) or use --connections $(($(ulimit -n) - 64))"
fi

# --- cleanup -----------------------------------------------------------------------------

# $tmp, removed on exit after stopping the attack, the normal client, the sampler and the server.
attack_pid=""
probe_pid=""
sampler_pid=""
server_pid=""
make_tmp socketlab-slow-clients attack_pid probe_pid sampler_pid server_pid
mkdir -p "$tmp/www"
cp "$tmp/expected-body" "$tmp/www/index.html"
head -c 1048576 /dev/zero >"$tmp/www/big.bin"

server_pin=()
load_pin=()
pin_cpus server "slowhttptest and curl"

read -r -a model_list <<<"$models"
read -r -a mode_list <<<"$modes"
echo "socketlab-server: $server (${server_build:-unknown build type})"
echo "slowhttptest:     $(slowhttptest -h 2>&1 | sed -n 's/.*- version \([0-9.]*\).*/\1/p' | head -n 1)"
echo "attacks:          ${mode_list[*]}; $connections connections, $duration s each, against ${model_list[*]}"
echo "server:           --header-timeout $header_timeout --send-timeout $send_timeout; thread-pool with $pool_threads workers, async with 1 thread"
echo "normal client:    $probes requests, one a second from ${probe_start} s, each given $probe_timeout s"
echo "open-file limit:  $(ulimit -n)"
echo "CPUs:             ${#cpus[@]} allowed; $pinning"
load_advice="expect noisy times: the normal client shares a CPU with slowhttptest"
report_load
echo

# shellcheck source=SCRIPTDIR/bench/models_runs.sh
. "$root/scripts/bench/models_runs.sh"  # start_model, sample_server_every

# --- one attack --------------------------------------------------------------------------

# One line an attack: mode model held closed first-closed-s last-closed-s answers probes answered
# median-ms max-ms failures peak-threads
attacks="$tmp/attacks.tsv"
: >"$attacks"

# probe, probe_all and attack: scripts/bench/slow_runs.sh
# shellcheck source=SCRIPTDIR/bench/slow_runs.sh
. "$root/scripts/bench/slow_runs.sh"

# --- the attacks -------------------------------------------------------------------------

started=$(date +%s)
for mode in "${mode_list[@]}"; do
  for model in "${model_list[@]}"; do attack "$mode" "$model"; done
done

# --- the tables --------------------------------------------------------------------------

echo
for mode in "${mode_list[@]}"; do
  case "$mode" in
    slowloris) echo "slowloris: $connections connections send their header a line every 2 s (server: --header-timeout $header_timeout)" ;;
    slow-read) echo "slow-read: $connections connections read a 1 MiB file 32 bytes a second (server: --send-timeout $send_timeout)" ;;
  esac
  printf '%-21s  %6s  %-28s  %-16s  %9s  %9s  %7s\n' model held "closed by the server (when)" "its answers" \
    "median ms" "max ms" threads
  awk -F '\t' -v mode="$mode" '$1 == mode {
      when = $4 == 0 ? "" : ($5 == $6 ? " in s " $5 : " in s " $5 "-" $6)
      printf "%-21s  %6d  %-28s  %-16s  %9s  %9s  %7d   %d of %d failed\n", $2, $3, $4 when, $7, $10, $11, $13, $8 - $9, $8
    }' "$attacks"
  echo
done
echo "normal client: one request a second (curl, $probe_timeout s each) while the attack held on; median and max of those answered"
echo "elapsed: $(($(date +%s) - started)) s"

exit_if_failed "a server died or slowhttptest failed"
