"""The results: ranking with per-dimension bars, details of the selected model, a what-if
panel that re-ranks at once, the excluded models (filterable), the obligations and the summary."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Checkbox,
    DataTable,
    Footer,
    Input,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from ...engine.evaluate import Evaluator
from ...schema.advice import DIMENSIONS, Advice, RankedModel
from ...schema.requirements import HardwareRef, Requirements
from ..widgets.bars import bars, moved
from ..widgets.ticks import TickBox
from .budget import WEIGHTS

if TYPE_CHECKING:
    from ..app import AdvisorApp

SHORT = {"licence": "Licence", "sovereignty": "Sovereignty", "compute": "Fit", "capability": "Quality",
         "cost": "Cost", "openness": "Openness"}
NONE = ""


def deployment_text(r: RankedModel) -> str:
    d = r.deployment
    if d is None:
        return "—"
    return d.short()


def cost_text(r: RankedModel) -> str:
    d = r.deployment
    if d is None:
        return "—"
    if d.purchase_eur:
        return f"buy €{d.purchase_eur:,.0f}"
    return f"€{d.monthly_cost_eur:,.0f}"


class ResultsScreen(Screen[None]):
    """Results for the app's current requirements; the what-if tab changes them in place."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "export", "Export", id="results.export", tooltip="Save the answers or the report"),
        Binding("b", "edit", "Edit answers", id="results.edit", tooltip="Go back to the questions"),
        Binding("w", "show_tab('tab-whatif')", "What if", id="results.whatif", tooltip="Try other answers"),
        Binding("r", "show_tab('tab-ranking')", "Ranking", id="results.ranking", show=False),
        Binding("x", "show_tab('tab-excluded')", "Not eligible", id="results.excluded", show=False),
        Binding("o", "show_tab('tab-obligations')", "Obligations", id="results.obligations", show=False),
        Binding("s", "show_tab('tab-summary')", "Summary", id="results.summary", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.advice: Advice | None = None
        self.previous: dict[str, int] = {}
        self.rerank_ms = 0.0

    @property
    def wizard(self) -> AdvisorApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static("", id="results-title")
        with TabbedContent(initial="tab-ranking", id="tabs"):
            with TabPane("Ranking", id="tab-ranking"):
                yield DataTable(id="ranking", cursor_type="row", zebra_stripes=True)
                yield Static("Bars: L licence S sovereignty F fit Q quality C cost O openness",
                             id="legend")
                with VerticalScroll(id="detail"):
                    yield Static("", id="detail-text")
            with TabPane("What if", id="tab-whatif"):
                yield from self._whatif()
            with TabPane("Not eligible", id="tab-excluded"):
                yield Input(placeholder="Filter by model or reason…", id="filter", compact=True)
                yield DataTable(id="excluded", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="excluded-detail"):
                    yield Static("", id="excluded-text")
            with TabPane("Obligations", id="tab-obligations"), VerticalScroll():
                yield Static("", id="obligations")
            with TabPane("Summary", id="tab-summary"), VerticalScroll():
                yield Static("Working out the explanation…", id="summary")
        yield Footer()

    def _whatif(self) -> ComposeResult:
        req = self.wizard.requirements
        app = self.wizard
        hw = req.hosting.hardware[0] if req.hosting.hardware else None
        hw_value = hw.accelerator if isinstance(hw, HardwareRef) else NONE
        modes = [(t.label, key) for key, t in app.catalogue.vocabulary.hosting_modes.items()]
        hardware = [("No hardware / as answered", NONE),
                    *((f"{h.name} ({h.memory_gb:g} GB)", hid) for hid, h in app.catalogue.hardware.items())]
        with Horizontal(id="whatif"):
            with VerticalScroll(id="whatif-form"):
                with Grid(id="whatif-grid"):
                    yield Label("Hosting")
                    yield Select(modes, value=req.hosting.mode, allow_blank=False, id="wi-mode", compact=True)
                    yield Label("Hardware")
                    yield Select(hardware, value=hw_value, allow_blank=False, id="wi-hardware", compact=True)
                    yield Label("How many")
                    yield Input(str(hw.count if hw else 1), id="wi-count", type="integer", compact=True)
                    yield Label("€/month budget")
                    yield Input(f"{req.budget.monthly_eur:g}" if req.budget.monthly_eur is not None else "",
                                placeholder="no limit", id="wi-budget", type="number", compact=True)
                    for dim in DIMENSIONS:
                        yield Label(f"Weight: {SHORT[dim].lower()}")
                        yield Select(WEIGHTS, value=getattr(req.priorities, dim), allow_blank=False,
                                     id=f"wi-w-{dim}", compact=True)
                yield TickBox("Accept licensor's remote restriction",
                               "remote_restriction" in req.licence.accept, id="wi-remote", compact=True)
            with VerticalScroll(id="whatif-moved"):
                yield Static("", id="moved")

    # -- lifecycle
    def on_mount(self) -> None:
        for table_id, columns in (
            ("#ranking", ("#", "Model", "Score", "L S F Q C O", "Runs as", "Cost", "Δ")),
            ("#excluded", ("Model", "Why not")),
        ):
            self.query_one(table_id, DataTable).add_columns(*columns)
        self.rerank(self.wizard.requirements, first=True)

    # -- scoring
    def rerank(self, req: Requirements, *, first: bool = False) -> None:
        """Re-score the whole catalogue now; the explanation follows in a worker thread."""
        if self.advice is not None:
            self.previous = {r.model: r.rank for r in self.advice.ranking}
        start = time.perf_counter()
        advice = Evaluator(req, self.wizard.catalogue, self.wizard.rules).advise(explain=False)
        self.rerank_ms = (time.perf_counter() - start) * 1000
        self.wizard.requirements = req
        self.advice = advice
        self._fill(first)
        self.query_one("#summary", Static).update("Working out the explanation…")
        self.explain(req)

    @work(thread=True, exclusive=True, group="explain")
    def explain(self, req: Requirements) -> None:
        advice = Evaluator(req, self.wizard.catalogue, self.wizard.rules).advise()
        self.app.call_from_thread(self._explained, req, advice)

    def _explained(self, req: Requirements, advice: Advice) -> None:
        if req is not self.wizard.requirements:
            return  # a newer change is on its way
        self.advice = advice
        self.query_one("#summary", Static).update(advice.summary)
        self.query_one("#obligations", Static).update(self._obligations_text(advice))

    def _fill(self, first: bool) -> None:
        advice = self.advice
        assert advice is not None
        who = self.wizard.requirements.organisation.name or "Results"
        self.query_one("#results-title", Static).update(
            f"{who}: {len(advice.ranking)} eligible, {len(advice.excluded)} not eligible · catalogue "
            f"{advice.catalogue.reviewed}")
        table = self.query_one("#ranking", DataTable)
        table.clear()
        for r in advice.ranking:
            delta = "" if first else moved(self.previous.get(r.model), r.rank)
            table.add_row(str(r.rank), r.name, f"{r.score:.0f}", bars(r.scores, DIMENSIONS), deployment_text(r),
                          cost_text(r), delta, key=r.model)
        self._fill_excluded(self.query_one("#filter", Input).value)
        self.query_one("#obligations", Static).update(self._obligations_text(advice))
        self._show_detail(advice.ranking[0].model if advice.ranking else None)
        self.query_one("#moved", Static).update(self._moved_text(first))

    def _moved_text(self, first: bool) -> str:
        advice = self.advice
        assert advice is not None
        head = f"Re-ranked {advice.catalogue.models} models" + (
            f" in {self.rerank_ms:.0f} ms." if self.wizard.show_timing else ".")
        if first or not advice.ranking:
            return head + ("" if advice.ranking else " No model is eligible with these answers.")
        lines = [head, "What moved (top 5):"]
        for r in advice.ranking[:5]:
            before = self.previous.get(r.model)
            change = moved(before, r.rank) or "unchanged"
            lines.append(f"  {r.rank}. {r.name} — {change}")
        gone = [m for m, rank in self.previous.items() if rank <= 5 and m not in {r.model for r in advice.ranking}]
        for m in gone:
            lines.append(f"  {self.wizard.catalogue.models[m].name} — no longer eligible")
        return "\n".join(lines)

    def _fill_excluded(self, needle: str) -> None:
        advice = self.advice
        assert advice is not None
        table = self.query_one("#excluded", DataTable)
        table.clear()
        needle = needle.lower().strip()
        for ex in advice.excluded:
            why = "; ".join(r.message for r in ex.reasons)
            if needle and needle not in ex.name.lower() and needle not in why.lower():
                continue
            table.add_row(ex.name, why, key=ex.model)

    @staticmethod
    def _obligations_text(advice: Advice) -> str:
        if not advice.obligations:
            return "No obligations triggered."
        lines = []
        for o in advice.obligations:
            lines.append(f"• {o.article}: {o.message}")
        lines.append("")
        lines.append(advice.disclaimer)
        return "\n".join(lines)

    def _show_detail(self, model_id: str | None) -> None:
        text = self.query_one("#detail-text", Static)
        advice = self.advice
        if advice is None or model_id is None:
            text.update("No eligible model: see 'Not eligible' for the reasons and 'What if' to try other answers.")
            return
        r = next((x for x in advice.ranking if x.model == model_id), None)
        if r is None:
            return
        lines = [f"{r.rank}. {r.name}  ({r.hf_repo}) — score {r.score:g}/100"]
        d = r.deployment
        if d is not None:
            if d.cost_basis == "per_token":
                lines.append(f"Runs as a per-token API at {d.provider}, about €{d.monthly_cost_eur:,.0f}/month.")
            else:
                where = "your hardware" if d.hosting == "on_premises" and not d.purchase_eur else (
                    f"to buy, about €{d.purchase_eur:,.0f}" if d.purchase_eur
                    else f"{d.provider}, €{d.monthly_cost_eur:,.0f}/month")
                lines.append(f"Runs as {d.quantization} on {d.hardware} ({where}); {d.memory_gb:g} GB; "
                             f"~{d.tokens_per_s:g} tokens/s per user.")
        for dim in DIMENSIONS:
            reasons = [x for x in r.reasons if x.dimension == dim]
            if not reasons:
                continue
            lines.append(f"\n{SHORT[dim]} {r.scores[dim]:g}/100")
            for x in reasons:
                pts = f" ({x.points:+g})" if x.points else ""
                src = f"  [{', '.join(x.sources[:2])}]" if x.sources else ""
                lines.append(f"  • {x.message}{pts}{src}")
        if r.warnings:
            lines.append("\nCheck before use")
            lines += [f"  ⚠ {w.message}" for w in r.warnings]
        if r.obligations:
            lines.append("\nDuties that come with this model")
            lines += [f"  • {o.message}" for o in r.obligations]
        text.update("\n".join(lines))

    # -- events
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is None:
            return
        if event.data_table.id == "ranking":
            self._show_detail(str(event.row_key.value))
        elif event.data_table.id == "excluded" and self.advice is not None:
            ex = next((e for e in self.advice.excluded if e.model == event.row_key.value), None)
            if ex is not None:
                self.query_one("#excluded-text", Static).update(
                    f"{ex.name}\n" + "\n".join(f"  • {r.message}  [{r.rule}]" for r in ex.reasons))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self._fill_excluded(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id in ("wi-count", "wi-budget"):
            self._apply_whatif()

    def on_select_changed(self, event: Select.Changed) -> None:
        if (event.select.id or "").startswith("wi-") and self.advice is not None:
            self._apply_whatif()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id == "wi-remote" and self.advice is not None:
            self._apply_whatif()

    def _apply_whatif(self) -> None:
        req = self.wizard.requirements
        changes: dict[str, Any] = {"hosting.mode": self.query_one("#wi-mode", Select).value}
        hw = self.query_one("#wi-hardware", Select).value
        count_text = self.query_one("#wi-count", Input).value.strip()
        budget_text = self.query_one("#wi-budget", Input).value.strip()
        try:
            count = max(1, int(count_text or "1"))
            budget = float(budget_text) if budget_text else None
        except ValueError:
            self.notify("Count and budget must be numbers.", severity="warning")
            return
        if hw:
            changes["hosting.hardware"] = [{"accelerator": hw, "count": count}]
        elif req.hosting.hardware and isinstance(req.hosting.hardware[0], HardwareRef):
            changes["hosting.hardware"] = []
        changes["budget.monthly_eur"] = budget
        for dim in DIMENSIONS:
            changes[f"priorities.{dim}"] = self.query_one(f"#wi-w-{dim}", Select).value
        accept = [c for c in req.licence.accept if c != "remote_restriction"]
        if self.query_one("#wi-remote", Checkbox).value:
            accept.append("remote_restriction")
        changes["licence.accept"] = accept
        try:
            new = req.replace(**changes)
        except ValueError as exc:
            self.notify(str(exc).splitlines()[0], severity="warning")
            return
        if new != req:
            self.rerank(new)

    # -- actions
    def action_show_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab
        first = {"tab-ranking": "#ranking", "tab-whatif": "#wi-mode", "tab-excluded": "#filter"}.get(tab)
        if first:
            self.query_one(first).focus()

    def action_edit(self) -> None:
        self.wizard.edit_answers()

    def action_export(self) -> None:
        self.wizard.export()
