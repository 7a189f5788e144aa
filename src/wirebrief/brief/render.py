"""Human-readable Markdown for a brief. Every piece of text in it (the model's prose, the article's sentences, labels,
ids, warnings) goes through :func:`~wirebrief.text.redact.md_escape`: one line, no control or escape sequence, and
no markup of its own (a headline '… \\n# injected <script>' stays a line of text)."""

from __future__ import annotations

from wirebrief.brief.schema import BriefRecord, Figure
from wirebrief.text.redact import md_escape


def _cell(value: object) -> str:
    return "" if value is None else md_escape(value)  # '|' escaped with the rest: a cell stays one cell


def _number(value: float) -> str:
    return f"{value:,.0f}" if value.is_integer() else f"{value:,}"


def _change(f: Figure) -> str:
    """'up', 'up from 350': which way the figure moved and from what, when the text says."""
    way = f.change or ""
    return _cell(way if f.baseline is None else f"{way} from {_number(f.baseline)}".strip())


def _unit(f: Figure) -> str:
    """'USD', 'USD per barrel', 'per week' (a count's noun is its what)."""
    return _cell(" ".join(w for w in (f.unit, f.per and f"per {f.per}") if w) or None)


def _label(f: Figure, name: str) -> str:
    """A label cell; one its sentence does not say is set in italics with where it came from."""
    value, origin = getattr(f, name), f.label_from.get(name)
    if not value or origin in (None, "sentence"):
        return _cell(value)
    return f"*{_cell(value)}* ({origin})"


def markdown(record: BriefRecord) -> str:
    rid = md_escape(record.id)
    if record.brief is None:
        err = record.error
        return (f"## {rid}: failed\n\n{md_escape(err.type)}: {md_escape(err.message)} ({md_escape(err.hint)})\n"
                if err else "")
    b = record.brief
    lines = [f"## {md_escape(b.headline)}", "", f"*{rid} · {md_escape(b.meta.model)} · prompt "
             f"{md_escape(b.meta.prompt_id)} v{md_escape(b.meta.prompt_version)} · {b.meta.latency_ms / 1000:.1f} s"
             f"{' · cached' if b.meta.cache_hit else ''}*", "", md_escape(b.summary), ""]
    lines += [f"- {md_escape(p)}" for p in b.key_points] + [""]
    if b.figures:
        lines += ["| value | as written | unit | what | change | where | period | source |",
                  "|---:|---|---|---|---|---|---|---|"]
        for f in b.figures:
            lines.append("| " + " | ".join((_cell(_number(f.value)), _cell(f.raw), _unit(f), _label(f, "what"),
                                            _change(f), _label(f, "where"), _label(f, "period"),
                                            _label(f, "source"))) + " |")
        lines.append("*labels in italics are not said by the figure's own sentence: (context) its paragraph, "
                     "(article) the whole article, (model) the model's, checked against the text*")
        lines.append("")
    if b.checks:
        lines += ["| check | holds | figures | why |", "|---|---|---|---|"]
        lines += [f"| {c.kind} | {'yes' if c.holds else 'no'} | {', '.join(str(i) for i in c.figures)} | "
                  f"{_cell(c.explanation)} |" for c in b.checks] + [""]
    lines += [f"> warning: {md_escape(w)}" for w in b.warnings]
    return "\n".join(lines).rstrip() + "\n"
