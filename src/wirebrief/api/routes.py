"""The HTTP edge: parse, call the service, shape the answer."""

from __future__ import annotations

import json
import re
from functools import partial
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.concurrency import run_in_threadpool

from wirebrief.api.body import json_body, parse_json
from wirebrief.api.connections import disconnected
from wirebrief.api.deps import ServiceDep, service_of
from wirebrief.api.errors import error_response, status_for, wirebrief_error
from wirebrief.api.models import (
    BatchItem,
    BatchRequest,
    BatchResponse,
    BriefRequest,
    BriefResponse,
    ErrorBody,
    ReconcileRequest,
)
from wirebrief.brief.schema import Brief, ErrorInfo
from wirebrief.errors import InputError
from wirebrief.figures.reconcile import Reconciliation, Source, reconcile
from wirebrief.text.redact import shorten

_BRIEF_ID = re.compile(r"b_[0-9a-f]{24}")

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text} for code, text in {
        400: "Body is not valid JSON (UTF-8, or UTF-16/32 with a BOM), or the text is binary junk",
        401: "Missing or invalid API key",
        408: "The body arrived too slowly (WIREBRIEF_BODY_TIMEOUT)",
        413: "Article or body over the size limit",
        415: "Content-Type is not application/json",
        422: "Empty text, or a request that does not match the schema",
        429: "Rate limit exceeded; see Retry-After",
        502: "The model's answer was unusable",
        503: "Model queue full or backend down; see Retry-After",
        504: "The model took too long: with detail.brief_id, the brief is still being made (fetch it later); "
             "without, the model call itself timed out",
    }.items()
}

v1 = APIRouter(prefix="/v1", tags=["briefs"], responses=_ERRORS)
ops = APIRouter(tags=["operations"])


@v1.post("/briefs", summary="Make a verified brief of one article", response_model=BriefResponse,
         openapi_extra=json_body(BriefRequest))
async def create_brief(request: Request) -> Response:
    """Every figure in the brief was found in the article by code; `brief_id` is derived from the cache key."""
    body = await parse_json(request, BriefRequest)  # the hot route: no dependencies, body parsed from bytes
    hangup = partial(disconnected, request)  # a client that hangs up frees its place in the model's queue
    brief = await service_of(request).brief_json(body, hangup)  # a hit is the cache's bytes: not validated again
    return Response(b'{"id":%s,"brief":%s}' % (json.dumps(body.id).encode(), brief),  # = BriefResponse
                    media_type="application/json")


@v1.post("/briefs:batch", summary="Make briefs of several articles", openapi_extra=json_body(BatchRequest))
async def create_batch(request: Request) -> BatchResponse:
    """Items are made in turn; each has its own status, and one failing item never fails the others."""
    service = service_of(request)
    body = await parse_json(request, BatchRequest, partial(_batch_size, limit=service.settings.batch_max))
    outcomes = await service.batch(body.items, partial(disconnected, request))
    return BatchResponse(results=[
        BatchItem(id=item.id, status=200, brief=outcome) if isinstance(outcome, Brief) else
        BatchItem(id=item.id, status=status_for(outcome), error=ErrorInfo.of(outcome))
        for item, outcome in zip(body.items, outcomes, strict=True)])


def _batch_size(raw: Any, limit: int) -> None:
    """The item count, checked on the parsed JSON before validation: 490,000 items are one error, not 490,000."""
    items = raw.get("items") if isinstance(raw, dict) else None
    if isinstance(items, list) and len(items) > limit:
        raise InputError(f"{len(items):,} items; the limit is {limit}", hint="split the batch")


@v1.get("/briefs/{brief_id}", summary="A brief made earlier", responses={404: {"model": ErrorBody}})
async def get_brief(brief_id: str, service: ServiceDep) -> Brief:
    """A brief by its id; if the job that was to make it (after a 504) failed, that job's error."""
    outcome = service.stored(brief_id) if _BRIEF_ID.fullmatch(brief_id) else None
    if isinstance(outcome, Brief):
        return outcome
    if outcome is not None:
        return wirebrief_error(outcome)  # type: ignore[return-value]
    if service.pending(brief_id):
        return error_response(404, "NotFound", f"brief {brief_id} is still being made",  # type: ignore[return-value]
                              {"pending": True, "hint": "retry in a few seconds"}, {"Retry-After": "5"})
    return error_response(404, "NotFound", f"no brief {shorten(brief_id)!r}")  # type: ignore[return-value]


@v1.post("/reconcile", summary="The same fact across articles: agreed, differing, revised",
         responses={404: {"model": ErrorBody}})
async def reconcile_articles(body: ReconcileRequest, service: ServiceDep) -> Reconciliation:
    """Figures of several articles grouped by fact (same event, unit, place and period), differences first.
    Each text is briefed as by POST /v1/briefs (cached); a `brief_id` names a brief made earlier."""
    sources = []
    for n, item in enumerate(body.articles):
        if item.text is not None:
            brief = await service.brief(BriefRequest(text=item.text, id=item.id))
            text = service.pipeline.prepare(item.text).doc.text
            sources.append(Source(item.id or str(n), brief.figures, text))
            continue
        stored = service.stored(item.brief_id or "") if _BRIEF_ID.fullmatch(item.brief_id or "") else None
        if not isinstance(stored, Brief):
            return error_response(404, "NotFound", f"no brief {shorten(item.brief_id or '')!r}")  # type: ignore[return-value]
        sources.append(Source(item.id or stored.brief_id, stored.figures))
    return reconcile(sources)


@ops.get("/healthz", summary="The process is alive")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@ops.get("/readyz", summary="Whether a brief can be made now", responses={503: {"model": ErrorBody}})
async def readyz(service: ServiceDep) -> JSONResponse:
    """200 `ready`; 200 `degraded` when the cache cannot be written (briefs are made uncached); 503 `not ready`
    when the model is not loaded or the backend is unreachable. `problems` says what is wrong."""
    report = await run_in_threadpool(service.readiness)  # probes may block: a remote backend, a cache write
    ready = report["status"] != "not ready"
    return JSONResponse(report, status_code=200 if ready else 503, headers=None if ready else {"Retry-After": "5"})


@ops.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(service: ServiceDep) -> Response:
    return Response(generate_latest(service.metrics.registry), media_type=CONTENT_TYPE_LATEST)
