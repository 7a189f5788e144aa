"""`POST /v1/briefs:stream`: a brief as server-sent events, figures first.

The events, in order (each ``event: <name>`` with one JSON ``data:`` line):

- ``figures``: everything code makes, as soon as it has it (well before the model has written a word): the
  normalized ``text`` every span points into, ``figures``, ``checks``, ``key_points``, ``warnings``, ``brief_id``;
- ``prose``: the model's ``headline`` and ``summary``, once checked against the article;
- ``brief``: the final answer, byte for byte what ``POST /v1/briefs`` answers (``{"id": …, "brief": …}``);
- ``error``: instead of ``prose`` and ``brief`` when the model fails or takes too long (the API's error body,
  with ``status``); an error before the first event (bad input, a key, a full queue) is a plain HTTP error.

A cache hit sends the three events at once. The final line is ``data: [DONE]``, as OpenAI's streams end.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from wirebrief.api.body import json_body, parse_json
from wirebrief.api.deps import service_of
from wirebrief.api.errors import status_for, wirebrief_error
from wirebrief.api.models import BriefRequest
from wirebrief.errors import WirebriefError

stream = APIRouter(prefix="/v1", tags=["briefs"])

_SSE_DOC = {"200": {"description": "Server-sent events: figures, prose, brief (or error)",
                    "content": {"text/event-stream": {"schema": {"type": "string"}}}}}


@stream.post("/briefs:stream", summary="Make a brief, streamed: figures first, then the model's prose",
             response_class=StreamingResponse, openapi_extra={**json_body(BriefRequest), "responses": _SSE_DOC})
async def stream_brief(request: Request) -> StreamingResponse:
    """The same brief as `POST /v1/briefs`, as server-sent events: `figures` (what code made), `prose`, `brief`."""
    body = await parse_json(request, BriefRequest)
    events = await service_of(request).events(body)  # input errors, auth and a full queue raise here
    return StreamingResponse(_sse(events), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


async def _sse(events: AsyncIterator[tuple[str, Any]]) -> AsyncIterator[bytes]:
    async for name, data in events:
        yield frame(name, data)
    yield b"data: [DONE]\n\n"


def frame(name: str, data: Any) -> bytes:
    """One event: its name and its data as one JSON line (JSON never holds a raw newline)."""
    if isinstance(data, WirebriefError):
        name, data = "error", {**json.loads(bytes(wirebrief_error(data).body)), "status": status_for(data)}
    payload = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode()
    return b"event: %s\ndata: %s\n\n" % (name.encode(), payload)
