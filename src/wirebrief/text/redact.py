"""The one place that cleans text wirebrief did not write before it reaches a client or a log.

Upstream error bodies, raw model output and request paths can carry keys (an endpoint that echoes the
Authorization header), megabytes of text, or control characters that forge log lines. :func:`redact` masks
secrets (the configured keys, and anything shaped like a key), flattens control characters and caps the
length. :class:`BackendError` runs every message through it, and :class:`RedactingFilter` guards the loggers
of the libraries that log such text themselves (instructor's retry loop, uvicorn's access log).

Model output and article text that reach a client go through :func:`clean_line` (headline, summary, key points,
warnings: one line, escape sequences, controls and bidi overrides removed, secrets masked, tags dropped where
asked) and, in Markdown, :func:`md_escape`; a terminal line through :func:`printable`; an endpoint URL through
:func:`public_url`, whose credentials :func:`register_url_secrets` registers.
"""

from __future__ import annotations

import logging
import re
import threading
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

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
    s = _KEYLIKE.sub(MASK, _registered_masked(str(text)))
    s = _NAMED.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", s)
    s = (_CONTROL_BUT_LF if lines else _CONTROL).sub(" ", s)
    if len(s) > limit:
        s = f"{s[:limit]}… [{len(s) - limit:,} more characters]"
    return s


def _registered_masked(s: str) -> str:
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        s = s.replace(secret, MASK)
    return s


# --- text for a client or a terminal: model output, article text, names ---------------------------------------

_ESCAPE_SEQUENCE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, 'clear screen'
    r"|[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"  # OSC, DCS, SOS, PM, APC: window titles, hyperlinks
    r"|[ -/]*[0-~]?)"  # two- and three-character escapes, an unterminated string's opening, a lone ESC
    r"|\x9b[0-?]*[ -/]*[@-~]|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x9c)"  # their C1 forms
)
"""Removed whole, not only their ESC: '\\x1b]0;title\\x07' must not leave ']0;title' in a headline."""
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""C0 and C1 controls (the ones that space text excepted), bidi marks, embeddings, overrides and isolates."""
_TERMINAL_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_MARKUP = re.compile(r"<!--.*?(?:-->|$)|</?[A-Za-z!?][^<>]*>", re.DOTALL)
"""HTML tags and comments (a '<' before a digit or a space is prose: '<10%')."""
_PROSE_SECRETS = re.compile(
    r"\b(?:sk|pk|rk|ak)-[A-Za-z0-9_\-]{8,}"
    r"|\b(?i:bearer)\s+(?=[A-Za-z0-9._~+/=\-]*\d)[A-Za-z0-9._~+/=\-]{8,}"
    r"|\b(?=[A-Za-z0-9_\-]*\d)(?=[A-Za-z0-9_\-]*[A-Za-z])[A-Za-z0-9_\-]{32,}"
)
"""Key shapes in prose: like :data:`_KEYLIKE`, but 'bearer' needs a token with a digit ('bearer bonds' is news)."""
_PROSE_NAMED = re.compile(
    r"(?i)\b(api[_-]?key|access[_-]?token|token|secret|password|passwd|authorization|key)(\s*[=:]\s*)"
    r"(?=[^\s\"'&,;}]*[\d_\-])[^\s\"'&,;}]{6,}"
)
"""'api_key=…', 'password: hunter2': a named value with a digit, '_' or '-' in it ('Key: the vote' is prose)."""


def clean_line(text: str, *, markup: bool = False) -> str:
    """Model output or article text as one line for a client: escape sequences (a terminal cleared or retitled),
    controls and bidi overrides removed, newlines collapsed, secrets masked whatever their shape, and HTML tags
    dropped unless ``markup`` (an article's raw HTML never reaches a key point as markup)."""
    s = _INVISIBLE.sub("", _ESCAPE_SEQUENCE.sub("", text))
    s = _PROSE_SECRETS.sub(MASK, _registered_masked(s))
    s = _PROSE_NAMED.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", s)
    if not markup:
        s = _MARKUP.sub("", s)
    return " ".join(s.split())


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_MD_LINE_START = re.compile(r"^(\d*)([#+-](?=\s|$)|>|(?<=\d)[.)](?=\s|$)|[=-]+$)")
"""What makes a line a heading, a quote, a list item or a setext underline ('1. ' after its digits)."""


def md_escape(text: object) -> str:
    """Text for one Markdown line: cleaned (:func:`clean_line`, markup kept, then escaped), with every character that
    could open a tag, link, emphasis, code span or table cell backslash-escaped, and a heading, quote or list marker at
    its start too. '# injected' or '<script>' stays text."""
    s = _MD_SPECIAL.sub(r"\\\1", clean_line(str(text), markup=True))
    return _MD_LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", s)


def printable(text: str) -> str:
    """``text`` for a terminal, each control character (ESC, BEL, CR, C1…) and bidi override shown as U+FFFD, so
    the length (and a console's styling of it) stays: a file named with ESC cannot clear or retitle the terminal.
    Newlines and tabs are kept (a terminal line is made of lines); a name for one line goes through
    :func:`clean_line` or :func:`md_escape` first."""
    return _TERMINAL_UNSAFE.sub("\ufffd", text)


# --- an endpoint URL: identity without credentials ---------------------------------------------------------------

_SECRET_PARAM = re.compile(r"(?i)key|token|secret|pass|auth|sig|credential|session|code")


def _secret_param(name: str, value: str) -> bool:
    return bool(_SECRET_PARAM.search(name) or _KEYLIKE.search(value) or _registered_masked(value) != value)


def register_url_secrets(url: str | None) -> None:
    """The credentials a URL carries (user and password, secret-shaped query values) masked wherever they go. A
    user name is one only when it is long (a key given as the user) or has no password with it."""
    if not url:
        return
    parts = urlsplit(url)
    register_secret(parts.password)
    if parts.username and (parts.password is None or len(parts.username) >= 8):
        register_secret(parts.username)
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if _secret_param(name, value):
            register_secret(value)


def public_url(url: str) -> str:
    """``url`` as the endpoint's identity: scheme, host, port, path and the query parameters that are no secret;
    no user, password or secret-shaped query value (nor a key-shaped path segment)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = (f"[{host}]" if ":" in host else host) + (f":{parts.port}" if parts.port else "")
    path = _KEYLIKE.sub(MASK, _registered_masked(parts.path))
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _secret_param(k, v)])
    return urlunsplit((parts.scheme, netloc, path, query, ""))


def shorten(text: str, limit: int = 80) -> str:
    """An id or a name echoed back to a client: at most ``limit`` characters."""
    return text if len(text) <= limit else f"{text[:limit]}… [{len(text) - limit:,} more characters]"


def without_query_values(path: str) -> str:
    """A request path for a log: query parameter names kept, their values (perhaps a key) masked, and a key pasted
    into the path itself (a configured key, or anything shaped like one) masked too."""
    base, sep, query = path.partition("?")
    base = _KEYLIKE.sub(MASK, _registered_masked(base))
    return base + sep + _QUERY_VALUE.sub("=" + MASK, query) if sep else base


_ADDRESS = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s)]+|\[[0-9a-f:.]+\](?::\d+)?|\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?"
                      r"|\b[a-z][\w-]*(?:\.[\w-]+)*:\d{2,5}\b", re.IGNORECASE)
"""A URL, an IP address (v4, or v6 in brackets) with its port, or a host name with a port."""


def without_addresses(text: str) -> str:
    """``text`` with URLs, IP addresses and host:port pairs replaced: a client is not told where the internal
    servers (Redis, the model endpoint) are."""
    return _ADDRESS.sub("[address]", text)


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
