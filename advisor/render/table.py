"""Advice, catalogue listings and estimates as terminal tables (rich). Imported only when a
table is asked for, so JSON output never pays for rich."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..errors import printable
from ..schema.advice import DIMENSIONS, Advice
from .markdown import LABELS, deployment_cell
from .obligations import grouped, when


def plain(text: object) -> Text:
    """Data shown literally: never parsed as rich markup, control characters escaped."""
    return Text(printable(str(text)))

SHORT = {"licence": "Lic", "sovereignty": "Sov", "compute": "Fit", "capability": "Qual", "cost": "Cost",
         "openness": "Open"}


def advice_table(advice: Advice, *, top: int | None = None, width: int = 80) -> Group:
    ranking = advice.ranking[:top] if top else advice.ranking
    wide = width >= 100
    table = Table(box=box.SIMPLE_HEAD, title="Ranking (scores 0-100; memory in GB = 10^9 bytes)",
                  title_justify="left", padding=(0, 1, 0, 0), pad_edge=False)
    table.add_column("#", justify="right")
    table.add_column("Model", no_wrap=True, overflow="ellipsis", max_width=24)
    table.add_column("Score", justify="right", style="bold", min_width=5)
    for d in DIMENSIONS:
        table.add_column(SHORT[d], justify="right", min_width=len(SHORT[d]))
    if wide:
        table.add_column("Format", no_wrap=True, min_width=6)
        table.add_column("GB", justify="right", min_width=3)
    table.add_column("€/mo", justify="right", min_width=5)
    for r in ranking:
        d = r.deployment
        api = d is not None and d.cost_basis == "per_token"
        extra = [("API" if api else d.quantization) if d else "—",
                 ("—" if api else f"{d.memory_gb:.0f}") if d else "—"] if wide else []
        table.add_row(str(r.rank), plain(r.name), f"{r.score:.0f}", *(f"{r.scores[x]:.0f}" for x in DIMENSIONS),
                      *(plain(x) for x in extra), f"{d.monthly_cost_eur:,.0f}" if d else "—")
    summary = Text("\n\n".join(printable(p) for p in advice.summary.split("\n\n")))
    parts: list[Any] = [Panel(summary, title="Recommendation", title_align="left"), table]
    if ranking:
        best = ranking[0]
        reasons = Table(box=box.MINIMAL, show_header=True, title=plain(f"Why {best.name} — {deployment_cell(best)}"),
                        title_justify="left")
        reasons.add_column("Dimension")
        reasons.add_column("Points", justify="right")
        reasons.add_column("Reason")
        order = {d: i for i, d in enumerate(DIMENSIONS)}
        for x in sorted(best.reasons, key=lambda x: order.get(x.dimension, 99)):
            reasons.add_row(LABELS.get(x.dimension, x.dimension), f"{x.points:+g}" if x.points else "", plain(x.message))
        for w in best.warnings:
            reasons.add_row("check", "", Text("⚠ " + printable(w.message), style="yellow"))
        parts.append(reasons)
    if advice.obligations:
        ob = Table(box=box.MINIMAL, title="Your obligations (by who must act, in date order)", title_justify="left")
        ob.add_column("Provision")
        ob.add_column("What to do")
        for heading, items in grouped(advice.obligations):
            ob.add_row(Text(heading, style="bold"), "")
            for o in items:
                ob.add_row(plain(o.article) + (f"\n{when(o)}" if when(o) else ""),
                           plain(("Liability exposure: " if o.exposure else "") + o.message))
        parts.append(ob)
    parts.append(Text(f"{len(advice.excluded)} models not eligible (see --format markdown for each reason). "
                      + advice.disclaimer, style="dim"))
    return Group(*parts)


def rows_table(rows: list[dict[str, Any]], columns: list[str], title: str | None = None) -> Table:
    table = Table(box=box.SIMPLE, title=title, title_justify="left")
    for c in columns:
        table.add_column(c, overflow="fold")  # wrap long ids and values, never cut them
    for row in rows:
        table.add_row(*(plain("" if row.get(c) is None else row.get(c)) for c in columns))
    return table


def listing_table(kind: str, rows: list[dict[str, Any]]) -> Table:
    """``catalogue list`` as a table that fits 80 columns: the id never wraps, other cells do."""
    from ..listing import COLUMNS, table_cell

    units = {"models": " (B = billion parameters)", "hardware": " (GB = 10^9 bytes; € indicative, excl. VAT)",
             "hosting": " (indicative prices excl. VAT; CLOUD = US CLOUD Act exposure)"}
    table = Table(box=box.SIMPLE, title=f"{len(rows)} {kind}{units.get(kind, '')}", title_justify="left",
                  pad_edge=False, padding=(0, 1, 0, 0), collapse_padding=True)
    columns = COLUMNS[kind]
    cells = [[plain(table_cell(kind, row, key)) for key, _, _ in columns] for row in rows]
    for n, (_, header, share) in enumerate(columns):
        if share:
            table.add_column(header, ratio=share, overflow="fold")
        else:
            width = max([len(header), *(len(c[n]) for c in cells)])
            table.add_column(header, no_wrap=True, width=width)
    for row in cells:
        table.add_row(*row)
    return table


def console_width() -> int:
    return Console().width


def print_renderable(renderable: Any, *, width: int | None = None) -> None:
    Console(width=width, soft_wrap=False).print(renderable)
