"""scripts/bench-echo.sh's report: round trips per second of socketlab-server's and the reference's
UDP and TCP echo servers in every round and their medians, the ratio socketlab/reference, and each
server's CPU time per round trip.

Arguments: report.py's, then COUNT SIZE PYTHON_VERSION. The runs: round transport server order
round-trips/s server-cpu% client-cpu% errors.
"""
import sys

from report import markdown_table, median, read_runs, write_json, write_text

results, markdown, json_path, duration, rounds, pinning, count, size, python_version = sys.argv[1:]
count, size = int(count), int(size)
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

table = markdown_table(head, rows, left=3, caption=[
    f"Echo round trips per second on loopback, one {size}-byte message at a time (socketlab-client "
    f"--interval 0), {count:,} per run: socketlab-server udp-echo / tcp-echo vs a reference echo server "
    f"in Python {python_version} (blocking recvfrom/sendto; accept, recv/sendall); {rounds} round(s); {pinning}.",
    "server CPU: the server's share of one core during the run; socketlab/reference above 1.00: socketlab "
    "answered faster; median row: medians of the rounds (the ratio: of the rounds' ratios)."])
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
