"""Hostile input at the HTTP edge and in the normalizer: bounded bodies, encodings, escapes, echoes, logs."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from tests.conftest import brief_reply, seed_text
from tests.servers import raw_post, running

from wirebrief.api import create_app
from wirebrief.llm.fake import FakeBackend
from wirebrief.settings import Settings
from wirebrief.text.normalize import clean, normalize

TEXT = seed_text("004")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, FakeBackend([brief_reply()]))) as c:
        yield c


def chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    block = b"x" * size
    for _ in range(total // size):
        yield block


def test_a_chunked_body_over_the_limit_is_refused_while_it_streams(settings: Settings) -> None:
    app = create_app(settings, FakeBackend([brief_reply()]))
    with running(app) as url:
        for path in ("/v1/briefs", "/v1/briefs:batch"):
            status, seconds, sent = raw_post(url, path, chunks(50_000_000))
            assert status == 413 and seconds < 1, (path, status, seconds)
            assert sent < 20 * settings.max_body_bytes  # the server stopped reading long before the end
        assert httpx.get(f"{url}/healthz").status_code == 200
        ok = httpx.post(f"{url}/v1/briefs", json={"text": TEXT}, timeout=10)
        assert ok.status_code == 200  # a chunked body under the limit still works:
        small = raw_post(url, "/v1/briefs", iter([b'{"text": ', b'"The council approved 12 buses."}']))
        assert small[0] == 200


def test_a_declared_length_over_the_limit_is_refused_before_reading(settings: Settings) -> None:
    app = create_app(settings, FakeBackend([brief_reply()]))
    with running(app) as url:
        status, seconds, _ = raw_post(url, "/v1/briefs", chunks(5_000_000), chunked=False,
                                      headers={"Content-Length": "5000000"})
    assert status == 413 and seconds < 1


def test_slow_loris_gets_408_and_does_not_hold_up_others(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"body_timeout": 1.0}), FakeBackend([brief_reply()]))
    with running(app) as url:
        result: list[tuple[int | None, float, int]] = []
        slow = threading.Thread(target=lambda: result.append(raw_post(
            url, "/v1/briefs", iter([b"{"] * 100), pause=0.2, chunked=False, headers={"Content-Length": "100"})))
        slow.start()
        time.sleep(0.3)
        started = time.monotonic()
        assert httpx.get(f"{url}/healthz").status_code == 200
        assert time.monotonic() - started < 0.5
        slow.join(timeout=10)
    status, seconds, _ = result[0]
    assert status == 408 and seconds < 3


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "utf-32"])
def test_json_in_utf16_or_with_a_bom_is_read(client: TestClient, encoding: str) -> None:
    body = '{"text": "The council approved 12 new buses."}'.encode(encoding)
    for path, payload in (("/v1/briefs", body),
                          ("/v1/briefs:batch", f'{{"items": [{body.decode(encoding)}]}}'.encode(encoding))):
        r = client.post(path, content=payload, headers={"content-type": "application/json"})
        assert r.status_code == 200, (path, r.text)


def test_long_ids_are_not_echoed_whole(client: TestClient) -> None:
    long_id = "x" * 60_000
    r = client.get(f"/v1/briefs/{long_id}")
    assert r.status_code == 404 and len(r.content) < 500
    r = client.post("/v1/briefs", json={"text": TEXT, "id": long_id})
    assert r.status_code == 422 and len(r.content) < 1000


def test_prompt_not_found_shows_no_server_path(client: TestClient) -> None:
    for prompt_id in ("nope", "../../etc/passwd"):
        r = client.post("/v1/briefs", json={"text": TEXT, "options": {"prompt_id": prompt_id}})
        assert r.status_code == 422 and r.json()["error"]["type"] == "PromptNotFound"
        assert "prompts" not in r.json()["error"]["message"] and "/work" not in r.text


def test_a_key_in_the_query_string_never_reaches_the_access_log(settings: Settings) -> None:
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    handler = Keep()
    access = logging.getLogger("uvicorn.access")
    app = create_app(settings, FakeBackend([brief_reply()]))
    with running(app, log_level="info") as url:
        access.addHandler(handler)
        try:
            httpx.get(f"{url}/healthz?api_key=sk-query-secret-123456&x=1")
        finally:
            access.removeHandler(handler)
    assert lines and all("sk-query-secret" not in line for line in lines)
    assert any("api_key=[redacted]" in line for line in lines)


def test_a_text_with_no_readable_numbers_is_warned(client: TestClient) -> None:
    r = client.post("/v1/briefs", json={"text": "市议会周一批准购买新的公共汽车，官员表示这些车辆明年投入使用。"})
    brief = r.json()["brief"]
    assert r.status_code == 200 and brief["figures"] == []
    assert any("CJK script" in w for w in brief["warnings"])
    hit = client.post("/v1/briefs", json={"text": "市议会周一批准购买新的公共汽车，官员表示这些车辆明年投入使用。"})
    assert hit.json()["brief"]["meta"]["cache_hit"] and hit.json()["brief"]["warnings"] == brief["warnings"]
    latin = client.post("/v1/briefs", json={"text": "The council approved new buses on Monday."}).json()["brief"]
    assert latin["figures"] == [] and not any("script" in w for w in latin["warnings"])


# --- the normalizer ------------------------------------------------------------------------------------

def test_ansi_escapes_leave_nothing_behind() -> None:
    doc = normalize("\x1b[31mAlert:\x1b[0m the council bought \x1b[1;32m12\x1b[0m buses\x1b]0;title\x07.")
    assert doc.text == "Alert: the council bought 12 buses." and "[31m" not in doc.text
    coloured = "".join(f"\x1b[3{i % 8}m{w}\x1b[0m " for i, w in enumerate("a b c d e f g h".split()))
    assert normalize(coloured).text == "a b c d e f g h"  # escapes are not counted as binary junk


def test_bidi_controls_are_removed() -> None:
    text = "Costs rose \u202e01\u202c percent \u2066to\u2069 \u202a$5\u202c million."
    assert clean(text) == "Costs rose 01 percent to $5 million."


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_utf16_and_bom_files_are_decoded(encoding: str) -> None:
    assert normalize("The council approved 12 buses.".encode(encoding)).text == "The council approved 12 buses."


def test_binary_is_still_refused_with_a_clear_message() -> None:
    from wirebrief.errors import UndecodableInput

    with pytest.raises(UndecodableInput, match="binary|control"):
        normalize(bytes(range(256)) * 10)


# --- issue 20 items 9 and 17 ------------------------------------------------------------------------------------

def test_invisible_characters_in_a_number_make_one_figure(client: TestClient) -> None:
    text = "Officials said 1\u2063000 people fled and 2\u00ad500 stayed behind in the town on Monday."
    figures = client.post("/v1/briefs", json={"text": text}).json()["brief"]["figures"]
    assert sorted(f["value"] for f in figures) == [1000, 2500]


def test_a_markdown_link_gives_no_figure_and_no_markup_in_labels(client: TestClient) -> None:
    text = "Police said [x](javascript:alert(1)) 300 people fled the town on Monday."
    figures = client.post("/v1/briefs", json={"text": text}).json()["brief"]["figures"]
    assert [f["value"] for f in figures] == [300]
    assert all("javascript" not in str(v) and "alert" not in str(v) for f in figures for v in f.values())


def test_a_one_paragraph_html_article_is_summarized(client: TestClient) -> None:
    r = client.post("/v1/briefs", json={"html": "<p>The city council approved 12 new buses on Monday.</p>"})
    assert r.status_code == 200, r.text
    assert [f["value"] for f in r.json()["brief"]["figures"]] == [12]


def test_closed_stdin_is_a_clear_error(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from wirebrief.pipeline import build_pipeline
    from wirebrief.runs.batch import Article, summarize_one

    monkeypatch.setattr(sys, "stdin", None)  # what Python leaves for `wirebrief summarize - <&-`
    record = summarize_one(build_pipeline(settings, backend=FakeBackend([brief_reply()])), Article("stdin", None))
    assert record.error is not None and "NoneType" not in record.error.message
    assert "stdin" in record.error.message.lower() or "standard input" in record.error.message.lower()
    assert record.error.hint and "unexpected" not in record.error.hint
