"""Two `wirebrief serve` replicas sharing a real redis-server, the model played by the stub on 127.0.0.1 (it
counts the model calls of both). Prints three tables:

1. hit rate on replica 2 for the articles made on replica 1 (target 100%);
2. model calls for K identical concurrent requests split across both replicas (target 1);
3. cache-hit throughput of one replica with Redis vs diskcache (wrk, the same article; target >= 0.7x), and the
   latency of a hit read from the store itself (memory tier off): Redis GET vs SQLite.

    .venv/bin/python bench/replicas.py [--seconds 5 --connections 16]     # needs redis-server and wrk
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.redis_server import RedisServer, binary, free_port  # noqa: E402
from tests.servers import StubServer  # noqa: E402

from bench.api import wrk  # noqa: E402
from wirebrief.llm.fake import FakeBackend, brief_reply  # noqa: E402
from wirebrief.pipeline import build_pipeline  # noqa: E402
from wirebrief.settings import Settings  # noqa: E402
from wirebrief.store.cache import BriefCache  # noqa: E402

ARTICLES = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "evals/articles/bbc").glob("*.txt"))[:5]


def serve(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "wirebrief.cli", "serve", "--port", str(port)],
                            env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return proc, url
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("wirebrief serve did not become ready")


def post(url: str, text: str) -> dict:  # type: ignore[type-arg]
    answer = httpx.post(f"{url}/v1/briefs", json={"text": text}, timeout=120)
    answer.raise_for_status()
    return answer.json()["brief"]  # type: ignore[no-any-return]


def stop(*procs: subprocess.Popen[bytes]) -> None:
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=10)


def replicas(redis_url: str, stub: StubServer, cache_dir: str) -> None:
    env = {"WIREBRIEF_CACHE_URL": redis_url, "WIREBRIEF_BACKEND": "openai", "WIREBRIEF_OPENAI_BASE_URL": stub.url,
           "WIREBRIEF_OPENAI_MODEL": "stub", "WIREBRIEF_OPENAI_API_KEY": "sk-bench", "WIREBRIEF_CACHE_DIR": cache_dir,
           "WIREBRIEF_QUEUE_CAPACITY": "64"}
    (p1, one), (p2, two) = serve(env), serve(env)
    try:
        texts = [a.read_text(encoding="utf-8") for a in ARTICLES]
        for text in texts:
            post(one, text)
        calls = stub.calls
        hits = sum(post(two, text)["meta"]["cache_hit"] for text in texts)
        print(f"{'articles made on replica 1':<34}{'hits on replica 2':>18}{'hit rate':>10}{'model calls':>13}")
        print(f"{len(texts):<34}{hits:>18}{hits / len(texts):>10.0%}{stub.calls - calls:>13}\n")
        print(f"{'K identical concurrent requests':<34}{'200s':>6}{'model calls':>13}{'wall s':>8}")
        for k, seed in ((2, "The council approved 12 new buses on Monday."), (8, "Rainfall rose 40% to 812 mm."),
                        (32, "The port handled 3.2 million containers in 2023, up 7%.")):
            before, started = stub.calls, time.perf_counter()
            with ThreadPoolExecutor(k) as pool:
                got = list(pool.map(lambda i, s=seed: post((one, two)[i % 2], s), range(k)))
            print(f"{k:<34}{len(got):>6}{stub.calls - before:>13}{time.perf_counter() - started:>8.1f}")
        print()
    finally:
        stop(p1, p2)


def throughput(env: dict[str, str], body: str, seconds: int, connections: int, stub: StubServer) -> dict[str, float]:
    proc, url = serve({"WIREBRIEF_BACKEND": "openai", "WIREBRIEF_OPENAI_BASE_URL": stub.url,
                       "WIREBRIEF_OPENAI_MODEL": "stub", "WIREBRIEF_OPENAI_API_KEY": "sk-bench", **env})
    try:
        assert httpx.post(f"{url}/v1/briefs", content=body, headers={"content-type": "application/json"},
                          timeout=60).status_code == 200
        return wrk(url, body, seconds, connections)
    finally:
        stop(proc)


def store_reads(redis_url: str, cache_dir: Path, reps: int = 500) -> dict[str, float]:
    """p50 ms of a hit read from the store with the memory tier off (what a replica pays for a brief it has not
    seen yet)."""
    brief = build_pipeline(Settings(cache_dir=cache_dir / "x"), FakeBackend([brief_reply()])).summarize(
        ARTICLES[4].read_text(encoding="utf-8"))
    out = {}
    for name, cache in (("redis", BriefCache(cache_dir, hot_size=0, url=redis_url)),
                        ("diskcache", BriefCache(cache_dir / "disk", hot_size=0))):
        cache.put("f" * 64, brief, {})
        times = []
        for _ in range(reps):
            started = time.perf_counter()
            assert cache.get("f" * 64) is not None
            times.append((time.perf_counter() - started) * 1000)
        out[name] = statistics.median(times)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    path = binary()
    if path is None:
        raise SystemExit("redis-server is not installed (apt-get install redis-server)")
    with RedisServer(path) as redis_server, StubServer() as stub, tempfile.TemporaryDirectory() as tmp:
        stub.delay = 0.5
        replicas(redis_server.url, stub, tmp)
        stub.delay = 0.0
        body = json.dumps({"text": ARTICLES[4].read_text(encoding="utf-8")})
        rows = {"diskcache": throughput({"WIREBRIEF_CACHE_DIR": f"{tmp}/disk"}, body, args.seconds,
                                        args.connections, stub),
                "redis": throughput({"WIREBRIEF_CACHE_URL": redis_server.url, "WIREBRIEF_CACHE_DIR": f"{tmp}/unused"},
                                    body, args.seconds, args.connections, stub)}
        reads = store_reads(redis_server.url, Path(tmp))
    print(f"{'cache hits, one replica':<26}{'req/s':>9}{'p50 ms':>8}{'p99 ms':>8}{'errors':>8}{'vs disk':>9}"
          f"{'store read p50 ms':>19}")
    for name, r in rows.items():
        print(f"{name:<26}{r['rps']:>9.0f}{r['p50']:>8.2f}{r['p99']:>8.2f}{r['errors']:>8.0f}"
              f"{r['rps'] / rows['diskcache']['rps']:>9.2f}{reads[name]:>19.3f}")


if __name__ == "__main__":
    main()
