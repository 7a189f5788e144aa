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
from wirebrief.brief.schema import SCHEMA_VERSION, Brief, Draft, Meta
from wirebrief.figures.candidates import figure_candidates
from wirebrief.figures.finder import find_numbers
from wirebrief.figures.labels import PARSER, propose
from wirebrief.figures.mention import NumberMention
from wirebrief.llm import ChatBackend, StructuredLLM
from wirebrief.llm.prompts import Prompt, load_prompt
from wirebrief.settings import Settings
from wirebrief.store.cache import BriefCache, brief_id_for, cache_key, open_cache
from wirebrief.text.injection import instruction_spans, without
from wirebrief.text.normalize import Document, Kind, normalize

CODE_FILES = ("text", "figures", "brief/schema.py", "brief/assemble.py", "pipeline.py", "llm/embedded.py",
              "llm/structured.py")
"""The code that shapes a brief (folders: every module in them), relative to the package. A test walks the
pipeline's imports and fails on a module that is in neither this list nor its list of modules that do not."""


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


@dataclass
class Pipeline:
    settings: Settings
    backend: ChatBackend
    cache: BriefCache | None = None
    """None means no caching (build_pipeline leaves it out when settings.cache_enabled is False)."""
    llm: StructuredLLM = field(init=False)
    code_fingerprint: str = field(init=False, default_factory=_code_fingerprint)
    _jobs: dict[tuple[str, str, str], Job] = field(init=False, default_factory=dict, repr=False)
    _jobs_lock: threading.Lock = field(init=False, default_factory=threading.Lock, repr=False)
    """The memo is shared by request threads; normalization runs outside the lock."""

    def __post_init__(self) -> None:
        self.llm = StructuredLLM(self.backend, self.settings)

    def document(self, raw: str | bytes | Document, kind: Kind | None = None) -> Document:
        if isinstance(raw, Document):
            return raw
        return normalize(raw, kind=kind, max_chars=self.settings.max_chars)

    def key_components(self, doc: Document, prompt: Prompt) -> dict[str, Any]:
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
                "mode": s.openai_mode if ident.backend == "openai" else "grammar",
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
        draft, stats = self.llm.generate(prompt.render(article=without(doc.text, excluded)), Draft,
                                         {"claims": article.claims, "number_reasks": self.settings.prose_reasks})
        figures, figure_warnings = build_figures(candidates, propose(doc.text, candidates), article)
        headline, summary, prose_warnings = checked_prose(draft, article)
        ident = self.backend.identity
        return Brief(
            brief_id=brief_id_for(key),
            headline=headline,
            summary=summary,
            key_points=key_points(article, figures, said=summary),
            figures=figures,
            warnings=warnings + figure_warnings + prose_warnings,
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
