"""The misbehaving clients of scripts/soak.sh's load: malformed requests, each answered with the
status DESIGN.md gives it (and the connection closed where the framing is broken, kept where it
is not), and clients that vanish mid-request or mid-response.
"""
import asyncio

from soak_conn import Broken
from soak_http import Ask, exchange, read_response
from soak_kinds import answered, client_loop

H = "Host: 127.0.0.1\r\n"

# name, bytes sent, status wanted, whether the server must close after its answer.
MALFORMED = [
    ("bad request line", b"GARBAGE\r\n\r\n", 400, True),
    ("space before colon", f"GET / HTTP/1.1\r\n{H}X-A : b\r\n\r\n".encode(), 400, True),
    ("obs-fold", f"GET / HTTP/1.1\r\n{H}X-A: b\r\n c\r\n\r\n".encode(), 400, True),
    ("two Content-Lengths", f"POST / HTTP/1.1\r\n{H}Content-Length: 1\r\nContent-Length: 2\r\n\r\nab".encode(),
     400, True),
    ("Content-Length and chunked",
     f"POST / HTTP/1.1\r\n{H}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n".encode(), 400, True),
    ("bad chunk size", f"POST / HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\nzz\r\n\r\n".encode(), 400, True),
    ("no Host", b"GET / HTTP/1.1\r\n\r\n", 400, True),
    ("two Hosts", f"GET / HTTP/1.1\r\n{H}{H}\r\n".encode(), 400, True),
    ("bare LF", b"GET / HTTP/1.1\nHost: 127.0.0.1\n\n", 400, True),
    ("TLS ClientHello", bytes.fromhex("16030100a5010000a10303") + bytes(40), 400, True),
    ("request line 9 KiB", f"GET /{'a' * 9000} HTTP/1.1\r\n{H}\r\n".encode(), 414, True),
    ("header 36 KiB", (f"GET / HTTP/1.1\r\n{H}" + "".join(f"X-{i}: {'v' * 400}\r\n" for i in range(90))
                       + "\r\n").encode(), 431, True),
    ("101 fields", (f"GET / HTTP/1.1\r\n{H}" + "".join(f"X-{i}: v\r\n" for i in range(100)) + "\r\n").encode(),
     431, True),
    ("body 2 MB", f"POST / HTTP/1.1\r\n{H}Content-Length: 2000000\r\n\r\n".encode(), 413, True),
    ("gzip, chunked", f"POST / HTTP/1.1\r\n{H}Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n".encode(), 501, True),
    ("HTTP/2.0", f"GET / HTTP/2.0\r\n{H}\r\n".encode(), 505, True),
    ("unknown method", f"FROB / HTTP/1.1\r\n{H}\r\n".encode(), 501, False),
    ("DELETE", f"DELETE /index.html HTTP/1.1\r\n{H}\r\n".encode(), 405, False),
    ("POST with a body", f"POST /index.html HTTP/1.1\r\n{H}Content-Length: 3\r\n\r\nabc".encode(), 405, False),
    ("NUL in the target", f"GET /a%00b HTTP/1.1\r\n{H}\r\n".encode(), 400, False),
    ("dot-dot", f"GET /../etc/passwd HTTP/1.1\r\n{H}\r\n".encode(), 400, False),
]
HALF = f"GET /index.html HTTP/1.1\r\n{H}X-Wait: ".encode()  # a header never finished


async def malformed_go(ctx, rng, turn, header_timeout):
    """One malformed request on a connection: its status checked, then that the server closes
    (broken framing), or that the connection still serves a good request. Now and then a header
    left unfinished, which must get 408 within the server's header timeout."""
    turn.conn = await ctx.open(ctx.port)
    if rng.random() < 0.05:
        what, data, status, closes = "unfinished header", HALF, 408, True
    else:
        what, data, status, closes = rng.choice(MALFORMED)
    turn.conn.write(data)
    r = await asyncio.wait_for(read_response(turn.conn, Ask(what, "GET", "/", status)), ctx.timeout + header_timeout)
    if closes:
        ctx.stats.ok("malformed", r)
        if not r.close:
            ctx.stats.fail("malformed", f"no Connection: close after {what}")
        await ctx.closes("malformed", turn.conn, f"after {what}")
    elif not await answered(ctx, "malformed", turn, r):
        r = await asyncio.wait_for(exchange(turn.conn, ctx.site.get("index.html")), ctx.timeout)
        ctx.stats.ok("malformed", r)


def malformed(ctx, header_timeout, name="malformed"):
    return client_loop(ctx, "malformed", name, lambda c, rng, turn: malformed_go(c, rng, turn, header_timeout),
                       lambda rng: ctx.rest(rng, 5))


async def vanish_go(ctx, rng, turn):
    """A client that goes away: half a header then a close or a reset, a request closed unread, a
    big response reset part-way, a connection closed at once. Nothing is checked but that the
    server lives on (the other clients see to that) and its descriptors come back."""
    way = rng.choice([half_close, half_reset, unread, reset_midway, connect_close])
    turn.conn = await ctx.open(ctx.port)
    turn.reset = way in (half_reset, reset_midway)
    await way(ctx, turn.conn, rng)
    ctx.stats.checked["vanish"] += 1
    ctx.stats.expect(f"vanished: {way.__doc__}")


def vanish(ctx, name="vanish"):
    return client_loop(ctx, "vanish", name, vanish_go, lambda rng: ctx.rest(rng, 5))


async def half_close(ctx, conn, rng):
    """half a header, then a close"""
    conn.write(HALF[:rng.randrange(1, len(HALF))])
    await asyncio.sleep(rng.uniform(0, 0.2))


async def half_reset(ctx, conn, rng):
    """half a header, then a reset"""
    await half_close(ctx, conn, rng)


async def unread(ctx, conn, rng):
    """a request, then a close, unread"""
    conn.write(ctx.site.get(rng.choice(ctx.site.small)).request())
    ctx.stats.log_maybe += 1  # the server may answer (and log) before it sees the close


async def reset_midway(ctx, conn, rng):
    """a big response reset part-way"""
    ask = ctx.site.get(rng.choice(ctx.site.big))
    conn.write(ask.request())
    head = await asyncio.wait_for(conn.read_until(b"\r\n\r\n", 64 * 1024), ctx.timeout)
    ctx.stats.began += 1
    if not head.startswith(b"HTTP/1.1 200 "):
        raise Broken("status for a big file", repr(head[:40]))
    want, got = rng.randrange(len(ask.body) // 2), 0
    while got < want:
        got += len(await asyncio.wait_for(conn.read_some(64 * 1024), ctx.timeout))


async def connect_close(ctx, conn, rng):
    """a connection closed at once"""
