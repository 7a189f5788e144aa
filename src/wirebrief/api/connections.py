"""What a peer may hold: how long a connection waits for its headers, how many connections there are, what the
accept loop logs when file descriptors run out, and what becomes of a request whose client hung up.

uvicorn's h11 protocol arms no timer until a first response is sent: a client that connects and sends nothing,
or its headers one byte a second, holds a connection (a file descriptor) for ever. :class:`GuardedH11Protocol`
adds a header deadline (``WIREBRIEF_HEADER_TIMEOUT``, from the connection's start or the end of the previous
response) and a connection bound (``WIREBRIEF_MAX_CONNECTIONS``, kept under the process's file limit): at the
bound, the oldest connection with no request in flight is closed to make room, so idle peers cannot lock out a
load balancer's ``/healthz``; only when every connection is busy is the newcomer refused with 503.
uvicorn's own ``limit_concurrency`` is not used: it counts connections only when a request arrives and then
answers 503 to every request, which is what a crowd of idle connections wants.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import time
from typing import Any, ClassVar, cast

import h11
from starlette.requests import Request
from uvicorn.protocols.http.h11_impl import H11Protocol

from wirebrief.settings import Settings, get_settings

MAX_HEADER_BYTES = 16 * 1024
"""Request line and headers together (h11's incomplete-event bound): a longer head is a 400."""
_TIMEOUT = b"HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
_BUSY = b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nretry-after: 1\r\nconnection: close\r\n\r\n"


def connection_limit(wanted: int) -> int:
    """``wanted``, lowered to half the soft RLIMIT_NOFILE (past the limit accept() fails, and asyncio stops
    accepting for a second each time): the other half is for the process's own files and for a burst of
    connections accepted in one go before the oldest idle ones are closed to make room."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return wanted if soft == resource.RLIM_INFINITY else max(1, min(wanted, soft // 2))


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a header deadline and a connection bound (see the module's docstring).

    The class attributes come from :func:`protocol_for`; left unset (``wirebrief serve --workers N`` names this
    class by its import path), they are read from the environment's settings."""

    header_timeout: ClassVar[float | None] = None
    max_connections: ClassVar[int | None] = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._opened = time.monotonic()
        self._deadline: asyncio.TimerHandle | None = None
        if len(self.connections) > self._limits()[1] and not self._make_room():
            transport.write(_BUSY)
            transport.close()
            return
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()  # the next request's headers have the same time to arrive

    @classmethod
    def _limits(cls) -> tuple[float, int]:
        if cls.header_timeout is None or cls.max_connections is None:
            settings = get_settings()
            cls.header_timeout, cls.max_connections = settings.header_timeout, connection_limit(
                settings.max_connections)
        return cls.header_timeout, cls.max_connections

    @property
    def idle(self) -> bool:
        """No request in flight: waiting for (the rest of) a request's headers, or between requests."""
        return self.conn.their_state is h11.IDLE and (self.cycle is None or self.cycle.response_complete)

    def _make_room(self) -> bool:
        """Close the oldest idle connection but this one; False if every other one is busy."""
        idle = [c for c in self.connections if c is not self and isinstance(c, GuardedH11Protocol) and c.idle]
        if not idle:
            return False
        min(idle, key=lambda c: c._opened)._close()
        return True

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self._limits()[0], self._headers_late)

    def _disarm(self) -> None:
        if getattr(self, "_deadline", None) is not None:
            self._deadline.cancel()  # type: ignore[union-attr]
            self._deadline = None

    def _headers_late(self) -> None:
        self._deadline = None
        if self.idle and not self.transport.is_closing():
            self.transport.write(_TIMEOUT)
            self._close()

    def _close(self) -> None:
        try:
            self.conn.send(h11.ConnectionClosed())
        except h11.LocalProtocolError:
            pass  # mid-request for h11: the transport closes all the same
        self.transport.close()


def protocol_for(settings: Settings) -> type[GuardedH11Protocol]:
    """A :class:`GuardedH11Protocol` with ``settings``' bounds."""
    bounds = {"header_timeout": settings.header_timeout, "max_connections": connection_limit(settings.max_connections)}
    return cast("type[GuardedH11Protocol]", type("GuardedH11Protocol", (GuardedH11Protocol,), bounds))


def server_config(settings: Settings, *, importable: bool = False) -> dict[str, Any]:
    """uvicorn.Config arguments for the connection bounds (``importable``: the protocol by its import path, for
    worker processes, which read their settings from the same environment)."""
    http: Any = f"{__name__}:GuardedH11Protocol" if importable else protocol_for(settings)
    return {"http": http, "timeout_keep_alive": settings.keep_alive_timeout,
            "h11_max_incomplete_event_size": MAX_HEADER_BYTES}


# --- the accept loop's log -------------------------------------------------------------------------------------

class OncePer(logging.Filter):
    """Lets one record whose message contains ``marker`` through per ``seconds``, as one line (no traceback), with
    the count of those dropped since. Out of file descriptors, asyncio's accept loop logs a traceback for every
    try: 76 MB in 17 s."""

    def __init__(self, marker: str, seconds: float) -> None:
        super().__init__()
        self.marker, self.seconds = marker, seconds
        self._next, self._dropped = 0.0, 0

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.marker not in message:
            return True
        now = time.monotonic()
        if now < self._next:
            self._dropped += 1
            return False
        reason = f": {record.exc_info[1]}" if record.exc_info and record.exc_info[1] else ""
        dropped = f" ({self._dropped:,} more like it in the last {self.seconds:g} s)" if self._dropped else ""
        record.msg, record.args = f"{message.splitlines()[0]}{reason}{dropped}", None
        record.exc_info, record.exc_text = None, None
        self._next, self._dropped = now + self.seconds, 0
        return True


ACCEPT_ERRORS = OncePer("out of system resource", 10.0)


def quiet_accept_errors() -> None:
    """Rate-limit asyncio's 'socket.accept() out of system resource' (idempotent)."""
    logging.getLogger("asyncio").addFilter(ACCEPT_ERRORS)


# --- a client that hangs up -------------------------------------------------------------------------------------

async def disconnected(request: Request) -> None:
    """Returns once the client has closed its connection. Await it only once the body has been read (it reads
    what comes after: nothing, then ``http.disconnect``)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass
