"""The editor's page at ``/`` and its assets, plus the one API call only the page needs (``POST /v1/figures:read``).

The page is static: ``static/index.html``, ``app.js`` and ``app.css``, shipped in the wheel. Its asset URLs carry
the first 12 hex digits of their sha256 (``/static/app.3f2a….js``), so a new release is never served from a stale
browser cache, and every answer carries a strict Content-Security-Policy: scripts and styles only from this origin,
no inline script or handler, no ``eval``, no frames. The page and its assets are public; what it asks the API needs
the key (when keys are set), which the page sends as ``Authorization: Bearer`` from the key field.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from fastapi import APIRouter
from fastapi.responses import Response

from wirebrief.api.errors import error_response
from wirebrief.api.models import ReadMention, ReadRequest, ReadResponse
from wirebrief.brief.assemble import quote_for
from wirebrief.errors import InputError
from wirebrief.figures.finder import find_numbers
from wirebrief.text.sentences import sentence_spans

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
"""Nothing inline, nothing from elsewhere: the page works offline and an article's markup cannot run."""
_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
            "X-Frame-Options": "DENY"}
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
ASSETS = ("app.js", "app.css")
MAX_READ_CHARS = 200_000
"""The longest text ``figures:read`` reads (an article over the API's limit was never briefed)."""

page = APIRouter(tags=["page"], include_in_schema=False)
editor = APIRouter(prefix="/v1", tags=["editor"])


@dataclass(frozen=True)
class Asset:
    """One static file: its versioned URL name and bytes."""

    name: str
    body: bytes
    media_type: str


@cache
def assets() -> dict[str, Asset]:
    """The page's assets by versioned name (``app.<hash>.js``), read once from the package."""
    folder = files("wirebrief.api") / "static"
    out = {}
    for name in ASSETS:
        body = (folder / name).read_bytes()
        stem, _, ext = name.rpartition(".")
        versioned = f"{stem}.{hashlib.sha256(body).hexdigest()[:12]}.{ext}"
        out[versioned] = Asset(versioned, body, _TYPES["." + ext])
    return out


@cache
def index_html() -> bytes:
    """index.html with each ``{{app.js}}`` placeholder replaced by the asset's versioned URL."""
    html = (files("wirebrief.api") / "static" / "index.html").read_text(encoding="utf-8")
    for asset in assets().values():
        stem, _, ext = asset.name.split(".")
        html = html.replace("{{" + f"{stem}.{ext}" + "}}", f"/static/{asset.name}")
    return html.encode()


@page.get("/")
async def index() -> Response:
    """The editor's page."""
    return Response(index_html(), media_type="text/html; charset=utf-8",
                    headers={**_HEADERS, "Cache-Control": "no-cache"})


@page.get("/static/{name}")
async def static(name: str) -> Response:
    """A versioned asset, cached for a year (its name changes with its content)."""
    asset = assets().get(name)
    if asset is None:
        return error_response(404, "NotFound", "no such asset")
    return Response(asset.body, media_type=asset.media_type,
                    headers={**_HEADERS, "Cache-Control": "public, max-age=31536000, immutable"})


@editor.post("/figures:read", summary="The number the finder reads in a selection of an article")
async def read_figures(body: ReadRequest) -> ReadResponse:
    """For an editor adding a figure the brief missed: the finder's mentions that overlap `span` in `text`, with
    their values, units and sentences, so a gold record's value and spans always come from the article."""
    start, end = body.span
    if len(body.text) > MAX_READ_CHARS:
        raise InputError(f"the text has {len(body.text):,} characters; the limit is {MAX_READ_CHARS:,}")
    if not 0 <= start < end <= len(body.text):
        raise InputError(f"span {start}-{end} is not inside the text ({len(body.text)} characters)",
                         hint="select text of the article shown")
    sentences = sentence_spans(body.text)
    found = [m for m in find_numbers(body.text) if m.start < end and start < m.end]
    return ReadResponse(mentions=[
        ReadMention(raw=m.raw, value=m.value, unit=m.unit, kind=m.kind, qualifier=m.qualifier, span=(m.start, m.end),
                    quote=body.text[qs:qe], quote_span=(qs, qe))
        for m in found for qs, qe in [quote_for(sentences, m)]])
