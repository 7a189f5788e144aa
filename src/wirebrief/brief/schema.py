"""The brief: the contract the CLI, the API and the evals share. Versioned by ``SCHEMA_VERSION``."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_serializer, field_validator, model_validator

from wirebrief.figures.mention import Qualifier

SCHEMA_VERSION = "1.1"
"""Bump on any change to Brief, Figure or Meta; it is part of every cache key."""
Change = Literal["up", "down"]
LabelOrigin = Literal["sentence", "context", "article", "model"]


class Figure(BaseModel):
    """One figure from the article. value, raw, quote and spans are filled by code, never by the model."""

    model_config = ConfigDict(extra="forbid")

    value: float = Field(description="The number itself: '2,500' → 2500, '$20 billion' → 20000000000.")
    raw: str = Field(description="The figure as written, qualifier included: 'more than $20 billion'.")
    unit: str | None = Field(default=None, description="'USD', 'percent', 'people', 'operations'…; null (or left "
                             "out, as `summarize -o` writes it) if none applies.")
    per: str | None = Field(default=None, description="What a rate is per, when the text says: '$52 a barrel' → "
                            "'barrel', '800,000 barrels a day' → 'day'.")
    what: str = Field(description="What is counted: 'ISIS operatives killed'.")
    qualifier: Qualifier = Field(description="exact, approximately, at least, more than, less than, up to.")
    where: str | None = Field(default=None, description="Place the figure applies to, if the article says.")
    period: str | None = Field(default=None, description="Time the figure covers, if the article says.")
    source: str | None = Field(default=None, description="Who states the figure (e.g. 'CENTCOM'), if said.")
    quote: str = Field(description="The verbatim sentence of the article that contains the figure.")
    span: tuple[int, int] = Field(description="[start, end) of `raw` in the normalized article text.")
    quote_span: tuple[int, int] = Field(description="[start, end) of `quote` in the normalized article text.")
    change: Change | None = Field(default=None, description="Which way the figure moved, when the text says so: "
                                  "'rose 5%', 'up 19 cents' → up; 'fell 2.1%' → down.")
    baseline: float | None = Field(default=None, description="The value it moved from, when the text gives it: "
                                   "'from 20 to 29 mpg' → 20 on the figure 29.")
    range_id: int | None = Field(default=None, description="The two ends of one range ('between 5% and 6%') share "
                                 "it.")
    label_from: dict[str, LabelOrigin] = Field(
        default_factory=dict, description="Where each filled label (what, where, period, source) came from: "
        "'sentence' (the figure's own sentence says it), 'context' (the paragraph or heading that scopes it: 'In "
        "Syria, …'), 'article' (the article is about one place or source), 'model' (the model's labelling step, "
        "checked by code).")

    @field_serializer("value")
    def _whole_numbers_as_int(self, value: float) -> float | int:
        return int(value) if value.is_integer() else value


class Usage(BaseModel):
    """Tokens over every attempt, failed ones included."""

    prompt_tokens: int = Field(default=0, description="Prompt tokens, all attempts.")
    completion_tokens: int = Field(default=0, description="Generated tokens, all attempts.")
    total_tokens: int = Field(default=0, description="prompt_tokens + completion_tokens.")


class Meta(BaseModel):
    """How the brief was made."""

    backend: str = Field(description="'embedded' or 'openai'.")
    model: str = Field(description="Model id (file name for GGUF models).")
    model_fingerprint: str = Field(description="Hash or size+mtime of the model; part of the cache key.")
    prompt_id: str = Field(description="Prompt file id.")
    prompt_version: str = Field(description="Prompt version from its front matter.")
    prompt_hash: str = Field(description="sha256 of the prompt file's content (first 16 hex digits).")
    cache_key: str = Field(description="sha256 over everything that changes the output.")
    cache_hit: bool = Field(default=False, description="True when served from the cache, no model call.")
    latency_ms: float = Field(default=0.0, description="Wall time of this pipeline call.")
    model_latency_ms: float = Field(default=0.0, description="Time spent in the model when it ran.")
    attempts: int = Field(default=0, description="Model calls made (re-asks and transport retries included).")
    usage: Usage = Field(default_factory=Usage, description="Token usage over all attempts.")


class Check(BaseModel):
    """Figures of the article that should agree with each other, checked by code (``figures/checks.py``)."""

    kind: Literal["sum", "share", "change", "range", "restated"] = Field(
        description="sum: parts against their stated total; share: a percentage against its counts; change: a "
                    "stated change against its ends; range: the low end first; restated: a figure said again "
                    "with another value.")
    figures: list[int] = Field(description="Indexes into `figures`: sum [total, parts…]; share [part, whole, "
                                           "percent]; change [change, from, to]; range [low, high]; restated "
                                           "[first, later].")
    holds: bool = Field(description="Whether the figures agree (a restated figure with another value never does).")
    explanation: str = Field(description="One line: the arithmetic, e.g. 'kill: 11 (Iraq) + 7 (Syria) = 18 = the "
                                         "stated total 18'.")


class Brief(BaseModel):
    """A verified brief of one article."""

    schema_version: str = Field(default=SCHEMA_VERSION, description="Version of this schema.")
    brief_id: str = Field(description="Stable id derived from the cache key; GET /v1/briefs/{brief_id}.")
    headline: str = Field(description="One-line headline.")
    summary: str = Field(description="One sentence, the model's or the article's lede; its numbers are the article's.")
    key_points: list[str] = Field(description="The article's own sentences that carry its main figures, verbatim.")
    figures: list[Figure] = Field(description="Every figure an editor would list, each found in the text.")
    warnings: list[str] = Field(default_factory=list, description="What the verifier dropped or doubted.")
    checks: list[Check] = Field(default_factory=list, description="Figures that check each other: parts and "
                                "totals, shares, changes, ranges, restatements; a failed one is also a warning.")
    meta: Meta = Field(description="Backend, model, prompt, cache, latency, usage.")


# --- what the model is asked to return (internal; never leaves wirebrief as is) -----------------------

HEADLINE_CAP, SUMMARY_CAP = 90, 140
"""Caps on what the model writes: a small model copies whole paragraphs, at ~11 tokens/s on two cores."""


class Draft(BaseModel):
    """What the model writes for an article: a headline and a one-sentence summary. Every figure and its labels come
    from code (``numbers``, ``labels``), and so do the key points (the article's own sentences that carry its main
    figures, ``verify.key_points``); the prose is checked against the article (``claims``). No other key may be
    written: the grammar built from this schema then ends the object after the summary (seen: a model that went on
    with '"[":853,":166",…' until max_tokens)."""

    model_config = ConfigDict(extra="forbid")

    headline: str = Field(max_length=HEADLINE_CAP, description="One line, at most 10 words.")
    summary: str = Field(max_length=SUMMARY_CAP, description="One sentence of at most 20 words, in your own words.")

    @field_validator("headline", "summary", mode="before")
    @classmethod
    def _cut_at_the_cap(cls, value: object, info: ValidationInfo) -> object:
        """Prose over its cap is cut here, never refused: the embedded model's grammar stops at ``maxLength``,
        but a hosted JSON-schema mode does not enforce it, and a re-ask for length costs a whole call (then
        fails the brief). The cut is where the grammar would have stopped; ``checked_prose`` then ends it at a
        word, clause or sentence, as for the embedded model."""
        cap = HEADLINE_CAP if info.field_name == "headline" else SUMMARY_CAP
        return value[:cap] if isinstance(value, str) and len(value) > cap else value

    @model_validator(mode="after")
    def _numbers_stand_for_their_facts(self, info: ValidationInfo) -> Draft:
        """Re-ask (once, per the context's budget) when a number in the prose is not the article's, or is
        attached to another fact than the article's."""
        ctx = info.context
        if not ctx or "claims" not in ctx or ctx.get("number_reasks", 0) <= 0:
            return self
        bad = [problem for piece in [self.headline, self.summary]
               for problem in ctx["claims"].problems(piece)]
        if bad:
            ctx["number_reasks"] -= 1
            raise ValueError(
                f"These numbers are wrong: {'; '.join(bad)}. Use only numbers of the article, written as it writes "
                "them, each with the fact the article gives it."
            )
        return self


class ErrorInfo(BaseModel):
    """Why an article has no brief."""

    type: str = Field(description="Exception class, e.g. 'EmptyInput', 'BackendUnavailable'.")
    message: str = Field(description="What went wrong.")
    hint: str = Field(default="", description="How to fix it.")

    @classmethod
    def of(cls, exc: Exception, hint: str = "") -> ErrorInfo:
        """From a wirebrief error (type, message, hint) or any other exception."""
        return cls(type=type(exc).__name__, message=getattr(exc, "message", str(exc)),
                   hint=getattr(exc, "hint", "") or hint)


class BriefRecord(BaseModel):
    """One line of `wirebrief summarize -o out.jsonl`: a brief, or the error that stopped it."""

    id: str = Field(description="The file's stem, or the id given.")
    brief: Brief | None = Field(default=None, description="The brief, when it was made.")
    error: ErrorInfo | None = Field(default=None, description="The error, when it was not.")

    @property
    def ok(self) -> bool:
        return self.brief is not None
