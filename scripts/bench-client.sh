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

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
die() { echo "bench-client.sh: $*" >&2; exit 1; }
usage_error() { echo "bench-client.sh: $*; see --help" >&2; exit 2; }

client="${SOCKETLAB_CLIENT:-}"
duration=10
rounds=3
connections=64
pin=1
markdown=""
json=""
keep_logs=""

need_value() { if [ $# -lt 2 ] || [ -z "$2" ]; then usage_error "$1 needs a value"; fi; }
positive_int() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || usage_error "$1 wants a whole number from 1 up, not '$2'"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --client) need_value "$@"; client="$2"; shift 2 ;;
    --duration) need_value "$@"; positive_int "$1" "$2"; duration="$2"; shift 2 ;;
    --rounds) need_value "$@"; positive_int "$1" "$2"; rounds="$2"; shift 2 ;;
    --connections) need_value "$@"; positive_int "$1" "$2"; connections="$2"; shift 2 ;;
    --quick) duration=2; rounds=1; shift ;;
    --no-pin) pin=0; shift ;;
    --markdown) need_value "$@"; markdown="$2"; shift 2 ;;
    --json) need_value "$@"; json="$2"; shift 2 ;;
    --keep-logs) need_value "$@"; keep_logs="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage_error "unknown option '$1'" ;;
  esac
done

# --- tools -------------------------------------------------------------------------------

missing_tool() { die "$1 not found: scripts/install-deps.sh --bench (or apt install $2)"; }
nginx_bin="${NGINX:-$(command -v nginx || true)}"
[ -n "$nginx_bin" ] || { [ -x /usr/sbin/nginx ] && nginx_bin=/usr/sbin/nginx; }
command -v wrk >/dev/null 2>&1 || missing_tool wrk wrk
if [ -z "$nginx_bin" ] || [ ! -x "$nginx_bin" ]; then missing_tool nginx nginx-light; fi
command -v curl >/dev/null 2>&1 || missing_tool curl curl
command -v python3 >/dev/null 2>&1 || missing_tool python3 python3
command -v timeout >/dev/null 2>&1 || missing_tool timeout coreutils

[ -n "$client" ] || client="$root/build/release/client/socketlab-client"
[ -x "$client" ] || die "socketlab-client not found at $client: build it with 'cmake --workflow --preset release', or pass --client PATH"

# A Debug build measures the compiler's -O0, not the client: say so.
cache="$(dirname "$(dirname "$client")")/CMakeCache.txt"
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$cache" 2>/dev/null || true)
case "$build_type" in
  Release|RelWithDebInfo|MinSizeRel) ;;
  *) echo "bench-client.sh: warning: $client is a '${build_type:-unknown}' build; benchmark a Release one (cmake --workflow --preset release)" >&2 ;;
esac

# --- cleanup -----------------------------------------------------------------------------

tmp=$(mktemp -d "${TMPDIR:-/tmp}/socketlab-bench-client.XXXXXX")
nginx_pid=""
load_pid=""

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
  stop_process "$load_pid"
  stop_process "$nginx_pid"  # nginx's master stops its worker on TERM
  if [ -n "$keep_logs" ]; then
    { mkdir -p "$keep_logs" && cp -r "$tmp"/. "$keep_logs"/; } 2>/dev/null || echo "bench-client.sh: could not keep the logs in $keep_logs" >&2
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- CPUs --------------------------------------------------------------------------------

# The CPUs this script may use, e.g. "0 1"; nginx gets the first, the load generators the second.
read -r -a cpus <<<"$(python3 -c 'import os; print(*sorted(os.sched_getaffinity(0)))')"
server_pin=()
load_pin=()
if [ "$pin" = 1 ] && command -v taskset >/dev/null 2>&1 && [ "${#cpus[@]}" -ge 2 ]; then
  server_pin=(taskset -c "${cpus[0]}")
  load_pin=(taskset -c "${cpus[1]}")
  pinning="nginx on CPU ${cpus[0]}, load generators on CPU ${cpus[1]} (taskset)"
elif [ "$pin" = 0 ]; then
  pinning="not pinned (--no-pin)"
elif ! command -v taskset >/dev/null 2>&1; then
  pinning="not pinned: taskset not found (apt install util-linux)"
else
  pinning="not pinned: only ${#cpus[@]} CPU"
fi

# --- nginx -------------------------------------------------------------------------------

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port/"

mkdir -p "$tmp/nginx"
temp_paths="  client_body_temp_path $tmp/nginx/client_body;"
nginx_build=$("$nginx_bin" -V 2>&1)
for module in proxy fastcgi uwsgi scgi; do
  [[ "$nginx_build" == *"--without-http_${module}_module"* ]] ||
    temp_paths+=$'\n'"  ${module}_temp_path $tmp/nginx/$module;"
done
sed -e "s|@DIR@|$tmp/nginx|g" -e "s|@PORT@|$port|g" "$root/scripts/bench/nginx.conf.in" |
  while IFS= read -r line; do
    if [ "$line" = "@TEMP_PATHS@" ]; then printf '%s\n' "$temp_paths"; else printf '%s\n' "$line"; fi
  done >"$tmp/nginx/nginx.conf"
nginx_args=(-p "$tmp/nginx/" -c "$tmp/nginx/nginx.conf")
# -e (nginx 1.19.5+) keeps even the start-up messages out of /var/log/nginx.
"$nginx_bin" -h 2>&1 | grep -q -- '-e filename' && nginx_args+=(-e "$tmp/nginx/error.log")
if ! "$nginx_bin" -t -q "${nginx_args[@]}" >"$tmp/nginx/test.log" 2>&1; then
  echo "bench-client.sh: nginx rejected the generated configuration:" >&2
  sed 's/^/  /' "$tmp/nginx/test.log" >&2
  exit 1
fi
"${server_pin[@]}" "$nginx_bin" "${nginx_args[@]}" >"$tmp/nginx/stdout.log" 2>&1 &
nginx_pid=$!

printf 'Hello, World!\n' >"$tmp/expected-body"
ready=0
for ((i = 0; i < 200; i++)); do
  kill -0 "$nginx_pid" 2>/dev/null || break
  if curl -s --max-time 1 -o "$tmp/body" "$url" 2>/dev/null && cmp -s "$tmp/body" "$tmp/expected-body"; then
    ready=1
    break
  fi
  sleep 0.05
done
if [ "$ready" != 1 ]; then
  echo "bench-client.sh: nginx did not answer 'Hello, World!' on port $port within 10 s; its log:" >&2
  sed 's/^/  /' "$tmp/nginx/error.log" "$tmp/nginx/stdout.log" >&2 2>/dev/null || true
  exit 1
fi

echo "socketlab-client: $client (${build_type:-unknown build type})"
echo "wrk:              $(wrk -v 2>&1 | head -n 1 | awk '{print $2}')"
echo "nginx:            $nginx_bin ($("$nginx_bin" -v 2>&1 | sed 's|.*nginx/||'), one worker) on 127.0.0.1:$port"
echo "runs:             -t 1 -c $connections, ${duration} s each, $rounds round(s)"
echo "CPUs:             ${#cpus[@]} allowed; $pinning"
load=$(cut -d ' ' -f 1 /proc/loadavg 2>/dev/null || echo 0)
echo "load average:     $load (1 minute, before the runs)"
if awk -v l="$load" 'BEGIN {exit !(l >= 0.5)}'; then
  echo "bench-client.sh: warning: other work is using the CPUs (load $load): expect noisy req/s; compare requests per CPU-second too" >&2
fi

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
  local before after start end
  before=$(cpu_ns "$nginx_pid")
  start=$(date +%s.%N)
  children_cpu_seconds >"$tmp/load-cpu-before"
  # In the background and waited for, so that a signal to this script ends it at once; under
  # timeout, so that a load generator that never returns fails the run instead of the script.
  timeout -k 5 $((seconds + 30)) "${load_pin[@]}" "${cmd[@]}" >"$log" 2>&1 &
  load_pid=$!
  local status=0
  wait "$load_pid" || status=$?
  load_pid=""
  end=$(date +%s.%N)
  children_cpu_seconds >"$tmp/load-cpu-after"
  after=$(cpu_ns "$nginx_pid")
  if [ "$status" != 0 ]; then
    if [ "$status" = 124 ] || [ "$status" = 137 ]; then
      echo "bench-client.sh: $name did not return within $((seconds + 30)) s of a ${seconds} s run (hung); its output:" >&2
    else
      echo "bench-client.sh: $name failed (exit status $status):" >&2
    fi
    sed 's/^/  /' "$log" >&2
    failed=1
    return 0
  fi
  kill -0 "$nginx_pid" 2>/dev/null || die "nginx died during round $round ($name)"
  [ "$round" = 0 ] && return 0  # the warm-up

  local rps non2xx sockerr errors="" real load_cpu nginx_cpu
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$log")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$log")
  sockerr=$(sed -n 's/^ *Socket errors: *//p' "$log")
  [ -n "$rps" ] || { errors="no Requests/sec in the output"; rps=0; }
  [ -n "$non2xx" ] && errors="${errors:+$errors; }$non2xx non-2xx responses"
  [ -n "$sockerr" ] && errors="${errors:+$errors; }socket errors: $sockerr"
  real=$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')
  nginx_cpu=$(awk -v ns="$((after - before))" -v r="$real" 'BEGIN {printf "%.0f", ns / 1e7 / r}')
  load_cpu=$(awk -v a="$(cat "$tmp/load-cpu-before")" -v b="$(cat "$tmp/load-cpu-after")" -v r="$real" 'BEGIN {printf "%.0f", 100 * (b - a) / r}')

  printf 'round %d  %-16s  %10s req/s   its CPU %3s%%   nginx CPU %3s%%\n' "$round" "$name" "$rps" "$load_cpu" "$nginx_cpu"
  if [ -n "$errors" ]; then
    echo "!!! ERRORS: $name, round $round: $errors (its output below)" >&2
    sed 's/^/  /' "$log" >&2
    failed=1
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$order" "$name" "$rps" "$load_cpu" "$nginx_cpu" "$errors" >>"$results"
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

echo
python3 - "$results" "$markdown" "$json" "$duration" "$rounds" "$connections" "$pinning" <<'EOF'
import json, statistics, sys

results, markdown, json_path, duration, rounds, connections, pinning = sys.argv[1:]
runs = []
with open(results) as f:
    for line in f:
        r, order, gen, rps, cpu, ncpu, errors = line.rstrip("\n").split("\t")
        runs.append(dict(round=int(r), order=int(order), generator=gen, rps=float(rps),
                         cpu_percent=int(cpu), nginx_cpu_percent=int(ncpu), errors=errors))

def run(rnd, gen):
    return next((r for r in runs if r["round"] == rnd and r["generator"] == gen), None)

def per_cpu(r):  # requests per CPU-second of the load generator
    return 100 * r["rps"] / r["cpu_percent"] if r and r["cpu_percent"] > 0 else 0.0

def cell(r):
    return f'{r["rps"]:,.0f} ({r["cpu_percent"]}%, nginx {r["nginx_cpu_percent"]}%)' if r else "failed"

head = ("round", "first", "socketlab-client req/s (CPU, nginx CPU)", "wrk req/s (CPU, nginx CPU)",
        "ratio", "ratio per CPU-second")
rows = []
for rnd in sorted({r["round"] for r in runs}):
    s, w = run(rnd, "socketlab-client"), run(rnd, "wrk")
    first = "socketlab-client" if s and s["order"] == 1 else "wrk"
    ratio = s["rps"] / w["rps"] if s and w and w["rps"] else 0.0
    eff = per_cpu(s) / per_cpu(w) if per_cpu(w) else 0.0
    rows.append((str(rnd), first, cell(s), cell(w), f"{ratio:.2f}", f"{eff:.2f}"))

def median(gen, key):
    values = [key(r) for r in runs if r["generator"] == gen]
    return statistics.median(values) if values else 0.0

med = {g: median(g, lambda r: r["rps"]) for g in ("socketlab-client", "wrk")}
cpu = {g: median(g, lambda r: r["cpu_percent"]) for g in ("socketlab-client", "wrk")}
ncpu = {g: median(g, lambda r: r["nginx_cpu_percent"]) for g in ("socketlab-client", "wrk")}
eff = {g: median(g, per_cpu) for g in ("socketlab-client", "wrk")}
ratio = med["socketlab-client"] / med["wrk"] if med["wrk"] else 0.0
eff_ratio = eff["socketlab-client"] / eff["wrk"] if eff["wrk"] else 0.0
errors = any(r["errors"] for r in runs)
verdict = "ERRORS" if errors else ("PASS" if ratio >= 0.9 else "BELOW")
rows.append(("median", "", f'**{med["socketlab-client"]:,.0f}** ({cpu["socketlab-client"]:.0f}%, nginx {ncpu["socketlab-client"]:.0f}%)',
             f'**{med["wrk"]:,.0f}** ({cpu["wrk"]:.0f}%, nginx {ncpu["wrk"]:.0f}%)',
             f"**{ratio:.2f}** {verdict} (target >= 0.90)", f"{eff_ratio:.2f}"))

lines = [f"socketlab-client bench vs wrk, both -t 1 -c {connections} against one nginx worker; "
         f"{rounds} round(s) of {duration} s; {pinning}.",
         "CPU: the load generator's share of one core during its run; ratio per CPU-second: "
         "requests per CPU-second of socketlab-client / of wrk (its efficiency, whatever the bottleneck).",
         "",
         "| " + " | ".join(head) + " |",
         "|---|---|" + "---:|" * (len(head) - 2)]
lines += ["| " + " | ".join(r) + " |" for r in rows]
table = "\n".join(lines) + "\n"
print(table, end="")

busiest = max(cpu.values()) if cpu else 0
if cpu and min(cpu.values()) >= 95 and max(ncpu.values()) < 95:
    print("\nnote: both load generators used a whole core and nginx did not: they were the limit,"
          " so req/s compares them directly")
elif ncpu and max(ncpu.values()) >= 95 and busiest < 95:
    print("\nnote: nginx used a whole core: it was the limit, so req/s ratios near 1.00 say little;"
          " the ratio per CPU-second compares the load generators")
elif busiest < 80:
    print(f"\nnote: the load generators used at most a median {busiest:.0f}% of their CPU: other work on the"
          " machine held them back, so req/s says as much about the machine as about them")

if markdown:
    with open(markdown, "w") as f:
        f.write(table)
if json_path:
    with open(json_path, "w") as f:
        json.dump(dict(duration_seconds=int(duration), rounds=int(rounds), connections=int(connections),
                       pinning=pinning, runs=runs,
                       medians=dict(requests_per_sec=med, cpu_percent=cpu, nginx_cpu_percent=ncpu,
                                    requests_per_cpu_second=eff, ratio=ratio, ratio_per_cpu_second=eff_ratio,
                                    result=verdict)), f, indent=2)
        f.write("\n")
EOF

if [ "$failed" != 0 ]; then
  echo "bench-client.sh: some runs FAILED (a load generator failed or hung, socket errors or non-2xx responses): see above" >&2
  exit 1
fi
