#!/usr/bin/env python3
"""Runs every command a lesson's README shows, and checks the output the README shows.

A lesson never lies: its "Try it" commands are run here, by CTest (label `lessons`).

What is run: each ```console block. A line starting with "$ " is a command (a line ending
with "\\" continues on the next); the lines after it, up to the next command, are the output
the README promises, compared line by line:
  - a line "..." stands for any number of lines (none included);
  - "..." inside a line stands for any text there (a time, a count that varies);
  - trailing spaces are ignored.

HTML comments just before a block (invisible on the rendered page) say how to run it:
  <!-- lesson-test: background -->   the block's one command keeps running (a server, "in a
                                      terminal of its own"): it is started, its output is
                                      awaited, and it is stopped with Ctrl+C (SIGINT) when the
                                      lesson ends; lines after a line "^C" are what it prints then.
  <!-- lesson-test: skip REASON -->  not run (say why: it needs a second machine, say).
And anywhere in the README, once:
  <!-- lesson-test: ports 8888 8881 -->  port numbers the lesson uses; each is replaced, in the
                                      commands and in the output, by a free port of this machine
                                      with as many digits (byte counts stay as shown).

And the code the README quotes (```cpp blocks) must be the lesson's code: each of its lines is
looked for, runs of spaces counted as one, in the .cpp and .hpp files next to the README.

Usage: run_lesson.py --path DIR [--path DIR...] README.md
The DIRs are put first on PATH: the folders of socketlab-server, socketlab-client and the
lesson's programs.
"""

import argparse
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time

COMMAND_TIMEOUT = 60  # seconds for one foreground command
START_TIMEOUT = 15  # seconds for a background command to print what the README shows
STOP_TIMEOUT = 15  # seconds for it to end after Ctrl+C


class Block:
    def __init__(self, line, lines, mode):
        self.line = line  # line number of the opening fence, for messages
        self.lines = lines
        self.mode = mode  # "run", "background" or "skip"


def parse(text):
    """The console blocks, with their mode, and the lesson's ports."""
    blocks = []
    ports = []
    lines = text.splitlines()
    mode = "run"
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"\s*<!--\s*lesson-test:\s*(\w+)(.*?)-->", line)
        if m:
            if m.group(1) == "ports":
                ports += [int(p) for p in m.group(2).split()]
            elif m.group(1) in ("background", "skip"):
                mode = m.group(1)
            else:
                sys.exit(f"line {i + 1}: unknown lesson-test directive '{m.group(1)}'")
        elif line.startswith("```console"):
            start = i + 1
            body = []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            blocks.append(Block(start, body, mode))
            mode = "run"  # a directive is for the next console block only
        i += 1
    return blocks, ports


def commands(block):
    """(command, expected output lines) pairs of a block."""
    out = []
    lines = block.lines
    i = 0
    while i < len(lines):
        if not lines[i].startswith("$ "):
            sys.exit(f"README line {block.line + i + 1}: output before any command: {lines[i]!r}")
        cmd = lines[i][2:]
        while cmd.endswith("\\") and i + 1 < len(lines):
            i += 1
            cmd = cmd[:-1] + "\n" + lines[i]
        i += 1
        expected = []
        while i < len(lines) and not lines[i].startswith("$ "):
            expected.append(lines[i])
            i += 1
        out.append((cmd, expected))
    return out


def line_pattern(line):
    parts = line.rstrip().split("...")
    return re.compile("".join(re.escape(p) + ".*" for p in parts[:-1]) + re.escape(parts[-1]) + r"\s*$")


def matches(expected, actual):
    """Whether the actual lines are what the README shows (see the module comment)."""
    def match(e, a):
        if e == len(expected):
            return a == len(actual)
        if expected[e].strip() == "...":
            return any(match(e + 1, k) for k in range(a, len(actual) + 1))
        return a < len(actual) and line_pattern(expected[e]).match(actual[a]) is not None and match(e + 1, a + 1)
    return match(0, 0)


def free_port_like(port, taken):
    """A free port of this machine with as many digits as @p port, so that the output keeps its
    widths and byte counts (a Host header is as long as the lesson shows)."""
    digits = len(str(port))
    low, high = max(1024, 10 ** (digits - 1)), min(65535, 10 ** digits - 1)
    rng = random.Random()
    for _ in range(1000):
        candidate = rng.randint(low, high)
        if candidate in taken:
            continue
        with socket.socket() as tcp, socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            try:
                tcp.bind(("127.0.0.1", candidate))
                udp.bind(("127.0.0.1", candidate))
            except OSError:
                continue
        return candidate
    sys.exit(f"no free port with {digits} digits for port {port}")


def free_ports(ports):
    mapping = {}
    for p in ports:
        mapping[p] = free_port_like(p, set(mapping.values()) | set(ports))
    return mapping


def substitute(text, mapping):
    for old, new in mapping.items():
        text = re.sub(rf"(?<!\d){old}(?!\d)", str(new), text)
    return text


class Background:
    """A command that keeps running, its output collected by a thread."""

    def __init__(self, cmd, env):
        self.cmd = cmd
        self.proc = subprocess.Popen(["bash", "-c", "exec " + cmd], env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
                                     start_new_session=True)
        self.lines = []
        self.cond = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()
        with self.cond:
            self.lines.append(None)  # end of output
            self.cond.notify_all()

    def wait_for(self, expected, timeout):
        """Waits until the output so far matches @p expected (readiness, not a sleep)."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                done = bool(self.lines) and self.lines[-1] is None
                got = [l for l in self.lines if l is not None]
                if matches(expected, got):
                    return got
                if done or time.monotonic() >= deadline:
                    return got
                self.cond.wait(timeout=max(0.0, deadline - time.monotonic()))

    def interrupt(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return False
        self.reader.join(timeout=5)
        return True


def fail(block_line, cmd, expected, actual):
    print(f"FAILED: the command at README line {block_line}:\n  $ {cmd}\nthe README shows:")
    print("\n".join("  | " + l for l in expected) or "  (nothing)")
    print("it printed:")
    print("\n".join("  | " + l for l in actual) or "  (nothing)")
    return 1


def check_quotes(readme, text):
    """The ```cpp lines of the README that are in none of the lesson's sources."""
    folder = os.path.dirname(os.path.abspath(readme))
    source_lines = set()
    for name in os.listdir(folder):
        if name.endswith((".cpp", ".hpp")):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                source_lines.update(" ".join(l.split()) for l in f)
    missing = []
    quoting = False
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("```"):
            quoting = line.startswith("```cpp")
        elif quoting and line.strip() and " ".join(line.split()) not in source_lines:
            missing.append((number, line))
    return missing


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", action="append", default=[], help="a folder to put first on PATH")
    parser.add_argument("readme")
    args = parser.parse_args()
    with open(args.readme, encoding="utf-8") as f:
        text = f.read()
    blocks, ports = parse(text)
    failures = 0
    for number, line in check_quotes(args.readme, text):
        print(f"FAILED: README line {number} quotes code the lesson's sources do not have:\n  {line.strip()}")
        failures += 1
    mapping = free_ports(ports)
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join(args.path + [env.get("PATH", "")])
    env["LC_ALL"] = "C.UTF-8"

    background = []
    run = 0
    try:
        for block in blocks:
            if block.mode == "skip":
                continue
            for cmd, expected in commands(block):
                cmd = substitute(cmd, mapping)
                expected = [substitute(l, mapping) for l in expected]
                run += 1
                if block.mode == "background":
                    before_stop = expected[:expected.index("^C")] if "^C" in expected else expected
                    after_stop = expected[expected.index("^C") + 1:] if "^C" in expected else None
                    bg = Background(cmd, env)
                    got = bg.wait_for(before_stop, START_TIMEOUT)
                    if not matches(before_stop, got):
                        failures += fail(block.line, cmd, before_stop, got)
                        bg.interrupt()
                        return 1  # the commands after it need it
                    background.append((bg, block.line, len(got), after_stop))
                    continue
                try:
                    done = subprocess.run(["bash", "-c", cmd], env=env, stdout=subprocess.PIPE,
                                          stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
                                          timeout=COMMAND_TIMEOUT)
                    actual = done.stdout.splitlines()
                except subprocess.TimeoutExpired:
                    actual = [f"(still running after {COMMAND_TIMEOUT} s)"]
                if not matches(expected, actual):
                    failures += fail(block.line, cmd, expected, actual)
    finally:
        for bg, line, seen, after_stop in reversed(background):
            stopped = bg.interrupt()
            rest = [l for l in bg.lines[seen:] if l is not None]
            if not stopped:
                failures += fail(line, bg.cmd + "   (then Ctrl+C)", ["(the program ends)"], rest + ["(still running)"])
            elif after_stop is not None and not matches(["..."] + after_stop, rest):
                failures += fail(line, bg.cmd + "   (then Ctrl+C)", after_stop, rest)
    print(f"{args.readme}: {run} commands, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
