"""`wirebrief serve` (the HTTP API under uvicorn) and `wirebrief serve-model` (llama.cpp's OpenAI-compatible server)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from wirebrief.cli import common
from wirebrief.errors import WirebriefError


def serve_model(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8080,
    parallel: Annotated[int, typer.Option(min=1, max=64, help="Requests decoded at once; they share "
                                          "WIREBRIEF_N_CTX, so each gets 1/N of the context.")] = 1,
    api_key: Annotated[str | None, typer.Option(envvar="WIREBRIEF_MODEL_SERVER_KEY",
                                                help="Require this bearer key.")] = None,
) -> None:
    """Serve the model (WIREBRIEF_MODEL_PATH or the packaged one) over an OpenAI-compatible HTTP API
    (llama.cpp's server), for several API workers and CLIs to share one model process."""
    import signal
    import threading

    from wirebrief.llm.model_server import start_model_server

    settings = common.get_settings()
    try:
        server = start_model_server(settings, host, port, parallel, api_key)
    except WirebriefError as exc:
        raise common.fail(exc) from None
    except RuntimeError as exc:  # xllamacpp: the port is taken, the model does not load
        common.err.print(f"[bold red]error:[/] the model server did not start: {escape(str(exc))}")
        raise typer.Exit(2) from None
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):  # llama.cpp installed its own handlers: take them back
        signal.signal(sig, lambda *_: stop.set())
    common.err.print(f"serving {escape(server.alias)} at {server.base_url}\n"
              f"use it with: WIREBRIEF_BACKEND=openai WIREBRIEF_OPENAI_BASE_URL={server.base_url} "
              f"WIREBRIEF_OPENAI_MODEL={escape(server.alias)}", soft_wrap=True)
    stop.wait()
    common.err.print("stopping")


def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Processes; each loads its own model (~2 GB).")] = 1,
) -> None:
    """Serve the HTTP API (docs at /docs) with uvicorn."""
    import uvicorn

    from wirebrief.api import create_app
    from wirebrief.api.connections import server_config

    try:  # a wrong setting is a clear error here, not a traceback from inside uvicorn
        settings = common.get_settings()
        app = create_app(settings)
    except WirebriefError as exc:
        raise common.fail(exc) from None
    if workers == 1:  # header deadline, keep-alive and connection bound: see wirebrief.api.connections
        uvicorn.run(app, host=host, port=port, **server_config(settings))
    else:
        uvicorn.run("wirebrief.api:create_app", factory=True, host=host, port=port, workers=workers,
                    **server_config(settings, importable=True))
