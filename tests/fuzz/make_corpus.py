#!/usr/bin/env python3
"""Writes the seed inputs of the fuzz targets, tests/fuzz/corpus/<target>/seed-*, from the unit
tests' inputs (tests/unit/...): the requests, responses, chunks, URLs, addresses, paths and
ranges that they check by hand, in each target's input format (see the top of <target>_fuzz.cpp).

    tests/fuzz/make_corpus.py            # rewrites the seed-* files; merged inputs are kept

scripts/fuzz.sh adds what long runs find beside them (files named by their SHA-1).
"""
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"


def session(stream, flags=0, cuts=b""):
    """http_session: flags (1 echo, 2 small limits, 4 eof, 8 timeout, 16 shutdown, 32 -v), cuts."""
    return bytes([flags, len(cuts)]) + cuts + stream


def reader(stream, flags=0, cuts=b""):
    """response_reader: flags (1 HEAD, 2 eof at the end), piece lengths, then the server's bytes."""
    return bytes([flags, len(cuts)]) + cuts + stream


GET = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
PIPELINE = (GET + b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\n"
            + b"GET /nope HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
            + b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
CHUNKED_POST = (b"POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n")

SEEDS = {
    "http_session": {
        "get": session(GET),
        "pipelined-split": session(PIPELINE, 1, bytes([5, 17, 1, 60])),
        "echo-post": session(b"POST /a?b HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\n"
                             b"Content-Length: 5\r\n\r\nhello" + GET, 1),
        "echo-chunked": session(CHUNKED_POST, 1, bytes([3])),
        "expect-continue": session(b"PUT /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                                   b"Content-Length: 4\r\n\r\nbody", 1, bytes([60, 4])),
        "http10-keep-alive": session(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET / HTTP/1.0\r\n\r\n"),
        "space-before-colon": session(b"GET / HTTP/1.1\r\nHost : x\r\n\r\n" + GET),
        "no-host": session(b"GET / HTTP/1.1\r\n\r\n"),
        "http2": session(b"GET / HTTP/2.0\r\nHost: x\r\n\r\n"),
        "gzip-chunked": session(b"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"),
        "body-too-large": session(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 65\r\n\r\n" + b"a" * 65, 3),
        "long-target": session(b"GET /" + b"a" * 70 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 2),
        "many-fields": session(b"GET / HTTP/1.1\r\nHost: x\r\n" + b"A: b\r\n" * 9 + b"\r\n", 3),
        "tls-hello": session(bytes.fromhex("16030100a5010000a10303") + b"\x00" * 16),
        "absolute-form": session(b"GET http://example.com/a HTTP/1.1\r\nHost: example.com\r\n\r\n", 1),
        "options-star": session(b"OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", 1),
        "connect": session(b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", 1),
        "partial-timeout": session(b"GET / HTTP/1.1\r\nHo", 8),
        "partial-eof-shutdown": session(b"HEAD / HTTP/1.1\r\n", 4 | 16 | 8),
        "verbose-bare-lf": session(b"GET / HTTP/1.1\nHost: x\n\n", 32 | 1),
        "leading-crlf": session(b"\r\n\r\n" + GET, 1, bytes([1, 1, 1])),
    },
    "response_reader": {
        "content-length": reader(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"),
        "continue-then-200": reader(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                                    b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 0, bytes([7, 30])),
        "chunked-trailer": reader(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                  b"3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n"),
        "close-delimited": reader(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end", 2),
        "head": reader(b"HTTP/1.1 200 OK\r\nContent-Length: 14\r\n\r\nHTTP/1.1 404 Not Found\r\n"
                       b"Content-Length: 0\r\n\r\n", 1),
        "lf-only": reader(b"HTTP/1.1 200 OK\nContent-Length: 3\n\nabc"),
        "no-content": reader(b"HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n"),
        "switching": reader(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x05hello"),
        "bad-status": reader(b"HTTP/1.1 20 OK\r\n\r\n"),
        "pipelined": reader(b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naHTTP/1.1 200 OK\r\n"
                            b"Connection: close\r\nContent-Length: 1\r\n\r\nb", 2, bytes([1])),
        "cut-short": reader(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 2),
    },
    "chunked": {
        "two-chunks": bytes([0, 0]) + b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
        "extensions": bytes([0, 2, 1, 3]) + b"5;a=b;c=\"d\\\"e\"\r\nhello\r\n0 ; last\r\n\r\n",
        "trailers": bytes([0, 0]) + b"1\r\nx\r\n0\r\nX-Checksum: abc\r\nX-More: 1\r\n\r\nGET",
        "lf-only-response": bytes([1, 0]) + b"3\nabc\n0\n\n",
        "huge-size": bytes([0, 0]) + b"ffffffffffffffff\r\n",
        "seventeen-digits": bytes([0, 0]) + b"10000000000000000\r\n",
        "over-limit": bytes([2, 0]) + b"21\r\n" + b"a" * 33 + b"\r\n0\r\n\r\n",
        "no-crlf-after-data": bytes([0, 1, 4]) + b"3\r\nabcX\r\n0\r\n\r\n",
        "bare-lf-request": bytes([0, 0]) + b"3\nabc\n0\n\n",
        "bad-extension": bytes([0, 0]) + b"3;=x\r\nabc\r\n0\r\n\r\n",
    },
    "url": {name: text.encode() for name, text in {
        "plain": "http://127.0.0.1:8888/",
        "no-path": "http://localhost",
        "ipv6": "http://[::1]:8888/",
        "ipv4-mapped": "http://[::ffff:127.0.0.1]:8881/",
        "query": "http://h:1/search?q=a&lang=fr",
        "query-no-path": "http://h:8888?q=1",
        "fragment": "http://h/page?x=1#frag?y",
        "leading-zero-port": "http://h:08080/",
        "upper-scheme": "HTTP://Example.COM/Path",
        "bare": "localhost:8888/hello",
        "bare-ipv6": "[::1]:8000/es",
        "at-in-path": "http://h/a%20b/@c",
        "userinfo": "http://user:pw@h/",
        "https": "https://example.com/",
        "port-zero": "http://h:0/",
        "unclosed": "http://[::1/",
        "space": "http://h/a b",
        "utf8": "http://h/caf\u00e9",
        "scheme-in-query": "localhost:8888/go?to=http://example.com/",
    }.items()},
    "endpoint": {name: bytes([choice]) + text.encode() for name, (choice, text) in {
        "ipv4": (0, "127.0.0.1:8888"),
        "name": (0, "localhost:80"),
        "ipv6": (0, "[::1]:8888"),
        "any6": (0, "[::]:8000"),
        "zone": (0, "[fe80::1%1]:80"),
        "mapped": (0, "[::ffff:127.0.0.1]:8881"),
        "default": (3, "localhost"),
        "bracket-default": (2, "[::1]"),
        "unbracketed": (0, "::1:80"),
        "url": (0, "http://h:80"),
        "port-only": (1, "65535"),
        "too-big": (0, "99999"),
        "v6-literal": (2, "fd00::2"),
        "v6-embedded-v4": (1, "::ffff:192.0.2.1"),
        "octal-like": (1, "010.0.0.1"),
    }.items()},
    "static_path": {name: text.encode() for name, text in {
        "root": "/",
        "index": "/index.html",
        "folder": "/docs",
        "folder-slash": "/docs/",
        "page": "/docs/page.html?x",
        "dot-dot": "/../outside.txt",
        "encoded-dot-dot": "/%2e%2e/outside.txt",
        "encoded-slash": "/docs%2fpage.html",
        "backslash": "/docs\\page.html",
        "dotfile": "/.git/config",
        "encoded-dotfile": "/%2egit/config",
        "nul": "/a.txt%00",
        "device": "/con.txt",
        "stream": "/a.txt::$DATA",
        "trailing-dot": "/a.txt.",
        "utf8": "/caf%C3%A9.txt",
        "overlong": "/%C0%AE%C0%AE/",
        "symlink-in": "/inside",
        "symlink-out": "/out",
        "symlink-up": "/up/outside.txt",
        "symlink-dir": "/docs-link/page.html",
        "loop": "/loop",
        "dangling": "/dangling",
        "empty-folder": "/empty/",
        "dots": "//./docs/./",
    }.items()},
    "byte_range": {name: bytes([0, size]) + text.encode() for name, (size, text) in {
        "first-bytes": (100, "bytes=0-9"),
        "open": (100, "bytes=10-"),
        "suffix": (100, "bytes=-5"),
        "suffix-larger": (10, "bytes=-50"),
        "suffix-zero": (10, "bytes=-0"),
        "past-end": (10, "bytes=10-"),
        "cut-to-end": (10, "bytes=5-500"),
        "reversed": (10, "bytes=5-2"),
        "list": (10, "bytes=0-1,3-4"),
        "other-unit": (10, "items=0-1"),
        "spaces": (10, " Bytes = 1-2 "),
        "if-range-etag": (10, "bytes=1-2\n\"5f3a-10\""),
        "if-range-weak": (10, "bytes=1-2\nW/\"5f3a-10\""),
        "if-range-date": (10, "bytes=1-2\nSun, 13 Sep 2020 12:26:40 GMT"),
        "head": (10, "bytes=1-2\nHEAD"),
        "empty-file": (0, "bytes=0-"),
    }.items()} | {"huge-size": bytes([1]) + (2**64 - 1).to_bytes(8, "big") + b"bytes=18446744073709551614-"},
    "echo_datagram": {
        # udp, count 3, size 16, burst 2, one large of 40; send 3, echoes 0, 2, 1, 1 (duplicate).
        "udp-numbered": bytes([0, 3, 16, 2, 1, 40]) + b"SSS" + b"".join(
            b"D" + bytes([16, 0]) + n.to_bytes(8, "big") + b"." * 8 for n in (0, 2, 1, 1, 7)),
        "udp-burst-large": bytes([0, 1, 16, 2, 1, 40]) + b"SP\x01\x00D\x10\x00" + (1).to_bytes(8, "big")
        + b"." * 8 + b"P\x02\x00D\x28\x01" + (3).to_bytes(8, "big") + b"." * 32,
        "udp-short": bytes([0, 2, 4, 0, 0]) + b"SD\x04\x00....SD\x02\x01..",
        "udp-unsent": bytes([0, 2, 16, 0, 0]) + b"D\x10\x00" + b"\xff" * 16,
        # tcp, count 2, size 8, burst 1, one large of 5: both messages, the burst, the large one.
        "tcp-stream": bytes([1, 2, 8, 1, 1, 5]) + b"SSR\x10" + b"." * 16 + b"R\x03..." + b"R\x0a" + b"x" * 10,
    },
}


def main():
    for target, seeds in SEEDS.items():
        folder = CORPUS / target
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("seed-*"):
            old.unlink()
        for name, data in seeds.items():
            (folder / f"seed-{name}").write_bytes(data)
        print(f"{target}: {len(seeds)} seeds")


if __name__ == "__main__":
    main()
