"""The soak of one socketlab-server (scripts/soak.sh runs one of these per model, all at once):
a warm-up, then the baseline of its open descriptors and resident memory once quiet; the mixed
load (soak_kinds.py, soak_bad.py) for the soak's seconds, the server sampled every second; the
load stopped, and the descriptors awaited back at the baseline; the graceful stop (soak_stop.py);
last, the access log's lines counted against the responses that began. Writes it all as JSON.

    soak_run.py --model M --pid PID --port P --greet-port G --dir DIR --access-log FILE
                --client PATH --seconds S --warmup W --bench-every B --header-timeout T --out FILE.json
"""
import argparse
import asyncio
import json
import os
import time

from soak_bad import malformed, vanish
from soak_conn import connect
from soak_http import Ask, Site, exchange
from soak_kinds import Ctx, bench_bursts, well_behaved
from soak_stats import Sampler, rss_kib, settle
from soak_stop import graceful_stop

# Clients at once, by kind: the iterative model serves one connection at a time, so it gets one
# of each, longer timeouts and longer rests; the others four keep-alive, two of the rest.
LOAD = {"iterative": {"keep-alive": 1, "new-conn": 1, "pipelined": 1, "slow-read": 1, "malformed": 1, "vanish": 1},
        "other": {"keep-alive": 4, "new-conn": 2, "pipelined": 2, "slow-read": 2, "malformed": 1, "vanish": 1}}
RATE = 1024 * 1024  # a slow reader's bytes a second: a few seconds a file, far from the send timeout


def options():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for name in ("--model", "--dir", "--access-log", "--client", "--out"):
        p.add_argument(name, required=True)
    for name in ("--pid", "--port", "--greet-port"):
        p.add_argument(name, type=int, required=True)
    for name in ("--seconds", "--warmup", "--bench-every", "--header-timeout"):
        p.add_argument(name, type=float, required=True)
    return p.parse_args()


async def load_site(folder, host, port):
    """The files of folder, and their ETags, read with HEAD requests."""
    files = {}
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as f:
            files[name] = f.read()
    conn, etags = await connect(host, port), {}
    try:
        for name, data in files.items():
            r = await asyncio.wait_for(exchange(conn, Ask("etag", "HEAD", "/" + name, 200, b"", len(data))), 30)
            etags[name] = r.fields["etag"]
    finally:
        conn.close()
    return Site(files, etags), len(files)


async def run_load(ctx, seconds, counts, a):
    """The mixed load for seconds; then the clients finish what they are doing (a client still
    at it after its longest allowance is an unexpected error) and ctx.stopping is cleared."""
    loops = well_behaved(ctx, counts)
    loops += [malformed(ctx, a.header_timeout, f"malformed-{i}") for i in range(counts["malformed"])]
    loops += [vanish(ctx, f"vanish-{i}") for i in range(counts["vanish"])]
    loops.append(bench_bursts(ctx, a.client, a.bench_every))
    tasks = [asyncio.create_task(loop) for loop in loops]
    await asyncio.sleep(seconds)
    ctx.stopping.set()
    longest = max(len(b) for b in ctx.site.files.values()) / ctx.rate + 2 * ctx.timeout + a.header_timeout
    done, pending = await asyncio.wait(tasks, timeout=longest)
    for t in pending:
        t.cancel()
        ctx.stats.fail("any", "a client did not finish")
    for t in done:
        if t.exception() is not None:
            ctx.stats.fail("any", "a client loop crashed", repr(t.exception()))
    ctx.stopping.clear()


async def quiet_fds(pid, seconds=30):
    """The server's open descriptors once the count has not changed for a second (at most
    seconds of waiting), and whether it got there."""
    last, since = None, time.monotonic()

    def steady(count):
        nonlocal last, since
        if count != last:
            last, since = count, time.monotonic()
        return time.monotonic() - since >= 1.0

    return await settle(pid, steady, seconds)


def access_log_lines(path):
    with open(path, "rb") as f:
        return sum(1 for _ in f)


async def soak(a):
    """The phases, in order; returns the JSON's dict."""
    site, files = await load_site(a.dir, "127.0.0.1", a.port)
    iterative = a.model == "iterative"
    ctx = Ctx("127.0.0.1", a.port, a.greet_port, site, a.model,
              timeout=60.0 if iterative else 30.0, pause=0.05 if iterative else 0.02, rate=RATE,
              slow_rest=10.0 if iterative else 1.0)
    ctx.stats.began += files  # the ETags' HEAD requests
    counts = LOAD["iterative" if iterative else "other"]
    sampler = Sampler(a.pid)
    sampling = asyncio.create_task(sampler.run())
    await run_load(ctx, a.warmup, counts, a)
    base_fds, base_quiet = await quiet_fds(a.pid)
    base_rss = rss_kib(a.pid)
    started = time.monotonic()
    await run_load(ctx, a.seconds, counts, a)
    soaked = time.monotonic() - started
    _, back = await settle(a.pid, lambda count: count <= base_fds, 30)
    await asyncio.sleep(0.5)
    end_rss, end_fds_after = sampler.sample()
    sampling.cancel()
    stop = await graceful_stop(ctx, a.pid, 1 if iterative else 3, 1 if iterative else 3)
    return {"model": a.model, "seconds": round(soaked, 1), "stats": ctx.stats.as_dict(),
            "fds": {"baseline": base_fds, "baseline_quiet": base_quiet, "peak": sampler.fd_peak,
                    "end": end_fds_after, "back_in_time": back},
            "rss_kib": {"baseline": base_rss, "peak": sampler.rss_peak, "end": end_rss},
            "stop": stop, "log_lines": access_log_lines(a.access_log)}


def main():
    a = options()
    result = asyncio.run(soak(a))
    with open(a.out, "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
