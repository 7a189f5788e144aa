"""What the API accepts and returns. The brief itself is :class:`wirebrief.brief.schema.Brief`, shared with the CLI."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from wirebrief.brief.schema import Brief, ErrorInfo

EXAMPLE_TEXT = (
    "During this period, a total of 94 Defeat ISIS Missions were executed, resulting in the elimination of "
    "18 ISIS operatives and the detention of 63 others. Approximately 2,500 ISIS fighters remain at large in "
    "Iraq and Syria, posing a persistent threat to regional and global security."
)


class BriefOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    prompt_id: str | None = Field(default=None, max_length=64, description="Prompt id; default: the server's.")
    no_cache: bool = Field(default=False, description="Recompute, and do not store the result.")


class BriefRequest(BaseModel):
    """One article, as plain text (or Markdown) or as HTML."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"id": "centcom-q1",
                                                                              "text": EXAMPLE_TEXT}]})

    text: str | None = Field(default=None, description="The article as plain text or Markdown.")
    html: str | None = Field(default=None, description="The article as an HTML page; its main text is used.")
    id: str | None = Field(default=None, max_length=200, description="Your id for the article, echoed back.")
    options: BriefOptions = Field(default_factory=BriefOptions, description="Prompt and cache options.")

    @model_validator(mode="after")
    def _exactly_one_body(self) -> BriefRequest:
        if (self.text is None) == (self.html is None):
            raise ValueError("send exactly one of `text` or `html`")
        return self


class BriefResponse(BaseModel):
    """A brief, with the id you sent."""

    id: str | None = Field(default=None, description="The id you sent, if any.")
    brief: Brief = Field(description="The verified brief.")


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"items": [
        {"id": "a", "text": EXAMPLE_TEXT}, {"id": "b", "text": "The council approved 12 new buses."}]}]})

    items: list[BriefRequest] = Field(min_length=1, description="Articles; at most the server's batch_max.")


class BatchResponse(BaseModel):
    """One result per item, in order: a brief or an error. A failing item never fails the others."""

    results: list[BatchItem] = Field(description="Per-item results, in request order.")


class BatchItem(BaseModel):
    id: str | None = Field(default=None, description="The item's id, if sent.")
    status: int = Field(description="The HTTP status this item alone would have had.")
    brief: Brief | None = Field(default=None, description="The brief, when made.")
    error: ErrorInfo | None = Field(default=None, description="The error, when not.")


class ReconcileArticle(BaseModel):
    """One article to reconcile: its text, or the id of a brief made earlier."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(default=None, max_length=200, description="Your id for the article; default: its "
                                                                     "position or brief id.")
    text: str | None = Field(default=None, description="The article as plain text or Markdown.")
    brief_id: str | None = Field(default=None, max_length=64, description="A brief made earlier (POST /v1/briefs).")

    @model_validator(mode="after")
    def _exactly_one_body(self) -> ReconcileArticle:
        if (self.text is None) == (self.brief_id is None):
            raise ValueError("send exactly one of `text` or `brief_id`")
        return self


class ReconcileRequest(BaseModel):
    """Several articles about one story: which figures they agree on, which differ, which are revised."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"articles": [
        {"id": "q1", "text": EXAMPLE_TEXT + " More than 45,000 individuals and families remain in the Al Hol and "
                                            "Al Roj camps."},
        {"id": "h1", "text": "There are an estimated 2,500 ISIS fighters in Iraq and Syria still at large. More than "
                             "43,000 individuals and families are also still in the Al Hol and Al Roj camps."}]}]})

    articles: list[ReconcileArticle] = Field(min_length=2, max_length=50, description="The articles, 2 to 50.")


class ErrorDetail(BaseModel):
    type: str = Field(description="Machine-readable error type, e.g. 'EmptyInput', 'Overloaded'.")
    message: str = Field(description="What went wrong, for people.")
    detail: Any = Field(default=None, description="Extra data: how to fix it, limits, field errors.")


class ErrorBody(BaseModel):
    """Every error the API returns has this shape."""

    error: ErrorDetail


BatchResponse.model_rebuild()


class ReadRequest(BaseModel):
    """A selection of an article the editor says holds a missed figure (``POST /v1/figures:read``)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="The normalized article text (the `text` of a stream's `figures` "
                                                "event), which `span` points into.")
    span: tuple[int, int] = Field(description="[start, end) of the selection in `text`.")


class ReadMention(BaseModel):
    """A number the finder reads in the selection: value and spans come from the article, never from the editor."""

    raw: str = Field(description="As written, with its qualifier words and unit: 'more than $20 billion'.")
    value: float = Field(description="The value, scale applied.")
    unit: str | None = Field(default=None, description="ISO currency, percent, a measure unit, or null.")
    kind: str = Field(description="The finder's kind: count, money, percent, measure, year, date…")
    qualifier: str = Field(description="exact, approximately, at least, more than, less than, up to.")
    span: tuple[int, int] = Field(description="[start, end) of `raw` in the text.")
    quote: str = Field(description="The sentence that holds it, verbatim.")
    quote_span: tuple[int, int] = Field(description="[start, end) of `quote` in the text.")


class ReadResponse(BaseModel):
    """The finder's mentions that overlap the selection, in text order (empty: no number there)."""

    mentions: list[ReadMention] = Field(description="Mentions overlapping the span.")
