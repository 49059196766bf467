"""The requests of scripts/soak.sh's load and the reading of their responses: each request (Ask)
knows the status, Content-Length and body it must get, and read_response() checks all three, the
body byte for byte, as it reads.
"""
import asyncio
import random
import time
from dataclasses import dataclass

from soak_conn import Broken, Ended, Gone

GREETING = b"Hello, World!\n"  # the greeting site (--site PORT=en) at /
NO_BODY = (204, 304)


@dataclass
class Ask:
    """One request and what must come back: status, body (None: any bytes, as long as there are as
    many as Content-Length says) and Content-Length (None: the body's length)."""
    name: str
    method: str
    path: str
    status: int
    body: object = None
    length: int = None
    fields: tuple = ()

    def request(self, close=False):
        lines = [f"{self.method} {self.path} HTTP/1.1", "Host: 127.0.0.1", *self.fields]
        if close:
            lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n\r\n").encode()

    def content_length(self):
        if self.status in NO_BODY:
            return None
        if self.length is not None:
            return self.length
        return None if self.body is None else len(self.body)


@dataclass
class Response:
    """What read_response() read: the status, the header's fields (names in lower case), and the
    body's length; close: the server said Connection: close."""
    status: int
    fields: dict
    body_bytes: int

    @property
    def close(self):
        return self.fields.get("connection", "").lower() == "close"


class Site:
    """The folder the servers serve (files: name -> content) and the ETag of each file."""

    def __init__(self, files, etags):
        self.files = files
        self.etags = etags
        self.small = [n for n, b in files.items() if len(b) <= 64 * 1024]
        self.big = sorted((n for n, b in files.items() if len(b) >= 1024 * 1024), key=lambda n: len(files[n]))

    def get(self, name):
        return Ask("get", "GET", "/" + name, 200, memoryview(self.files[name]))

    def random_ask(self, rng, greeting=False, big=0.05):
        """A request for the files' port (or, with greeting, the greeting's): mostly GETs of small
        files, some HEAD, Range, conditional and 404 ones, a big file with probability big."""
        if greeting:
            return Ask("greeting", rng.choice(["GET", "HEAD"]), "/", 200, GREETING) \
                if rng.random() < 0.8 else Ask("greeting-404", "GET", "/nope", 404)
        name = rng.choice(self.big) if rng.random() < big else rng.choice(self.small)
        data = memoryview(self.files[name])
        roll = rng.random()
        if roll < 0.60:
            return self.get(name)
        if roll < 0.70:
            return Ask("head", "HEAD", "/" + name, 200, b"", len(data))
        if roll < 0.85:
            return self.range_ask(rng, name, data)
        if roll < 0.92:
            return Ask("conditional", "GET", "/" + name, 304, fields=(f"If-None-Match: {self.etags[name]}",))
        if roll < 0.96:
            return Ask("range-416", "GET", "/" + name, 416, fields=(f"Range: bytes={len(data) + 10}-",))
        return Ask("404", "GET", f"/missing-{rng.randrange(1000)}.bin", 404)

    @staticmethod
    def range_ask(rng, name, data):
        """A single range of the file: first-last, first- or -suffix."""
        size = len(data)
        first = rng.randrange(size)
        form = rng.random()
        if form < 0.5:
            last = rng.randrange(first, size)
            spec, part = f"{first}-{last}", data[first:last + 1]
        elif form < 0.75:
            spec, part = f"{first}-", data[first:]
        else:
            n = rng.randrange(1, size + 1)
            spec, part = f"-{n}", data[size - n:]
        return Ask("range", "GET", "/" + name, 206, part, fields=(f"Range: bytes={spec}",))


def parse_head(head, ask):
    """The status and fields of a response header; Broken unless it is well-formed and its status
    is the one ask wants."""
    lines = head[:-4].decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or parts[0] != "HTTP/1.1" or not parts[1].isdigit():
        raise Broken("bad status line", repr(lines[0][:80]))
    status = int(parts[1])
    fields = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon:
            raise Broken("bad header line", repr(line[:80]))
        fields[name.strip().lower()] = value.strip()
    if ask.status is not None and status != ask.status:
        raise Broken(f"status {status} for {ask.name}", f"{ask.method} {ask.path[:60]} wanted {ask.status}")
    return status, fields


async def read_body(conn, ask, length, rate):
    """Reads length bytes, compared with ask.body as they come; at most rate bytes a second when
    rate; returns how many were read."""
    done, started = 0, time.monotonic()
    while done < length:
        chunk = await conn.read_some(min(64 * 1024, length - done))
        if ask.body is not None and ask.body[done:done + len(chunk)] != chunk:
            raise Broken(f"wrong body for {ask.name}", f"{ask.method} {ask.path[:60]} differs within bytes "
                                                       f"{done}-{done + len(chunk) - 1}")
        done += len(chunk)
        if rate:
            ahead = done / rate - (time.monotonic() - started)
            if ahead > 0:
                await asyncio.sleep(ahead)
    return done


async def read_response(conn, ask, rate=0):
    """Reads and checks the response to ask: Gone if none began, Broken if one began and did not
    arrive whole or arrived wrong."""
    head = b""
    try:
        head = await conn.read_until(b"\r\n\r\n", 64 * 1024)
        status, fields = parse_head(head, ask)
        has_body = ask.method != "HEAD" and status not in NO_BODY and status >= 200
        declared = fields.get("content-length")
        if declared is None or not declared.isdigit():
            if status in NO_BODY:
                return Response(status, fields, 0)
            raise Broken("no Content-Length", f"{status} for {ask.method} {ask.path[:60]}")
        wanted = ask.content_length()
        if wanted is not None and int(declared) != wanted:
            raise Broken(f"Content-Length for {ask.name}", f"{declared}, wanted {wanted}")
        body = await read_body(conn, ask, int(declared), rate) if has_body else 0
        return Response(status, fields, body)
    except Ended as e:
        if not head and not conn.buf:
            raise Gone(str(e)) from None
        raise Broken("cut short", f"{ask.method} {ask.path[:60]}: {e}") from None


async def exchange(conn, ask, close=False, rate=0):
    """Sends ask and reads its checked response."""
    try:
        conn.write(ask.request(close))
    except Ended as e:
        raise Gone(str(e)) from None
    return await read_response(conn, ask, rate)


def seeded(name):
    """A random generator of its own for a client loop, so that a run can be told apart in logs."""
    return random.Random(f"{name}-{time.time_ns()}")
