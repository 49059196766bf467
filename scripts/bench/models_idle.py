"""The idle-connections part of scripts/compare-models.sh's report (scripts/bench/models_report.py
runs it): for each --idle-connections N a table of what holding N idle connections cost each
serving model, and a table of the most connections each model held in the search, with a "how to
read it" note; printed, and as Markdown for docs/serving-models.md.

The holds (scripts/bench/models_runs.sh, run_hold), a tab-separated line each: model connections
status held memory-held KiB/connection threads-before threads-peak virtual-KiB-before
virtual-KiB-peak kernel-stacks-KiB-before kernel-stacks-KiB-peak probe-ms answered
probe-failures not-held closed timeout-s tries seconds. The searches (search_idle), a line a model:
model cap cap-reason the-connection-counts-tried.
"""
import re

from report import markdown_table, print_columns, read_runs


def _maybe(kind):
    """A converter for a field that may be empty (not measured): None then."""
    return lambda text: kind(text) if text else None


HOLD_FIELDS = [("model", str), ("connections", int), ("status", str), ("held", int), ("memory_held", int),
               ("kib", _maybe(float)), ("threads_before", _maybe(int)), ("threads", _maybe(int)),
               ("virtual_before", _maybe(int)), ("virtual", _maybe(int)), ("stacks_before", _maybe(int)),
               ("stacks", _maybe(int)), ("probe_ms", _maybe(float)), ("answered", str),
               ("probe_failures", str), ("not_held", str), ("closed", str), ("timeout", int),
               ("tries", int), ("seconds", float)]
SEARCH_FIELDS = [("model", str), ("cap", int), ("cap_reason", str), ("tried", str)]

# Per-connection figures need this many connections held: below it, what the server allocates
# anyway (a page here and there) is larger than what is divided.
ENOUGH = 100


def size(kib):
    """3.6 KiB, 8.0 MiB: KiB as a size that reads at a glance."""
    return f"{kib / 1024:,.1f} MiB" if abs(kib) >= 1024 else f"{kib:,.1f} KiB"


class IdleReport:
    """The holds and the searches, read from their files, and what is said about them."""

    def __init__(self, holds_path, searches_path, models, asked, pool_threads):
        self.holds = read_runs(holds_path, HOLD_FIELDS)
        self.searches = read_runs(searches_path, SEARCH_FIELDS)
        self.models = models
        self.asked = sorted(set(asked))  # --idle-connections
        self.pool_threads = pool_threads

    def hold(self, model, n):
        """The hold of n connections on model, or None."""
        return next((h for h in self.holds if (h["model"], h["connections"]) == (model, n)), None)

    @staticmethod
    def held_all(h):
        return h["status"] == "ok" and h["held"] == h["connections"] and h["closed"] == "none"

    @staticmethod
    def per_connection(h, field):
        """The growth of field (KiB) from before the hold to its peak, per connection held; None
        when too few were held for it to mean anything."""
        if h[field] is None or h[field + "_before"] is None or h["held"] < ENOUGH:
            return None
        return (h[field] - h[field + "_before"]) / h["held"]

    @staticmethod
    def rss(h):
        return h["kib"] if h["kib"] is not None and h["memory_held"] >= ENOUGH else None

    # --- the table of one N

    def hold_row(self, model, n):
        h = self.hold(model, n)
        if h is None:
            return [model, "not run"] + [""] * 6
        if h["status"] != "ok":
            return [model, f'FAILED ({h["status"]})'] + [""] * 6
        held = f'{h["held"]:,}' if h["held"] == n else f'{h["held"]:,} of {n:,}'
        rss, virtual = self.rss(h), self.per_connection(h, "virtual")
        stacks = None if h["stacks"] is None else h["stacks"] - h["stacks_before"]
        if h["probe_ms"] is not None:
            probe = f'{h["probe_ms"]:.2f} ms'
        else:
            # "1 timed out after 5 s waiting for the response": the first reason, without its count
            why = re.sub(r"^[0-9,]+ ", "", h["probe_failures"].split("; ")[0])
            probe = "none answered" + (f": {why}" if why else "")
        others = [h["not_held"]] if h["not_held"] else []
        if h["closed"] not in ("none", ""):
            others.append(f'the server then closed {int(h["closed"]):,} of the {h["held"]:,} held')
        if h["tries"] > 1:
            others.append(f'held at the second try, with a {h["timeout"]} s timeout')
        return [model, held,
                size(rss) if rss is not None else "–",
                size(virtual) if virtual is not None else "–",
                f'{h["threads"]:,}' if h["threads"] is not None else "?",
                f"{stacks / 1024:+,.1f} MiB" if stacks is not None else "?",
                probe, "; ".join(others) or "–"]

    HOLD_HEAD = ["model", "held", "memory (RSS) per connection", "virtual size per connection", "threads",
                 "kernel stacks", "a fresh request meanwhile", "the others"]

    # --- the table of the searches

    def search_row(self, s):
        tried = [int(n) for n in s["tried"].split()]
        holds = [self.hold(s["model"], n) for n in tried]
        largest = max((h["held"] for h in holds if h), default=0)
        last = holds[-1]
        if last is None:
            why = "not run"
        elif self.held_all(last) and tried[-1] == s["cap"]:
            why = f'held all {tried[-1]:,} asked for: the cap, {s["cap_reason"]}'
        elif last["status"] != "ok":
            why = f'FAILED ({last["status"]}) at {tried[-1]:,}'
        else:
            reasons = [last["not_held"]] if last["not_held"] else []
            if last["closed"] not in ("none", ""):
                reasons.append(f'the server then closed {int(last["closed"]):,} of the {last["held"]:,} held')
            why = f'{tried[-1]:,} asked for, {last["held"]:,} held: ' + "; ".join(reasons)
        asked = [f"{n:,}" + (" (second try)" if h and h["tries"] > 1 else "")
                 for n, h in zip(tried, holds)]
        return [s["model"], f"{largest:,}", ", ".join(asked), why]

    SEARCH_HEAD = ["model", "held at most", "asked for, one after another", "stopped because"]

    # --- out

    def print_tables(self):
        for n in self.asked:
            print(f"{n:,} idle connections asked for: what each model held, and what it cost")
            print_columns(self.HOLD_HEAD, [self.hold_row(m, n) for m in self.models])
            print()
        if self.searches:
            print("The most connections each model held")
            print_columns(self.SEARCH_HEAD, [self.search_row(s) for s in self.searches])
            print()

    def figures(self):
        """The figures the note quotes, from the largest N asked for that both thread-per-connection
        and async held enough of: {} when there is none."""
        for n in sorted(self.asked, reverse=True):
            tpc, asy = self.hold("thread-per-connection", n), self.hold("async", n)
            if not (tpc and asy and self.rss(tpc) and self.rss(asy)):
                continue
            f = dict(n=n, tpc=self.rss(tpc), asy=self.rss(asy), virtual=self.per_connection(tpc, "virtual"))
            if tpc["stacks"] is not None and tpc["threads"] and tpc["threads"] > tpc["threads_before"]:
                f["stack"] = (tpc["stacks"] - tpc["stacks_before"]) / (tpc["threads"] - tpc["threads_before"])
            return f
        return {}

    def reached_cap(self, model):
        """The search's cap and its reason when model held all it was asked for up to it, else None."""
        s = next((s for s in self.searches if s["model"] == model), None)
        if s is None:
            return None
        last = self.hold(model, int(s["tried"].split()[-1]))
        return s if last and self.held_all(last) and last["connections"] == s["cap"] else None

    def note(self):
        f = self.figures()
        parts = [
            "**How to read it.** An idle connection costs the server whatever it keeps for it while nothing "
            "happens. *async* keeps its session and socket, one wait for readability and a place in one list of "
            "deadlines for all (no coroutine, parser, buffer or timer of its own while a connection is idle), and "
            "its one thread waits for all of them "
            "at once (epoll)"
            + (f': {size(f["asy"])} each at {f["n"]:,} connections' if f else "")
            + "; lesson 16's C10k lab measures the same with `socketlab-client hold -n 500`. "
            "*thread-per-connection* keeps a whole thread blocked in `recv()` for each: a stack of 8 MiB of "
            "address space (most of the virtual size column), of which RSS counts only the pages the thread has "
            "touched"
            + (f' ({size(f["tpc"])} each, {f["tpc"] / f["asy"]:.0f} times async)' if f else "")
            + ", and, outside RSS, the kernel's own stack and task for the thread"
            + (f' (the kernel stacks column: {size(f["stack"])} a thread)' if f.get("stack") else "")
            + "."]
        tpc_cap, asy_cap = self.reached_cap("thread-per-connection"), self.reached_cap("async")
        if tpc_cap and asy_cap:
            parts.append(
                f'Both held all the search asked for, up to its cap of {asy_cap["cap"]:,} (the table says why), '
                "so what stopped them on this machine is the cap, not the model. Past it, threads meet the system's "
                "limit on them (`kernel.pid_max`, `ulimit -u`), and the memory"
                + (f': 100,000 idle connections would take about '
                   f'{100_000 * (f["tpc"] + f.get("stack", 0)) / 1024 ** 2:,.1f} GiB as threads (RSS and kernel '
                   f'stacks) and {100_000 * f["asy"] / 1024 ** 2:,.2f} GiB on the event loop' if f else "")
                + ".")
        parts.append(
            f"*thread-pool* serves at most {self.pool_threads} connections at once, one a worker: while more wait, "
            "a worker answers `Connection: close` and takes the next, so it answers nearly every connection and "
            "keeps almost none. *iterative* serves one connection until it closes; the kernel completes the "
            "handshakes of as many more as the listen queue takes (its backlog, 4,096 at most here), drops the "
            "others' SYNs, and all of them wait unanswered until hold gives up, as does the fresh request.")
        parts.append(
            f"Per-connection figures are left out (–) where fewer than {ENOUGH} were held. The kernel stacks are "
            "the whole machine's (`KernelStack` in `/proc/meminfo`): other programs' come and go in them too.")
        return " ".join(parts)

    def markdown(self):
        out = []
        for n in self.asked:
            out += [f"### {n:,} idle connections", "",
                    markdown_table(self.HOLD_HEAD, [self.hold_row(m, n) for m in self.models], text=(6, 7))]
        if self.searches:
            out += ["### The most connections each model held", "",
                    markdown_table(self.SEARCH_HEAD, [self.search_row(s) for s in self.searches], text=(2, 3))]
        out += [self.note(), ""]
        return out

    def json(self):
        return dict(holds=self.holds, searches=self.searches)
