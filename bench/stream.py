"""Time to first figure: POST /v1/briefs:stream against a real `wirebrief serve`, embedded model. Prints a table.

    .venv/bin/python bench/stream.py                 # the five seeds
    .venv/bin/python bench/stream.py --seeds 000 004

The server runs in its own process with an empty cache (every seed is a miss: the model writes each brief), on
127.0.0.1. One short article first warms it (the model and the parser loaded), as any running server is. For each
seed, in turn: seconds from sending the request to the `figures` event (everything code makes), to the `prose`
event (the model's headline and summary) and to the final `brief`; and how many figures the first event held.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
WARM_UP = "The council approved 12 new buses for the city's three depots, the mayor said on Monday."


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(cache_dir: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "WIREBRIEF_CACHE_DIR": cache_dir}
    proc = subprocess.Popen([str(Path(sys.executable).with_name("wirebrief")), "serve", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/readyz", timeout=2).json().get("status") in ("ready", "degraded"):
                return proc, url
        except (httpx.HTTPError, ValueError):
            pass
        if proc.poll() is not None:
            raise SystemExit(f"wirebrief serve exited ({proc.returncode})")
        time.sleep(0.5)
    proc.terminate()
    raise SystemExit("the server was not ready in 600 s")


def timed_stream(url: str, text: str) -> dict[str, float]:
    """Seconds to each event's first arrival, and the first event's figure count."""
    seen: dict[str, float] = {}
    name = ""
    started = time.perf_counter()
    with httpx.stream("POST", f"{url}/v1/briefs:stream", json={"text": text}, timeout=600) as response:
        response.raise_for_status()
        for line in response.iter_lines():
            if line.startswith("event: "):
                name = line[7:]
                seen.setdefault(name, time.perf_counter() - started)
            elif line.startswith("data: ") and name == "figures" and "n" not in seen:
                seen["n"] = len(json.loads(line[6:])["figures"])
            elif line.startswith("data: ") and name == "error":
                raise SystemExit(f"error event: {line[6:]}")
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", nargs="*", default=None, help="seed prefixes (default: all five)")
    args = parser.parse_args()
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    if args.seeds:
        seeds = [s for s in seeds if any(s.name.startswith(p) for p in args.seeds)]
    with tempfile.TemporaryDirectory() as cache_dir:
        proc, url = start_server(cache_dir)
        try:
            timed_stream(url, WARM_UP)
            rows = [(seed.name[:3], timed_stream(url, seed.read_text(encoding="utf-8"))) for seed in seeds]
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print("POST /v1/briefs:stream, embedded model, empty cache, one request at a time (seconds)\n")
    print("| seed | figures | first `figures` | `prose` | final `brief` |\n|---|---:|---:|---:|---:|")
    for name, seen in rows:
        print(f"| {name} | {int(seen.get('n', 0))} | {seen['figures']:.3f} | {seen.get('prose', float('nan')):.2f} "
              f"| {seen.get('brief', float('nan')):.2f} |")
    firsts = sorted(seen["figures"] for _, seen in rows)
    print(f"\nfirst figure: median {firsts[len(firsts) // 2]:.3f} s, max {firsts[-1]:.3f} s")


if __name__ == "__main__":
    main()
