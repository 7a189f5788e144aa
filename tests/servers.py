"""Servers on 127.0.0.1 for the fault tests and bench/faults.py: a switchable OpenAI-compatible stub, and
wirebrief's app under a real uvicorn (:func:`running`).

``stub.script = ["429", "ok"]`` answers the next chat completions with a 429, then a good answer (the last
entry repeats). Modes:

- ``ok``: a valid completion whose content is a brief draft (prose without numbers);
- ``invented``: a valid completion whose summary states numbers that are not in the article;
- ``sum``: a valid completion whose content is ``{"answer": 5}`` (what `wirebrief doctor` asks for);
- ``500``: HTTP 500 with a body that quotes the caller's Authorization header (a key an endpoint echoes);
- ``429``: HTTP 429 with ``Retry-After: stub.retry_after``;
- ``hang``: no answer until the client gives up (or the stub stops);
- ``malformed``: HTTP 200 with a body that is not JSON;
- ``truncated``: a completion with ``finish_reason: length``;
- ``close``: headers and half a body, then the connection closes;
- ``echo``: HTTP 400 whose message echoes the Authorization header and 5,000 characters of the request.
- ``trickle``: a good answer, status line and headers included, a few bytes per second (``trickle_rate``):
  every read gets bytes, so a per-read timeout never fires;
- ``toolong``: HTTP 400 "maximum context length" (OpenAI's, vLLM's) when the request body is over
  ``stub.context_bytes``, else a good answer.

``stub.calls`` counts chat completion requests; ``GET /v1/models`` always answers (readiness probes).
"""

from __future__ import annotations

import contextlib
import json
import select
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import uvicorn

DRAFT = {"headline": "Council buys buses", "summary": "The council approved new buses."}
INVENTED = {"headline": "Council buys 999 buses", "summary": "The council approved 999 new buses for 77 routes."}


def completion(content: dict[str, Any], finish_reason: str = "stop") -> dict[str, Any]:
    return {"id": "stub-1", "object": "chat.completion", "created": 0, "model": "stub",
            "choices": [{"index": 0, "finish_reason": finish_reason,
                         "message": {"role": "assistant", "content": json.dumps(content)}}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110}}


def labels_for(body: bytes) -> dict[str, Any] | None:
    """The answer to a labelling request (its schema is FigureLabels: a label under each figure's number): each
    figure's suggestion, echoed."""
    try:
        request = json.loads(body)
    except ValueError:
        return None
    fmt = request.get("response_format") or {}
    schema = (fmt.get("json_schema") or {}).get("schema") or {}
    if schema.get("title") != "FigureLabels":
        return None
    prompt = "\n".join(str(m.get("content", "")) for m in request.get("messages", []))
    said = [line.split("(suggestion:", 1)[1].strip()[:-1] for line in prompt.splitlines() if "(suggestion:" in line]
    return {key: label for key, label in zip(schema["properties"], said, strict=False)}


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that went away mid-answer (a killed batch) is part of the game


class StubServer:
    def __init__(self) -> None:
        self._script, self._from = ["ok"], 0
        self.retry_after = 1
        self.delay = 0.0
        """Seconds before each answer (to make requests overlap)."""
        self.trickle_rate = 8
        """Bytes per second of a ``trickle`` answer (4 every half second)."""
        self.context_bytes = 20_000
        """The largest request body a ``toolong`` answer accepts."""
        self.calls = 0
        """Calls for a brief's prose; the labelling step's calls are ``label_calls``."""
        self.label_calls = 0
        self.label_mode = "ok"
        """'ok' (each figure's suggestion echoed) or '500'."""
        self.call_times: list[float] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                self._json(200, {"object": "list", "data": [{"id": "stub", "object": "model"}]})

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                stub.answer(self, body)

            def _json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    @property
    def script(self) -> list[str]:
        return self._script

    @script.setter
    def script(self, modes: list[str]) -> None:
        """The answers to the next calls, from now on (the last one repeats)."""
        with self._lock:
            self._script, self._from = list(modes), self.calls

    def _mode(self) -> str:
        with self._lock:
            self.calls += 1
            self.call_times.append(time.monotonic())
            return self._script[min(self.calls - self._from, len(self._script)) - 1]

    def _labels(self, handler: Any, body: bytes) -> bool:
        """The labelling step's call, counted apart and answered by its own script (``label_mode``)."""
        labels = labels_for(body)
        if labels is None:
            return False
        with self._lock:
            self.label_calls += 1
        if self.label_mode == "ok":
            handler._json(200, completion(labels))
        else:
            handler._json(500, {"error": {"message": "labels broke", "type": "server"}})
        return True

    def answer(self, handler: Any, body: bytes) -> None:
        if self._labels(handler, body):
            return
        mode = self._mode()
        if self.delay:
            self._stop.wait(self.delay)
        auth = handler.headers.get("authorization", "")
        fixed = {"ok": DRAFT, "invented": INVENTED, "sum": {"answer": 5}}
        if mode in fixed:
            handler._json(200, completion(fixed[mode]))
        elif mode == "500":
            handler._json(500, {"error": {"message": f"internal error while serving {auth}", "type": "server"}})
        elif mode == "429":
            handler._json(429, {"error": {"message": "rate limited", "type": "rate_limit"}},
                          {"Retry-After": str(self.retry_after)})
        elif mode == "hang":
            self._stop.wait(30)
            handler.close_connection = True
        elif mode == "malformed":
            handler._json(200, b'{"id": "stub", "choices": [ this is not json')
        elif mode == "truncated":
            handler._json(200, completion(DRAFT, finish_reason="length"))
        elif mode == "close":
            handler.send_response(200)
            handler.send_header("content-type", "application/json")
            handler.send_header("content-length", "4000")
            handler.end_headers()
            handler.wfile.write(json.dumps(completion(DRAFT)).encode()[:40])
            handler.wfile.flush()
            handler.close_connection = True
        elif mode in ("trickle", "toolong"):
            (self._trickle if mode == "trickle" else self._toolong)(handler, body)
        elif mode == "echo":
            handler._json(400, {"error": {"message": f"bad request from {auth}: {body.decode()[:5000]}"}})
        else:
            raise ValueError(mode)

    def _toolong(self, handler: Any, body: bytes) -> None:
        """OpenAI's (and vLLM's) refusal of a prompt over the model's context, for a body over ``context_bytes``."""
        if len(body) <= self.context_bytes:
            handler._json(200, completion(DRAFT))
            return
        handler._json(400, {"error": {"message": "This model's maximum context length is 8192 tokens. However, your "
                                      "messages resulted in 12000 tokens.", "type": "invalid_request_error",
                                      "code": "context_length_exceeded"}})

    def _trickle(self, handler: Any, body: bytes) -> None:
        """The whole answer, head and body, 4 bytes at a time at ``trickle_rate`` bytes/s, until it is sent, the
        client hangs up or the stub stops."""
        data = json.dumps(completion(DRAFT)).encode()
        raw = (b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n%s"
               % (len(data), data))
        handler.close_connection = True
        for at in range(0, len(raw), 4):
            if self._stop.wait(4 / self.trickle_rate):
                return
            try:
                handler.wfile.write(raw[at:at + 4])
                handler.wfile.flush()
            except OSError:
                return

    def __enter__(self) -> StubServer:
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def running(app: Any, **config: Any) -> Iterator[str]:
    """``app`` under uvicorn on 127.0.0.1 (a free port), in a thread; yields the base URL."""
    server = uvicorn.Server(uvicorn.Config(app, **{"host": "127.0.0.1", "port": 0, "log_level": "warning", **config}))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def raw_post(url: str, path: str, chunks: Iterator[bytes], *, headers: dict[str, str] | None = None,
             pause: float = 0.0, chunked: bool = True) -> tuple[int | None, float, int]:
    """POST ``chunks`` over a raw socket (chunked transfer encoding unless a Content-Length is given), stopping
    as soon as the server answers. Returns (status or None, seconds until the answer, bytes sent)."""
    host, port = url.removeprefix("http://").split(":")
    head = {"Host": host, "Content-Type": "application/json", **(headers or {})}
    if chunked:
        head["Transfer-Encoding"] = "chunked"
    started = time.monotonic()
    sent = 0
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\n".encode()
                     + "".join(f"{k}: {v}\r\n" for k, v in head.items()).encode() + b"\r\n")
        for chunk in chunks:
            if select.select([sock], [], [], 0)[0]:
                break  # the server has answered (or closed): stop sending
            try:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
            except OSError:
                break
            sent += len(chunk)
            if pause:
                time.sleep(pause)
        else:
            with contextlib.suppress(OSError):
                sock.sendall(b"0\r\n\r\n" if chunked else b"")
        status = _status(sock)
    return status, time.monotonic() - started, sent


def _status(sock: socket.socket) -> int | None:
    try:
        line = sock.makefile("rb").readline()
    except OSError:
        return None
    parts = line.split()
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
