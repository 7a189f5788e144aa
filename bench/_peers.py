"""Hostile peers for bench/faults.py (issue 20, items 6, 7, 8, 13): amplification through validation errors, slow
and idle connections, smuggling shapes, clients that hang up. Each function measures one server and returns rows."""

from __future__ import annotations

import json
import select
import socket
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ATTACKS: list[tuple[str, str, Callable[[], bytes]]] = [
    ("490,000 integers in a batch", "/v1/briefs:batch", lambda: b'{"items":[' + b",".join([b"1"] * 490_000) + b"]}"),
    ("60,000 unknown keys in a brief", "/v1/briefs",
     lambda: json.dumps({"text": "x", **{f"k{i}": 1 for i in range(60_000)}}).encode()),
    ("60,000 unknown keys in a batch item", "/v1/briefs:batch",
     lambda: json.dumps({"items": [{"text": "x", **{f"k{i}": 1 for i in range(60_000)}}]}).encode()),
    ("20 items, 2 errors each", "/v1/briefs:batch",
     lambda: json.dumps({"items": [{"text": "x", "id": 5, "options": {"prompt_id": "p" * 5000}}] * 20}).encode()),
    ("a 900 KB unknown key", "/v1/briefs", lambda: json.dumps({"text": "x", "k" * 900_000: 1}).encode()),
]


@contextmanager
def healthz_watch(url: str) -> Iterator[list[float]]:
    """/healthz latencies (ms) while the block runs."""
    latencies: list[float] = []
    stop = threading.Event()

    def poll() -> None:
        with httpx.Client(timeout=30) as client:
            while not stop.is_set():
                started = time.perf_counter()
                try:
                    client.get(f"{url}/healthz")
                except httpx.HTTPError:
                    pass
                latencies.append((time.perf_counter() - started) * 1000)
                time.sleep(0.01)

    thread = threading.Thread(target=poll)
    thread.start()
    time.sleep(0.1)
    try:
        yield latencies
    finally:
        stop.set()
        thread.join()


def amplification(url: str) -> list[tuple[str, int, int, int, float, float]]:
    """(attack, body bytes, status, answer bytes, seconds, /healthz worst ms) per attack."""
    rows = []
    for name, path, make in ATTACKS:
        body = make()
        with healthz_watch(url) as latencies:
            started = time.monotonic()
            r = httpx.post(f"{url}{path}", content=body, headers={"content-type": "application/json"}, timeout=120)
            seconds = time.monotonic() - started
        rows.append((name, len(body), r.status_code, len(r.content), seconds, max(latencies)))
    return rows


def _open(sock: socket.socket) -> bool:
    """Whether the server still holds ``sock``: it has neither closed it nor answered (a 408 or 503 it sends
    before closing)."""
    return not select.select([sock], [], [], 0)[0]


def _address(url: str) -> tuple[str, int]:
    host, port = url.removeprefix("http://").split(":")
    return host, int(port)


def slow_headers(url: str, limit: float = 30.0) -> float:
    """Seconds until a client sending its headers at one byte every 0.5 s is cut (``limit`` if never)."""
    started = time.monotonic()
    with socket.create_connection(_address(url)) as sock:
        for byte in b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200:
            if not _open(sock) or time.monotonic() - started > limit:
                break
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                break
            time.sleep(0.5)
    return time.monotonic() - started


def idle_crowd(url: str, pid: int, n: int, log_size: Callable[[], int]) -> dict[str, Any]:
    """``n`` connections that send nothing (and ``n // 4`` that send half a request line): how many the server
    holds, /healthz meanwhile, log bytes written, and how many are left after the header timeout."""
    before = log_size()
    idle: list[socket.socket] = []
    refused = 0
    for i in range(n + n // 4):
        try:
            sock = socket.create_connection(_address(url), timeout=5)
        except OSError:
            refused += 1
            continue
        if i >= n:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost")
        idle.append(sock)
    try:
        with healthz_watch(url) as latencies:
            time.sleep(1.0)
        held = sum(_open(s) for s in idle)
        fds = len(list(Path(f"/proc/{pid}/fd").iterdir()))
        time.sleep(3.0)
        later = sum(_open(s) for s in idle)
    finally:
        for sock in idle:
            sock.close()
    return {"opened": len(idle) + refused, "held": held, "held_later": later, "server_fds": fds,
            "healthz_p50": statistics.median(latencies), "healthz_max": max(latencies),
            "log_bytes": log_size() - before}


def smuggled(url: str) -> str:
    """What a request with both Content-Length and Transfer-Encoding gets: its status, and whether the connection
    was closed after it."""
    body = b'{"text": "The council approved 12 new buses on Monday."}'
    request = (b"POST /v1/briefs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
               b"Transfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n" % (len(body), len(body), body))
    with socket.create_connection(_address(url), timeout=5) as sock:
        sock.sendall(request)
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
            closed = "closed"
        except TimeoutError:
            closed = "kept open"
    return f"{answer.split(b' ', 2)[1].decode() if answer else 'no answer'}, {closed}"


def hangups(url: str, stub: Any, n: int) -> dict[str, Any]:
    """``n`` clients (the queue's capacity) post and hang up; then one more posts: its status and time, and the
    model calls the hung-up ones cost."""
    stub.delay, calls = 1.0, stub.calls
    try:
        for i in range(n):
            body = json.dumps({"text": f"Hang-up {i}. The council approved {i + 20} new buses."}).encode()
            with socket.create_connection(_address(url)) as sock:
                sock.sendall(b"POST /v1/briefs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                             b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
                time.sleep(0.1)
        time.sleep(0.2)
        started = time.monotonic()
        r = httpx.post(f"{url}/v1/briefs", json={"text": "After the hang-ups, 7 buses."}, timeout=60)
        return {"hung_up": n, "status": r.status_code, "seconds": time.monotonic() - started,
                "model_calls": stub.calls - calls}
    finally:
        stub.delay = 0.0


def print_peers(amp: list[tuple[str, int, int, int, float, float]], conn: dict[str, Any],
                hang: dict[str, Any]) -> None:
    print("\n## Amplification: an invalid body's answer (limit 1 MB), /healthz meanwhile\n")
    print("| attack | body | status | answer | seconds | /healthz worst |\n|---|---:|---:|---:|---:|---:|")
    for name, size, status, answer, seconds, worst in amp:
        print(f"| {name} | {size / 1e6:.2f} MB | {status} | {answer:,} B | {seconds:.2f} | {worst:.0f} ms |")
    print(f"\nlargest answer: {max(r[3] for r in amp):,} B; /healthz worst case: {max(r[5] for r in amp):.0f} ms")
    print("\n## Slow and idle connections (server with `ulimit -n 256`, WIREBRIEF_HEADER_TIMEOUT=2)\n")
    print("| slow headers (1 B / 0.5 s) cut after | idle connections opened | held | server fds | held 3 s later | "
          "/healthz meanwhile (p50 / max) | log written | CL + TE |\n|---:|---:|---:|---:|---:|---|---:|---|")
    print(f"| {conn['slow']:.1f} s | {conn['opened']} | {conn['held']} | {conn['server_fds']} | {conn['held_later']} | "
          f"{conn['healthz_p50']:.1f} / {conn['healthz_max']:.1f} ms | {conn['log_bytes']:,} B | {conn['smuggled']} |")
    print("\n## Clients that hang up while queued (queue of 4, model 1 s per brief)\n")
    print("| hung up | next request | its time | model calls |\n|---:|---:|---:|---:|")
    print(f"| {hang['hung_up']} | {hang['status']} | {hang['seconds']:.2f} s | {hang['model_calls']} |")
