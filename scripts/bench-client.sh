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

run_table "$connections" <<'EOF'
connections = sys.argv[7]
runs = read_runs(results, [("round", int), ("order", int), ("generator", str), ("rps", float),
                           ("cpu_percent", int), ("nginx_cpu_percent", int), ("errors", str)])

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

def median_of(gen, key):
    return median([key(r) for r in runs if r["generator"] == gen])

med = {g: median_of(g, lambda r: r["rps"]) for g in ("socketlab-client", "wrk")}
cpu = {g: median_of(g, lambda r: r["cpu_percent"]) for g in ("socketlab-client", "wrk")}
ncpu = {g: median_of(g, lambda r: r["nginx_cpu_percent"]) for g in ("socketlab-client", "wrk")}
eff = {g: median_of(g, per_cpu) for g in ("socketlab-client", "wrk")}
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

write_text(markdown, table)
write_json(json_path, dict(duration_seconds=int(duration), rounds=int(rounds), connections=int(connections),
                           pinning=pinning, runs=runs,
                           medians=dict(requests_per_sec=med, cpu_percent=cpu, nginx_cpu_percent=ncpu,
                                        requests_per_cpu_second=eff, ratio=ratio, ratio_per_cpu_second=eff_ratio,
                                        result=verdict)))
EOF

if [ "$failed" != 0 ]; then
  echo "bench-client.sh: some runs FAILED (a load generator failed or hung, socket errors or non-2xx responses): see above" >&2
  exit 1
fi
