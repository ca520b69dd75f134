"""Advice as a self-contained HTML page (no scripts, no external resources)."""

from __future__ import annotations

from html import escape

from ..schema.advice import DIMENSIONS, Advice
from .markdown import LABELS, cost_cell, deployment_cell
from .obligations import grouped, when

STYLE = """
body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1b1f24;line-height:1.45}
table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.num{text-align:right}.summary{white-space:pre-wrap;background:#f6f8fa;padding:1rem;border-radius:6px}
.warn{color:#9a6700}.src{font-size:.8em;color:#57606a}footer{margin-top:2rem;font-size:.85em;color:#57606a}
"""


def _links(urls: list[str]) -> str:
    return " ".join(f'<a href="{escape(u)}">[{i + 1}]</a>' for i, u in enumerate(urls[:4]))


def render_html(advice: Advice, *, top: int | None = None, title: str = "Model recommendation") -> str:
    ranking = advice.ranking[:top] if top else advice.ranking
    h = ["<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
         f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
         f"<h1>{escape(title)}</h1>", "<h2>Summary</h2>", f'<div class="summary">{escape(advice.summary)}</div>',
         "<h2>Ranking</h2>", "<table><tr><th>#</th><th>Model</th><th>Score</th>"
         + "".join(f"<th>{LABELS[d]}</th>" for d in DIMENSIONS) + "<th>Deployment</th><th>Monthly cost</th></tr>"]
    for r in ranking:
        h.append(f"<tr><td>{r.rank}</td><td>{escape(r.name)}</td><td class=num><b>{r.score:g}</b></td>"
                 + "".join(f"<td class=num>{r.scores[d]:g}</td>" for d in DIMENSIONS)
                 + f"<td>{escape(deployment_cell(r))}</td><td>{escape(cost_cell(r))}</td></tr>")
    h.append("</table>")
    for r in ranking:
        h.append(f"<h3>{r.rank}. {escape(r.name)}</h3><p><code>{escape(r.hf_repo)}</code></p><ul>")
        for x in r.reasons:
            pts = f" ({x.points:+g})" if x.points else ""
            h.append(f"<li><b>{LABELS.get(x.dimension, x.dimension)}</b>: {escape(x.message)}{pts} "
                     f'<span class="src">{escape(x.rule)} {_links(x.sources)}</span></li>')
        for w in r.warnings:
            h.append(f'<li class="warn">⚠ {escape(w.message)} <span class="src">{_links(w.sources)}</span></li>')
        for o in r.obligations:
            h.append(f"<li>Duty ({escape(o.article)}): {escape(o.message)}</li>")
        h.append("</ul>")
    if advice.excluded:
        h.append("<h2>Not eligible</h2><table><tr><th>Model</th><th>Why</th></tr>")
        for ex in advice.excluded:
            why = "<br>".join(f"{escape(r.message)} <span class=src>{escape(r.rule)}</span>" for r in ex.reasons)
            h.append(f"<tr><td>{escape(ex.name)}</td><td>{why}</td></tr>")
        h.append("</table>")
    if advice.obligations:
        h.append("<h2>Your obligations</h2><p>Grouped by who must act, in the order they apply (dates as the law "
                 f"stands at the catalogue review, {escape(advice.catalogue.reviewed)}).</p>")
        for heading, items in grouped(advice.obligations):
            h.append(f"<h3>{escape(heading)}</h3><ul>")
            for o in items:
                date = f" <i>({escape(when(o))})</i>" if when(o) else ""
                note = f" <span class=src>{escape(o.date_note)}</span>" if o.date_note else ""
                kind = "Liability exposure: " if o.exposure else ""
                links = " ".join(f'<a href="{escape(s)}">source</a>' for s in o.sources[:2])
                h.append(f"<li><b>{escape(o.article)}</b>{date}: {kind}{escape(o.message)}{note} {links}</li>")
            h.append("</ul>")
    h.append(f"<footer>advisor {escape(advice.advisor_version)} · catalogue of {advice.catalogue.models} models, "
             f"reviewed {escape(advice.catalogue.reviewed)} · {escape(advice.disclaimer)}</footer></body></html>")
    return "\n".join(h)
