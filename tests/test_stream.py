"""POST /v1/briefs:stream: figures first, then prose, then the very brief POST /v1/briefs gives; and the page."""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient
from tests.conftest import brief_reply, seed_text
from tests.servers import running

from wirebrief.api import create_app
from wirebrief.api.page import CSP, assets
from wirebrief.evals.cases import place_spans
from wirebrief.llm.fake import FakeBackend
from wirebrief.settings import Settings

TEXT = seed_text("004")


def events(body: bytes) -> list[tuple[str, Any]]:
    """The (event, data) pairs of a text/event-stream body."""
    out = []
    for block in body.decode().split("\n\n"):
        name = re.search(r"^event: (.*)$", block, re.M)
        data = re.search(r"^data: (.*)$", block, re.M)
        if data is not None and data.group(1) != "[DONE]":
            out.append((name.group(1) if name else "message", json.loads(data.group(1))))
    return out


def without_timing(brief: dict[str, Any]) -> dict[str, Any]:
    meta = {k: v for k, v in brief["meta"].items() if k not in ("latency_ms", "model_latency_ms", "cache_hit")}
    return {**brief, "meta": meta}


def test_stream_events_in_order_and_final_brief_is_posts(settings: Settings, tmp_path: Path) -> None:
    with TestClient(create_app(settings, FakeBackend([brief_reply()]))) as client:
        r = client.post("/v1/briefs:stream", json={"text": TEXT, "id": "s1"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        got = events(r.content)
        assert [name for name, _ in got] == ["figures", "prose", "brief"]
        first, prose, final = (data for _, data in got)
        assert first["figures"] == final["brief"]["figures"] and first["checks"] == final["brief"]["checks"]
        assert first["text"][slice(*first["figures"][0]["span"])] == first["figures"][0]["raw"]
        assert prose == {"headline": final["brief"]["headline"], "summary": final["brief"]["summary"]}
        assert final["id"] == "s1" and not final["brief"]["meta"]["cache_hit"]
        hit = events(client.post("/v1/briefs:stream", json={"text": TEXT}).content)
        assert [n for n, _ in hit] == ["figures", "prose", "brief"] and hit[2][1]["brief"]["meta"]["cache_hit"]
    other = Settings(**{**settings.model_dump(), "cache_dir": tmp_path / "other"})
    with TestClient(create_app(other, FakeBackend([brief_reply()]))) as client:
        posted = client.post("/v1/briefs", json={"text": TEXT, "id": "s1"}).json()
    assert without_timing(posted["brief"]) == without_timing(final["brief"])


def test_figures_arrive_before_the_model_is_done(settings: Settings) -> None:
    app = create_app(settings, FakeBackend([brief_reply()], delay=1.5))
    with running(app) as url, httpx.stream("POST", f"{url}/v1/briefs:stream", json={"text": TEXT},
                                           timeout=30) as r:
        started, seen = time.monotonic(), {}
        for line in r.iter_lines():
            if line.startswith("event: "):
                seen.setdefault(line[7:], time.monotonic() - started)
    assert seen["figures"] < 1.0 < seen["prose"], seen


def test_errors_before_and_after_the_first_event(settings: Settings) -> None:
    with TestClient(create_app(settings, FakeBackend([brief_reply()]))) as client:
        assert client.post("/v1/briefs:stream", json={"text": ""}).status_code == 422
    slow = Settings(**{**settings.model_dump(), "api_timeout": 0.3})
    with TestClient(create_app(slow, FakeBackend([brief_reply()], delay=2))) as client:
        got = events(client.post("/v1/briefs:stream", json={"text": TEXT}).content)
        assert [n for n, _ in got] == ["figures", "error"]
        assert got[1][1]["status"] == 504 and got[1][1]["error"]["detail"]["brief_id"]


def test_stream_and_read_need_the_key_the_page_does_not(settings: Settings) -> None:
    keyed = Settings(**{**settings.model_dump(), "api_keys": "k-123"})
    with TestClient(create_app(keyed, FakeBackend([brief_reply()]))) as client:
        assert client.post("/v1/briefs:stream", json={"text": TEXT}).status_code == 401
        assert client.post("/v1/figures:read", json={"text": TEXT, "span": [0, 5]}).status_code == 401
        ok = client.post("/v1/briefs:stream", json={"text": TEXT}, headers={"Authorization": "Bearer k-123"})
        assert ok.status_code == 200
        page = client.get("/")
        assert page.status_code == 200 and page.headers["content-security-policy"] == CSP
        for name in re.findall(r'(?:src|href)="/static/([^"]+)"', page.text):
            asset = client.get(f"/static/{name}")
            assert asset.status_code == 200 and "immutable" in asset.headers["cache-control"]
        assert set(re.findall(r'/static/([^"]+)"', page.text)) == set(assets())
        assert client.get("/static/app.js").status_code == 404  # only versioned names
        assert "<script>" not in page.text and not re.search(r"\son[a-z]+\s*=", page.text, re.I)  # nothing inline


def test_read_figure_and_export_passes_check_gold(settings: Settings) -> None:
    """What the page does on 'add a missed figure', then the gold record check-gold accepts."""
    from wirebrief.text.normalize import normalize

    text = normalize(TEXT).text
    at = text.index("2,500")
    with TestClient(create_app(settings, FakeBackend([brief_reply()]))) as client:
        r = client.post("/v1/figures:read", json={"text": text, "span": [at, at + 3]})
        assert client.post("/v1/figures:read", json={"text": text, "span": [5, 2]}).status_code == 422
    (m,) = r.json()["mentions"]
    assert m["value"] == 2500 and text[slice(*m["span"])] == m["raw"] and text[slice(*m["quote_span"])] == m["quote"]
    record = {"id": "seed-004", "article": "seeds/004.txt", "set": "dev", "key_facts": [], "figures": [
        {"raw": m["raw"], "value": m["value"], "unit": "people", "what": "ISIS fighters at large",
         "qualifier": m["qualifier"], "status": "required", "quote": m["quote"], "span": m["span"]}]}
    assert place_spans(record, text) == []


def test_measure_units_in_the_page_cover_the_finders() -> None:
    """The page colours a figure by kind from its unit: its list of measure units must know the finder's."""
    from wirebrief.figures import units

    js = next(a.body.decode() for a in assets().values() if a.name.endswith(".js"))
    listed = set(re.findall(r'"([^"]+)"', js[js.index("MEASURE_UNITS"):js.index("]", js.index("MEASURE_UNITS"))]))
    wanted = {unit for _, unit in units._MEASURES} | {"kWh", "MW", "MB", "Mbps"}
    assert wanted - {"Mb"} <= listed, wanted - listed


def test_concurrent_streams_share_one_computation(settings: Settings) -> None:
    fake = FakeBackend([brief_reply()], delay=0.5)
    app = create_app(settings, fake)
    results: list[int] = []
    with running(app) as url:
        def go() -> None:
            results.append(httpx.post(f"{url}/v1/briefs:stream", json={"text": TEXT}, timeout=30).status_code)
        threads = [threading.Thread(target=go) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert results == [200, 200, 200] and len(fake.requests) == 1
