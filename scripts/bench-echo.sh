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
  if [ -n "$errors" ]; then
    echo "!!! ERRORS: $kind $transport, round $round: $errors (the client's output below)" >&2
    sed 's/^/  /' "$log" >&2
    failed=1
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$transport" "$kind" "$order" "${rate//,/}" \
    "$server_cpu" "$load_cpu" "$errors" >>"$results"
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

run_table "$count" "$size" "$python_version" <<'EOF'
count, size, python_version = int(sys.argv[7]), int(sys.argv[8]), sys.argv[9]
runs = read_runs(results, [("round", int), ("transport", str), ("server", str), ("order", int),
                           ("round_trips_per_sec", float), ("server_cpu_percent", float),
                           ("client_cpu_percent", int), ("errors", str)])
servers = ("socketlab", "reference")

def run(rnd, transport, server):
    return next((r for r in runs if (r["round"], r["transport"], r["server"]) == (rnd, transport, server)), None)

def ratio(s, r):
    return s["round_trips_per_sec"] / r["round_trips_per_sec"] if s and r and r["round_trips_per_sec"] else None

def cell(r):
    return f'{r["round_trips_per_sec"]:,.0f} ({r["server_cpu_percent"]:.0f}%)' if r else "failed"

def cpu_us(r):  # the server's CPU time per round trip, in microseconds
    return r["server_cpu_percent"] * 1e4 / r["round_trips_per_sec"] if r["round_trips_per_sec"] else 0.0

head = ("transport", "round", "first", "socketlab round trips/s (server CPU)",
        "reference round trips/s (server CPU)", "socketlab/reference")
rows, medians = [], {}
for transport in ("udp", "tcp"):
    label = transport.upper()
    ratios = []
    for rnd in sorted({r["round"] for r in runs if r["transport"] == transport}):
        s, r = run(rnd, transport, "socketlab"), run(rnd, transport, "reference")
        first = next((x["server"] for x in (s, r) if x and x["order"] == 1), "")
        q = ratio(s, r)
        if q is not None:
            ratios.append(q)
        rows.append((label, str(rnd), first, cell(s), cell(r), f"{q:.2f}" if q is not None else "-"))
    mine = {k: [r for r in runs if r["transport"] == transport and r["server"] == k] for k in servers}
    med = {k: median([r["round_trips_per_sec"] for r in mine[k]]) for k in servers}
    cpu = {k: median([r["server_cpu_percent"] for r in mine[k]]) for k in servers}
    us = {k: median([cpu_us(r) for r in mine[k]]) for k in servers}
    client_cpu = median([r["client_cpu_percent"] for k in servers for r in mine[k]])
    med_ratio = median(ratios)
    rows.append((label, "median", "", f'**{med["socketlab"]:,.0f}** ({cpu["socketlab"]:.0f}%)',
                 f'**{med["reference"]:,.0f}** ({cpu["reference"]:.0f}%)', f"**{med_ratio:.2f}**"))
    medians[transport] = dict(round_trips_per_sec=med, server_cpu_percent=cpu, server_cpu_us_per_round_trip=us,
                              client_cpu_percent=client_cpu, ratio=med_ratio)

lines = [f"Echo round trips per second on loopback, one {size}-byte message at a time (socketlab-client "
         f"--interval 0), {count:,} per run: socketlab-server udp-echo / tcp-echo vs a reference echo server "
         f"in Python {python_version} (blocking recvfrom/sendto; accept, recv/sendall); {rounds} round(s); {pinning}.",
         "server CPU: the server's share of one core during the run; socketlab/reference above 1.00: socketlab "
         "answered faster; median row: medians of the rounds (the ratio: of the rounds' ratios).",
         "",
         "| " + " | ".join(head) + " |",
         "|---|---|---|" + "---:|" * (len(head) - 3)]
lines += ["| " + " | ".join(r) + " |" for r in rows]
table = "\n".join(lines) + "\n"
print(table, end="")

print("\nserver CPU time per round trip (medians; steadier than round trips/s when other work shares the CPUs):")
for transport, m in medians.items():
    s, r = m["server_cpu_us_per_round_trip"]["socketlab"], m["server_cpu_us_per_round_trip"]["reference"]
    print(f"  {transport.upper()}  socketlab {s:5.1f} us  reference {r:5.1f} us")

busiest_server = max((c for m in medians.values() for c in m["server_cpu_percent"].values()), default=0)
client = max((m["client_cpu_percent"] for m in medians.values()), default=0)
if client >= 95:
    print(f"note: the client used a median {client:.0f}% of its CPU: it was the limit, so ratios near 1.00 say"
          " little; the CPU time per round trip compares the servers")
elif busiest_server >= 95:
    print(f"note: a server used a median {busiest_server:.0f}% of its CPU: it was the limit of its runs")
elif busiest_server < 50 and client < 50:
    print("note: neither the servers nor the client kept a core busy: most of a round trip is waking each side"
          " up (and, on a busy machine, waiting for a CPU), the same for both servers, so the ratios stay nearer"
          " 1.00 than the servers' own costs; the CPU time per round trip compares those")

for transport in ("udp", "tcp"):
    ratios = [q for rnd in sorted({r["round"] for r in runs})
              if (q := ratio(run(rnd, transport, "socketlab"), run(rnd, transport, "reference"))) is not None]
    if len(ratios) > 1 and min(ratios) > 0 and max(ratios) / min(ratios) >= 1.5:
        print(f"note: the {transport.upper()} rounds disagree (ratios from {min(ratios):.2f} to {max(ratios):.2f}): other work"
              " on the machine slowed some runs and not others; rerun with more --rounds, or when the machine is quiet")

write_text(markdown, table)
write_json(json_path, dict(count=count, size=size, rounds=int(rounds), pinning=pinning,
                           reference=f"python {python_version}", runs=runs, medians=medians))
EOF

if [ "$failed" != 0 ]; then
  echo "bench-echo.sh: some runs FAILED (the client failed or hung, or echoes were lost): see above" >&2
  exit 1
fi
