"""text → normalize → find numbers → (cache) → ask the model → verify → (cache) → Brief.

The one implementation the CLI, the API and the evals all call.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wirebrief.brief.assemble import Article, build_figures, checked_prose, key_points
from wirebrief.brief.labelling import apply, labels_model, prompt_variables, unsure
from wirebrief.brief.schema import SCHEMA_VERSION, Brief, Check, Draft, Figure, Meta
from wirebrief.errors import InputTooLarge, WirebriefError
from wirebrief.figures.candidates import figure_candidates
from wirebrief.figures.checks import checks as figure_checks
from wirebrief.figures.checks import warnings_for as check_warnings
from wirebrief.figures.finder import find_numbers
from wirebrief.figures.labels import PARSER, propose
from wirebrief.figures.mention import NumberMention
from wirebrief.llm import ChatBackend, StructuredLLM
from wirebrief.llm.prompts import Prompt, load_prompt
from wirebrief.llm.structured import CallStats
from wirebrief.settings import Settings
from wirebrief.store.cache import BriefCache, brief_id_for, cache_key, open_cache
from wirebrief.text.injection import instruction_spans, without
from wirebrief.text.normalize import Document, Kind, normalize
from wirebrief.text.sentences import sentence_spans

CODE_FILES = ("text", "figures", "brief/schema.py", "brief/assemble.py", "brief/labelling.py", "pipeline.py",
              "llm/embedded.py", "llm/structured.py")
"""The code that shapes a brief (folders: every module in them), relative to the package. A test walks the
pipeline's imports and fails on a module that is in neither this list nor its list of modules that do not."""


IDENTITY_SETTINGS = (
    "backend", "model_path", "model_dir",  # the backend's identity: its name, the model file's fingerprint
    "openai_base_url", "openai_model",  # the endpoint (without its credentials) and the model name
    "prompt_id", "prompts_dir",  # the prompt's id, version and content hash
)
"""Settings in the key through the model's identity or the prompt rather than as parameters."""

NOT_OUTPUT_SETTINGS = (
    "n_threads",  # CPU threads: speed only
    "openai_api_key",  # who pays, not what is said (and never stored)
    "transport_attempts", "transport_max_seconds", "request_timeout", "backoff",  # whether a call ends, not its answer
    "max_chars",  # a longer article is refused, never cut: a brief made is the same under any bound it passed
    "cache_dir", "cache_url", "cache_ttl", "cache_max_bytes", "cache_lock_timeout", "cache_enabled",  # where it is kept
    "batch_deadline",  # which articles a run starts, not their briefs
    "api_keys", "rate_limit_per_minute", "queue_capacity", "api_timeout", "batch_max", "max_body_bytes",
    "body_timeout",  # the HTTP API's admission and limits
    "header_timeout", "keep_alive_timeout", "max_connections",  # connection bounds of wirebrief serve
)
"""Settings that never change a brief, each with why. A new setting goes in the key (``Pipeline.key_components``),
in :data:`IDENTITY_SETTINGS`, or here: tests/test_faults_secrets.py fails on one in none of them."""


def code_files() -> list[Path]:
    here = Path(__file__).parent
    return sorted(p for name in CODE_FILES for p in ([here / name] if name.endswith(".py")
                                                      else (here / name).rglob("*.py")))


def _code_fingerprint() -> str:
    """The code that shapes the model's answer (the draft schema, the grammar) and turns it into figures
    changes briefs too: it is part of the key."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for path in code_files():
        digest.update(path.relative_to(here).as_posix().encode())
        digest.update(path.read_bytes())
    digest.update(_parser_version().encode())
    return digest.hexdigest()[:16]


def _parser_version() -> str:
    """The parser model labels come from is part of the key too."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{PARSER}=={version(PARSER)}"
    except PackageNotFoundError:
        return f"{PARSER} (not installed)"


@dataclass(frozen=True)
class Job:
    """An article ready for the model: what the cache key was computed from, and the key."""

    doc: Document
    prompt: Prompt
    components: dict[str, Any]
    key: str

    @property
    def brief_id(self) -> str:
        return brief_id_for(self.key)


@dataclass(frozen=True)
class CodeParts:
    """What code makes of an article before the model writes: figures labelled by the rules, their checks, and
    the warnings so far. Shared (remembered): the second step copies what it changes."""

    article: Article
    excluded: tuple[tuple[int, int], ...]
    """Sentences that address an AI system: left out of what the model reads."""
    figures: tuple[Figure, ...]
    warnings: tuple[str, ...]
    """Sentences left out, candidates cut."""
    figure_warnings: tuple[str, ...]
    checks: tuple[Check, ...]

    def preview(self) -> dict[str, Any]:
        """Everything code makes, as JSON-ready data: figures, checks, key points (before the summary is known,
        so the final brief's may differ by the one the summary already says) and warnings."""
        figures = list(self.figures)
        return {"text": self.article.text, "figures": [f.model_dump(mode="json") for f in figures],
                "checks": [c.model_dump(mode="json") for c in self.checks],
                "key_points": key_points(self.article, figures),
                "warnings": [*self.warnings, *self.figure_warnings, *check_warnings(list(self.checks))]}


@dataclass
class Pipeline:
    settings: Settings
    backend: ChatBackend
    cache: BriefCache | None = None
    """None means no caching (build_pipeline leaves it out when settings.cache_enabled is False)."""
    label_backend: ChatBackend | None = None
    """Who writes labels when they are the model's (None: the same backend as the prose; the NewsQuant yardstick
    gives the fake for prose and a real model for labels)."""
    llm: StructuredLLM = field(init=False)
    labeller: StructuredLLM = field(init=False)
    code_fingerprint: str = field(init=False, default_factory=_code_fingerprint)
    _jobs: dict[tuple[str, str, str], Job] = field(init=False, default_factory=dict, repr=False)
    _jobs_lock: threading.Lock = field(init=False, default_factory=threading.Lock, repr=False)
    """The memo is shared by request threads; normalization runs outside the lock."""
    _parts: dict[str, CodeParts] = field(init=False, default_factory=dict, repr=False)
    _parts_lock: threading.Lock = field(init=False, default_factory=threading.Lock, repr=False)
    _parts_making: dict[str, threading.Lock] = field(init=False, default_factory=dict, repr=False)
    """One gate per key being made: a second request for it waits, another article does not."""

    def __post_init__(self) -> None:
        self.llm = StructuredLLM(self.backend, self.settings)
        self.labeller = self.llm if self.label_backend is None else StructuredLLM(self.label_backend, self.settings)

    @property
    def label_mode(self) -> str:
        """``rules`` or ``model``: ``auto`` is the model behind an openai endpoint, the rules for the embedded one."""
        if self.settings.labels != "auto":
            return self.settings.labels
        backend = (self.label_backend or self.backend).identity.backend
        return "model" if backend == "openai" else "rules"

    @property
    def label_ask(self) -> str:
        """``all`` or ``unsure``: ``auto`` asks about every figure behind an openai endpoint, only the rules' unsure
        ones of the embedded model."""
        if self.settings.label_ask != "auto":
            return self.settings.label_ask
        backend = (self.label_backend or self.backend).identity.backend
        return "all" if backend == "openai" else "unsure"

    def document(self, raw: str | bytes | Document, kind: Kind | None = None) -> Document:
        if isinstance(raw, Document):
            return raw
        return normalize(raw, kind=kind, max_chars=self.settings.max_chars)

    def key_components(self, doc: Document, prompt: Prompt) -> dict[str, Any]:
        """Everything that changes the brief: a setting is here (``params``), in the backend's identity or the
        prompt (:data:`IDENTITY_SETTINGS`), or in :data:`NOT_OUTPUT_SETTINGS`; a test fails on one in none."""
        s, ident = self.settings, self.backend.identity
        return {
            "backend": ident.backend,
            "model": ident.model,
            "model_fingerprint": ident.fingerprint,
            "prompt_id": prompt.id,
            "prompt_version": prompt.version,
            "prompt_hash": prompt.hash,
            "schema_version": SCHEMA_VERSION,
            "code": self.code_fingerprint,
            "params": {
                "temperature": s.temperature,
                "max_output_tokens": s.max_output_tokens,
                "reasks": s.reasks,
                "prose_reasks": s.prose_reasks,
                "max_candidates": s.max_candidates,
                "mode": s.openai_mode if ident.backend == "openai" else "grammar",
                "n_ctx": s.n_ctx if ident.backend == "embedded" else None,
                "labels": self.label_mode,
                "labels_prompt": self._labels_prompt().hash if self.label_mode == "model" else None,
                "label_ask": self.settings.label_ask if self.label_mode == "model" else None,
                "label_model": (self.label_backend.identity.fingerprint if self.label_backend is not None
                                and self.label_mode == "model" else None),
            },
            "text": doc.text,
        }

    def prepare(self, raw: str | bytes | Document, *, prompt_id: str | None = None, kind: Kind | None = None) -> Job:
        """The cheap part: normalize, load the prompt, derive the cache key. Raises input errors.

        Remembered per (input, prompt content) for repeated requests: a prompt edit changes its hash."""
        prompt = load_prompt(prompt_id or self.settings.prompt_id, self.settings.prompts_dir)
        if isinstance(raw, Document):
            return self._job(raw, prompt)
        data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
        memo = (hashlib.sha256(data).hexdigest(), kind or "", prompt.hash)
        with self._jobs_lock:
            job = self._jobs.get(memo)
        if job is None:
            job = self._job(self.document(raw, kind), prompt)
            with self._jobs_lock:
                self._jobs[memo] = job
                if len(self._jobs) > 1024:
                    self._jobs.pop(next(iter(self._jobs)))
        return job

    def _job(self, doc: Document, prompt: Prompt) -> Job:
        components = self.key_components(doc, prompt)
        return Job(doc=doc, prompt=prompt, components=components, key=cache_key(components))

    def cached(self, job: Job) -> Brief | None:
        return self.cache.get(job.key) if self.cache is not None else None

    def cached_json(self, job: Job) -> bytes | None:
        """The cached brief as JSON, without a copy or a serialization per call (the API's hot path)."""
        return self.cache.get_json(job.key) if self.cache is not None else None

    def run(self, job: Job, *, read_cache: bool = True, write_cache: bool = True) -> Brief:
        """The brief for a prepared job: from the cache, or from the model (then cached)."""
        started = time.perf_counter()
        brief = self.cached(job) if read_cache else None
        if brief is None and self.cache is not None and write_cache:
            with self.cache.single_flight(job.key):  # replicas sharing a Redis cache compute a brief once
                brief = self.cached(job) if read_cache else None  # made by another one while we waited
                if brief is None:
                    brief = self._compute(job.doc, job.prompt, job.key)
                    self.cache.put(job.key, brief, job.components)
        elif brief is None:
            brief = self._compute(job.doc, job.prompt, job.key)
        brief.meta.latency_ms = (time.perf_counter() - started) * 1000
        return brief

    def summarize(
        self,
        raw: str | bytes | Document,
        *,
        prompt_id: str | None = None,
        kind: Kind | None = None,
        read_cache: bool = True,
        write_cache: bool = True,
    ) -> Brief:
        """A verified brief. ``kind`` forces html/markdown/text (else detected); ``read_cache=False`` is
        --refresh; both False is --no-cache."""
        job = self.prepare(raw, prompt_id=prompt_id, kind=kind)
        return self.run(job, read_cache=read_cache, write_cache=write_cache)

    def _compute(self, doc: Document, prompt: Prompt, key: str) -> Brief:
        """The brief in two steps: what code makes (:meth:`code_parts`), then the model's prose and labels."""
        return self._finish(doc, prompt, key, self.code_parts(doc, key))

    def code_parts(self, doc: Document, key: str | None = None) -> CodeParts:
        """The first step, no model: normalize → figures → labels by rules → checks (what a stream sends first).
        Remembered per cache key, and made once per key (a stream's early figures and the worker's brief share
        it); different articles are made at once (one lock for all had lined up --concurrency's parses before
        their model calls)."""
        if key is None:
            return self._code_parts(doc)
        with self._parts_lock:
            if (made := self._parts.get(key)) is not None:
                return made
            gate = self._parts_making.setdefault(key, threading.Lock())
        with gate:
            with self._parts_lock:
                parts = self._parts.get(key)
            if parts is None:
                parts = self._code_parts(doc)
                with self._parts_lock:
                    self._parts[key] = parts
                    self._parts_making.pop(key, None)
                    if len(self._parts) > 64:
                        self._parts.pop(next(iter(self._parts)))
        return parts

    def _code_parts(self, doc: Document) -> CodeParts:
        mentions = find_numbers(doc.text)
        excluded = instruction_spans(doc.text)
        warnings = [f"left out a sentence that addresses an AI system: {doc.text[s:e][:120]!r}" for s, e in excluded]
        candidates = [m for m in figure_candidates(doc.text, mentions)
                      if not any(s <= m.start < e for s, e in excluded)]
        candidates, cut = salient(candidates, self.settings.max_candidates)
        if cut:
            warnings.append(f"the article has {len(candidates) + cut} figure candidates: kept the "
                            f"{len(candidates)} most salient (WIREBRIEF_MAX_CANDIDATES), left out {cut}")
        article = Article.of(doc.text, mentions, excluded)
        figures, figure_warnings = build_figures(candidates, propose(doc.text, candidates, mentions), article)
        return CodeParts(article, tuple(excluded), tuple(figures), tuple(warnings), tuple(figure_warnings),
                         tuple(figure_checks(figures, doc.text)))

    def _finish(self, doc: Document, prompt: Prompt, key: str, parts: CodeParts) -> Brief:
        """The second step: the model's headline and summary, the optional model labelling step, then assembly."""
        article, excluded, warnings = parts.article, list(parts.excluded), list(parts.warnings)
        draft, stats = self._draft(prompt, without(doc.text, excluded), article, warnings)
        figures, figure_warnings = [f.model_copy() for f in parts.figures], list(parts.figure_warnings)
        found = [c.model_copy() for c in parts.checks]
        if self.label_mode == "model" and figures:
            figures, label_warnings = self._model_labels(figures, doc.text, stats)  # `what` only: the checks stand
            figure_warnings += label_warnings
        headline, summary, prose_warnings = checked_prose(draft, article)
        ident = self.backend.identity
        return Brief(
            brief_id=brief_id_for(key),
            headline=headline,
            summary=summary,
            key_points=key_points(article, figures, said=summary),
            figures=figures,
            warnings=warnings + figure_warnings + prose_warnings + check_warnings(found),
            checks=found,
            meta=Meta(
                backend=ident.backend,
                model=ident.model,
                model_fingerprint=ident.fingerprint,
                prompt_id=prompt.id,
                prompt_version=prompt.version,
                prompt_hash=prompt.hash,
                cache_key=key,
                model_latency_ms=stats.model_ms,
                attempts=stats.attempts,
                usage=stats.usage,
            ),
        )


    def _draft(self, prompt: Prompt, text: str, article: Article, warnings: list[str]) -> tuple[Draft, CallStats]:
        """The model's headline and summary from as much of ``text`` as its context holds, the lede first. A long
        article is briefed anyway (its figures, checks and key points are code's, from the whole text), with a
        warning. A known context (the embedded model's n_ctx) cuts before asking; a backend that refuses the
        length anyway is asked once more with half."""
        context = {"claims": article.claims, "number_reasks": self.settings.prose_reasks}
        s = self.settings
        budget = (s.n_ctx - s.max_output_tokens - _tokens(prompt.render(article="")) - _TEMPLATE_TOKENS
                  if self.backend.identity.backend == "embedded" else None)
        read = lede(text, budget) if budget is not None else text
        try:
            draft, stats = self.llm.generate(prompt.render(article=read), Draft, context)
        except InputTooLarge:
            read = lede(read, _tokens([{"content": read}]) // 2)
            draft, stats = self.llm.generate(prompt.render(article=read), Draft, context)
        if len(read) < len(text):
            warnings.append(f"the article is longer than the model's context: the model read only the first "
                            f"{len(read):,} characters of {len(text):,} (the headline and summary are of those; "
                            "figures, checks and key points are of the whole article)")
        return draft, stats

    def _labels_prompt(self) -> Prompt:
        return load_prompt("labels", self.settings.prompts_dir)

    def _model_labels(self, figures: list[Figure], text: str, stats: CallStats) -> tuple[list[Figure], list[str]]:
        """The model's labelling step (one call for the first MODEL_LABELS figures it is asked about), its cost added
        to ``stats``. A failed call is a warning, not a failed brief: the rules' labels stand."""
        which = [i for i, f in enumerate(figures) if self.label_ask == "all" or unsure(f)][:MODEL_LABELS]
        if not which:
            return figures, []
        asked = [figures[i] for i in which]
        try:
            answer, more = self.labeller.generate(self._labels_prompt().render(**prompt_variables(asked)),
                                                  labels_model(len(asked)), {},
                                                  max_tokens=LABEL_TOKENS * len(asked) + 16)
        except WirebriefError as exc:
            return figures, [f"the model's labelling step failed, the labels are the rules': {exc.message[:200]}"]
        stats.add(more)
        labelled, warnings = apply(asked, answer, text)
        out = list(figures)
        for i, f in zip(which, labelled, strict=True):
            out[i] = f
        return out, warnings


MODEL_LABELS = 30
"""Figures the model labels in one call; the rest of a long table keeps the rules' labels."""
LABEL_TOKENS = 16
"""Tokens one label may take (at most 60 characters, with its quotes and comma): the call's output cap, so a model
that rambles ends in a refused answer (the rules' labels stand) in seconds, not at max_output_tokens."""


_TEMPLATE_TOKENS = 64
"""Tokens a chat template adds around the messages (role markers), and a margin."""


def _tokens(messages: list[dict[str, str]]) -> int:
    """Tokens the messages take, estimated high: three ASCII characters a token, any other character one (a CJK
    or Cyrillic text has more tokens per character than English)."""
    text = "".join(m["content"] for m in messages)
    ascii_chars = len(text.encode("ascii", "ignore"))
    return -(-ascii_chars // 3) + len(text) - ascii_chars


def lede(text: str, tokens: int) -> str:
    """The start of ``text`` within ``tokens`` (estimated as :func:`_tokens` does), ended at the last sentence that
    fits whole (or mid-sentence, when not even the first does)."""
    cost, end = 0.0, len(text)
    for i, ch in enumerate(text):
        cost += 1 / 3 if ch < "\x80" else 1
        if cost > tokens:
            end = i
            break
    else:
        return text
    whole = [e for _, e in sentence_spans(text[:end + 1]) if e <= end]
    return text[:whole[-1] if whole else end]


def salient(candidates: list[NumberMention], limit: int) -> tuple[list[NumberMention], int]:
    """At most ``limit`` candidates, in text order: money and percentages first, then figures with a unit, then
    those early in the article; a results table or a budget annex cannot blow up the brief. Returns the kept
    candidates and how many were left out."""
    if len(candidates) <= limit:
        return candidates, 0
    n = len(candidates)

    def score(i: int) -> tuple[int, int]:
        m = candidates[i]
        return (2 * (m.kind in ("money", "percent")) + (m.unit is not None) + (i < n // 5), -i)

    keep = sorted(sorted(range(n), key=score, reverse=True)[:limit])
    return [candidates[i] for i in keep], n - limit


def build_pipeline(settings: Settings, backend: ChatBackend | None = None) -> Pipeline:
    """The pipeline the settings describe (the backend can be given, e.g. a fake in tests)."""
    from wirebrief.llm import make_backend

    cache = open_cache(settings) if settings.cache_enabled else None
    return Pipeline(settings=settings, backend=backend or make_backend(settings), cache=cache)
