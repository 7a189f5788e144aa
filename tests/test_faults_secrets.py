"""Secrets and dirty text never reach a client (issue 20, items 3, 4, 10, 15): credentials in the endpoint URL, model
output and article text with keys, control sequences, bidi overrides and markup, settings missing from the cache
key, and a remote model's prose over its caps."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

import pytest
from pydantic import SecretStr
from tests.conftest import brief_reply, seed_text
from tests.servers import StubServer
from typer.testing import CliRunner

from wirebrief import cli
from wirebrief.brief.render import markdown
from wirebrief.brief.schema import HEADLINE_CAP, SUMMARY_CAP, BriefRecord, Draft
from wirebrief.cli import common
from wirebrief.llm.base import ModelIdentity
from wirebrief.llm.fake import FakeBackend
from wirebrief.llm.openai_compat import OpenAIBackend
from wirebrief.pipeline import build_pipeline
from wirebrief.settings import Settings
from wirebrief.text.redact import register_secret

KEY = "sk-stub-0123456789abcdefSECRET"
PASSWORD = "hunter2-PASSWORD-9f8e7d"
QUERY_SECRET = "QSECRET0123456789xyz"
TEXT = seed_text("004")
runner = CliRunner()


@pytest.fixture
def stub() -> Iterator[StubServer]:
    with StubServer() as server:
        yield server


def with_credentials(url: str) -> str:
    """The stub's URL with a user and password, a key in the query, and a query value that is no secret."""
    return url.replace("http://", f"http://alice:{PASSWORD}@") + f"?api-key={QUERY_SECRET}&api-version=2024-02-01"


def via(settings: Settings, url: str) -> Settings:
    return settings.model_copy(update={"backend": "openai", "openai_base_url": url, "openai_model": "stub",
                                       "openai_api_key": SecretStr(KEY), "request_timeout": 5.0})


# --- item 3: credentials in WIREBRIEF_OPENAI_BASE_URL ----------------------------------------------------------


@pytest.mark.parametrize("query", ["api-key", "key", "token", "access_token", "sig", "x"])
def test_the_fingerprint_names_the_endpoint_without_its_secrets(settings: Settings, query: str) -> None:
    secret = "sk-q0123456789abcdefghij" if query == "x" else QUERY_SECRET
    url = f"https://bob:{PASSWORD}@llm.example.com:8443/openai/v1?{query}={secret}&api-version=2024-02-01"
    backend = OpenAIBackend(via(settings, url))
    fingerprint = backend.identity.fingerprint
    assert PASSWORD not in fingerprint and secret not in fingerprint and "bob" not in fingerprint
    assert "https://llm.example.com:8443/openai/v1" in fingerprint and fingerprint.endswith("|stub")
    assert "api-version=2024-02-01" in fingerprint  # a query value that is no secret still tells endpoints apart
    assert OpenAIBackend(via(settings, url.replace("8443", "8444"))).identity.fingerprint != fingerprint


def test_credentials_in_the_base_url_reach_no_brief_cache_or_log(settings: Settings, stub: StubServer,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    s = via(settings, with_credentials(stub.url))
    pipeline = build_pipeline(s)
    with caplog.at_level(logging.DEBUG):
        brief = pipeline.summarize(TEXT)
    assert stub.calls == 1 and pipeline.cache is not None
    explained = json.dumps(pipeline.cache.explain(brief.brief_id))
    for secret in (PASSWORD, QUERY_SECRET, KEY):
        for seen in (brief.model_dump_json(), explained, caplog.text):
            assert secret not in seen
    assert stub.url.removeprefix("http://") in brief.meta.model_fingerprint


def test_doctor_prints_no_credentials_of_the_base_url(settings: Settings, stub: StubServer,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    stub.script = ["sum", "ok"]  # the structured-output check, then the model check
    monkeypatch.setattr(common, "get_settings", lambda: via(settings, with_credentials(stub.url)))
    result = runner.invoke(cli.app, ["doctor"])
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output and QUERY_SECRET not in result.output and "127.0.0.1" in result.output


# --- item 4: model output and article text are cleaned before they reach a client -------------------------------

DIRTY_HEADLINE = "Council \x1b]0;pwned\x07buys\x1b[2J buses\u202e evil\u2066\n# injected <script>alert('x')</script>"
DIRTY_SUMMARY = f"The council\x9b31m approved buses\x08\x00 for the {KEY} city\u202d."
INVENTED = f"The council approved 999 buses, said Bearer {KEY} and api_key={KEY}."
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def dirty_pipeline(settings: Settings, headline: str = DIRTY_HEADLINE, summary: str = DIRTY_SUMMARY) -> Any:
    register_secret(KEY)  # as the openai backend does with its key
    return build_pipeline(settings, backend=FakeBackend([brief_reply(summary=summary, headline=headline)]))


def test_headline_and_summary_lose_controls_bidi_newlines_and_secrets(settings: Settings) -> None:
    brief = dirty_pipeline(settings).summarize(TEXT)
    for prose in (brief.headline, brief.summary):
        assert not _CONTROLS.search(prose) and KEY not in prose, repr(prose)
    assert "]0;pwned" not in brief.headline and "[2J" not in brief.headline  # the whole sequence goes, not only ESC
    assert brief.headline.startswith("Council buys buses evil") and "31m" not in brief.summary


def test_dropped_prose_quoted_in_warnings_has_the_key_masked(settings: Settings) -> None:
    brief = dirty_pipeline(settings, summary=INVENTED).summarize(TEXT)
    assert any("999" in w for w in brief.warnings)  # dropped, and quoted
    assert not any(KEY in w or _CONTROLS.search(w) for w in brief.warnings), brief.warnings


def test_markdown_neutralises_markup_in_prose_and_table_cells(settings: Settings) -> None:
    brief = dirty_pipeline(settings).summarize(TEXT)
    brief.figures[0].what = "buses | trams\n# heading"
    md = markdown(BriefRecord(id="a\x1b[2J\n# id", brief=brief))
    assert "<script>" not in md and "\x1b" not in md
    assert not any(line.startswith("# ") for line in md.splitlines()), md
    row = next(line for line in md.splitlines() if "trams" in line)
    header = next(line for line in md.splitlines() if line.startswith("| value"))
    assert len(re.findall(r"(?<!\\)\|", row)) == header.count("|")  # as many cells: the label's own bar is escaped


def test_raw_html_of_an_article_is_not_copied_into_key_points(pipeline: Any) -> None:
    text = ("Council buys buses\n\nThe <b>council</b> approved 12 new buses on Monday, officials said. "
            "<script>alert(1)</script> It will spend $3 million on <a href='x'>them</a> this year.")
    brief = pipeline.summarize(text, kind="text")
    assert brief.key_points and not any("<" in p or ">" in p for p in brief.key_points), brief.key_points
    assert any("approved 12 new buses" in p for p in brief.key_points)
    for f in brief.figures:  # figures stay verbatim: spans point into the text
        assert pipeline.document(text, "text").text[f.span[0]:f.span[1]] == f.raw


def test_file_names_with_escapes_and_newlines_are_printed_safely(fake_cli: FakeBackend, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "evil\x1b]0;x\x07\x1b[2J\nname.txt").write_text("")  # empty: an error line names it
    (folder / "good\x1b[31m.txt").write_text("The council approved 12 new buses on Monday.")
    result = runner.invoke(cli.app, ["summarize", str(folder), "--format", "md"])
    assert "\x1b" not in result.output and "\x07" not in result.output, repr(result.output)
    assert "evil" in result.output and "good" in result.output


# --- item 10: every setting that changes a brief is in its cache key --------------------------------------------


def _other(name: str, value: Any) -> Any:
    """A valid value of the setting ``name`` other than ``value``."""
    field = Settings.model_fields[name]
    if choices := get_args(field.annotation):
        return next(c for c in choices if c != value and isinstance(c, str))
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        high = next((m.le for m in field.metadata if getattr(m, "le", None) is not None), None)
        return value - 1 if high is not None and value >= high else value + 1
    if isinstance(value, float):
        return value + 0.5
    raise AssertionError(f"no other value for {name}={value!r}")


def test_every_setting_is_in_the_cache_key_or_said_not_to_change_output(settings: Settings) -> None:
    from wirebrief.pipeline import IDENTITY_SETTINGS, NOT_OUTPUT_SETTINGS

    keyed = set(Settings.model_fields) - set(NOT_OUTPUT_SETTINGS) - set(IDENTITY_SETTINGS)
    assert not set(NOT_OUTPUT_SETTINGS) & set(IDENTITY_SETTINGS)
    assert set(NOT_OUTPUT_SETTINGS) | set(IDENTITY_SETTINGS) <= set(Settings.model_fields)
    for name in sorted(keyed):
        keys = []
        for backend in ("embedded", "openai"):
            fake = FakeBackend([brief_reply()])
            fake.identity = ModelIdentity(backend=backend, model="m", fingerprint="m")
            for s in (settings, settings.model_copy(update={name: _other(name, getattr(settings, name))})):
                keys.append(build_pipeline(s, backend=fake).prepare(TEXT).key)
        assert keys[0] != keys[1] or keys[2] != keys[3], (
            f"WIREBRIEF_{name.upper()} is not in the cache key: add it to Pipeline.key_components, or to "
            "pipeline.NOT_OUTPUT_SETTINGS (with why) if it never changes a brief")


@pytest.mark.parametrize("name", ["max_candidates", "prose_reasks"])
def test_settings_that_change_the_brief_change_the_key(settings: Settings, name: str) -> None:
    other = settings.model_copy(update={name: getattr(settings, name) + 1})
    first, second = (build_pipeline(s, backend=FakeBackend([brief_reply()])).prepare(TEXT) for s in (settings, other))
    assert first.key != second.key


# --- item 15: a remote model's prose over the caps is cut, never a failure ----------------------------------------


def test_an_over_long_headline_and_summary_are_cut_at_a_word(settings: Settings) -> None:
    headline = " ".join(["Council"] + ["approves"] * 30 + ["buses"])
    summary = "The council approved new buses " + "and trams " * 40 + "for the city."
    fake = FakeBackend([brief_reply(summary=summary, headline=headline)])
    pipeline = build_pipeline(settings, backend=fake)
    brief = pipeline.summarize(TEXT)
    assert len(fake.requests) == 1 and 0 < len(brief.headline) <= HEADLINE_CAP
    words = brief.headline.rstrip("…").split()
    assert words == headline.split()[: len(words)]  # whole words of what the model wrote
    lede_instead = brief.summary in " ".join(pipeline.document(TEXT).text.split())  # a cut it could not finish
    assert brief.summary and (len(brief.summary) <= SUMMARY_CAP or lede_instead)
    assert Draft.model_json_schema()["properties"]["headline"]["maxLength"] == HEADLINE_CAP  # the grammar still caps


def test_draft_validation_cuts_instead_of_failing() -> None:
    draft = Draft.model_validate({"headline": "word " * 40, "summary": "x" * 500})
    assert len(draft.headline) <= HEADLINE_CAP and len(draft.summary) <= SUMMARY_CAP
