"""HTTP API benchmarks on 127.0.0.1. Prints tables.

    .venv/bin/python bench/api.py hits [--seconds 10 --connections 16]   # needs wrk (apt-get install wrk)
    .venv/bin/python bench/api.py overload [--n 50]                       # the real embedded model

`hits`: cache-hit throughput of POST /v1/briefs against a bare FastAPI endpoint returning the same JSON
(a `dict` in, the brief `dict` out), in one run, one uvicorn process at a time, wrk as the load. Also shown:
wirebrief with an API key and the rate limiter on, and the floor (pre-serialized bytes, body unparsed).
The wirebrief app runs with the scripted fake backend: a cache hit never reaches the model.
`overload`: N concurrent distinct uncached articles against the embedded model; counts statuses.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SEED = sorted((ROOT / "seeds").glob("*.txt"))[4]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(factory: str, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", factory, "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "warning", "--no-access-log"],
        env={**os.environ, **env, "PYTHONPATH": f"{ROOT}:{ROOT / 'src'}"}, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    proc.kill()
    raise SystemExit(f"{factory} did not become ready")


def wrk(url: str, body: str, seconds: int, connections: int, key: str = "") -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(f'wrk.method = "POST"\nwrk.body = {json.dumps(body)}\n'
                     'wrk.headers["Content-Type"] = "application/json"\n'
                     + (f'wrk.headers["Authorization"] = "Bearer {key}"\n' if key else ""))
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name,
                          f"{url}/v1/briefs"], capture_output=True, text=True, check=True).stdout
    def ms(label: str) -> float:
        m = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out)
        assert m, out
        return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": ms("50"), "p99": ms("99"), "errors": float(non2xx.group(1)) if non2xx else 0.0}


def served(factory: str, env: dict[str, str], body: str, seconds: int, connections: int,
           key: str = "") -> dict[str, float]:
    """One server process at a time, so the others do not share the two cores."""
    proc, url = start(factory, env)
    try:
        headers = {"content-type": "application/json", **({"authorization": f"Bearer {key}"} if key else {})}
        assert httpx.post(f"{url}/v1/briefs", content=body, headers=headers, timeout=60).status_code == 200  # fill
        return wrk(url, body, seconds, connections, key)
    finally:
        proc.terminate()
        proc.wait()


def hits(seconds: int, connections: int) -> None:
    cache = tempfile.mkdtemp()
    body = json.dumps({"text": SEED.read_text()})
    env = {"WIREBRIEF_CACHE_DIR": cache}
    proc, url = start("bench._apps:wirebrief_app", env)
    try:  # the brief both bare apps return
        same_json = Path(cache) / "response.json"
        same_json.write_bytes(httpx.post(f"{url}/v1/briefs", content=body, timeout=60,
                                         headers={"content-type": "application/json"}).content)
    finally:
        proc.terminate()
        proc.wait()
    keyed = {**env, "WIREBRIEF_API_KEYS": "bench-key", "WIREBRIEF_RATE_LIMIT_PER_MINUTE": "100000000"}
    bare = {"BENCH_JSON": str(same_json)}
    results = {
        "wirebrief (cache hit)": served("bench._apps:wirebrief_app", env, body, seconds, connections),
        "wirebrief, API key + limit": served("bench._apps:wirebrief_app", keyed, body, seconds, connections,
                                             key="bench-key"),
        "bare FastAPI, same JSON": served("bench._apps:bare_app", bare, body, seconds, connections),
        "bare, pre-serialized bytes": served("bench._apps:bare_bytes_app", bare, body, seconds, connections),
    }
    print(f"{'server':<28}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}{'ratio':>8}")
    reference = results["bare FastAPI, same JSON"]["rps"]
    for name, r in results.items():
        print(f"{name:<28}{r['rps']:>9.0f}{r['p50']:>9.2f}{r['p99']:>9.2f}{r['errors']:>9.0f}"
              f"{r['rps'] / reference:>8.2f}")
    print(f"ratio = req/s over the bare FastAPI endpoint's (target >= 0.8 for the cache hit); "
          f"{connections} connections, {seconds} s each, wrk -t1, one server at a time")


def overload(n: int) -> None:
    texts = [f"Report {i}. " + SEED.read_text()[: 500 + 13 * i] for i in range(n)]
    proc, url = start("wirebrief.api:create_app", {"WIREBRIEF_CACHE_DIR": tempfile.mkdtemp()})

    async def one(client: httpx.AsyncClient, text: str) -> tuple[int, float]:
        t = time.perf_counter()
        r = await client.post(f"{url}/v1/briefs", json={"text": text})
        return r.status_code, time.perf_counter() - t

    async def run() -> list[tuple[int, float]]:
        async with httpx.AsyncClient(timeout=900, limits=httpx.Limits(max_connections=n)) as client:
            return list(await asyncio.gather(*(one(client, t) for t in texts)))

    try:
        started = time.perf_counter()
        results = asyncio.run(run())
        wall = time.perf_counter() - started
        depth = re.search(r"wirebrief_queue_depth ([\d.]+)", httpx.get(f"{url}/metrics").text)
    finally:
        proc.terminate()
    by_status: dict[int, list[float]] = {}
    for status, seconds in results:
        by_status.setdefault(status, []).append(seconds)
    print(f"{n} concurrent distinct uncached articles, embedded model, wall {wall:.0f} s")
    print(f"{'status':>7}{'count':>7}{'min s':>9}{'max s':>9}")
    for status, times in sorted(by_status.items()):
        print(f"{status:>7}{len(times):>7}{min(times):>9.2f}{max(times):>9.2f}")
    print(f"queue depth after the run: {depth.group(1) if depth else '?'}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["hits", "overload"])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--n", type=int, default=50)
    args = parser.parse_args()
    hits(args.seconds, args.connections) if args.mode == "hits" else overload(args.n)


if __name__ == "__main__":
    main()
