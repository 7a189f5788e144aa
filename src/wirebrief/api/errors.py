"""The only place that knows HTTP status codes for wirebrief errors; every error body has one shape."""

from __future__ import annotations

import logging
import math
import traceback
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from wirebrief import errors as e
from wirebrief.api.body import SHOWN_ERRORS, is_json
from wirebrief.api.service import ClientGone
from wirebrief.text.redact import redact, shorten

log = logging.getLogger(__name__)

STATUS: list[tuple[type[e.WirebriefError], int]] = [
    (e.EmptyInput, 422),
    (e.InputTooLarge, 413),
    (e.UndecodableInput, 400),
    (e.UnsupportedInput, 415),
    (e.InputError, 422),
    (e.PromptNotFound, 422),
    (e.Overloaded, 503),
    (e.BackendUnavailable, 503),
    (e.BackendTimeout, 504),
    (e.OutputTruncated, 502),
    (e.InvalidModelOutput, 502),
    (e.BackendError, 502),
    (e.ConfigError, 500),
]


_HTTP_TYPES = {400: "InvalidBody", 401: "Unauthorized", 404: "NotFound", 405: "MethodNotAllowed",
               408: "RequestTimeout", 413: "InputTooLarge", 429: "RateLimited"}


def status_for(exc: e.WirebriefError) -> int:
    return next((code for cls, code in STATUS if isinstance(exc, cls)), 500)


def error_response(status: int, type_: str, message: str, detail: Any = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"error": {"type": type_, "message": message, "detail": detail}}
    return JSONResponse(body, status_code=status, headers=headers)


def wirebrief_error(exc: e.WirebriefError) -> JSONResponse:
    status = status_for(exc)
    retry_after = getattr(exc, "retry_after", None) or 5
    headers = {"Retry-After": str(math.ceil(retry_after))} if status == 503 else None
    detail = {"hint": exc.hint, **{k: v for k, v in exc.detail.items() if _jsonable(v)}}
    return error_response(status, type(exc).__name__, exc.message, detail, headers)


def http_error(exc: StarletteHTTPException) -> JSONResponse:
    """An HTTPException (401, 404, 429…) in the one error shape."""
    headers = dict(exc.headers) if exc.headers else None
    kind = _HTTP_TYPES.get(exc.status_code, "HTTPError")
    detail = {"hint": "send the body as UTF-8 JSON"} if exc.status_code == 400 else None  # FastAPI's parse error
    return error_response(exc.status_code, kind, str(exc.detail), detail, headers)


def validation_errors(exc: RequestValidationError) -> tuple[list[dict[str, Any]], str]:
    """At most :data:`~wirebrief.api.body.SHOWN_ERRORS` errors, each one short (a key name can be 900 KB), and
    how many there were, for a 422 or a 400 that stays small whatever the body."""
    every = exc.errors()
    total = getattr(exc, "total", len(every))
    shown = [{"loc": [shorten(part) if isinstance(part, str) else part for part in err.get("loc", ())],
              "msg": shorten(str(err.get("msg")), 200), "type": err.get("type")} for err in every[:SHOWN_ERRORS]]
    return shown, f" ({total:,} errors; the first {len(shown)} shown)" if total > len(shown) else ""


def _jsonable(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool, type(None), list, dict))


def install(app: FastAPI) -> None:
    @app.exception_handler(e.WirebriefError)
    async def _wirebrief(_: Request, exc: e.WirebriefError) -> JSONResponse:
        return wirebrief_error(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        if request.method == "POST" and not is_json(request):
            return error_response(415, "UnsupportedMediaType", "send the article as application/json",
                                  {"hint": 'POST {"text": "…"} with Content-Type: application/json'})
        errors, more = validation_errors(exc)
        if any(err["type"] in ("json_invalid", "value_error.jsondecode") for err in errors):
            return error_response(400, "InvalidBody", "the body is not valid UTF-8 JSON", errors)
        return error_response(422, "InvalidRequest", f"the request does not match the schema{more}", errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return http_error(exc)

    @app.exception_handler(ClientGone)
    async def _gone(_: Request, __: ClientGone) -> Response:
        return Response(status_code=499)  # nginx's "client closed request": nobody reads it; /metrics counts it

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected error: %s", redact("".join(traceback.format_exception(exc)), 8000, lines=True))
        return error_response(500, "InternalError", "an unexpected error; it has been logged", None)
