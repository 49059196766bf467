"""One client connection of scripts/soak.sh's load, on asyncio, with the bytes it has received in
view: unlike asyncio's StreamReader, which raises a reset before handing over what it had
buffered, it tells whether any byte of a response had arrived when the connection ended, which
is what decides between "no answer began" (Gone) and "an answer was cut short" (Broken).
"""
import asyncio
import socket
import struct


class Broken(Exception):
    """A check failed: a response that began did not arrive whole, or arrived wrong (unexpected)."""

    def __init__(self, kind, detail=""):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind


class Gone(Exception):
    """The connection ended (closed or reset) before any byte of the awaited response arrived."""


class Ended(Exception):
    """The connection ended while more bytes were awaited; error is the reset, or None on a close."""

    def __init__(self, error):
        super().__init__(repr(error) if error else "end of stream")
        self.error = error


class Conn(asyncio.Protocol):
    """A client connection: write() sends, the read_* coroutines wait for received bytes. While
    more than `high` bytes wait unread, the socket is not read: the kernel's buffer fills and TCP
    tells the server to wait, so a client that reads slowly is slow on the wire too."""

    def __init__(self, high):
        self.buf = bytearray()
        self.high = high
        self.received = 0  # bytes received since the connection opened
        self.ended = False
        self.error = None
        self.paused = False
        self.waiter = None
        self.transport = None

    # --- asyncio.Protocol ---
    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.buf += data
        self.received += len(data)
        if len(self.buf) > self.high and not self.paused:
            self.paused = True
            self.transport.pause_reading()
        self._wake()

    def eof_received(self):
        self.ended = True
        self._wake()
        return False  # the transport closes

    def connection_lost(self, exc):
        self.ended = True
        self.error = self.error or exc
        self._wake()

    def _wake(self):
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    # --- the client's side ---
    async def _more(self):
        """Waits for more bytes; raises Ended once none will come."""
        if self.ended:
            raise Ended(self.error)
        if self.paused:
            self.paused = False
            self.transport.resume_reading()
        self.waiter = asyncio.get_running_loop().create_future()
        await self.waiter

    def _take(self, n):
        data = bytes(self.buf[:n])
        del self.buf[:n]
        return data

    def write(self, data):
        if self.transport.is_closing():
            raise Ended(self.error)
        self.transport.write(data)

    async def read_until(self, separator, limit):
        """The bytes up to and including separator; Broken past limit bytes without it."""
        while (at := self.buf.find(separator)) < 0:
            if len(self.buf) > limit:
                raise Broken("no end of header", f"{len(self.buf)} bytes")
            await self._more()
        return self._take(at + len(separator))

    async def read_some(self, most):
        """Between 1 and most bytes, as soon as there are some."""
        while not self.buf:
            await self._more()
        return self._take(most)

    async def at_end(self):
        """Whether the server closes the connection with nothing more to send: True on a close or
        a reset after the last byte, False if a byte arrives instead."""
        try:
            await self.read_some(1)
        except Ended:
            return True
        return False

    def close(self, reset=False):
        """Closes; with reset, at once with a TCP reset (SO_LINGER 0), as a crashed client would."""
        if self.transport is None:
            return
        if reset:
            sock = self.transport.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.transport.abort()
        else:
            self.transport.close()


async def connect(host, port, rcvbuf=None, high=256 * 1024):
    """A Conn to host:port; rcvbuf sets a small receive buffer (a slow reader's)."""
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        if rcvbuf:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        sock.setblocking(False)
        await loop.sock_connect(sock, (host, port))
        _, conn = await loop.create_connection(lambda: Conn(high), sock=sock)
    except BaseException:
        sock.close()
        raise
    return conn
