"""Human-readable Markdown for a brief."""

from __future__ import annotations

from wirebrief.brief.schema import BriefRecord


def _cell(value: object) -> str:
    return "" if value is None else str(value).replace("|", "\\|").replace("\n", " ")


def markdown(record: BriefRecord) -> str:
    if record.brief is None:
        err = record.error
        return f"## {record.id}: failed\n\n{err.type}: {err.message} ({err.hint})\n" if err else ""
    b = record.brief
    lines = [f"## {b.headline}", "", f"*{record.id} · {b.meta.model} · prompt {b.meta.prompt_id} "
             f"v{b.meta.prompt_version} · {b.meta.latency_ms / 1000:.1f} s"
             f"{' · cached' if b.meta.cache_hit else ''}*", "", b.summary, ""]
    lines += [f"- {p}" for p in b.key_points] + [""]
    if b.figures:
        lines += ["| value | as written | unit | what | where | period | source |",
                  "|---:|---|---|---|---|---|---|"]
        for f in b.figures:
            value = f"{f.value:,.0f}" if f.value.is_integer() else f"{f.value:,}"
            lines.append("| " + " | ".join(_cell(c) for c in (value, f.raw, f.unit, f.what, f.where, f.period,
                                                                f.source)) + " |")
        lines.append("")
    lines += [f"> warning: {w}" for w in b.warnings]
    return "\n".join(lines).rstrip() + "\n"
