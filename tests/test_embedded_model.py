"""The real embedded model on a seed article (about a minute on two cores)."""

from __future__ import annotations

import pytest
from tests.conftest import seed_text

from wirebrief.figures.finder import find_numbers
from wirebrief.pipeline import build_pipeline
from wirebrief.settings import Settings

pytestmark = pytest.mark.model


def test_seed_brief_has_verified_figures(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(cache_dir=tmp_path / "cache", _env_file=None)  # type: ignore[call-arg]
    pipeline = build_pipeline(settings)
    text = seed_text("004")
    brief = pipeline.summarize(text)
    normalized = pipeline.document(text).text
    article_values = {m.value for m in find_numbers(normalized)}

    assert brief.meta.backend == "embedded" and brief.meta.attempts >= 1
    assert brief.headline and brief.summary
    for figure in brief.figures:  # numbers are sacred: every one is in the article, at its span
        assert normalized[figure.span[0] : figure.span[1]] == figure.raw
        assert figure.quote in normalized and figure.raw in figure.quote
        assert figure.value in article_values
    found = {f.value for f in brief.figures}
    assert {94, 18, 63} <= found, found  # the headline figures of this CENTCOM report

    again = pipeline.summarize(text)
    assert again.meta.cache_hit and again.figures == brief.figures
