"""scripts/compare-models.sh's report, printed as tables and written as the page
docs/serving-models.md (with "how to read it" notes), the gnuplot script of its chart and the
JSON. The page has two parts, each rewritten only by a run of its scenarios: requests per second
for each serving model and connection count in each scenario (here), and idle connections
(scripts/bench/models_idle.py).

Arguments: report.py's, then SVG PLOT_DIR WORK_MS POOL_THREADS REQUEST_TIMEOUT MODELS CONNECTIONS
DATE MACHINE BUILD REGENERATE SCENARIOS RATES_ELAPSED IDLE_RESULTS IDLE_SEARCHES IDLE_CONNECTIONS
IDLE_SERVER_TIMEOUT OPEN_FILES IDLE_ELAPSED (MODELS, CONNECTIONS, SCENARIOS and IDLE_CONNECTIONS:
lists separated by spaces; the elapsed times in seconds). Writes the gnuplot script
PLOT_DIR/chart.gp (drawing SVG) and its data, PLOT_DIR/SCENARIO.dat. The runs: round scenario
model connections status req/s timeouts errors non-2xx server-cpu%.
"""
import math
import os
import sys

from models_idle import IdleReport
from report import markdown_table, median, print_columns, read_runs, update_page, write_json

(results, markdown, json_path, duration, rounds, pinning, svg, plot_dir, work_ms, pool_threads, request_timeout,
 models, connections, date, machine, build, regenerate, selected, elapsed, idle_results, idle_searches,
 idle_connections, idle_server_timeout, open_files, idle_elapsed) = sys.argv[1:]
work_ms, pool_threads, elapsed, idle_elapsed = int(work_ms), int(pool_threads), int(elapsed), int(idle_elapsed)
models, connections, selected = models.split(), [int(c) for c in connections.split()], selected.split()
runs = read_runs(results, [("round", int), ("scenario", str), ("model", str), ("connections", int), ("status", str),
                           ("rps", float), ("timeouts", int), ("errors", int), ("non_2xx", int),
                           ("server_cpu_percent", float)])
per_connection = 1000 / work_ms  # the most answers a second one connection can get in the work scenario
scenarios = [(key, label) for key, label in [
    ("keep-alive", "Keep-alive, no work"),
    ("work", f"Keep-alive, {work_ms} ms of work per request (--work-ms {work_ms})"),
    ("close", "A new connection per request (--no-keepalive), no work")] if key in selected]


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
    print(f"{label}: requests/s ({duration} s runs" + (f", medians of {rounds} rounds)" if int(rounds) > 1 else ")"))
    print_columns(head, rows(key))
    print()

# --- Markdown
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



def took(seconds):
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


rates_md = None
if scenarios:
    rates_md = ["## Requests per second",
                "",
                "socketlab-server's four serving models (`--model`) under the same load on loopback, measured by "
                "`socketlab-client bench`. Each cell: requests per second"
                + (f", median of {rounds} rounds" if int(rounds) > 1 else "")
                + f"; in brackets, when there were any, requests that got no answer within {request_timeout} s "
                "(timeouts), connections that failed (errors) and answers other than 2xx (503: past "
                "`--max-connections`).",
                "",
                f"- date: {date}",
                f"- machine: {machine}",
                f"- build: {build}",
                f"- runs: {duration} s each, " + (f"medians of {rounds} rounds" if int(rounds) > 1 else "1 round")
                + f", after a 1 s warm-up per server; {pinning}",
                f"- servers: one per model and scenario, `socketlab-server --site PORT=en --model MODEL --access-log "
                f"off`; thread-pool with `--threads {pool_threads}`, async with its default one event-loop thread",
                f"- regenerate: `{regenerate}` (these runs took {took(elapsed)}; `--help` for the options)",
                ""]
    if svg:
        link = os.path.relpath(os.path.abspath(svg), os.path.dirname(os.path.abspath(markdown or ".")))
        rates_md += [f"![Requests per second by model and connections, one panel per scenario]({link})", ""]
    for key, label in scenarios:
        rates_md += [f"### {label}", "", markdown_table(head, rows(key)), "**How to read it.** " + reading[key], ""]
    rates_md = "\n".join(rates_md)

idle, idle_md = None, None
if "idle" in selected:
    idle = IdleReport(idle_results, idle_searches, models, [int(n) for n in idle_connections.split()],
                      pool_threads)
    idle.print_tables()
    idle_md = ["## Idle connections",
               "",
               "How many connections each model holds open while they sit idle, and what each one costs it. "
               "`socketlab-client hold -n N` opens N keep-alive connections to a fresh server at once, sends one "
               "request on each and keeps them all open; it reads the server's resident memory (RSS) before and "
               "with them held, and times 20 fresh requests meanwhile, one after another. Sampled every 0.1 s "
               "while they are held: the server's threads and virtual size at their peak, and how much the "
               "kernel's stacks grew. Then the search for the most connections each model holds goes on from the "
               "largest of those counts, twice as many each time up to a cap, and stops at the first count the "
               "model did not hold all of.",
               "",
               f"- date: {date}",
               f"- machine: {machine}",
               f"- build: {build}",
               f"- hold: `socketlab-client hold -n N --server-pid PID --timeout T --hold 1`, T = 5 s and 1 s "
               "more per 1,000 connections (opened all at once, they overflow the listen queue, and the SYNs "
               "the kernel drops are sent again 1, 3 and 7 s later); when those not held all timed out while "
               "the server answered every fresh request, the machine was too busy for the opening, and the hold "
               f"is made once more with 3 T; {pinning}",
               f"- servers: one per model and hold, `socketlab-server --site PORT=en --model MODEL --access-log off "
               f"--max-connections N+64 --header-timeout {idle_server_timeout} --idle-timeout "
               f"{idle_server_timeout}` (so that the server closes none of them while they are opened and held; "
               "the iterative model without `--max-connections`, which it refuses; thread-pool with "
               f"`--threads {pool_threads}`); open-file limit "
               + (f"{int(open_files):,}" if open_files.isdigit() else open_files) + " for the server and for hold",
               f"- regenerate: `{regenerate}` (these holds took {took(idle_elapsed)}; `--help` for the options)",
               ""] + idle.markdown()
    idle_md = "\n".join(idle_md)

preamble = """# Serving models compared

socketlab-server's four serving models (`--model`) side by side on loopback, in two parts:
requests per second under load, and idle connections,
what holding one costs each model and the most each held. `scripts/compare-models.sh` measures
both and writes this page; with `--scenarios` it reruns one part and leaves the other as it was.
"""
update_page(markdown, preamble, [("requests", rates_md), ("idle", idle_md)],
            "scripts/compare-models.sh")

# --- gnuplot, when there is a chart: one data file and panel per scenario, the same log-scale axes
if scenarios and svg:
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
    gp = [f'set terminal svg size 900,{100 + 400 * len(scenarios)} font "sans,13" background "white"',
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
          f'set multiplot layout {len(scenarios)},1 title "socketlab-server: requests per second by serving model (loopback, higher is better)"']
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
                                    for s, t in table.items()},
                           idle=idle.json() if idle else None))
