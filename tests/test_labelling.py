"""The model's labelling step (labels: model): one call per article, every label checked by code; a refused label
keeps the rules', with a warning; a failed call is a warning, never a failed brief."""

from __future__ import annotations

from typing import Any

import pytest
from tests.conftest import brief_reply, seed_text

from wirebrief.brief.labelling import apply, labels_model, passages, refusal
from wirebrief.brief.schema import Figure
from wirebrief.errors import BackendError
from wirebrief.llm.fake import FakeBackend
from wirebrief.pipeline import Pipeline, build_pipeline
from wirebrief.settings import Settings

TEXT = ("Headline\nIn Syria, 28 joint operations led to the killing of seven ISIS militants and the detention of "
        "27 others.\n\nThe ministry said 40 schools reopened in Aleppo.")


def labelling(labels: list[str] | Exception) -> Any:
    """A fake that answers the brief's prose and, for the labelling schema, these labels."""
    prose = brief_reply()

    def reply(request: dict[str, Any]) -> Any:
        schema = (request.get("response_format") or {}).get("json_schema", {})
        if schema.get("name") != "FigureLabels":
            return prose(request)
        if isinstance(labels, Exception):
            raise labels
        keys = list(schema["schema"]["properties"])
        return dict(zip(keys, labels + ["-"] * len(keys), strict=False))

    return reply


def model_pipeline(settings: Settings, labels: list[str] | Exception, ask: str = "all") -> tuple[Pipeline, FakeBackend]:
    fake = FakeBackend([labelling(labels)])
    return build_pipeline(settings.model_copy(update={"labels": "model", "label_ask": ask}), backend=fake), fake


def test_asked_only_about_the_figures_the_rules_are_unsure_of(settings: Settings) -> None:
    text = ("Headline\nVolvo is to get 2bn euros now. Police said 40 people were killed in the blast in Lyon.")
    rules = {f.raw: f.what for f in build_pipeline(settings, backend=FakeBackend([brief_reply()])).summarize(
        text).figures}
    assert len(rules["2bn euros"].split()) <= 1 < len(rules["40"].split())  # 'Volvo' against 'people killed …'
    pipeline, fake = model_pipeline(settings, ["euros Volvo is to get"], ask="unsure")
    brief = pipeline.summarize(text)
    asked = fake.requests[1]["messages"][-1]["content"]
    assert "2bn euros" in asked and "40" not in asked  # one figure asked, one label written
    found = {f.raw: f for f in brief.figures}
    assert found["2bn euros"].what == "euros Volvo is to get" and found["2bn euros"].label_from["what"] == "model"
    assert found["40"].what == rules["40"] and found["40"].label_from["what"] == "sentence"


def test_no_unsure_figure_no_labelling_call(settings: Settings) -> None:
    pipeline, fake = model_pipeline(settings, [], ask="unsure")
    pipeline.summarize("Headline\nPolice said 40 people were killed in the blast in Lyon.")
    assert len(fake.requests) == 1


def test_auto_asks_the_embedded_model_about_unsure_figures_and_an_endpoint_about_all(settings: Settings) -> None:
    assert model_pipeline(settings, [], ask="auto")[0].label_ask == "unsure"  # the fake stands for a local model
    endpoint = build_pipeline(settings.model_copy(update={"backend": "openai", "openai_base_url": "http://127.0.0.1:9/v1",
                                                          "openai_model": "m", "labels": "model"}))
    assert endpoint.label_ask == "all"


def test_one_call_for_all_figures_and_good_labels_are_the_models(settings: Settings) -> None:
    pipeline, fake = model_pipeline(settings, ["joint operations in Syria", "ISIS militants killed",
                                               "others detained", "schools reopened in Aleppo"])
    brief = pipeline.summarize(TEXT)
    assert len(fake.requests) == 2  # the prose, then every figure's label at once
    by_raw = {f.raw: f for f in brief.figures}
    assert by_raw["seven"].what == "ISIS militants killed" and by_raw["seven"].label_from["what"] == "model"
    assert by_raw["40"].what == "schools reopened in Aleppo"
    assert brief.meta.attempts == 2


@pytest.mark.parametrize(("label", "why"), [
    ("ISIS militants detained", "refused"),  # killed ≠ detained
    ("ISIS militants killed in Iraq", "does not say iraq"),  # a place the sentence does not name
    ("rebels killed", "does not say rebels"),  # a word not in the text
    ("7 militants killed", "number"),
    ("joint operations militants", "drops the event"),  # the clause says killing; the label no longer does
])
def test_a_label_that_fails_a_check_keeps_the_rules(settings: Settings, label: str, why: str) -> None:
    pipeline, _ = model_pipeline(settings, ["joint operations", label])
    brief = pipeline.summarize(TEXT)
    seven = next(f for f in brief.figures if f.raw == "seven")
    assert seven.label_from["what"] == "sentence" and seven.what != label
    assert any("seven" in w and why in w for w in brief.warnings), brief.warnings


def test_a_failed_labelling_call_is_a_warning_not_a_failed_brief(settings: Settings) -> None:
    pipeline, _ = model_pipeline(settings, BackendError("the labels broke"))
    brief = pipeline.summarize(TEXT)
    assert brief.figures and all(f.label_from.get("what") != "model" for f in brief.figures)
    assert any("labelling step failed" in w for w in brief.warnings)


def test_rules_mode_makes_one_call(settings: Settings) -> None:
    fake = FakeBackend([labelling(["x"])])
    build_pipeline(settings.model_copy(update={"labels": "rules"}), backend=fake).summarize(TEXT)
    assert len(fake.requests) == 1


def test_auto_is_the_model_for_an_openai_endpoint_and_the_rules_for_the_embedded_one(settings: Settings) -> None:
    openai = FakeBackend([brief_reply()])
    openai.identity = openai.identity.__class__(backend="openai", model="m", fingerprint="m")
    assert build_pipeline(settings, backend=openai).label_mode == "model"
    embedded = FakeBackend([brief_reply()])
    embedded.identity = embedded.identity.__class__(backend="embedded", model="m", fingerprint="m")
    assert build_pipeline(settings, backend=embedded).label_mode == "rules"


def test_the_label_mode_is_in_the_cache_key(settings: Settings) -> None:
    rules = build_pipeline(settings.model_copy(update={"labels": "rules"}), backend=FakeBackend([brief_reply()]))
    model = build_pipeline(settings.model_copy(update={"labels": "model"}), backend=FakeBackend([brief_reply()]))
    assert rules.prepare(seed_text("004")).key != model.prepare(seed_text("004")).key


def test_the_schema_asks_for_exactly_one_label_per_figure() -> None:
    schema = labels_model(3).model_json_schema()
    assert schema["required"] == ["1", "2", "3"] and all(p["maxLength"] <= 60 for p in schema["properties"].values())
    # no other key: a grammar that allows more lets a small model go on with keys of its own until max_tokens
    assert schema["additionalProperties"] is False


def test_each_figure_is_marked_with_its_number_and_a_sentence_is_shown_once() -> None:
    quote = "Of 28 operations, seven killed militants."
    figs = [Figure(value=v, raw=r, unit=None, what=w, qualifier="exact", quote=quote, span=(a, a + len(r)),
                   quote_span=(0, len(quote))) for v, r, w, a in ((28, "28", "operations", 3), (7, "seven",
                                                                   "militants killed", 18))]
    (passage,) = passages(figs)
    assert passage.sentence == "Of ⟦1: 28⟧ operations, ⟦2: seven⟧ killed militants."
    assert [(i.n, i.rules) for i in passage.figures] == [(1, "operations"), (2, "militants killed")]


def test_a_label_that_starts_with_its_figure_is_the_rest() -> None:
    f = Figure(value=9000, raw="over 9,000", unit="detainee", what="ISIS detainees held", qualifier="more than",
               quote="They held over 9,000 ISIS detainees in camps.", span=(10, 20), quote_span=(0, 45))
    (out,), warnings = apply([f], labels_model(1)(label_1="over 9,000 ISIS detainees held in camps"), f.quote)
    assert out.what == "ISIS detainees held in camps" and out.label_from["what"] == "model" and not warnings


def test_apply_never_touches_values_or_spans() -> None:
    f = Figure(value=7, raw="seven", unit="people", what="ISIS militants killing", qualifier="exact",
               quote="The killing of seven ISIS militants.", span=(15, 20), quote_span=(0, 36))
    text = "The killing of seven ISIS militants."
    assert refusal("ISIS militants killed", f, text) is None
    (out,), _ = apply([f], labels_model(1)(label_1="ISIS militants killed"), text)
    assert (out.value, out.raw, out.span, out.quote) == (f.value, f.raw, f.span, f.quote)


@pytest.mark.parametrize("label", ["}", "the", "- ."])
def test_a_label_that_names_nothing_is_refused(label: str) -> None:
    f = Figure(value=55, raw="55", unit="minute", what="", qualifier="exact",
               quote="For 55 minutes we lived with the best.", span=(4, 6), quote_span=(0, 38))
    assert refusal(label, f, f.quote) == "it names nothing"
    (out,), warnings = apply([f], labels_model(1)(label_1=label), f.quote)
    assert out.what == "" and "model" not in out.label_from.values()
