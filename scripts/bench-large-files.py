#!/usr/bin/env python3
"""Measures socketlab-server serving large static files: memory while many clients download a
large file at once, and a slow reader receiving a whole file with the default timeouts.

It measures; it is not a test (the tests check the behaviour; this shows the numbers).
Linux only: it reads the server's memory from /proc.

Usage: scripts/bench-large-files.py [OPTIONS]

  --server PATH        the socketlab-server to run (default: $SOCKETLAB_SERVER, else
                       build/release/server/socketlab-server, else build/dev/server/socketlab-server)
  --clients N          clients downloading at once (default 100)
  --size-mib N         the size of the file they download, a sparse file (default 1024)
  --slow-rate BYTES    the slow reader's pace in bytes per second (default 100000)
  --slow-size-mib N    the size of the file it reads (default 64)
  --skip-many          do not run the many-clients scenario
  --skip-slow          do not run the slow-reader scenario (it takes size / rate seconds)
  --model NAME         the serving model (default async)

Scenarios:
  many   N clients each GET the file over its own connection, all at once, reading as fast as they
         can; the server's resident memory (VmRSS) is sampled every 50 ms. Shown: its memory before,
         its peak, and the peak per client, next to the bytes delivered.
  slow   one client with a 64 KiB receive buffer reads at the given pace; shown: the bytes it got
         of the file's length, and the time (the server runs with its default timeouts).

Exit status: 0 when measured (whatever the numbers), 1 when the server could not be started or a
download came back short in the many-clients scenario, 2 on a usage error.
"""

import argparse
import os
import selectors
import socket
import subprocess
import sys
import tempfile
import time

MIB = 1024 * 1024


def find_server(given):
    for candidate in (given, os.environ.get("SOCKETLAB_SERVER"), "build/release/server/socketlab-server",
                      "build/dev/server/socketlab-server"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    sys.exit("bench-large-files: no socketlab-server found; build it (cmake --workflow --preset release) "
             "or pass --server PATH")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def start_server(path, folder, model, clients):
    port = free_port()
    args = [path, "--site", f"{port}={folder}", "--access-log", "off", "--model", model,
            "--max-connections", str(max(512, clients + 10))]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    line = proc.stdout.readline()  # the banner's first line: it listens
    if proc.poll() is not None or not line:
        sys.exit(f"bench-large-files: the server did not start: {line.strip()}")
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    sys.exit("bench-large-files: the server does not answer")


def header_end(buffer):
    end = buffer.find(b"\r\n\r\n")
    if end < 0:
        return None, None
    length = None
    for line in buffer[:end].split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    return end + 4, length


def many(server, folder, clients, size, model):
    proc, port = start_server(server, folder, model, clients)
    try:
        time.sleep(0.2)
        before = rss_kib(proc.pid)
        sel = selectors.DefaultSelector()
        state = {}
        finished = []
        for _ in range(clients):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            s.setblocking(False)
            sel.register(s, selectors.EVENT_READ)
            state[s] = {"head": b"", "body": 0, "length": None}
        peak = before
        started = time.monotonic()
        next_sample = started
        buf = bytearray(1 << 20)
        while state:
            for key, _ in sel.select(timeout=0.05):
                s = key.fileobj
                st = state[s]
                try:
                    n = s.recv_into(buf)
                except BlockingIOError:
                    continue
                if n == 0:
                    sel.unregister(s)
                    s.close()
                    finished.append(state.pop(s))
                    continue
                if st["length"] is None:
                    st["head"] += bytes(buf[:n])
                    at, length = header_end(st["head"])
                    if at is not None:
                        st["length"] = length
                        st["body"] = len(st["head"]) - at
                else:
                    st["body"] += n
            now = time.monotonic()
            if now >= next_sample:
                peak = max(peak, rss_kib(proc.pid))
                next_sample = now + 0.05
        took = time.monotonic() - started
        after = rss_kib(proc.pid)
    finally:
        proc.terminate()
        proc.wait()
    whole = sum(1 for st in finished if st["length"] == size and st["body"] == size)
    delivered = sum(st["body"] for st in finished)
    print(f"many: {clients} clients x {size // MIB} MiB, {model} model: {whole}/{clients} downloads whole, "
          f"{delivered / 2**30:.1f} GiB in {took:.1f} s ({delivered / took / 1e9:.2f} GB/s)")
    print(f"  server RSS: {before / 1024:.1f} MiB before, peak {peak / 1024:.1f} MiB "
          f"({(peak - before) / clients:.0f} KiB per client), {after / 1024:.1f} MiB after")
    return whole == clients


def slow(server, folder, rate, size, model):
    proc, port = start_server(server, folder, model, 1)
    try:
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        s.connect(("127.0.0.1", port))
        s.sendall(b"GET /slow.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        started = time.monotonic()
        got = 0
        head = b""
        chunk = max(1024, min(65536, rate // 10))
        while True:
            data = s.recv(chunk)
            if not data:
                break
            got += len(data)
            if len(head) < 1024:
                head += data[:1024]
            due = started + got / rate
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        took = time.monotonic() - started
        at, length = header_end(head)
        body = got - (at or 0)
        print(f"slow: a reader at {rate / 1000:.0f} KB/s, {model} model, default timeouts: "
              f"{body} of {length} body bytes in {took:.0f} s"
              f" ({'whole' if body == length else 'CUT SHORT'})")
    finally:
        proc.terminate()
        proc.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server")
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--slow-rate", type=int, default=100_000)
    parser.add_argument("--slow-size-mib", type=int, default=64)
    parser.add_argument("--skip-many", action="store_true")
    parser.add_argument("--skip-slow", action="store_true")
    parser.add_argument("--model", default="async")
    args = parser.parse_args()
    if args.clients < 1 or args.size_mib < 1 or args.slow_rate < 1 or args.slow_size_mib < 1:
        parser.error("--clients, --size-mib, --slow-rate and --slow-size-mib take positive numbers")
    server = find_server(args.server)
    ok = True
    with tempfile.TemporaryDirectory(prefix="socketlab-large-files-") as folder:
        with open(os.path.join(folder, "big.bin"), "wb") as f:
            f.truncate(args.size_mib * MIB)  # sparse: no disk, and the page cache holds zeros
        with open(os.path.join(folder, "slow.bin"), "wb") as f:
            f.write(os.urandom(args.slow_size_mib * MIB))
        if not args.skip_many:
            ok = many(server, folder, args.clients, args.size_mib * MIB, args.model)
        if not args.skip_slow:
            slow(server, folder, args.slow_rate, args.slow_size_mib * MIB, args.model)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
