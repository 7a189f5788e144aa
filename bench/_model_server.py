"""`wirebrief serve-model` on a free loopback port, for the benches that compare backends and batch runners."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx


def start_model_server(parallel: int = 1) -> tuple[subprocess.Popen[bytes], str]:
    """Start the packaged model's server with ``parallel`` slots (4,096 tokens each); its /v1 URL once healthy."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "WIREBRIEF_N_CTX": str(4096 * parallel)}
    proc = subprocess.Popen([sys.executable, "-m", "wirebrief.cli", "serve-model", "--port", str(port),
                             "--parallel", str(parallel)], env=env, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return proc, f"{url}/v1"
        except httpx.TransportError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("serve-model did not start")
