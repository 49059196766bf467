"""What scripts/soak.sh's load counts for one server, and what it reads of the server's process
from /proc: its resident memory and its open file descriptors.
"""
import asyncio
import os
import time
from collections import Counter

from soak_conn import Broken, Gone

KINDS = ("keep-alive", "new-conn", "pipelined", "slow-read", "malformed", "vanish")


class Stats:
    """Counts for one server: responses checked by kind of client, body bytes compared, responses
    begun (the access log's lines should match them), expected errors by what happened, unexpected
    ones by what went wrong with a few examples."""

    def __init__(self):
        self.checked = Counter()
        self.bytes = 0
        self.began = 0
        self.log_maybe = 0  # responses the server may have logged though no client saw them begin
        self.expected = Counter()
        self.unexpected = Counter()
        self.examples = []

    def ok(self, kind, response):
        self.checked[kind] += 1
        self.began += 1
        self.bytes += response.body_bytes

    def expect(self, what, n=1):
        self.expected[what] += n

    def fail(self, kind, what, detail=""):
        self.unexpected[what] += 1
        if len(self.examples) < 12:
            self.examples.append(f"{kind}: {what}{': ' + detail if detail else ''}")

    def as_dict(self):
        return {"checked": dict(self.checked), "bytes": self.bytes, "began": self.began,
                "log_maybe": self.log_maybe, "expected": dict(self.expected),
                "unexpected": dict(self.unexpected), "examples": self.examples}


class Outcome:
    """Sorts what ended a client's exchange into expected and unexpected, for one server: model
    (an iterative server makes clients wait their turn), phase ("soak" or "stop", where a closed
    or refused connection is the point)."""

    def __init__(self, stats, model):
        self.stats = stats
        self.model = model
        self.phase = "soak"

    def error(self, kind, exc, reused=False):
        """Counts exc, which ended an exchange of a client of this kind; reused: the connection
        had been answered before (a kept-alive one)."""
        s, stopping = self.stats, self.phase == "stop"
        if isinstance(exc, Broken):
            s.began += 1
            s.fail(kind, exc.kind, str(exc))
        elif isinstance(exc, Gone) and stopping:
            s.expect("closed at the stop before an answer")
        elif isinstance(exc, Gone) and reused and self.model == "thread-pool":
            s.expect("kept-alive connection closed before an answer (pool hand-back)")
        elif isinstance(exc, Gone) and self.model == "thread-pool":
            # A worker takes a queued connection and, others waiting, closes it once it has
            # been idle 100 ms: a client that sends its request later (a busy machine) finds
            # it closed, its request unanswered, as on a kept-alive connection.
            s.expect("new connection closed before its request came (pool hand-back)")
        elif isinstance(exc, ConnectionRefusedError) and stopping:
            s.expect("refused after the stop")
        elif isinstance(exc, (asyncio.TimeoutError, TimeoutError)) and self.model == "iterative":
            s.expect("waited past the client's timeout (iterative queue)")
            s.log_maybe += 1  # the request may still be answered once its turn comes
        elif isinstance(exc, ConnectionResetError) and stopping and self.model == "iterative":
            s.expect("reset in the listen queue at the stop")
        elif isinstance(exc, (asyncio.TimeoutError, TimeoutError)):
            s.fail(kind, "timeout")
        else:
            s.fail(kind, type(exc).__name__, str(exc)[:120])


def rss_kib(pid):
    """The process's resident memory in KiB (VmRSS), or None once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def fd_count(pid):
    """How many file descriptors the process has open, or None once it is gone."""
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return None


def has_exited(pid):
    """Whether the process has ended: gone, or a zombie its parent has not waited for yet."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True


class Sampler:
    """Samples the server's RSS and open descriptors every second, keeping the peaks."""

    def __init__(self, pid):
        self.pid = pid
        self.rss_peak = 0
        self.fd_peak = 0

    def sample(self):
        rss, fds = rss_kib(self.pid), fd_count(self.pid)
        self.rss_peak = max(self.rss_peak, rss or 0)
        self.fd_peak = max(self.fd_peak, fds or 0)
        return rss, fds

    async def run(self):
        while True:
            self.sample()
            await asyncio.sleep(1)


async def settle(pid, done, seconds):
    """Polls the server's descriptors every 0.1 s until done(count) holds, at most seconds; returns
    the last count and whether done held."""
    deadline = time.monotonic() + seconds
    while True:
        count = fd_count(pid)
        if count is None or done(count):
            return count, count is not None
        if time.monotonic() >= deadline:
            return count, False
        await asyncio.sleep(0.1)
