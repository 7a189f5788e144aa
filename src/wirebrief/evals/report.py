"""One self-contained HTML file people look at: highlighted figures, a side-by-side table, a trend chart."""

from __future__ import annotations

from html import escape
from pathlib import Path

from wirebrief.evals.cases import GoldCase
from wirebrief.evals.runner import CaseResult, RunRecord
from wirebrief.evals.scorers import match_figures

_CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#222}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2.5rem;border-top:1px solid #ddd;padding-top:1rem}
table{border-collapse:collapse;font-size:13px;width:100%}td,th{border:1px solid #ddd;padding:3px 6px;text-align:left}
.metrics td{text-align:right}.article{white-space:pre-wrap;background:#fafafa;padding:1rem;font-size:13px}
mark.hit{background:#b7eb8f}mark.miss{background:#ffa39e}mark.extra{background:#91caff}mark.ign{background:#eee}
.matched{color:#237804}.missed{color:#a8071a}.unmatched{color:#0958d9}.legend mark{padding:0 4px}
"""

METRICS = ["recall", "precision", "f1", "grounded_share", "label_agreement", "key_fact_recall",
           "first_attempt_valid"]


def _highlight(text: str, marks: list[tuple[int, int, str]]) -> str:
    out, pos = [], 0
    for start, end, cls in sorted(marks):
        if start < pos:
            continue
        out += [escape(text[pos:start]), f'<mark class="{cls}">{escape(text[start:end])}</mark>']
        pos = end
    return "".join([*out, escape(text[pos:])])


def _case_html(case: GoldCase, text: str, result: CaseResult) -> str:
    brief = result.brief
    if brief is None:
        return f"<h2>{escape(case.id)}</h2><p class=missed>failed: {escape(result.error or '')}</p>"
    pairs = match_figures(case.figures, brief.figures)
    by_gold = {gi: pi for pi, gi in pairs}
    matched_preds = {pi for pi, _ in pairs}
    marks = []
    rows = []
    for gi, g in enumerate(case.figures):
        if g.status == "ignore":
            marks.append((g.span[0], g.span[1], "ign"))
            continue
        if gi in by_gold:
            p = brief.figures[by_gold[gi]]
            marks.append((g.span[0], g.span[1], "hit"))
            rows.append(f"<tr class=matched><td>matched</td><td>{escape(g.raw)}</td><td>{escape(g.what)}</td>"
                        f"<td>{escape(p.raw)}</td><td>{escape(p.what)} · {escape(str(p.where))} · "
                        f"{escape(str(p.period))} · {escape(str(p.source))}</td></tr>")
        elif g.status == "required":
            marks.append((g.span[0], g.span[1], "miss"))
            rows.append(f"<tr class=missed><td>missed</td><td>{escape(g.raw)}</td><td>{escape(g.what)}</td>"
                        "<td></td><td></td></tr>")
    for pi, p in enumerate(brief.figures):
        if pi not in matched_preds:
            marks.append((p.span[0], p.span[1], "extra"))
            rows.append(f"<tr class=unmatched><td>unmatched</td><td></td><td></td><td>{escape(p.raw)}</td>"
                        f"<td>{escape(p.what)}</td></tr>")
    s = result.scores
    return (f"<h2>{escape(case.id)}</h2><p><b>{escape(brief.headline)}</b><br>{escape(brief.summary)}</p>"
            f"<p>{escape(s['figures']['explanation'])}<br>{escape(s['grounding']['explanation'])}<br>"
            f"{escape(s['summary']['explanation'])}<br>{escape(s['operations']['explanation'])}</p>"
            "<table><tr><th></th><th>gold</th><th>gold: what</th><th>predicted</th><th>predicted labels</th></tr>"
            f"{''.join(rows)}</table><div class=article>{_highlight(text, marks)}</div>")


def _chart(runs: list[RunRecord]) -> str:
    """Grouped bars of the headline metrics for each run, oldest first, as inline SVG."""
    width, height, pad = 900, 220, 30
    group = (width - pad) / max(1, len(runs))
    bar = group / (len(METRICS) + 1)
    colors = ["#1677ff", "#52c41a", "#722ed1", "#fa8c16", "#a0d911", "#13c2c2", "#eb2f96"]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 40}">',
             f'<line x1="{pad}" y1="{height}" x2="{width}" y2="{height}" stroke="#999"/>']
    for ri, run in enumerate(runs):
        x0 = pad + ri * group
        for mi, metric in enumerate(METRICS):
            v = max(0.0, min(1.0, run.metrics.get(metric, 0.0)))
            h = v * (height - 10)
            parts.append(f'<rect x="{x0 + mi * bar:.1f}" y="{height - h:.1f}" width="{bar - 2:.1f}" height="{h:.1f}" '
                         f'fill="{colors[mi]}"><title>{metric}={v:.3f}</title></rect>')
        parts.append(f'<text x="{x0:.1f}" y="{height + 15}" font-size="10">{escape(run.run_id[:22])}</text>')
    for mi, metric in enumerate(METRICS):
        parts.append(f'<text x="{pad + mi * 125}" y="{height + 35}" font-size="11" fill="{colors[mi]}">■ '
                     f'{metric}</text>')
    return "".join([*parts, "</svg>"])


def render(run: RunRecord, cases: list[GoldCase], root: Path, history: list[RunRecord],
           baseline: RunRecord | None = None) -> str:
    by_id = {c.id: c for c in cases}
    metric_rows = "".join(
        f"<tr><th>{escape(k)}</th><td>{v:.3f}</td><td>{'' if baseline is None else f'{baseline.metrics.get(k, 0):.3f}'}"
        f"</td></tr>" for k, v in run.metrics.items())
    sections = "".join(_case_html(by_id[r.id], _text(by_id[r.id], root), r) for r in run.cases
                       if r.repeat == 0 and r.id in by_id)
    return (f"<!doctype html><html><head><meta charset=utf-8><title>wirebrief eval {escape(run.run_id)}</title>"
            f"<style>{_CSS}</style></head><body><h1>wirebrief eval {escape(run.run_id)}</h1>"
            f"<p>{escape(', '.join(f'{k}={v}' for k, v in run.config.items()))}</p>"
            f"<p class=legend><mark class=hit>found</mark> <mark class=miss>missed</mark> "
            f"<mark class=extra>predicted, not in gold</mark> <mark class=ign>not a figure</mark></p>"
            f"<table class=metrics><tr><th>metric</th><th>this run</th><th>baseline</th></tr>{metric_rows}</table>"
            f"<h2>Recent runs</h2>{_chart(history)}{sections}</body></html>")


def _text(case: GoldCase, root: Path) -> str:
    from wirebrief.text.normalize import normalize

    return normalize(case.text(root)).text
