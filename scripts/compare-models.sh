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

run_table "$svg" "$tmp" "$work_ms" "$pool_threads" "$request_timeout" "${model_list[*]}" "${connection_list[*]}" \
  "$(date +%Y-%m-%d)" "$machine" "$build" "$regenerate" "$elapsed" <<'EOF'
import math, os

(svg, plot_dir, work_ms, pool_threads, request_timeout, models, connections, date, machine, build,
 regenerate, elapsed) = sys.argv[7:19]
work_ms, pool_threads, elapsed = int(work_ms), int(pool_threads), int(elapsed)
models, connections = models.split(), [int(c) for c in connections.split()]
runs = read_runs(results, [("round", int), ("scenario", str), ("model", str), ("connections", int), ("status", str),
                           ("rps", float), ("timeouts", int), ("errors", int), ("non_2xx", int),
                           ("server_cpu_percent", float)])
per_connection = 1000 / work_ms  # the most answers a second one connection can get in the work scenario
scenarios = [("keep-alive", "Keep-alive, no work"),
             ("work", f"Keep-alive, {work_ms} ms of work per request (--work-ms {work_ms})"),
             ("close", "A new connection per request (--no-keepalive), no work")]

def medians(scenario, model, c):
    """The medians of the runs that finished, or None when none did (then "status" says why)."""
    mine = [r for r in runs if (r["scenario"], r["model"], r["connections"]) == (scenario, model, c)]
    ok = [r for r in mine if r["status"] == "ok"]
    if not ok:
        return dict(rps=None, status=mine[0]["status"] if mine else "not run")
    m = {k: median([r[k] for r in ok]) for k in ("rps", "timeouts", "errors", "non_2xx", "server_cpu_percent")}
    return dict(m, status="ok" if len(ok) == len(mine) else f"{len(mine) - len(ok)} round(s) failed")

table = {s: {m: {c: medians(s, m, c) for c in connections} for m in models} for s, _ in scenarios}

def cell(m):
    if m["rps"] is None:
        return f'failed ({m["status"]})'
    notes = [f"{m[k]:,.0f} {name}" for k, name in (("timeouts", "timeouts"), ("errors", "errors"),
                                                     ("non_2xx", "non-2xx")) if m[k]]
    return f'{m["rps"]:,.0f}' + (f' ({", ".join(notes)})' if notes else "")

def rows(scenario):
    out = [[model] + [cell(table[scenario][model][c]) for c in connections] for model in models]
    if scenario == "work":
        out.append([f"*limit: {per_connection:,.0f} per connection*"]
                   + [f"*{c * per_connection:,.0f}*" for c in connections])
    return out

def rps(scenario, model, c):
    return table.get(scenario, {}).get(model, {}).get(c, {}).get("rps")

def ratio_sentence(text, a, b):
    """text.format(x=a/b) when both are measured and b is not 0; "" otherwise."""
    return " " + text.format(x=a / b) if a and b else ""

# The connection count the "how to read it" figures use: 64 if measured, else the largest.
c_mid = 64 if 64 in connections else connections[-1]
c_max = connections[-1]

# --- text table on stdout
head = ["model \\ connections"] + [str(c) for c in connections]
for key, label in scenarios:
    cells = [head] + rows(key)
    widths = [max(len(r[i]) for r in cells) for i in range(len(head))]
    print(f"{label}: requests/s ({duration} s runs" + (f", medians of {rounds} rounds)" if int(rounds) > 1 else ")"))
    for i, r in enumerate(cells):
        print("  ".join(s.ljust(w) if j == 0 else s.rjust(w) for j, (s, w) in enumerate(zip(r, widths))))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print()

# --- Markdown
def md_table(key):
    lines = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * len(connections)]
    lines += ["| " + " | ".join(r) + " |" for r in rows(key)]
    return "\n".join(lines) + "\n"

it, tp, pool, asy = "iterative", "thread-per-connection", "thread-pool", "async"
reading = {
    "keep-alive":
        "Each connection sends its next request as soon as the answer to the previous one arrives, on the same "
        "connection, and the server has nothing to do but answer: a model that serves several connections at once "
        "is limited by the CPU it runs on. *iterative* serves one "
        "connection until the client closes it; the other connections wait in the listen queue, their requests "
        f"count as timeouts after {request_timeout} s (the client then reconnects and waits again), and its "
        "figure stays one connection's rate however many connections there are. *thread-per-connection* gives "
        f"every connection a thread of its own. *thread-pool* has {pool_threads} workers; when connections wait for "
        "one, a worker answers `Connection: close` to hand itself back, so past "
        f"{pool_threads} connections some requests pay for a new connection. *async* serves every connection from "
        "one thread, moving to another connection whenever one would have to wait. At 1 connection all four "
        "do the same (one request at a time, each a round trip between two processes): differences in that "
        "column are the machine's noise."
        + ratio_sentence(f"At {c_max} connections, async answered {{x:.1f}} times as many requests a second as "
                         "iterative.", rps("keep-alive", asy, c_max), rps("keep-alive", it, c_max)),
    "work":
        f"Each request now waits {work_ms} ms before its answer (a database or a disk, simulated), so one "
        f"connection gets at most 1000 / {work_ms} = {per_connection:,.0f} answers a second, and the *limit* row "
        "is that times the connections. A blocking model's thread sleeps through the wait: *iterative* answers "
        f"one request at a time, at most {per_connection:,.0f} a second; *thread-pool* {pool_threads} at a time, at "
        f"most {pool_threads * per_connection:,.0f} a second; *thread-per-connection* has one sleeping thread per "
        "connection. *async* starts a timer instead and serves the other connections while it runs, all from "
        "one thread."
        + ratio_sentence(f"At {c_mid} connections, async answered {{x:,.0f}} times as many requests a second as "
                         "iterative.", rps("work", asy, c_mid), rps("work", it, c_mid)),
    "close":
        "Each request opens a new TCP connection (handshake, accept, answer with `Connection: close`, close): "
        "more work for the server than the request itself, as the comparison with the first table shows. Since "
        "every connection closes after one answer, *iterative* starves no one any more: the connections take "
        "turns in the listen queue. *thread-per-connection* now starts a thread for every request; *thread-pool* "
        "and *async* hand each new connection to a thread they already have."
        + ratio_sentence(f"At {c_mid} connections, async answered {{x:.0%}} as many requests a second as with "
                         "keep-alive.", rps("close", asy, c_mid), rps("keep-alive", asy, c_mid)),
}

minutes = f"{elapsed // 60} min {elapsed % 60:02d} s" if elapsed >= 60 else f"{elapsed} s"
md = [f"# Serving models compared",
      "",
      "socketlab-server's four serving models (`--model`) under the same load on loopback, measured by "
      "`socketlab-client bench`. Each cell: requests per second"
      + (f", median of {rounds} rounds" if int(rounds) > 1 else "")
      + f"; in brackets, when there were any, requests that got no answer within {request_timeout} s "
      "(timeouts), connections that failed (errors) and answers other than 2xx (503: past `--max-connections`).",
      "",
      f"- date: {date}",
      f"- machine: {machine}",
      f"- build: {build}",
      f"- runs: {duration} s each, " + (f"medians of {rounds} rounds" if int(rounds) > 1 else "1 round")
      + f", after a 1 s warm-up per server; {pinning}",
      f"- servers: one per model and scenario, `socketlab-server --site PORT=en --model MODEL --access-log off`; "
      f"thread-pool with `--threads {pool_threads}`, async with its default one event-loop thread",
      f"- regenerate: `{regenerate}` (this run took {minutes}; `--help` for the options)",
      ""]
if svg:
    link = os.path.relpath(os.path.abspath(svg), os.path.dirname(os.path.abspath(markdown or ".") ))
    md += [f"![Requests per second by model and connections, one panel per scenario]({link})", ""]
for key, label in scenarios:
    md += [f"## {label}", "", md_table(key), "**How to read it.** " + reading[key], ""]
write_text(markdown, "\n".join(md))

# --- gnuplot: one data file per scenario, one panel each, the same log-scale axes for all
measured = [m["rps"] for s in table.values() for row in s.values() for m in row.values() if m["rps"]]
measured += [c * per_connection for c in connections]
low = 10 ** math.floor(math.log10(max(min(measured), 1)))
high = 10 ** math.ceil(math.log10(max(max(measured), 10)) + 0.7)  # room above the lines for the key
for key, _ in scenarios:
    with open(os.path.join(plot_dir, f"{key}.dat"), "w") as f:
        f.write("connections\t" + "\t".join(models) + "\tlimit\n")
        for c in connections:
            values = [table[key][m][c]["rps"] for m in models]
            f.write(f"{c}\t" + "\t".join(f"{v:.1f}" if v else "NaN" for v in values)
                    + f"\t{c * per_connection:.1f}\n")
gp = [f'set terminal svg size 900,1300 font "sans,13" background "white"',
      f'set output "{svg}"',
      'set datafile separator "\\t"',
      'set datafile missing "NaN"',
      'set logscale xy',
      f'set xrange [{connections[0] / 1.5}:{connections[-1] * 1.5}]',
      f'set yrange [{low}:{high}]',
      "set xtics (" + ", ".join(str(c) for c in connections) + ")",
      'set format y "%.0s%c"',
      'set grid xtics ytics mytics lc rgb "#dddddd"',
      'set xlabel "connections"',
      'set ylabel "requests/s"',
      'set key inside top center horizontal samplen 2',
      'set multiplot layout 3,1 title "socketlab-server: requests per second by serving model (loopback, higher is better)"']
# Each model its own colour and point (circle, square, triangle, diamond: lines that coincide stay
# apart), the same whichever --models are drawn.
style = dict(zip(["iterative", "thread-per-connection", "thread-pool", "async"],
                 [('"#1b9e77"', 7, 1.4), ('"#d95f02"', 5, 1.2), ('"#7570b3"', 9, 1.0), ('"#e7298a"', 13, 0.8)]))
for key, label in scenarios:
    path = os.path.join(plot_dir, f"{key}.dat")
    lines = [f'"{path}" using 1:{i + 2} with linespoints lw 2 lc rgb {style[m][0]} pt {style[m][1]} ps {style[m][2]} '
             f'title "{m}"' for i, m in enumerate(models)]
    if key == "work":
        lines.append(f'"{path}" using 1:{len(models) + 2} with lines dt 2 lw 1.5 lc rgb "#888888" '
                     f'title "limit"')
    gp += [f'set title "{label}"', "plot " + ", \\\n     ".join(lines)]
gp.append("unset multiplot")
with open(os.path.join(plot_dir, "chart.gp"), "w") as f:
    f.write("\n".join(gp) + "\n")

write_json(json_path, dict(duration_seconds=int(duration), rounds=int(rounds), work_ms=work_ms,
                           pool_threads=pool_threads, request_timeout_seconds=int(request_timeout),
                           pinning=pinning, machine=machine, build=build, runs=runs,
                           medians={s: {m: {str(c): v for c, v in row.items()} for m, row in t.items()}
                                    for s, t in table.items()}))
EOF

if [ -n "$svg" ]; then
  gnuplot "$tmp/chart.gp" >"$tmp/gnuplot.log" 2>&1 || { sed 's/^/  /' "$tmp/gnuplot.log" >&2; die "gnuplot failed to draw $svg"; }
fi
[ -z "$markdown" ] || echo "tables: $markdown"
[ -z "$svg" ] || echo "chart:  $svg"
[ -z "$chart_note" ] || echo "compare-models.sh: $chart_note" >&2
echo "took $((elapsed / 60)) min $((elapsed % 60)) s"

if [ "$failed" != 0 ]; then
  echo "compare-models.sh: some runs FAILED (the client failed or hung): see above" >&2
  exit 1
fi
