"""scripts/bench-client.sh's report: socketlab-client bench's and wrk's requests per second in
every round and their medians, the ratio against the target (>= 0.90), and the ratio of their
requests per CPU-second.

Arguments: report.py's, then CONNECTIONS. The runs: round order generator req/s generator-cpu%
nginx-cpu% errors.
"""
import sys

from report import markdown_table, median, read_runs, write_json, write_text

results, markdown, json_path, duration, rounds, pinning, connections = sys.argv[1:]
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

table = markdown_table(head, rows, left=2, caption=[
    f"socketlab-client bench vs wrk, both -t 1 -c {connections} against one nginx worker; "
    f"{rounds} round(s) of {duration} s; {pinning}.",
    "CPU: the load generator's share of one core during its run; ratio per CPU-second: "
    "requests per CPU-second of socketlab-client / of wrk (its efficiency, whatever the bottleneck)."])
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
