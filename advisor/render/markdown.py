"""Advice as a Markdown report: the summary, the ranking, the reasons with sources, the
excluded models grouped by cause, and the obligations."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from ..errors import printable
from ..schema.advice import DIMENSIONS, Advice, RankedModel
from .obligations import grouped, when

LABELS = {
    "licence": "Licence", "sovereignty": "Sovereignty", "compute": "Compute", "capability": "Capability",
    "cost": "Cost", "openness": "Openness",
}


_MARKDOWN = re.compile(r"([\\`\[\]|])")


def md(text: object) -> str:
    """Text from data (names, messages, requirements) as inert Markdown: HTML escaped, link,
    code and table syntax escaped, control characters shown escaped, one line."""
    flat = printable(str(text).replace("\r\n", " ").replace("\n", " "))
    return _MARKDOWN.sub(r"\\\1", html.escape(flat, quote=False))


def _cell(text: object) -> str:
    return md(text)


def link_target(url: str) -> str:
    """A URL safe inside a Markdown link: characters that could end the link or open HTML are
    percent-encoded."""
    return quote(url, safe=":/?#@!$&'*+,;=%-._~")


def deployment_cell(r: RankedModel) -> str:
    d = r.deployment
    if d is None:
        return "—"
    if d.cost_basis == "per_token":
        return f"per-token API · {d.provider or d.hosting}"
    where = "your hardware" if d.hosting == "on_premises" and d.purchase_eur is None else (
        f"buy ≈€{d.purchase_eur:,.0f}" if d.purchase_eur else f"{d.provider or d.hosting}")
    return f"{d.quantization} · {d.memory_gb:g} GB · {d.hardware} · {where}"


def cost_cell(r: RankedModel) -> str:
    d = r.deployment
    if d is None:
        return "—"
    return f"€{d.monthly_cost_eur:,.0f}/month"


def render_markdown(advice: Advice, *, top: int | None = None, title: str = "Model recommendation") -> str:
    req = advice.requirements
    org = req.get("organisation", {})
    ranking = advice.ranking[:top] if top else advice.ranking
    out = [f"# {title}", ""]
    who = ", ".join(md(x) for x in (org.get("name"), org.get("country"), org.get("sector")) if x)
    if who:
        out += [f"For: {who}", ""]
    out += ["## Summary", "", *(md(p) + "\n" for p in advice.summary.split("\n\n"))]
    out += ["## Ranking", "",
            "| # | Model | Score | " + " | ".join(LABELS[d] for d in DIMENSIONS) + " | Deployment | Monthly cost |",
            "|---|---|---|" + "---|" * len(DIMENSIONS) + "---|---|"]
    for r in ranking:
        scores = " | ".join(f"{r.scores[d]:g}" for d in DIMENSIONS)
        out.append(f"| {r.rank} | {_cell(r.name)} | **{r.score:g}** | {scores} | {_cell(deployment_cell(r))} | "
                   f"{cost_cell(r)} |")
    if not ranking:
        out.append("| – | no eligible model | | " + " | " * len(DIMENSIONS) + " | |")
    out.append("")
    for r in ranking:
        out += [f"### {r.rank}. {md(r.name)}", "", f"Hugging Face: `{r.hf_repo}` · catalogue id `{r.model}` · "
                f"score {r.score:g}/100", ""]
        for dim in DIMENSIONS:
            reasons = [x for x in r.reasons if x.dimension == dim]
            if not reasons:
                continue
            out.append(f"**{LABELS[dim]} ({r.scores[dim]:g})**")
            out.append("")
            for x in reasons:
                pts = f" ({x.points:+g})" if x.points else ""
                out.append(f"- {md(x.message)}{pts} <sub>\\[{md(x.rule)}\\] {_sources(x.sources)}</sub>")
            out.append("")
        if r.warnings:
            out.append("**Check before use**")
            out.append("")
            out += [f"- ⚠ {md(w.message)} <sub>\\[{md(w.rule)}\\] {_sources(w.sources)}</sub>" for w in r.warnings]
            out.append("")
        if r.obligations:
            out.append("**Duties that come with this model**")
            out.append("")
            out += [f"- {md(o.message)} <sub>{md(o.article)}</sub>" for o in r.obligations]
            out.append("")
    if advice.excluded:
        out += ["## Not eligible", ""]
        by_rule: dict[str, list[str]] = {}
        messages: dict[str, str] = {}
        for ex in advice.excluded:
            first = ex.reasons[0]
            by_rule.setdefault(first.rule, []).append(md(ex.name))
            messages.setdefault(first.rule, first.message)
        for rule, names in sorted(by_rule.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            out.append(f"- **{md(rule)}** ({len(names)}): {', '.join(names)}")
        out += ["", "<details><summary>Every excluded model with its reasons</summary>", ""]
        for ex in advice.excluded:
            out.append(f"- **{md(ex.name)}**: " + " ".join(f"{md(r.message)} \\[{md(r.rule)}\\]" for r in ex.reasons))
        out += ["", "</details>", ""]
    if advice.obligations:
        out += ["## Your obligations", "", "Grouped by who must act, in the order they apply (dates as the law stands "
                f"at the catalogue review, {advice.catalogue.reviewed}).", ""]
        for heading, items in grouped(advice.obligations):
            out += [f"### {heading}", ""]
            for o in items:
                date = f" _({md(when(o))})_" if when(o) else ""
                note = f" {md(o.date_note)}" if o.date_note else ""
                kind = "Liability exposure: " if o.exposure else ""
                out.append(f"- **{md(o.article)}**{date}: {kind}{md(o.message)}{note} "
                           + " ".join(f"[source]({link_target(s)})" for s in o.sources[:2]))
            out.append("")
    out += ["---", "", f"advisor {advice.advisor_version} · catalogue of {advice.catalogue.models} models, reviewed "
            f"{advice.catalogue.reviewed} · {advice.disclaimer}", ""]
    return "\n".join(out)


def _sources(urls: list[str]) -> str:
    return " ".join(f"[{i + 1}]({link_target(u)})" for i, u in enumerate(urls[:4]))
