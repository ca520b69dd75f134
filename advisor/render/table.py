"""Advice, catalogue listings and estimates as terminal tables (rich). Imported only when a
table is asked for, so JSON output never pays for rich."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..schema.advice import DIMENSIONS, Advice
from .markdown import LABELS, cost_cell, deployment_cell


def advice_table(advice: Advice, *, top: int | None = None) -> Group:
    ranking = advice.ranking[:top] if top else advice.ranking
    table = Table(box=box.SIMPLE_HEAVY, title="Ranking (scores 0-100)", title_justify="left", expand=False)
    table.add_column("#", justify="right")
    table.add_column("Model")
    table.add_column("Score", justify="right", style="bold")
    for d in DIMENSIONS:
        table.add_column(LABELS[d][:5], justify="right")
    table.add_column("Deployment")
    table.add_column("€/month", justify="right")
    for r in ranking:
        table.add_row(str(r.rank), r.name, f"{r.score:g}", *(f"{r.scores[d]:g}" for d in DIMENSIONS),
                      deployment_cell(r), cost_cell(r).removesuffix("/month"))
    parts: list[Any] = [Panel(Text(advice.summary), title="Recommendation", title_align="left"), table]
    if ranking:
        best = ranking[0]
        reasons = Table(box=box.MINIMAL, show_header=True, title=f"Why {best.name}", title_justify="left")
        reasons.add_column("Dimension")
        reasons.add_column("Points", justify="right")
        reasons.add_column("Reason")
        for x in best.reasons:
            reasons.add_row(LABELS.get(x.dimension, x.dimension), f"{x.points:+g}" if x.points else "", x.message)
        for w in best.warnings:
            reasons.add_row("check", "", Text("⚠ " + w.message, style="yellow"))
        parts.append(reasons)
    if advice.obligations:
        ob = Table(box=box.MINIMAL, title="Your obligations", title_justify="left")
        ob.add_column("Provision")
        ob.add_column("What to do")
        for o in advice.obligations:
            ob.add_row(o.article, o.message)
        parts.append(ob)
    parts.append(Text(f"{len(advice.excluded)} models not eligible (see --format markdown for each reason). "
                      + advice.disclaimer, style="dim"))
    return Group(*parts)


def rows_table(rows: list[dict[str, Any]], columns: list[str], title: str | None = None) -> Table:
    table = Table(box=box.SIMPLE, title=title, title_justify="left")
    for c in columns:
        table.add_column(c)
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
    return table


def print_renderable(renderable: Any, *, width: int | None = None) -> None:
    Console(width=width, soft_wrap=False).print(renderable)
