"""Reading a JSON body straight from its bytes, for the hot route, with FastAPI's own failure modes."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from typing import Any, TypeVar, get_args, get_origin

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool

M = TypeVar("M", bound=BaseModel)


def is_json(request: Request) -> bool:
    """As FastAPI decides it: no Content-Type, application/json, or application/*+json."""
    media = request.headers.get("content-type", "application/json").partition(";")[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


_BODY_MODELS: dict[str, type[BaseModel]] = {}


def json_body(model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI request body of a route that reads its body with :func:`parse_json` (its schema is added to the
    components by :func:`document_bodies`)."""
    _BODY_MODELS[model.__name__] = model
    ref = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": ref}}}}


def document_bodies(app: FastAPI) -> None:
    """Put the models of :func:`json_body` routes in the OpenAPI components: such a route declares no body
    parameter (it reads its body itself), so FastAPI does not."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = build()
            schemas = spec.setdefault("components", {}).setdefault("schemas", {})
            for name, model in _BODY_MODELS.items():
                schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
                for inner, defined in schema.pop("$defs", {}).items():
                    schemas.setdefault(inner, defined)
                schemas.setdefault(name, schema)
        return app.openapi_schema or {}

    app.openapi = openapi  # type: ignore[method-assign]


_INLINE_BYTES = 64_000
"""Bodies up to this size are validated on the event loop; larger ones in a thread."""


SHOWN_ERRORS = 10
"""Validation errors listed in a 422 (the total is said): 490,000 bad items must not make a 68 MB answer."""


class CappedValidationError(RequestValidationError):
    """The first :data:`SHOWN_ERRORS` of ``total`` validation errors."""

    def __init__(self, errors: list[Any], total: int) -> None:
        super().__init__(errors)
        self.total = total


Check = Callable[[Any], None]
"""Raises (an InputError) on a parsed body too big to validate: sizes are checked before pydantic runs."""


async def parse_json(request: Request, model: type[M], check: Check | None = None) -> M:
    """The body validated straight from its bytes by pydantic-core (a hot route skips FastAPI's slower body
    path); failures raise what FastAPI raises, so they get the same 415, 400 and 422 answers. With ``check``,
    the body is parsed first and ``check`` sees it before validation. A large body is read off the event loop."""
    if not is_json(request):
        raise RequestValidationError([{"loc": ("body",), "msg": "not JSON", "type": "content_type"}])
    body = await request.body()
    if len(body) <= _INLINE_BYTES:
        return _validated(model, body, check)
    return await run_in_threadpool(_validated, model, body, check)


def _validated(model: type[M], body: bytes, check: Check | None) -> M:
    raw: Any = _NOT_PARSED
    try:
        if check is None:
            return model.model_validate_json(_utf8(body))
        raw = _parsed(body)
        check(raw)
        _refuse_unknown_keys(model, raw)
        return model.model_validate(raw)
    except ValidationError as exc:
        if exc.error_count() > 10 * SHOWN_ERRORS:  # listing them all costs more than validating: find out why
            _refuse_unknown_keys(model, _parsed(body) if raw is _NOT_PARSED else raw)
        errors = exc.errors(include_url=False, include_input=False, include_context=False)[:SHOWN_ERRORS]
        raise CappedValidationError([{**err, "loc": ("body", *err["loc"])} for err in errors],
                                    exc.error_count()) from None


_NOT_PARSED = object()


def _refuse_unknown_keys(model: type[BaseModel], raw: Any) -> None:
    """Many unknown keys (60,000 in 650 KB) are refused from their count, before pydantic makes (and a client is
    sent) an error for each: listing 60,000 errors takes pydantic 0.5 s with the GIL held."""
    unknown = list(itertools.islice(_unknown_keys(model, raw, ("body",)), 10 * SHOWN_ERRORS + 1))
    if len(unknown) > SHOWN_ERRORS:
        total = sum(1 for _ in _unknown_keys(model, raw, ("body",)))
        raise CappedValidationError([{"loc": loc, "msg": "Extra inputs are not permitted", "type": "extra_forbidden"}
                                     for loc in unknown[:SHOWN_ERRORS]], total)


def _unknown_keys(model: type[BaseModel], raw: Any, loc: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
    """The locations of keys ``model`` forbids in ``raw``, through its nested models and lists of them."""
    if not isinstance(raw, dict):
        return
    fields = {field.alias or name: field.annotation for name, field in model.model_fields.items()}
    forbid = model.model_config.get("extra") == "forbid"
    for key, value in raw.items():
        if key not in fields:
            if forbid:
                yield (*loc, key)
            continue
        for inner, many in _models_in(fields[key]):
            for n, item in enumerate(value) if many and isinstance(value, list) else [(None, value)]:
                yield from _unknown_keys(inner, item, (*loc, key) if n is None else (*loc, key, n))


def _models_in(annotation: Any) -> Iterator[tuple[type[BaseModel], bool]]:
    """The models an annotation holds: ``X``, ``X | None`` (one), ``list[X]`` (many)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation, False
    elif get_origin(annotation) is list:
        yield from ((m, True) for m, _ in _models_in(get_args(annotation)[0]))
    else:
        for arg in get_args(annotation):
            yield from _models_in(arg)


def _parsed(body: bytes) -> Any:
    """The body as FastAPI's own path parses it (json.loads: a lone surrogate is a string, not an error)."""
    try:
        return json.loads(_utf8(body))
    except (ValueError, RecursionError):
        raise RequestValidationError([{"loc": ("body",), "msg": "JSON decode error", "type": "json_invalid"}]) \
            from None


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
