"""The well-behaved clients of scripts/soak.sh's load, each a loop that runs until ctx.stopping is
set: keep-alive (many requests a connection), new-conn (a connection a request), pipelined
(several requests written at once, answers checked in order) and slow-read (a big file read at a
limited rate). Every response is checked whole (soak_http.read_response); what goes wrong is
sorted by ctx.outcome.
"""
import asyncio
import json
from dataclasses import dataclass, field

from soak_conn import Ended, Gone, connect
from soak_http import exchange, read_response, seeded
from soak_stats import Outcome, Stats


@dataclass
class Ctx:
    """One server under load: where it listens (port: the files, greet_port: the greeting), what
    it serves (site), the counts, and the client's settings: timeout for one exchange, pause
    between exchanges (at most, in s), rate of the slow readers (bytes a second) and their rest
    between two files (at most, in s)."""
    host: str
    port: int
    greet_port: int
    site: object
    model: str
    timeout: float
    pause: float
    rate: int
    slow_rest: float
    stats: Stats = field(default_factory=Stats)
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    outcome: Outcome = None

    def __post_init__(self):
        self.outcome = Outcome(self.stats, self.model)

    async def rest(self, rng, longer=1.0):
        await asyncio.sleep(rng.uniform(0, self.pause * longer))

    async def open(self, port, **how):
        return await asyncio.wait_for(connect(self.host, port, **how), self.timeout)

    async def closes(self, kind, conn, why):
        """Checks that the server closes conn with nothing more to send (it said it would)."""
        if not await asyncio.wait_for(conn.at_end(), self.timeout):
            self.stats.fail(kind, "bytes after the last response", why)

    def unasked_close(self, kind, unanswered=0):
        """The server answered with Connection: close though the client did not ask: a thread
        pool handing its thread back, or the stop; anywhere else, unexpected."""
        if self.model == "thread-pool" or self.outcome.phase == "stop":
            self.stats.expect("Connection: close unasked (pool hand-back or stop)")
            if unanswered:
                self.stats.expect("pipelined requests left unanswered after Connection: close", unanswered)
        else:
            self.stats.fail(kind, "Connection: close unasked")


class Turn:
    """One go of a client loop: its connection once open, how many answers it got on it, and
    whether to close it with a reset."""

    def __init__(self):
        self.conn = None
        self.answered = 0
        self.reset = False


async def client_loop(ctx, kind, name, one_go, rest=None):
    """Runs one_go(ctx, rng, turn) again and again until ctx.stopping is set, each with a fresh
    Turn; counts what ends one (ctx.outcome), closes its connection, and rests (rest(rng) or
    ctx.rest). At the stop, a failure ends the loop: the server is going away."""
    rng = seeded(name)
    while not ctx.stopping.is_set():
        turn = Turn()
        try:
            await one_go(ctx, rng, turn)
        except Exception as e:  # noqa: BLE001 -- every failure is counted, then the loop goes on
            ctx.outcome.error(kind, e, reused=turn.answered > 0)
            if ctx.outcome.phase == "stop":
                return
        finally:
            if turn.conn:
                turn.conn.close(reset=turn.reset)
        await (rest(rng) if rest else ctx.rest(rng))


async def answered(ctx, kind, turn, r, unanswered=0):
    """Counts r, checked; if it said Connection: close unasked, checks the close and returns True."""
    ctx.stats.ok(kind, r)
    turn.answered += 1
    if r.close:
        ctx.unasked_close(kind, unanswered)
        await ctx.closes(kind, turn.conn, "after Connection: close")
    return r.close


async def keep_alive_go(ctx, rng, turn):
    """A connection of 5 to 40 requests, to the files or the greeting."""
    greeting = rng.random() < 0.25
    turn.conn = await ctx.open(ctx.greet_port if greeting else ctx.port)
    for _ in range(rng.randint(5, 40)):
        r = await asyncio.wait_for(exchange(turn.conn, ctx.site.random_ask(rng, greeting)), ctx.timeout)
        if await answered(ctx, "keep-alive", turn, r) or ctx.stopping.is_set():
            return
        await ctx.rest(rng)


async def new_conn_go(ctx, rng, turn):
    """A connection for one request; half of them say Connection: close, and the server must close."""
    greeting = rng.random() < 0.25
    turn.conn = await ctx.open(ctx.greet_port if greeting else ctx.port)
    close = rng.random() < 0.5
    r = await asyncio.wait_for(exchange(turn.conn, ctx.site.random_ask(rng, greeting), close), ctx.timeout)
    ctx.stats.ok("new-conn", r)
    if close and not r.close:
        ctx.stats.fail("new-conn", "no Connection: close in the answer to one")
    if close:
        await ctx.closes("new-conn", turn.conn, "after Connection: close")


async def pipelined_go(ctx, rng, turn):
    """A connection of 1 to 5 batches, each of 2 to 8 requests written in one send."""
    turn.conn = await ctx.open(ctx.port)
    for _ in range(rng.randint(1, 5)):
        asks = [ctx.site.random_ask(rng, big=0.02) for _ in range(rng.randint(2, 8))]
        try:
            turn.conn.write(b"".join(a.request() for a in asks))
        except Ended as e:  # closed while this client rested: no answer began
            raise Gone(str(e)) from None
        for i, ask in enumerate(asks):
            r = await asyncio.wait_for(read_response(turn.conn, ask), ctx.timeout)
            if await answered(ctx, "pipelined", turn, r, len(asks) - i - 1):
                return
        if ctx.stopping.is_set():
            return
        await ctx.rest(rng)


async def slow_read_go(ctx, rng, turn):
    """A big file read at ctx.rate through a small receive buffer."""
    turn.conn = await ctx.open(ctx.port, rcvbuf=32 * 1024, high=32 * 1024)
    ctx.stats.ok("slow-read", await read_slowly(ctx, turn.conn, ctx.site.get(rng.choice(ctx.site.big))))


def keep_alive(ctx, name="keep-alive"):
    return client_loop(ctx, "keep-alive", name, keep_alive_go)


def new_conn(ctx, name="new-conn"):
    return client_loop(ctx, "new-conn", name, new_conn_go)


def pipelined(ctx, name="pipelined"):
    return client_loop(ctx, "pipelined", name, pipelined_go)


def slow_read(ctx, name="slow-read"):
    return client_loop(ctx, "slow-read", name, slow_read_go, lambda rng: asyncio.sleep(rng.uniform(0, ctx.slow_rest)))


async def read_slowly(ctx, conn, ask, sent=False):
    """Sends ask (unless sent) and reads its answer at ctx.rate, given the time that takes and
    ctx.timeout more."""
    limit = len(ask.body) / ctx.rate + ctx.timeout
    if sent:
        return await asyncio.wait_for(read_response(conn, ask, ctx.rate), limit)
    return await asyncio.wait_for(exchange(conn, ask, rate=ctx.rate), limit)


async def bench_bursts(ctx, client, every, seconds=1):
    """socketlab-client bench on the greeting for seconds, now and then every `every` s: the
    server at full speed for a moment. Its errors and non-2xx answers are unexpected, but for
    timeouts on the iterative model, where its connection waits its turn."""
    rng = seeded("bench")
    connections = 1 if ctx.model == "iterative" else 2
    await asyncio.sleep(rng.uniform(0, 2))
    while not ctx.stopping.is_set():
        proc = await asyncio.create_subprocess_exec(
            client, "bench", f"http://{ctx.host}:{ctx.greet_port}/", "-c", str(connections), "-d", f"{seconds}s",
            "--timeout", f"{ctx.timeout:.0f}s", "--json",
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await proc.communicate()
        try:
            r = json.loads(out[out.index(b"{"):])
        except ValueError:
            ctx.stats.fail("bench", "no JSON from socketlab-client bench", (out + err).decode()[-200:])
            r = {"requests": 0, "errors": {}, "non_2xx_3xx": 0}
        ctx.stats.checked["bench"] += r["requests"]
        ctx.stats.began += r["requests"]
        ctx.stats.log_maybe += connections + r.get("late", 0)  # answered after bench stopped counting
        for what, n in list(r["errors"].items()) + [("non-2xx", r["non_2xx_3xx"])]:
            if n and what == "timeout" and ctx.model == "iterative":
                ctx.stats.expect("bench: timeouts waiting in the listen queue (iterative)", n)
            elif n and what == "read" and ctx.model == "thread-pool":
                # bench counts a kept-alive connection closed before its answer as a read error:
                # the pool's hand-back, counted as expected for the soak's own clients too (whose
                # answers, unlike bench's, are checked byte for byte).
                ctx.stats.expect("bench: connections closed before an answer (pool hand-back)", n)
            elif n:
                ctx.stats.fail("bench", f"bench: {what}", f"{n} in a burst")
        try:
            await asyncio.wait_for(ctx.stopping.wait(), every)
        except asyncio.TimeoutError:
            pass


def well_behaved(ctx, counts):
    """The loops for counts (kind -> how many), as coroutines."""
    makers = {"keep-alive": keep_alive, "new-conn": new_conn, "pipelined": pipelined, "slow-read": slow_read}
    return [makers[kind](ctx, f"{kind}-{i}") for kind, n in counts.items() if kind in makers for i in range(n)]
