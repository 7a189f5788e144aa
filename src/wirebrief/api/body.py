"""Reading a JSON body straight from its bytes, for the hot route, with FastAPI's own failure modes."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool

M = TypeVar("M", bound=BaseModel)


def is_json(request: Request) -> bool:
    """As FastAPI decides it: no Content-Type, application/json, or application/*+json."""
    media = request.headers.get("content-type", "application/json").partition(";")[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


def json_body(model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI request body of a route that reads its body with :func:`parse_json`."""
    ref = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": ref}}}}


_INLINE_BYTES = 64_000
"""Bodies up to this size are validated on the event loop; larger ones in a thread."""


async def parse_json(request: Request, model: type[M]) -> M:
    """The body validated straight from its bytes by pydantic-core (a hot route skips FastAPI's slower body
    path); failures raise what FastAPI raises, so they get the same 415, 400 and 422 answers."""
    if not is_json(request):
        raise RequestValidationError([{"loc": ("body",), "msg": "not JSON", "type": "content_type"}])
    body = await request.body()
    if len(body) <= _INLINE_BYTES:
        return _validated(model, body)
    return await run_in_threadpool(_validated, model, body)


def _validated(model: type[M], body: bytes) -> M:
    try:
        return model.model_validate_json(_utf8(body))
    except ValidationError as exc:
        raise RequestValidationError([{**err, "loc": ("body", *err["loc"])}
                                      for err in exc.errors(include_url=False)]) from None


def _utf8(body: bytes) -> bytes | str:
    """JSON as json.loads (and so FastAPI's own body path) reads it: UTF-8, with or without a BOM, or UTF-16/32
    told by its BOM or its NUL pattern. Bytes that do not decode in the encoding found are left to fail as
    invalid JSON."""
    if not body or (body[0] not in (0, 0xEF, 0xFE, 0xFF) and (len(body) < 2 or body[1] != 0)):
        return body  # plain UTF-8: the hot path, untouched
    try:
        return body.decode(json.detect_encoding(body))
    except (UnicodeDecodeError, LookupError):
        return body
