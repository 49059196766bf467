"""scripts/bench-server.sh's report: one table of the medians, socketlab-server's and nginx's side by
side with the ratio socketlab/nginx and which did better (requests per second, the server's CPU
time per request and per GB sent, its memory per idle connection, a fresh request's time), in how
many rounds socketlab-server did better than nginx in the same round, and what the access log
costs each.

Arguments: report.py's, then WRK_THREADS IDLE_CONNECTIONS SCENARIOS. The runs: round scenario
server req/s requests bytes cpu-seconds server-cpu% wrk-cpu% KiB/connection probe-ms errors, a
field empty where the run did not measure it.
"""
import sys

from report import markdown_table, median, print_columns, read_runs, write_json, write_text

results, markdown, json_path, duration, rounds, pinning, wrk_threads, idle, scenarios = sys.argv[1:]
idle = int(idle)


def number(text):
    """A figure of the runs' file (an int when whole, like a count); None where the run left it empty."""
    if not text:
        return None
    return int(text) if text.isdigit() else float(text)


runs = read_runs(results, [("round", int), ("scenario", str), ("server", str), ("rps", number),
                           ("requests", number), ("bytes", number), ("cpu_seconds", number),
                           ("server_cpu_percent", number), ("wrk_cpu_percent", number),
                           ("kib_per_connection", number), ("probe_ms", number), ("errors", str)])


def rps(r):
    return r["rps"]


def cpu_us_per_request(r):
    return 1e6 * r["cpu_seconds"] / r["requests"] if r["requests"] else None


def mb_per_second(r):  # 10^6 bytes a second, headers included
    return r["rps"] * r["bytes"] / r["requests"] / 1e6 if r["requests"] else None


def cpu_seconds_per_gb(r):
    return r["cpu_seconds"] / (r["bytes"] / 1e9) if r["bytes"] else None


def kib(r):
    return r["kib_per_connection"]


def probe(r):
    return r["probe_ms"]


# (scenario, what the row says, figure of a run, format, whether more is better)
measures = [
    ("keep-alive", "greeting, keep-alive, 64 connections: req/s", rps, "{:,.0f}", True),
    ("close", "greeting, new connection per request, 32 connections: req/s", rps, "{:,.0f}", True),
    ("keep-alive", "server CPU per request, keep-alive, access log off: µs", cpu_us_per_request, "{:.2f}", False),
    ("keep-alive-log", "server CPU per request, keep-alive, access log to a file: µs", cpu_us_per_request, "{:.2f}",
     False),
    ("close", "server CPU per request, new connections, access log off: µs", cpu_us_per_request, "{:.2f}", False),
    ("close-log", "server CPU per request, new connections, access log to a file: µs", cpu_us_per_request, "{:.2f}",
     False),
    ("close-deferred", "greeting, new connections, both deferring accept (TCP_DEFER_ACCEPT): req/s", rps,
     "{:,.0f}", True),
    ("close-deferred", "server CPU per request, new connections, both deferring accept: µs", cpu_us_per_request,
     "{:.2f}", False),
    ("static-4k", "static 4 KiB file, keep-alive, 16 connections: req/s", rps, "{:,.0f}", True),
    ("static-1m", "static 1 MiB file, keep-alive, 16 connections: MB/s", mb_per_second, "{:,.0f}", True),
    ("static-1m", "static 1 MiB file: server CPU seconds per GB sent", cpu_seconds_per_gb, "{:.3f}", False),
    ("idle-greeting", f"{idle:,} idle keep-alive connections after a greeting: KiB each", kib, "{:.2f}", False),
    ("idle-file", "the same after each fetched the 4 KiB file: KiB each", kib, "{:.2f}", False),
    ("idle-greeting", f"a fresh request while {idle:,} are idle after a greeting: ms", probe, "{:.3f}", False),
    ("idle-file", f"a fresh request while {idle:,} are idle after the file: ms", probe, "{:.3f}", False),
]


def medians(scenario, figure):
    """The median of figure over each server's runs of scenario (None for a server without any)."""
    out = {}
    for server in ("socketlab", "nginx"):
        values = [v for v in (figure(r) for r in runs if r["scenario"] == scenario and r["server"] == server)
                  if v is not None]
        out[server] = median(values) if values else None
    return out


def rounds_won(scenario, figure, more_is_better):
    """In how many rounds socketlab-server did better than nginx in the same round, and of how many
    rounds both ran: the two runs of a round are a minute apart at most, so a machine that slows
    down for a while slows both, where the medians may take their runs from different rounds. On a
    noisy machine, a ratio near 1.00 that is not won in most rounds is no difference."""
    by_round = {}
    for r in runs:
        if r["scenario"] == scenario and figure(r) is not None:
            by_round.setdefault(r["round"], {})[r["server"]] = figure(r)
    pairs = [(v["socketlab"], v["nginx"]) for v in by_round.values() if "socketlab" in v and "nginx" in v]
    return sum(1 for s, n in pairs if (s > n if more_is_better else s < n)), len(pairs)


rows = []
for scenario, label, figure, fmt, more_is_better in measures:
    if not any(r["scenario"] == scenario for r in runs):
        continue
    med = medians(scenario, figure)
    s, n = med["socketlab"], med["nginx"]
    ratio = s / n if s is not None and n else None
    if any(r["errors"] for r in runs if r["scenario"] == scenario):
        better = "ERRORS"
    elif ratio is None:
        better = "-"
    elif abs(ratio - 1) < 0.005:
        better = "even"
    else:
        better = "socketlab" if (ratio > 1) == more_is_better else "nginx"
    won, paired = rounds_won(scenario, figure, more_is_better)
    rows.append(dict(scenario=scenario, measure=label, socketlab=s, nginx=n, ratio=ratio, better=better,
                     more_is_better=more_is_better, rounds_socketlab_better=won, rounds_paired=paired,
                     cells=(label, "-" if s is None else fmt.format(s), "-" if n is None else fmt.format(n),
                            "-" if ratio is None else f"{ratio:.2f}", better, f"{won}/{paired}" if paired else "-")))

# What the access log costs: the CPU time per request with it on, against off.
log_cost = []
for off, on, label in (("keep-alive", "keep-alive-log", "keep-alive"), ("close", "close-log", "new connections")):
    a, b = medians(off, cpu_us_per_request), medians(on, cpu_us_per_request)
    costs = {server: (b[server] - a[server], 100 * (b[server] / a[server] - 1))
             for server in ("socketlab", "nginx") if a[server] and b[server] is not None}
    if costs:
        log_cost.append(dict(scenario=label, **{f"{server}_extra_us": c[0] for server, c in costs.items()},
                             **{f"{server}_extra_percent": c[1] for server, c in costs.items()}))


def log_cost_text(c, separator):
    """c's extra CPU time for each server: "socketlab +1.20 µs (+8%)" and nginx's, separated."""
    return separator.join(f'{server} {c[f"{server}_extra_us"]:+.2f} µs ({c[f"{server}_extra_percent"]:+.0f}%)'
                          for server in ("socketlab", "nginx") if f"{server}_extra_us" in c)


log_lines = [f'  {c["scenario"]:<17}{log_cost_text(c, "   ")}' for c in log_cost]

head = ("measure", "socketlab", "nginx", "socketlab/nginx", "better", "socketlab better in")
cells = [r["cells"] for r in rows]
print(f"medians of {rounds} round(s), {duration} s per wrk run:")
if cells:
    print_columns(head, cells)
if log_lines:
    print()
    print("what the access log (to a file) adds to the server's CPU time per request:")
    print("\n".join(log_lines))

wrk_runs = [r for r in runs if r["wrk_cpu_percent"] is not None]
busy = median([r["server_cpu_percent"] for r in wrk_runs])
client = median([r["wrk_cpu_percent"] for r in wrk_runs])
if wrk_runs and client >= 95:
    print(f"note: wrk used a median {client:.0f}% of its CPU: it was the limit, so req/s ratios near 1.00 say little;"
          " CPU time per request compares the servers")
elif wrk_runs and busy < 80:
    print(f"note: the servers used a median {busy:.0f}% of a CPU and wrk {client:.0f}%: other work on the machine held"
          " them back, so req/s says as much about the machine as about them; CPU time per request less so")

held = f" {idle:,} idle connections;" if "idle" in scenarios.split() else ""
text = markdown_table(head, cells, caption=[
    f"Medians of {rounds} round(s) of {duration} s; wrk {wrk_threads} thread(s);{held} {pinning}."]) if cells else ""
if log_lines:
    text += "\nWhat the access log (to a file) adds to the server's CPU time per request:\n\n"
    text += "".join(f'- {c["scenario"]}: {log_cost_text(c, ", ")}\n' for c in log_cost)
write_text(markdown, text)
write_json(json_path, dict(duration_seconds=int(duration), rounds=int(rounds), wrk_threads=int(wrk_threads),
                           idle_connections=idle, scenarios=scenarios.split(), pinning=pinning, runs=runs,
                           medians=[{k: v for k, v in r.items() if k != "cells"} for r in rows],
                           access_log_cost=log_cost))
