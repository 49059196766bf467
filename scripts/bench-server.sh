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

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
die() { echo "bench-server.sh: $*" >&2; exit 1; }
usage_error() { echo "bench-server.sh: $*; see --help" >&2; exit 2; }

server="${SOCKETLAB_SERVER:-}"
duration=10
rounds=3
wrk_threads=1
pin=1
niceness=""
markdown=""
json=""
keep_logs=""

need_value() { if [ $# -lt 2 ] || [ -z "$2" ]; then usage_error "$1 needs a value"; fi; }
positive_int() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || usage_error "$1 wants a whole number from 1 up, not '$2'"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --server) need_value "$@"; server="$2"; shift 2 ;;
    --duration) need_value "$@"; positive_int "$1" "$2"; duration="$2"; shift 2 ;;
    --rounds) need_value "$@"; positive_int "$1" "$2"; rounds="$2"; shift 2 ;;
    --wrk-threads) need_value "$@"; positive_int "$1" "$2"; wrk_threads="$2"; shift 2 ;;
    --quick) duration=2; rounds=1; shift ;;
    --no-pin) pin=0; shift ;;
    --nice)
      need_value "$@"
      if ! [[ "$2" =~ ^-?[0-9]+$ ]] || (($2 < -39 || $2 > 39)); then
        usage_error "--nice wants an adjustment like nice -n, from -39 to 39, not '$2'"
      fi
      niceness="$2"; shift 2 ;;
    --markdown) need_value "$@"; markdown="$2"; shift 2 ;;
    --json) need_value "$@"; json="$2"; shift 2 ;;
    --keep-logs) need_value "$@"; keep_logs="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage_error "unknown option '$1'" ;;
  esac
done

# --- tools -------------------------------------------------------------------------------

nginx_bin="${NGINX:-$(command -v nginx || true)}"
[ -n "$nginx_bin" ] || { [ -x /usr/sbin/nginx ] && nginx_bin=/usr/sbin/nginx; }
command -v wrk >/dev/null 2>&1 || die "wrk not found: apt install wrk"
if [ -z "$nginx_bin" ] || [ ! -x "$nginx_bin" ]; then die "nginx not found: apt install nginx-light"; fi
command -v curl >/dev/null 2>&1 || die "curl not found: apt install curl"
command -v python3 >/dev/null 2>&1 || die "python3 not found: apt install python3"

if [ -z "$server" ]; then
  server="$root/build/server/socketlab-server"
  [ -x "$root/build/release/server/socketlab-server" ] && server="$root/build/release/server/socketlab-server"
fi
[ -x "$server" ] || die "socketlab-server not found at $server: build it with 'cmake --workflow --preset release', or pass --server PATH"

# A Debug build measures the compiler's -O0, not the server: say so.
cache="$(dirname "$(dirname "$server")")/CMakeCache.txt"
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$cache" 2>/dev/null || true)
case "$build_type" in
  Release|RelWithDebInfo|MinSizeRel) ;;
  *) echo "bench-server.sh: warning: $server is a '${build_type:-unknown}' build; benchmark a Release one (cmake --workflow --preset release)" >&2 ;;
esac

# --- cleanup -----------------------------------------------------------------------------

tmp=$(mktemp -d "${TMPDIR:-/tmp}/socketlab-bench.XXXXXX")
socketlab_pid=""
nginx_pid=""
wrk_pid=""

stop_process() {  # pid: TERM, wait up to 5 s, then KILL
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

cleanup() {
  stop_process "$wrk_pid"
  stop_process "$socketlab_pid"
  stop_process "$nginx_pid"  # nginx's master stops its worker on TERM
  if [ -n "$keep_logs" ]; then
    { mkdir -p "$keep_logs" && cp -r "$tmp"/. "$keep_logs"/; } 2>/dev/null || echo "bench-server.sh: could not keep the logs in $keep_logs" >&2
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- CPUs --------------------------------------------------------------------------------

# The CPUs this script may use, e.g. "0 1"; the servers get the first, wrk the second.
read -r -a cpus <<<"$(python3 -c 'import os; print(*sorted(os.sched_getaffinity(0)))')"
server_pin=()
wrk_pin=()
if [ -n "$niceness" ]; then
  wanted=$(($(nice) + niceness))
  ((wanted < -20)) && wanted=-20
  ((wanted > 19)) && wanted=19
  if [ "$(nice -n "$niceness" nice 2>/dev/null)" != "$wanted" ]; then
    die "--nice $niceness: cannot change the niceness this way (lowering it needs root)"
  fi
  server_pin=(nice -n "$niceness")
  wrk_pin=(nice -n "$niceness")
fi
if [ "$pin" = 1 ] && command -v taskset >/dev/null 2>&1 && [ "${#cpus[@]}" -ge 2 ]; then
  server_pin+=(taskset -c "${cpus[0]}")
  wrk_pin+=(taskset -c "${cpus[1]}")
  pinning="servers on CPU ${cpus[0]}, wrk on CPU ${cpus[1]} (taskset)"
elif [ "$pin" = 0 ]; then
  pinning="not pinned (--no-pin)"
elif ! command -v taskset >/dev/null 2>&1; then
  pinning="not pinned: taskset not found (apt install util-linux)"
else
  pinning="not pinned: only ${#cpus[@]} CPU"
fi

# --- servers -----------------------------------------------------------------------------

read -r socketlab_port nginx_port <<<"$(python3 -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))')"

expected="$tmp/expected-body"
printf 'Hello, World!\n' >"$expected"

# Waits until the server on $3 answers the greeting (at most 10 s), or fails if it exits.
wait_ready() {
  local name="$1" pid="$2" port="$3" log="$4" i
  for ((i = 0; i < 200; i++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "bench-server.sh: $name exited at start; its output:" >&2
      sed 's/^/  /' "$log" >&2
      exit 1
    fi
    if curl -s --max-time 1 -o "$tmp/body" "http://127.0.0.1:$port/" 2>/dev/null && cmp -s "$tmp/body" "$expected"; then
      return 0
    fi
    sleep 0.05
  done
  echo "bench-server.sh: $name did not answer 'Hello, World!' on port $port within 10 s; its output:" >&2
  sed 's/^/  /' "$log" >&2
  exit 1
}

"${server_pin[@]}" "$server" --site "$socketlab_port=en" --threads 1 --access-log off >"$tmp/socketlab.log" 2>&1 &
socketlab_pid=$!

mkdir -p "$tmp/nginx"
temp_paths="  client_body_temp_path $tmp/nginx/client_body;"
nginx_build=$("$nginx_bin" -V 2>&1)
for module in proxy fastcgi uwsgi scgi; do
  [[ "$nginx_build" == *"--without-http_${module}_module"* ]] ||
    temp_paths+=$'\n'"  ${module}_temp_path $tmp/nginx/$module;"
done
sed -e "s|@DIR@|$tmp/nginx|g" -e "s|@PORT@|$nginx_port|g" "$root/scripts/bench/nginx.conf.in" |
  while IFS= read -r line; do
    if [ "$line" = "@TEMP_PATHS@" ]; then printf '%s\n' "$temp_paths"; else printf '%s\n' "$line"; fi
  done >"$tmp/nginx/nginx.conf"
nginx_args=(-p "$tmp/nginx/" -c "$tmp/nginx/nginx.conf")
# -e (nginx 1.19.5+) keeps even the start-up messages out of /var/log/nginx.
"$nginx_bin" -h 2>&1 | grep -q -- '-e filename' && nginx_args+=(-e "$tmp/nginx/error.log")
if ! "$nginx_bin" -t -q "${nginx_args[@]}" >"$tmp/nginx/test.log" 2>&1; then
  echo "bench-server.sh: nginx rejected the generated configuration:" >&2
  sed 's/^/  /' "$tmp/nginx/test.log" >&2
  exit 1
fi
"${server_pin[@]}" "$nginx_bin" "${nginx_args[@]}" >"$tmp/nginx/stdout.log" 2>&1 &
nginx_pid=$!

wait_ready socketlab-server "$socketlab_pid" "$socketlab_port" "$tmp/socketlab.log"
wait_ready nginx "$nginx_pid" "$nginx_port" "$tmp/nginx/error.log"

response_bytes() { curl -s -D - -o /dev/null "http://127.0.0.1:$1/" | wc -c; }

echo "socketlab-server: $server (${build_type:-unknown build type}) on 127.0.0.1:$socketlab_port"
echo "nginx:            $nginx_bin ($("$nginx_bin" -v 2>&1 | sed 's|.*nginx/||'), one worker) on 127.0.0.1:$nginx_port"
echo "wrk:              $(wrk -v 2>&1 | head -n 1 | awk '{print $2}'), $wrk_threads thread(s), ${duration} s per run, $rounds round(s)"
echo "CPUs:             ${#cpus[@]} allowed; $pinning; niceness ${wanted:-$(nice)}"
load=$(cut -d ' ' -f 1 /proc/loadavg 2>/dev/null || echo 0)
echo "load average:     $load (1 minute, before the runs)"
if awk -v l="$load" 'BEGIN {exit !(l >= 0.5)}'; then
  echo "bench-server.sh: warning: other work is using the CPUs (load $load): expect noisy req/s; compare requests per CPU-second too" >&2
fi
echo "response header:  socketlab $(response_bytes "$socketlab_port") bytes, nginx $(response_bytes "$nginx_port") bytes; body 14 bytes each"

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
  local before after
  before=$(cpu_ns "$pid")
  local start end
  start=$(date +%s.%N)
  children_cpu_seconds >"$tmp/wrk-cpu-before"
  # In the background and waited for, so that a signal to this script ends wrk at once.
  "${wrk_pin[@]}" wrk "${args[@]}" "http://127.0.0.1:$port/" >"$log" 2>&1 &
  wrk_pid=$!
  if ! wait "$wrk_pid"; then
    wrk_pid=""
    echo "bench-server.sh: wrk failed against $name:" >&2
    sed 's/^/  /' "$log" >&2
    failed=1
    return 0
  fi
  wrk_pid=""
  end=$(date +%s.%N)
  children_cpu_seconds >"$tmp/wrk-cpu-after"
  after=$(cpu_ns "$pid")
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "bench-server.sh: $name died during the $scenario run" >&2
    failed=1
    return 0
  fi
  [ "$scenario" = warm-up ] && return 0

  local rps non2xx sockerr errors="" server_cpu wrk_cpu
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$log")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$log")
  sockerr=$(sed -n 's/^ *Socket errors: *//p' "$log")
  [ -n "$rps" ] || { errors="no Requests/sec in wrk's output"; rps=0; }
  [ -n "$non2xx" ] && errors="${errors:+$errors; }$non2xx non-2xx responses"
  [ -n "$sockerr" ] && errors="${errors:+$errors; }socket errors: $sockerr"
  local real
  real=$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')
  server_cpu=$(awk -v ns="$((after - before))" -v r="$real" 'BEGIN {printf "%.1f", ns / 1e7 / r}')
  wrk_cpu=$(awk -v a="$(cat "$tmp/wrk-cpu-before")" -v b="$(cat "$tmp/wrk-cpu-after")" -v r="$real" 'BEGIN {printf "%.0f", 100 * (b - a) / r}')

  printf 'round %d  %-10s  %-9s  %10s req/s   server CPU %5s%%   wrk CPU %3s%%\n' \
    "$round" "$scenario" "$name" "$rps" "$server_cpu" "$wrk_cpu"
  if [ -n "$errors" ]; then
    echo "!!! ERRORS: $name, $scenario, round $round: $errors (see wrk's output below)" >&2
    sed 's/^/  /' "$log" >&2
    failed=1
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$scenario" "$name" "$rps" "$server_cpu" "$wrk_cpu" "$errors" >>"$results"
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

echo
python3 - "$results" "$markdown" "$json" "$duration" "$rounds" "$wrk_threads" "$pinning" <<'EOF'
import json, statistics, sys

results, markdown, json_path, duration, rounds, wrk_threads, pinning = sys.argv[1:]
runs = []
with open(results) as f:
    for line in f:
        r, scenario, server, rps, scpu, wcpu, errors = line.rstrip("\n").split("\t")
        runs.append(dict(round=int(r), scenario=scenario, server=server, rps=float(rps),
                         server_cpu_percent=float(scpu), wrk_cpu_percent=int(wcpu), errors=errors))

scenarios = [("keep-alive", "keep-alive, 64 connections"),
             ("close", "Connection: close, 32 connections")]
rows = []
for key, label in scenarios:
    med, eff = {}, {}
    for server in ("socketlab", "nginx"):
        mine = [r for r in runs if r["scenario"] == key and r["server"] == server]
        med[server] = statistics.median([r["rps"] for r in mine]) if mine else 0.0
        per_cpu = [100 * r["rps"] / r["server_cpu_percent"] for r in mine if r["server_cpu_percent"] > 0]
        eff[server] = statistics.median(per_cpu) if per_cpu else 0.0
    ratio = med["socketlab"] / med["nginx"] if med["nginx"] else 0.0
    errors = any(r["errors"] for r in runs if r["scenario"] == key)
    verdict = "ERRORS" if errors else ("PASS" if ratio >= 1.0 else "BELOW")
    rows.append(dict(scenario=key, label=label, socketlab_rps=med["socketlab"], nginx_rps=med["nginx"],
                     ratio=ratio, result=verdict,
                     socketlab_requests_per_cpu_second=eff["socketlab"], nginx_requests_per_cpu_second=eff["nginx"]))

head = ("scenario", "socketlab req/s", "nginx req/s", "socketlab/nginx", "target >= 1.00")
cells = [(r["label"], f'{r["socketlab_rps"]:,.0f}', f'{r["nginx_rps"]:,.0f}', f'{r["ratio"]:.2f}', r["result"])
         for r in rows]
widths = [max(len(c[i]) for c in [head] + cells) for i in range(len(head))]
fmt = lambda c: "  ".join(s.ljust(w) if i == 0 else s.rjust(w) for i, (s, w) in enumerate(zip(c, widths)))
print(f"medians of {rounds} round(s), {duration} s each:")
print(fmt(head))
print("  ".join("-" * w for w in widths))
for c in cells:
    print(fmt(c))
print()
print("requests per CPU-second of the server (medians; steadier than req/s when other work shares the CPUs):")
for r in rows:
    e_s, e_n = r["socketlab_requests_per_cpu_second"], r["nginx_requests_per_cpu_second"]
    print(f'  {r["label"]:<{widths[0]}}  socketlab {e_s:>9,.0f}  nginx {e_n:>9,.0f}  ratio {e_s / e_n if e_n else 0:.2f}')
busy = statistics.median([r["server_cpu_percent"] for r in runs]) if runs else 0
client = statistics.median([r["wrk_cpu_percent"] for r in runs]) if runs else 0
if client >= 95:
    print(f"note: wrk used a median {client:.0f}% of its CPU: it was the limit, so req/s ratios near 1.00 say little;"
          " requests per CPU-second compare the servers")
elif busy < 80:
    print(f"note: the servers used a median {busy:.0f}% of a CPU and wrk {client:.0f}%: other work on the machine held"
          " them back, so req/s says as much about the machine as about them")

if markdown:
    with open(markdown, "w") as f:
        f.write(f"Medians of {rounds} round(s) of {duration} s; wrk {wrk_threads} thread(s); {pinning}.\n\n")
        f.write("| " + " | ".join(head) + " |\n")
        f.write("|---|" + "---:|" * (len(head) - 1) + "\n")
        for c in cells:
            f.write("| " + " | ".join(c) + " |\n")
if json_path:
    with open(json_path, "w") as f:
        json.dump(dict(duration_seconds=int(duration), rounds=int(rounds), wrk_threads=int(wrk_threads),
                       pinning=pinning, runs=runs, medians=rows), f, indent=2)
        f.write("\n")
EOF

if [ "$failed" != 0 ]; then
  echo "bench-server.sh: some runs FAILED (server died, socket errors or non-2xx responses): see above" >&2
  exit 1
fi
