"""The one place that cleans text wirebrief did not write before it reaches a client or a log.

Upstream error bodies, raw model output and request paths can carry keys (an endpoint that echoes the
Authorization header), megabytes of text, or control characters that forge log lines. :func:`redact` masks
secrets (the configured keys, and anything shaped like a key), flattens control characters and caps the
length. :class:`BackendError` runs every message through it, and :class:`RedactingFilter` guards the loggers
of the libraries that log such text themselves (instructor's retry loop, uvicorn's access log).
"""

from __future__ import annotations

import logging
import re
import threading

MASK = "[redacted]"
LIMIT = 300
"""Characters of upstream text kept in a message."""

_KEYLIKE = re.compile(
    r"\b(?:sk|pk|rk|ak)-[A-Za-z0-9_\-]{8,}"  # OpenAI-style keys
    r"|(?i:bearer)\s+[A-Za-z0-9._~+/=\-]{6,}"  # an echoed Authorization header
    r"|\b(?=[A-Za-z0-9_\-]*\d)(?=[A-Za-z0-9_\-]*[A-Za-z])[A-Za-z0-9_\-]{32,}"  # long tokens of letters and digits
)
_NAMED = re.compile(r"(?i)\b(api[_-]?key|access[_-]?token|token|secret|password|authorization)(\W{1,3})([^\s\"'&,;}]+)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]+")
_CONTROL_BUT_LF = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]+")
_QUERY_VALUE = re.compile(r"=[^&#\s]*")

_secrets: set[str] = set()
_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """A value that must never appear in a message or a log (a configured key), whatever its shape."""
    if value and len(value) >= 4:
        with _lock:
            _secrets.add(value)


def redact(text: object, limit: int = LIMIT, *, lines: bool = False) -> str:
    """``text`` with secrets masked, control characters flattened to spaces (newlines too, unless ``lines``),
    and at most ``limit`` characters (the rest counted, not shown)."""
    s = str(text)
    for secret in sorted(_secrets, key=len, reverse=True):
        s = s.replace(secret, MASK)
    s = _KEYLIKE.sub(MASK, s)
    s = _NAMED.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", s)
    s = (_CONTROL_BUT_LF if lines else _CONTROL).sub(" ", s)
    if len(s) > limit:
        s = f"{s[:limit]}… [{len(s) - limit:,} more characters]"
    return s


def shorten(text: str, limit: int = 80) -> str:
    """An id or a name echoed back to a client: at most ``limit`` characters."""
    return text if len(text) <= limit else f"{text[:limit]}… [{len(text) - limit:,} more characters]"


def without_query_values(path: str) -> str:
    """A request path for a log: query parameter names kept, their values (perhaps a key) masked."""
    base, sep, query = path.partition("?")
    return base + sep + _QUERY_VALUE.sub("=" + MASK, query) if sep else path


class RedactingFilter(logging.Filter):
    """Rewrites a record's message through :func:`redact` (long limit: tracebacks stay readable)."""

    def __init__(self, limit: int = 4000) -> None:
        super().__init__()
        self.limit = limit

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage(), self.limit, lines=True), None
        return True


class AccessLogFilter(logging.Filter):
    """For uvicorn's access log: the path's query values are masked (a client may send a key there)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], without_query_values(args[2]), *args[3:])
        return True


REDACTING = RedactingFilter()
ACCESS = AccessLogFilter()


def guard_logger(name: str, flt: logging.Filter = REDACTING) -> None:
    """Attach ``flt`` to the logger ``name`` (idempotent: a filter is added once)."""
    logging.getLogger(name).addFilter(flt)
