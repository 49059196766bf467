#!/usr/bin/env python3
r"""Runs every command a lesson's README shows, and checks the output the README shows.

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
  <!-- lesson-test: capture N -->     the block's one command watches what the next blocks do
                                      (tcpdump, strace): it is started, its first N lines (it is
                                      ready) are awaited, the blocks after it are run up to the
                                      first that is not in the background, and then the rest
                                      of what the README shows is awaited (up to the "^C", alone
                                      or ending a line's unfinished start: what follows it, it
                                      prints when stopped); it is stopped with Ctrl+C, sent as a
                                      terminal sends it, if it has not ended by itself.
  <!-- lesson-test: needs TOOL ... -->  run only where each TOOL is installed, and allowed to do
                                      its work (tcpdump: capture; strace: trace; ip: make network
                                      namespaces); else skipped, and the runner says why.
                                      Combines with one of the above.
A command with "sudo " (at its start, or after ; && || |) needs root: run as root, the runner drops the sudo (a root
shell may not have sudo); run as anyone else, the block is skipped, saying so (sudo would ask for
a password). CI runs as root, so there every block runs.
And anywhere in the README, once:
  <!-- lesson-test: ports 8888 8881 -->  port numbers the lesson uses; each is replaced, in the
                                      commands and in the output, by a free port of this machine
                                      with as many digits (byte counts stay as shown).

And the code the README shows is the compiled code, never pasted: every ```cpp block is a
snippet, announced on the line before its fence by
  <!-- snippet: server.cpp accept -->
and it must be exactly the lines between the two lines "//! [accept]" of that file (a path
relative to the README's folder), their common indentation removed. The documentation site
shows the same region with Doxygen's \snippet (docs/lesson_filter.py).

And every ```dot or ```msc diagram has its image, drawn from that very source (diagrams.py).

Usage: run_lesson.py --path DIR [--path DIR...] README.md
       run_lesson.py --update-snippets README.md
       run_lesson.py --update-diagrams README.md
       run_lesson.py --check-course LESSONS_DIR
The DIRs are put first on PATH: the folders of socketlab-server, socketlab-client and the
lesson's programs. --update-snippets copies each snippet from its source into the README,
and runs nothing. --check-course checks the course is whole: each lesson folder NN-slug has a
README titled "# Lesson NN: ...", a test in LESSONS_DIR/CMakeLists.txt, and a link, in order,
from the course (LESSONS_DIR/README.md) and from the project's README.
"""

import argparse
import codecs
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import diagrams  # tests/lessons/diagrams.py: the diagrams' images, drawn from their sources

COMMAND_TIMEOUT = 60  # seconds for one foreground command
START_TIMEOUT = 15  # seconds for a background command to print what the README shows
STOP_TIMEOUT = 15  # seconds for it to end after Ctrl+C


class Block:
    def __init__(self, line, lines, mode, ready=0, needs=()):
        self.line = line  # line number of the opening fence, for messages
        self.lines = lines
        self.mode = mode  # "run", "background", "capture" or "skip"
        self.ready = ready  # capture: how many of its lines say it is ready
        self.needs = list(needs)  # the tools it needs


def as_root():
    return hasattr(os, "geteuid") and os.geteuid() == 0


def may_capture(env):
    """Whether packets may be captured here: root is not enough in a container without CAP_NET_RAW."""
    try:
        socket.socket(socket.AF_PACKET, socket.SOCK_RAW).close()
        return True
    except (OSError, AttributeError):
        return False


def may_trace(env):
    """Whether a program may be traced here (ptrace: a container may forbid it)."""
    return subprocess.run(["strace", "-o", os.devnull, "true"], env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


def may_make_netns(env):
    """Whether network namespaces may be made and entered here (ip netns, as root)."""
    name = f"socketlab-probe-{os.getpid()}"
    made = subprocess.run(["ip", "netns", "add", name], env=env, capture_output=True).returncode == 0
    entered = made and subprocess.run(["ip", "netns", "exec", name, "true"], env=env,
                                      capture_output=True).returncode == 0
    if made:
        subprocess.run(["ip", "netns", "delete", name], env=env, capture_output=True)
    return entered


# What a tool needs besides being installed, asked only of a block that runs it as root or as itself.
PERMITS = {"tcpdump": (may_capture, "capturing packets is not permitted here (no CAP_NET_RAW)"),
           "strace": (may_trace, "tracing a program is not permitted here (ptrace is refused)"),
           "ip": (may_make_netns, "network namespaces cannot be made here (ip netns)")}


def why_not_run(block, env):
    """Why @p block cannot run on this machine (see the module comment); None when it can."""
    missing = [tool for tool in block.needs if shutil.which(tool, path=env["PATH"]) is None]
    if missing:
        return f"needs {', '.join(missing)}, not installed here"
    if not as_root() and any(SUDO.search(cmd) for cmd, _ in commands(block)):
        return "needs root (sudo), and this test does not run as root"
    for tool in block.needs:
        if tool in PERMITS and not PERMITS[tool][0](env):
            return PERMITS[tool][1]
    return None


SUDO = re.compile(r"(^|[;&|]\s*)sudo\s+")  # a sudo at the start of a command: first, or after ; && || |


def unsudo(cmd):
    """@p cmd as a root shell runs it: without its sudos."""
    return SUDO.sub(r"\1", cmd) if as_root() else cmd


def parse(text):
    """The console blocks, with their mode, and the lesson's ports."""
    blocks = []
    ports = []
    lines = text.splitlines()
    mode, ready, needs = "run", 0, []
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"\s*<!--\s*lesson-test:\s*(\w+)(.*?)-->", line)
        if m:
            if m.group(1) == "ports":
                ports += [int(p) for p in m.group(2).split()]
            elif m.group(1) in ("background", "skip"):
                mode = m.group(1)
            elif m.group(1) == "capture":
                mode = "capture"
                try:
                    ready = int(m.group(2))
                except ValueError:
                    sys.exit(f"line {i + 1}: 'capture N': N, the lines that say it is ready, is missing")
            elif m.group(1) == "needs":
                needs += m.group(2).split()
            else:
                sys.exit(f"line {i + 1}: unknown lesson-test directive '{m.group(1)}'")
        elif line.startswith("```console"):
            start = i + 1
            body = []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            blocks.append(Block(start, body, mode, ready, needs))
            mode, ready, needs = "run", 0, []  # directives are for the next console block only
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
    parts = re.split(r"\.\.\.(?!\.)", line.rstrip())  # "1...." is "1." then any text
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
    if low > high:
        sys.exit(f"port {port}: a lesson's ports need 4 or 5 digits (below 1024 a server needs root)")
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
    """A command that keeps running, its output collected by a thread: the lines it has ended,
    and the start of the one it is writing (a prompt, strace's "accept(6, " while it blocks)."""

    def __init__(self, cmd, env, cwd):
        self.cmd = cmd
        self.proc = subprocess.Popen(["bash", "-c", "exec " + cmd], env=env, cwd=cwd, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     start_new_session=True)
        self.lines = []
        self.partial = ""  # what follows the last line end so far
        self.cond = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        while chunk := os.read(self.proc.stdout.fileno(), 65536):
            with self.cond:
                *ended, self.partial = (self.partial + decoder.decode(chunk)).split("\n")
                self.lines += ended
                self.cond.notify_all()
        with self.cond:
            if self.partial:
                self.lines.append(self.partial)
                self.partial = ""
            self.lines.append(None)  # end of output
            self.cond.notify_all()

    def wait_for(self, expected, timeout, started=""):
        """Waits until the output so far matches @p expected, and the line being written
        begins with @p started (readiness, not a sleep); returns the lines."""
        deadline = time.monotonic() + timeout
        begins = line_pattern(started + "...")
        with self.cond:
            while True:
                done = bool(self.lines) and self.lines[-1] is None
                got = [l for l in self.lines if l is not None]
                if matches(expected, got) and (not started or begins.match(self.partial)):
                    return got
                if done or time.monotonic() >= deadline:
                    return got
                self.cond.wait(timeout=max(0.0, deadline - time.monotonic()))

    def interrupt(self):
        """Ctrl+C, as a terminal sends it: to every process of the command (strace and the
        program it watches, say)."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGINT)
            except ProcessLookupError:
                pass
        try:
            self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return False
        self.reader.join(timeout=5)
        self.proc.stdout.close()
        return True


def fail(block_line, cmd, expected, actual):
    print(f"FAILED: the command at README line {block_line}:\n  $ {cmd}\nthe README shows:")
    print("\n".join("  | " + l for l in expected) or "  (nothing)")
    print("it printed:")
    print("\n".join("  | " + l for l in actual) or "  (nothing)")
    return 1


SNIPPET = re.compile(r"\s*<!--\s*snippet:\s*(\S+)\s+(\S+)\s*-->")


def snippet(folder, path, name):
    """The lines between the two "//! [name]" lines of the file, common indentation removed."""
    try:
        with open(os.path.join(folder, path), encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError as e:
        raise ValueError(f"cannot read {path}: {e.strerror}")
    marks = [i for i, l in enumerate(lines) if l.strip() == f"//! [{name}]"]
    if len(marks) != 2:
        raise ValueError(f"{path} has {len(marks)} lines '//! [{name}]', not 2")
    region = [l.rstrip() for l in lines[marks[0] + 1:marks[1]]]
    indent = min((len(l) - len(l.lstrip()) for l in region if l), default=0)
    return [l[indent:] for l in region]


def snippets(readme, lines):
    """Each ```cpp block of the README: (fence line index, end index, source lines or error).

    The source lines are None, with a message, when the block is not announced as a snippet
    or its region cannot be found."""
    folder = os.path.dirname(os.path.abspath(readme))
    out = []
    i = 0
    while i < len(lines):
        if lines[i].startswith("```cpp"):
            end = i + 1
            while end < len(lines) and not lines[end].startswith("```"):
                end += 1
            m = SNIPPET.match(lines[i - 1]) if i > 0 else None
            if not m:
                out.append((i, end, None, "a ```cpp block must be a snippet of the lesson's code: "
                                          "put <!-- snippet: FILE NAME --> on the line before it"))
            else:
                try:
                    out.append((i, end, snippet(folder, m.group(1), m.group(2)), None))
                except ValueError as e:
                    out.append((i, end, None, str(e)))
            i = end
        i += 1
    return out


def check_snippets(readme, text):
    """(line number, message) for each ```cpp block that is not its source's region."""
    lines = text.splitlines()
    failures = []
    for fence, end, source, error in snippets(readme, lines):
        if error:
            failures.append((fence + 1, error))
        elif [l.rstrip() for l in lines[fence + 1:end]] != source:
            failures.append((fence + 1, "the block differs from its source "
                                        "(run_lesson.py --update-snippets copies it again)"))
    return failures


def update_snippets(readme, text):
    lines = text.splitlines()
    for fence, end, source, error in reversed(snippets(readme, lines)):
        if error:
            sys.exit(f"{readme}:{fence + 1}: {error}")
        lines[fence + 1:end] = source
    with open(readme, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def check_course(lessons_dir):
    """The ways the course is not whole, one line each (see the module comment)."""
    folders = sorted(f for f in os.listdir(lessons_dir)
                     if re.fullmatch(r"\d\d-[a-z0-9-]+", f) and os.path.isdir(os.path.join(lessons_dir, f)))
    problems = []
    for folder in folders:
        try:
            with open(os.path.join(lessons_dir, folder, "README.md"), encoding="utf-8") as f:
                title = f.readline()
        except OSError:
            problems.append(f"{folder}: no README.md")
            continue
        if not title.startswith(f"# Lesson {folder[:2]}: "):
            problems.append(f"{folder}/README.md: the title is not '# Lesson {folder[:2]}: ...'")
    with open(os.path.join(lessons_dir, "CMakeLists.txt"), encoding="utf-8") as f:
        registered = re.findall(r"^socketlab_add_lesson\(([^\s)]+)", f.read(), re.M)
    if registered != folders:
        problems.append(f"CMakeLists.txt registers {registered}, the folders are {folders}")
    for readme, prefix in ((os.path.join(lessons_dir, "README.md"), ""),
                           (os.path.join(lessons_dir, os.pardir, "README.md"), "lessons/")):
        with open(readme, encoding="utf-8") as f:
            linked = re.findall(r"\]\(" + re.escape(prefix) + r"(\d\d-[a-z0-9-]+)/README\.md\)", f.read())
        if linked != folders:
            problems.append(f"{os.path.normpath(readme)} links {linked}, the folders are {folders}")
    return problems


def run_blocks(blocks, mapping, env, workdir):
    """Runs the console blocks in @p workdir; (commands run, failures)."""
    background = []  # (Background, line, lines seen at start, output after Ctrl+C)
    capture = None  # (Background, its block, the output it must show): watching the next block
    run = 0
    failures = 0

    def end_capture():
        bg, block, expected = capture
        # Ctrl+C is shown where the terminal echoes it: a line of its own, or after a line's
        # unfinished start ("accept(6, ^C": it is pressed once that start is there); what comes
        # after it, it prints when stopped.
        stop = next((i for i, l in enumerate(expected) if "^C" in l), len(expected))
        started = expected[stop].split("^C")[0] if stop < len(expected) else ""
        bg.wait_for(expected[:stop], START_TIMEOUT, started)
        stopped = bg.interrupt()
        got = [l for l in bg.lines if l is not None] + ([] if stopped else ["(still running)"])
        # A program that begins its last words with a new line ends the terminal's "^C" line.
        shown = [[l.replace("^C", "") for l in expected if l != "^C" or keep] for keep in (False, True)]
        if stopped and any(matches(s, got) for s in shown):
            return 0
        return fail(block.line, bg.cmd, expected, got)

    def run_block(block):
        """Runs one block; False when the commands after it cannot run."""
        nonlocal capture, run, failures
        if block.mode == "skip":
            return True
        reason = why_not_run(block, env)
        if reason:
            print(f"skipped the block at README line {block.line}: {reason}")
            return True
        for cmd, expected in commands(block):
            cmd = unsudo(substitute(cmd, mapping))
            expected = [substitute(l, mapping) for l in expected]
            run += 1
            if block.mode == "capture":
                bg = Background(cmd, env, workdir)
                got = bg.wait_for(expected[:block.ready], START_TIMEOUT)
                if matches(expected[:block.ready], got):
                    capture = (bg, block, expected)
                else:
                    failures += fail(block.line, cmd, expected[:block.ready], got)
                    bg.interrupt()
            elif block.mode == "background":
                before_stop = expected[:expected.index("^C")] if "^C" in expected else expected
                after_stop = expected[expected.index("^C") + 1:] if "^C" in expected else None
                bg = Background(cmd, env, workdir)
                got = bg.wait_for(before_stop, START_TIMEOUT)
                if not matches(before_stop, got):
                    failures += fail(block.line, cmd, before_stop, got)
                    bg.interrupt()
                    return False
                background.append((bg, block.line, len(got), after_stop))
            else:
                try:
                    done = subprocess.run(["bash", "-c", cmd], env=env, cwd=workdir, stdout=subprocess.PIPE,
                                          stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
                                          timeout=COMMAND_TIMEOUT)
                    actual = done.stdout.splitlines()
                except subprocess.TimeoutExpired:
                    actual = [f"(still running after {COMMAND_TIMEOUT} s)"]
                if not matches(expected, actual):
                    failures += fail(block.line, cmd, expected, actual)
        return True

    try:
        for block in blocks:
            watched = capture if block.mode not in ("background", "capture") else None
            go_on = run_block(block)
            if watched is not None:  # the block it watched is over: what did it see?
                failures += end_capture()
                capture = None
            if not go_on:
                break
    finally:
        if capture is not None:  # no block came after it
            failures += end_capture()
        for bg, line, seen, after_stop in reversed(background):
            stopped = bg.interrupt()
            rest = [l for l in bg.lines[seen:] if l is not None]
            if not stopped:
                failures += fail(line, bg.cmd + "   (then Ctrl+C)", ["(the program ends)"], rest + ["(still running)"])
            elif after_stop is not None and not matches(["..."] + after_stop, rest):
                failures += fail(line, bg.cmd + "   (then Ctrl+C)", after_stop, rest)
    return run, failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", action="append", default=[], help="a folder to put first on PATH")
    parser.add_argument("--update-snippets", action="store_true",
                        help="copy each snippet from its source into the README; run nothing")
    parser.add_argument("--update-diagrams", action="store_true",
                        help="draw each diagram of the README into its SVG (needs dot and mscgen); run nothing")
    parser.add_argument("--check-course", action="store_true",
                        help="check the course is whole (the argument is the lessons' folder)")
    parser.add_argument("readme")
    args = parser.parse_args()
    if args.check_course:
        problems = check_course(args.readme)
        for p in problems:
            print(f"FAILED: {p}")
        print(f"{args.readme}: {len(problems)} problems")
        return 1 if problems else 0
    with open(args.readme, encoding="utf-8") as f:
        text = f.read()
    if args.update_snippets:
        update_snippets(args.readme, text)
        return 0
    if args.update_diagrams:
        diagrams.update(args.readme, text)
        return 0
    blocks, ports = parse(text)
    failures = 0
    for number, message in check_snippets(args.readme, text) + diagrams.check(args.readme, text):
        print(f"FAILED: README line {number}: {message}")
        failures += 1
    mapping = free_ports(ports)
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join(args.path + [env.get("PATH", "")])
    env["LC_ALL"] = "C.UTF-8"

    # Each lesson runs in a folder of its own, removed afterwards: what a command writes there
    # (a log, a downloaded page) is fresh for every run.
    with tempfile.TemporaryDirectory(prefix="lesson-") as workdir:
        run, failed = run_blocks(blocks, mapping, env, workdir)
    failures += failed
    print(f"{args.readme}: {run} commands, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
