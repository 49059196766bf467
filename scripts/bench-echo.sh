#!/usr/bin/env bash
# Measures socketlab-server's UDP and TCP echo servers against a plain reference echo server (a
# few lines of Python 3 in this script): the same socketlab-client sends each a message at a
# time on loopback, the next as soon as the previous echo is back, and the table shows round
# trips per second for each and the ratio socketlab/reference, measured side by side in every
# round, then each server's CPU time per round trip. It measures; it is not a test: whatever the
# ratio, it exits 0.
#
# Usage: scripts/bench-echo.sh [OPTIONS]
#
#   --server PATH      the socketlab-server to run (default: $SOCKETLAB_SERVER, else
#                      build/release/server/socketlab-server, else build/server/socketlab-server)
#   --client PATH      the socketlab-client to run (default: $SOCKETLAB_CLIENT, else
#                      build/release/client/socketlab-client, else build/client/socketlab-client)
#   --count N          round trips per run (default 50000: 2-3 s at 15,000-25,000 a second)
#   --size BYTES       bytes per message (default 64)
#   --rounds N         rounds (default 3); a round runs each transport on both servers, which
#                      go first in turn, so machine noise hits both; the table shows every round
#                      and medians
#   --quick            a smoke run: 10000 round trips per run, 1 round
#   --no-pin           do not pin the servers and the client to CPUs
#   --markdown FILE    also write the table to FILE
#   --json FILE        also write every run and the medians as JSON
#   --keep-logs DIR    keep every run's output and the servers' logs in DIR
#   -h, --help         this text
#
# Each run, one after the other (never two at once):
#   socketlab-client udp-echo 127.0.0.1:PORT --count N --size BYTES --interval 0
#   socketlab-client tcp-echo 127.0.0.1:PORT --count N --size BYTES --interval 0 --burst 0
# against four servers, each its own process, started here and stopped on exit:
#   socketlab-server udp-echo --port PORT1      socketlab-server tcp-echo --port PORT1
#   python3 (reference) udp PORT2               python3 (reference) tcp PORT2
# The reference is the obvious blocking code: recvfrom/sendto in a loop for UDP; for TCP,
# accept a connection and recv/sendall until it closes, one connection at a time.
# Every server gets a warm-up run first (a tenth of N). With taskset and two CPUs or more, the
# servers run on the first allowed CPU and the client on the second; the output says whether
# this happened. Each run shows the CPU its server and the client used (100% = one core busy).
#
# Exit status: 0 when measured; 1 when a tool is missing, a server failed to start or died, or
# the client failed, hung or lost echoes; 2 on a usage error.
# Needs bash, coreutils, python3 and a Release build: cmake --workflow --preset release
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=SCRIPTDIR/bench/common.sh
. "$root/scripts/bench/common.sh" bench-echo.sh "apt install @PACKAGE@"

server="${SOCKETLAB_SERVER:-}"
client="${SOCKETLAB_CLIENT:-}"
count=50000
size=64

while [ $# -gt 0 ]; do
  case "$1" in
    --server) need_value "$@"; server="$2"; shift 2 ;;
    --client) need_value "$@"; client="$2"; shift 2 ;;
    --count) need_value "$@"; positive_int "$1" "$2"; count="$2"; shift 2 ;;
    --size) need_value "$@"; positive_int "$1" "$2"; size="$2"; shift 2 ;;
    --quick) count=10000; rounds=1; shift ;;
    --duration) usage_error "a run here is a number of round trips, not seconds: use --count N" ;;
    *) common_option "$@"; shift "$option_words" ;;
  esac
done

# --- tools -------------------------------------------------------------------------------

command -v python3 >/dev/null 2>&1 || missing_tool python3 python3
command -v timeout >/dev/null 2>&1 || missing_tool timeout coreutils

find_both_programs

# The reference echo servers: the plainest Python 3 that does the job, so that socketlab is
# compared with the obvious code rather than with a tuned server. One process per transport:
#   python3 -c "$reference" udp|tcp PORT
# It prints the same banner as socketlab-server once it is listening, and dies on SIGTERM.
reference=$(cat <<'EOF'
import socket, sys

transport, port = sys.argv[1], int(sys.argv[2])
if transport == "udp":
    # No connection: each datagram goes back to whoever sent it.
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))
    print(f"UDP echo on udp://127.0.0.1:{port}", flush=True)
    while True:
        data, sender = s.recvfrom(65536)
        s.sendto(data, sender)
else:
    # One connection at a time; every byte read goes back until the client closes. No
    # TCP_NODELAY, like socketlab-server tcp-echo.
    listener = socket.create_server(("127.0.0.1", port))  # SO_REUSEADDR, listen()
    print(f"TCP echo on 127.0.0.1:{port}", flush=True)
    while True:
        conn, _ = listener.accept()
        with conn:
            try:
                while data := conn.recv(65536):
                    conn.sendall(data)
            except OSError:  # e.g. reset by the client: serve the next one
                pass
EOF
)
python_version=$(python3 -c 'import platform; print(platform.python_version())')

# --- cleanup -----------------------------------------------------------------------------

# $tmp, removed on exit after stopping the client and the four servers, whose pids these
# variables hold (set by start_echo, read by name by run_echo and cleanup).
# shellcheck disable=SC2034
socketlab_udp_pid="" socketlab_tcp_pid="" reference_udp_pid="" reference_tcp_pid=""
make_tmp socketlab-bench-echo load_pid socketlab_udp_pid socketlab_tcp_pid reference_udp_pid reference_tcp_pid

# --- CPUs --------------------------------------------------------------------------------

# The servers get the first CPU this script may use, the client the second.
server_pin=()
load_pin=()
pin_cpus servers client

# --- servers -----------------------------------------------------------------------------

# socketlab's UDP and TCP servers share one port, the reference's another.
read -r socketlab_port reference_port <<<"$(free_ports 2 udp)"

# start_echo KIND TRANSPORT: starts KIND's (socketlab or reference) TRANSPORT (udp or tcp) echo
# server under server_pin, its output in $tmp/KIND-TRANSPORT.log; sets KIND_TRANSPORT_pid and
# waits until it prints its banner.
start_echo() {
  local kind="$1" transport="$2" port_var="${1}_port"
  local port="${!port_var}" log="$tmp/$1-$2.log" banner
  if [ "$kind" = socketlab ]; then
    "${server_pin[@]}" "$server" "$transport-echo" --port "$port" >"$log" 2>&1 &
  else
    "${server_pin[@]}" python3 -c "$reference" "$transport" "$port" >"$log" 2>&1 &
  fi
  printf -v "${kind}_${transport}_pid" '%s' "$!"
  case "$transport" in
    udp) banner="UDP echo on udp://127.0.0.1:$port" ;;
    tcp) banner="TCP echo on 127.0.0.1:$port" ;;
  esac
  wait_for "$kind $transport echo server" "$!" "print '$banner'" printed_banner "$log"
}
# Whether start_echo's server has printed its banner in its log.
printed_banner() { grep -qF "$banner" "$log"; }

for kind in socketlab reference; do
  for transport in udp tcp; do start_echo "$kind" "$transport"; done
done

echo "socketlab-server: $server (${server_build:-unknown build type}) on 127.0.0.1:$socketlab_port, udp-echo and tcp-echo"
echo "reference:        python3 $python_version (the loops in this script) on 127.0.0.1:$reference_port, UDP and TCP"
echo "socketlab-client: $client (${client_build:-unknown build type})"
echo "runs:             $count round trips of $size bytes, one at a time (--interval 0), $rounds round(s)"
echo "CPUs:             ${#cpus[@]} allowed; $pinning"
report_load

# --- runs --------------------------------------------------------------------------------

results="$tmp/results.tsv"  # round transport server order round-trips/s server-cpu% client-cpu% errors
: >"$results"
failed=0
mkdir -p "$tmp/runs"

# run_echo KIND TRANSPORT ROUND ORDER [COUNT]: one client run against KIND's TRANSPORT server;
# prints its line and records it (round 0 is the warm-up: neither).
run_echo() {
  local kind="$1" transport="$2" round="$3" order="$4" n="${5:-$count}"
  local pid_var="${kind}_${transport}_pid" port_var="${kind}_port"
  local pid="${!pid_var}" port="${!port_var}"
  local cmd=("$client" "$transport-echo" "127.0.0.1:$port" --count "$n" --size "$size" --interval 0)
  [ "$transport" = tcp ] && cmd+=(--burst 0)
  local log="$tmp/runs/round$round-$transport-$kind.txt"
  # Under timeout, so that a client that never returns fails the run instead of the script; the
  # limit allows for as few as 100 round trips a second.
  local limit=$((60 + n / 100))
  run_measured "$pid" "$log" timeout -k 5 "$limit" "${load_pin[@]}" "${cmd[@]}"
  if load_failed "$log" \
    "bench-echo.sh: socketlab-client did not finish $n round trips with the $kind $transport server within $limit s (hung)" \
    "bench-echo.sh: socketlab-client failed with the $kind $transport server"; then
    failed=1
    return 0
  fi
  kill -0 "$pid" 2>/dev/null || die "the $kind $transport echo server died during round $round"
  [ "$round" = 0 ] && return 0

  # The client's last lines, e.g.
  #   20000 sent, 20000 received, 0.0% loss, 0 duplicates, 0 reordered, rtt min/avg/max/p99 = ...
  #   20,000 round trips in 1.234 s: 16,207 messages/s, 1.04 MB/s
  local rate received errors="" server_cpu
  rate=$(sed -n 's|^.* round trips in .*: \([0-9,.]*\) messages/s.*$|\1|p' "$log" | tail -n 1)
  received=$(sed -n 's/^[0-9,]* sent, \([0-9,]*\) received.*$/\1/p' "$log" | tail -n 1)
  [ -n "$rate" ] || { errors="no messages/s in the client's output"; rate=0; }
  if [ -n "$received" ] && [ "${received//,/}" != "$n" ]; then
    errors="${errors:+$errors; }${received//,/} of $n echoes received"
  fi
  server_cpu=$run_cpu_percent

  printf 'round %d  %s  %-9s  %10s round trips/s   server CPU %5s%%   client CPU %3s%%\n' \
    "$round" "${transport^^}" "$kind" "$rate" "$server_cpu" "$load_cpu"
  flag_errors "$log" "$kind $transport, round $round" "the client's output"
  record_run "$round" "$transport" "$kind" "$order" "${rate//,/}" "$server_cpu" "$load_cpu" "$errors"
}

warm_up=$(((count + 9) / 10))
for kind in socketlab reference; do
  for transport in udp tcp; do run_echo "$kind" "$transport" 0 0 "$warm_up"; done
done
echo

for ((round = 1; round <= rounds; round++)); do
  if ((round % 2 == 1)); then order=(socketlab reference); else order=(reference socketlab); fi
  for transport in udp tcp; do
    run_echo "${order[0]}" "$transport" "$round" 1
    run_echo "${order[1]}" "$transport" "$round" 2
  done
done

# --- table -------------------------------------------------------------------------------

run_report echo_report "$count" "$size" "$python_version"

exit_if_failed "the client failed or hung, or echoes were lost"
