"""The graceful stop at the end of scripts/soak.sh's soak of one server: fresh slow readers of the
biggest file and keep-alive clients, then SIGTERM once every slow response has begun. DESIGN.md:
the server stops accepting, finishes the responses under way and exits 0. Checked here: every
response that had begun arrives whole, new connections are refused (how soon after the signal),
the process ends (how soon); its exit status is the shell's to read.
"""
import asyncio
import os
import signal
import time

from soak_conn import connect
from soak_kinds import keep_alive, read_slowly
from soak_stats import has_exited


async def until(condition, seconds, every=0.05):
    """Polls condition() every `every` s until it holds (True) or seconds have passed (False)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(every)
    return True


async def refused(ctx):
    """Whether a new connection to the files' port is refused (True), or accepted (False)."""
    try:
        conn = await asyncio.wait_for(connect(ctx.host, ctx.port), 2)
    except ConnectionRefusedError:
        return True
    except (OSError, asyncio.TimeoutError):
        return False
    conn.close()
    return False


async def first_refusal(ctx, pid, started, seconds):
    """Seconds from started (the signal) until a new connection is first refused while the process
    still runs; None if it accepted them until it ended or seconds passed."""
    deadline = started + seconds
    while not has_exited(pid) and time.monotonic() < deadline:
        if await refused(ctx):
            return round(time.monotonic() - started, 3) if not has_exited(pid) else None
        await asyncio.sleep(0.05)
    return None


async def open_slow_readers(ctx, ask, n):
    """n connections that each ask for ask and read its answer at ctx.rate; their tasks and conns."""
    conns, reads = [], []
    for _ in range(n):
        conn = await ctx.open(ctx.port, rcvbuf=32 * 1024, high=32 * 1024)
        conn.write(ask.request())
        conns.append(conn)
        reads.append(asyncio.create_task(read_slowly(ctx, conn, ask, sent=True)))
    return conns, reads


async def graceful_stop(ctx, pid, slow, keepers):
    """Stops the server (pid) under way: slow readers of the biggest file and keepers keep-alive
    clients, then SIGTERM once every slow response has begun; returns what was seen."""
    ask = ctx.site.get(ctx.site.big[-1])
    exit_within = len(ask.body) / ctx.rate + 30
    conns, reads = await open_slow_readers(ctx, ask, slow)
    keeping = [asyncio.create_task(keep_alive(ctx, f"stop-keep-alive-{i}")) for i in range(keepers)]
    began = await until(lambda: all(c.received for c in conns) or any(r.done() for r in reads), ctx.timeout)
    await asyncio.sleep(0.3)  # the keep-alive clients mid-connection
    ctx.outcome.phase = "stop"
    started = time.monotonic()
    at_signal = min(c.received for c in conns)
    os.kill(pid, signal.SIGTERM)
    refusing = await first_refusal(ctx, pid, started, exit_within)
    exited = await until(lambda: has_exited(pid), exit_within - (time.monotonic() - started))
    exit_seconds = round(time.monotonic() - started, 2) if exited else None
    ctx.stopping.set()
    completed = 0
    await asyncio.wait(reads)
    last_byte = round(time.monotonic() - started, 2)
    for result in await asyncio.gather(*reads, return_exceptions=True):
        if isinstance(result, BaseException):
            ctx.outcome.error("slow-read", result)
        else:
            ctx.stats.ok("slow-read", result)
            completed += 1
    for c in conns:
        c.close()
    await asyncio.wait(keeping, timeout=ctx.timeout)
    return {"in_flight": slow, "began_before_signal": began, "completed": completed, "size": len(ask.body),
            "received_at_signal": at_signal, "last_byte_seconds": last_byte,
            "exit_seconds": exit_seconds, "exit_within": round(exit_within),
            "refused_after_signal": refusing, "refused_after_exit": await refused(ctx) if exited else None}
