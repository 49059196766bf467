"""scripts/soak.sh's summary: a row a model from TMP/MODEL.json (soak_run.py's) and TMP/MODEL.exit
(the server's exit status, or "hung"), the expected errors by kind and the unexpected ones with
examples below it, then PASS or FAIL for each model with the reasons. Exits 1 when a model failed.

    soak_report.py TMP MODEL...
"""
import json
import os
import sys

from report import print_columns

# The RSS at the end may exceed the baseline by this much: freed memory that the allocator keeps
# (glibc's arenas, one per thread that served) and each thread's spare buffers. Measured on a
# 2-CPU Linux machine: at most +0.95 MiB (thread-per-connection), the same after a 15 s soak as
# after a 5-minute one, so it does not grow with the requests; 4 MiB is four times that, and
# less than 1.5 bytes a request over a 30-minute soak (about 3 million requests a model).
RSS_SLACK_KIB = 4 * 1024
KIND_LETTERS = [("keep-alive", "k"), ("new-conn", "n"), ("pipelined", "p"), ("slow-read", "s"),
                ("malformed", "m"), ("vanish", "v"), ("bench", "b")]


def rss_allowed(baseline):
    return baseline + RSS_SLACK_KIB


def failures(r, exit_status):
    """Why the model failed; empty when it passed."""
    s, fds, rss, stop = r["stats"], r["fds"], r["rss_kib"], r["stop"]
    why = []
    if s["unexpected"]:
        why.append(f"{sum(s['unexpected'].values())} unexpected errors")
    if not fds["baseline_quiet"]:
        why.append("the descriptors never settled for the baseline")
    if fds["end"] != fds["baseline"]:
        why.append(f"descriptors at the end {fds['end']}, baseline {fds['baseline']}")
    if rss["end"] is None or rss["end"] > rss_allowed(rss["baseline"]):
        why.append(f"RSS at the end {rss['end']} KiB, over {rss_allowed(rss['baseline'])}")
    if not stop["began_before_signal"] or stop["completed"] != stop["in_flight"]:
        why.append(f"{stop['completed']} of {stop['in_flight']} responses under way at the stop delivered")
    if stop["exit_seconds"] is None:
        why.append(f"still running {stop['exit_within']} s after SIGTERM")
    if exit_status != "0":
        why.append(f"exit status {exit_status}")
    if stop["refused_after_signal"] is None:
        why.append("kept accepting connections after SIGTERM until it exited (DESIGN.md: stop accepting)")
    if stop["refused_after_exit"] is not True:
        why.append("a connection after the exit was not refused")
    began, lines, maybe = s["began"], r["log_lines"], s["log_maybe"]
    if not began <= lines <= began + maybe:
        why.append(f"access log: {lines} lines for {began} responses begun (+ at most {maybe})")
    return why


def row(r, exit_status):
    s, fds, rss, stop = r["stats"], r["fds"], r["rss_kib"], r["stop"]
    checked = "/".join(str(s["checked"].get(kind, 0)) for kind, _ in KIND_LETTERS)
    exit_text = f"{stop['exit_seconds']} s, {exit_status}" if stop["exit_seconds"] is not None else f"no, {exit_status}"
    refused = "-" if stop["refused_after_signal"] is None else f"{stop['refused_after_signal']} s"
    return (r["model"], f"{r['seconds'] / 60:.1f}", checked, f"{s['bytes'] / 2**20:.0f}",
            str(sum(s["expected"].values())), str(sum(s["unexpected"].values())),
            f"{rss['baseline']}/{rss['peak']}/{rss['end']}", f"{fds['baseline']}/{fds['peak']}/{fds['end']}",
            exit_text, refused, f"{stop['completed']}/{stop['in_flight']}", f"{r['log_lines']}/{s['began']}",
            "FAIL" if failures(r, exit_status) else "PASS")


def details(r):
    """The lines below the table for one model: expected errors by kind, unexpected ones."""
    s = r["stats"]
    lines = [f"{r['model']}:"]
    for what, n in sorted(s["expected"].items(), key=lambda kv: -kv[1]):
        lines.append(f"  expected   {n:7d}  {what}")
    for what, n in sorted(s["unexpected"].items(), key=lambda kv: -kv[1]):
        lines.append(f"  UNEXPECTED {n:7d}  {what}")
    lines += [f"    e.g. {e}" for e in s["examples"]]
    stop = r["stop"]
    lines.append(f"  stop: {stop['in_flight']} responses of {stop['size']} B under way, the least received "
                 f"{stop['received_at_signal']} B at SIGTERM; last byte {stop['last_byte_seconds']} s after it")
    return lines


def main():
    tmp, models = sys.argv[1], sys.argv[2:]
    head = ("model", "min", "checked k/n/p/s/m/v/b", "MiB", "expected", "unexpected", "RSS KiB base/peak/end",
            "fds base/peak/end", "exit after SIGTERM", "refused after", "in-flight done", "log/begun", "")
    rows, notes, verdicts = [], [], []
    for model in models:
        try:
            with open(os.path.join(tmp, f"{model}.json")) as f:
                r = json.load(f)
            with open(os.path.join(tmp, f"{model}.exit")) as f:
                exit_status = f.read().strip()
        except (OSError, ValueError) as e:
            verdicts.append(f"{model}: FAIL: no results ({e})")
            continue
        rows.append(row(r, exit_status))
        notes += details(r)
        why = failures(r, exit_status)
        verdicts.append(f"{model}: {'FAIL: ' + '; '.join(why) if why else 'PASS'}")
    if rows:
        print_columns(head, rows)
        print("checked: responses checked whole by kind of client: keep-alive, new-conn, pipelined, slow-read,")
        print("malformed, vanish (clients that left), bench (socketlab-client bench's 2xx); MiB: bodies compared")
        print(f"byte for byte; RSS passes up to {RSS_SLACK_KIB} KiB over the baseline, descriptors exactly at it;")
        print("the counts include the warm-up and the stop; log/begun: the access log's lines, responses begun")
        print()
        print("\n".join(notes))
        print()
    print("\n".join(verdicts))
    return 1 if any(": FAIL" in v for v in verdicts) else 0


if __name__ == "__main__":
    sys.exit(main())
