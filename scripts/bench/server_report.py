"""scripts/bench-server.sh's report: the medians of socketlab-server's and nginx's requests per
second in each scenario, their ratio against the target (>= 1.00), and requests per CPU-second.

Arguments: report.py's, then WRK_THREADS. The runs: round scenario server req/s server-cpu%
wrk-cpu% errors.
"""
import sys

from report import markdown_table, median, print_columns, read_runs, write_json, write_text

results, markdown, json_path, duration, rounds, pinning, wrk_threads = sys.argv[1:]
runs = read_runs(results, [("round", int), ("scenario", str), ("server", str), ("rps", float),
                           ("server_cpu_percent", float), ("wrk_cpu_percent", int), ("errors", str)])

scenarios = [("keep-alive", "keep-alive, 64 connections"),
             ("close", "Connection: close, 32 connections")]
rows = []
for key, label in scenarios:
    med, eff = {}, {}
    for server in ("socketlab", "nginx"):
        mine = [r for r in runs if r["scenario"] == key and r["server"] == server]
        med[server] = median([r["rps"] for r in mine])
        eff[server] = median([100 * r["rps"] / r["server_cpu_percent"] for r in mine if r["server_cpu_percent"] > 0])
    ratio = med["socketlab"] / med["nginx"] if med["nginx"] else 0.0
    errors = any(r["errors"] for r in runs if r["scenario"] == key)
    verdict = "ERRORS" if errors else ("PASS" if ratio >= 1.0 else "BELOW")
    rows.append(dict(scenario=key, label=label, socketlab_rps=med["socketlab"], nginx_rps=med["nginx"],
                     ratio=ratio, result=verdict,
                     socketlab_requests_per_cpu_second=eff["socketlab"], nginx_requests_per_cpu_second=eff["nginx"]))

head = ("scenario", "socketlab req/s", "nginx req/s", "socketlab/nginx", "target >= 1.00")
cells = [(r["label"], f'{r["socketlab_rps"]:,.0f}', f'{r["nginx_rps"]:,.0f}', f'{r["ratio"]:.2f}', r["result"])
         for r in rows]
print(f"medians of {rounds} round(s), {duration} s each:")
widths = print_columns(head, cells)
print()
print("requests per CPU-second of the server (medians; steadier than req/s when other work shares the CPUs):")
for r in rows:
    e_s, e_n = r["socketlab_requests_per_cpu_second"], r["nginx_requests_per_cpu_second"]
    print(f'  {r["label"]:<{widths[0]}}  socketlab {e_s:>9,.0f}  nginx {e_n:>9,.0f}  ratio {e_s / e_n if e_n else 0:.2f}')
busy = median([r["server_cpu_percent"] for r in runs])
client = median([r["wrk_cpu_percent"] for r in runs])
if client >= 95:
    print(f"note: wrk used a median {client:.0f}% of its CPU: it was the limit, so req/s ratios near 1.00 say little;"
          " requests per CPU-second compare the servers")
elif busy < 80:
    print(f"note: the servers used a median {busy:.0f}% of a CPU and wrk {client:.0f}%: other work on the machine held"
          " them back, so req/s says as much about the machine as about them")

write_text(markdown, markdown_table(head, cells, caption=[
    f"Medians of {rounds} round(s) of {duration} s; wrk {wrk_threads} thread(s); {pinning}."]))
write_json(json_path, dict(duration_seconds=int(duration), rounds=int(rounds), wrk_threads=int(wrk_threads),
                           pinning=pinning, runs=runs, medians=rows))
