"""The results: the ranking with a brief on the highlighted model (what to use, why, what it costs,
what you must do, what to check), every detail one key away, a what-if sandbox that re-ranks at
once without touching your answers, the excluded models (filterable), the obligations by who must
act and from when, and the summary."""

from __future__ import annotations

import time
from collections import Counter
from typing import TYPE_CHECKING, Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Button,
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
from textual.widgets.data_table import CellDoesNotExist

from ...engine.advice import advise
from ...engine.evaluate import Evaluator
from ...render.obligations import grouped, when
from ...schema.advice import DIMENSIONS, Advice, RankedModel
from ...schema.requirements import HardwareRef, InlineHardware, Requirements
from ..glossary import DELTA, ENGINES, KV_CACHE, SCORE, TOKENS, Namer, hardware_label, quant_words
from ..numbers import shown
from ..widgets.bars import bars, moved
from ..widgets.field import NumberInput
from ..widgets.prose import Prose, ProseView
from ..widgets.ticks import TickBox
from ..widgets.weight import WeightPicker

if TYPE_CHECKING:
    from ..app import AdvisorApp

SHORT = {"licence": "Licence", "sovereignty": "Sovereignty", "compute": "Fit", "capability": "Quality",
         "cost": "Cost", "openness": "Openness"}
WORDS = {"licence": "licence terms", "sovereignty": "sovereignty", "compute": "fit on the hardware",
         "capability": "expected quality", "cost": "cost", "openness": "openness"}
ANSWERS = "__answers__"
TAB_FOCUS = {"tab-ranking": "#ranking", "tab-whatif": "#wi-mode", "tab-excluded": "#excluded-table",
             "tab-obligations": "#obligations-scroll", "tab-summary": "#summary-scroll"}
WIDE = 100
"""From this width the ranking also shows how each model runs."""
WHATIF_ROWS = 8
"""Rows of the what-if ranking shown (and explained) at most."""


def cost_text(r: RankedModel) -> str:
    """The cost column: '€0/mo', '€548/mo', '€120/mo API', 'buy €6,802' ('*' = check the price)."""
    d = r.deployment
    if d is None:
        return "—"
    star = "*" if d.price_stale else ""
    if d.cost_basis == "purchase" or d.purchase_eur:
        return f"buy €{d.purchase_eur or 0:,.0f}{star}"
    if d.cost_basis == "per_token":
        return f"€{d.monthly_cost_eur:,.0f}/mo API{star}"
    return f"€{d.monthly_cost_eur:,.0f}/mo{star}"


def short_cost(r: RankedModel) -> str:
    """The cost in at most 9 characters: '€0', '€548', '€120 API', 'buy €6.8k'."""
    d = r.deployment
    if d is None:
        return "—"
    if d.cost_basis == "purchase" or d.purchase_eur:
        p = d.purchase_eur or 0
        return f"buy €{p / 1000:.1f}k" if p >= 10_000 else f"buy €{p:,.0f}"
    m = d.monthly_cost_eur
    text = f"€{m / 1000:.1f}k" if m >= 100_000 else f"€{m:,.0f}"
    return f"{text} API" if d.cost_basis == "per_token" and len(text) <= 5 else text


def deployment_text(r: RankedModel) -> str:
    d = r.deployment
    return "—" if d is None else d.short().removeprefix("GGUF ")


def cost_sentence(r: RankedModel, namer: Namer, req: Requirements) -> str:
    """What it costs, in one or two sentences."""
    d = r.deployment
    if d is None:
        return "Not sized: see the details."
    hw = namer.text(d.hardware)
    check = f" Check the price: it dates from {d.price_date}." if d.price_stale and d.price_date else (
        " Check the price: it is more than six months old." if d.price_stale else "")
    if d.cost_basis == "per_token":
        price = d.eur_per_million_tokens or {}
        per = (f" (€{price.get('input', 0):g} per million tokens in, €{price.get('output', 0):g} out)"
               if price else "")
        tokens = f" for {d.monthly_tokens:,} tokens a month" if d.monthly_tokens else ""
        return f"About €{d.monthly_cost_eur:,.0f} a month at {d.provider}'s per-token API{tokens}{per}.{check}"
    if d.cost_basis == "purchase" or d.purchase_eur:
        monthly = (f", about €{d.monthly_equivalent_eur:,.0f} a month over {req.budget.amortisation_months} "
                   "months with power" if d.monthly_equivalent_eur else "")
        return f"Buy {hw} for about €{d.purchase_eur or 0:,.0f}{monthly}.{check}"
    if d.cost_basis == "rental_24_7" or d.hosting != "on_premises":
        fee = f" plus a setup fee of €{d.setup_fee_eur:,.0f}" if d.setup_fee_eur else ""
        return (f"About €{d.monthly_cost_eur:,.0f} a month renting {hw} at {d.provider or d.hosting}, running "
                f"24/7{fee}.{check}")
    return f"No hosting fees: it runs on hardware you have ({hw}); electricity not included."


def why_sentence(r: RankedModel, advice: Advice) -> str:
    """Why this model, in one short sentence: its place, the aspects where it stands out (scores
    80 or more, higher than at least half of the other eligible models: a score most models share
    is no strength), its weak ones."""
    others = [o for o in advice.ranking if o.model != r.model]
    best = sorted((d for d in DIMENSIONS if r.scores[d] >= 80
                   and others and 2 * sum(r.scores[d] > o.scores[d] for o in others) >= len(others)),
                  key=lambda d: -r.scores[d])[:2]
    weak = [WORDS[d] for d in DIMENSIONS if r.scores[d] < 50]
    parts = []
    if r.rank == 1:
        parts.append("The best balance of your priorities")
    else:
        top = advice.ranking[0]
        gap = round(top.score - r.score)
        worse = [WORDS[d] for d in sorted(DIMENSIONS, key=lambda d: r.scores[d] - top.scores[d])[:2]
                 if r.scores[d] < top.scores[d]]
        behind = f"{gap} point{'s' if gap != 1 else ''} behind #1" if gap >= 1 else "level with #1"
        parts.append(behind + (f", mainly on {' and '.join(worse)}" if worse else ""))
    if best:
        parts.append("strongest on " + _and([WORDS[d] for d in best]))
    if weak:
        parts.append("weak on " + _and(weak))
    return "; ".join(parts) + "."


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def first_sentence(text: str, limit: int = 160) -> str:
    """The first sentence, cut at a clause or word boundary when longer than ``limit``."""
    cut = text.split(". ")[0].rstrip(".")
    if len(cut) <= limit:
        return cut + "."
    head = cut[:limit]
    for mark in (": ", "; ", " (", ", "):
        at = head.rfind(mark)
        if at > limit // 2:
            return head[:at] + "…"
    return head[: head.rfind(" ")] + "…" if " " in head else head + "…"


def without_name(message: str, name: str) -> str:
    """A reason without the model's own name in front (the table already shows it)."""
    for prefix in (f"{name}'s ", f"{name} "):
        if message.startswith(prefix):
            rest = message[len(prefix):]
            return rest[:1].upper() + rest[1:]
    return message.replace(f" for {name}", "").replace(f"{name}: ", "")


def source_notes(catalogue: Any) -> dict[str, str]:
    """URL -> what the catalogue says the source confirms (note, or what it is a copy of)."""
    notes: dict[str, str] = {}
    groups = ("models", "licences", "publishers", "hardware", "offers", "machines", "quantizers")

    def walk(obj: Any, depth: int = 0) -> None:
        if depth > 4 or obj is None:
            return
        if isinstance(obj, list | tuple):
            for item in obj:
                walk(item, depth + 1)
            return
        fields = getattr(type(obj), "model_fields", None)
        if not fields:
            return
        if "url" in fields and "retrieved" in fields:
            url = str(obj.url)
            bits = [b for b in (getattr(obj, "note", None),
                                f"a copy of {obj.copy_of}" if getattr(obj, "copy_of", None) else None) if b]
            if bits and url not in notes:
                notes[url] = "; ".join(bits)
            return
        for name in fields:
            value = getattr(obj, name, None)
            if isinstance(value, list | tuple) or hasattr(type(value), "model_fields"):
                walk(value, depth + 1)

    for group in groups:
        for entry in getattr(catalogue, group, {}).values():
            walk(entry)
    return notes


class DetailScreen(ModalScreen[None]):
    """Everything about one model: how it runs (with the terms explained), every reason with its
    sources and what each source confirms, what to check, and the duties its licence brings."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,d", "close", "Close", id="detail.close"),
    ]
    AUTO_FOCUS = "#detail-scroll"

    def __init__(self, page: Prose, title: str) -> None:
        super().__init__()
        self.page = page
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="detail-box"):
            yield Static(self.title_text, classes="dialog-title")
            with VerticalScroll(id="detail-scroll"):
                yield ProseView(id="detail-full")
            with Horizontal(classes="dialog-buttons"):
                yield Static("↑↓ PgUp PgDn scroll", classes="dialog-hint")
                yield Button("Close (Esc)", id="close", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#detail-full", ProseView).show(self.page)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


class ResultsScreen(Screen[None]):
    """Results for the user's answers. The what-if tab is a sandbox: it re-ranks with other answers
    and never changes the user's answers, the summary or an export unless 'Apply to my answers'."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "export", "Export", id="results.export", key_display="e/F8",
                tooltip="Save the answers or the report"),
        Binding("f8", "export", "Export", id="results.export2", key_display="F8", priority=True),
        Binding("b", "edit", "Edit answers", id="results.edit", key_display="b/F7", tooltip="Change an answer"),
        Binding("f7", "edit", "Edit answers", id="results.edit2", key_display="F7", priority=True),
        Binding("f2", "show_tab('tab-ranking')", "Tabs", id="results.ranking2", key_display="F2-F6", priority=True,
                tooltip="F2 Ranking, F3 What if, F4 Not eligible, F5 Obligations, F6 Summary (or r w x o s)"),
        Binding("d", "details", "Details", id="results.details", show=False,
                tooltip="Every reason and source of the highlighted model"),
        Binding("r", "show_tab('tab-ranking')", "Ranking", id="results.ranking", show=False),
        Binding("w", "show_tab('tab-whatif')", "What if", id="results.whatif", show=False),
        Binding("x", "show_tab('tab-excluded')", "Not eligible", id="results.excluded", show=False),
        Binding("o", "show_tab('tab-obligations')", "Obligations", id="results.obligations", show=False),
        Binding("s", "show_tab('tab-summary')", "Summary", id="results.summary", show=False),
        Binding("f3", "show_tab('tab-whatif')", "What if", id="results.whatif2", show=False, priority=True),
        Binding("f4", "show_tab('tab-excluded')", "Not eligible", id="results.excluded2", show=False,
                priority=True),
        Binding("f5", "show_tab('tab-obligations')", "Obligations", id="results.obligations2", show=False,
                priority=True),
        Binding("f6", "show_tab('tab-summary')", "Summary", id="results.summary2", show=False, priority=True),
        Binding("a", "apply", "Apply", id="results.apply", show=False),
        Binding("ctrl+y", "apply", "Apply", id="results.apply2", show=False, priority=True),
        Binding("u", "reset", "Reset", id="results.reset", show=False),
        Binding("ctrl+o", "reset", "Reset", id="results.reset2", show=False, priority=True),
        Binding("escape", "leave_field", "Leave field", id="results.escape", show=False),
    ]
    help_title = "Results"

    def __init__(self) -> None:
        super().__init__()
        self.advice: Advice | None = None
        """The advice for the user's answers."""
        self.sandbox: Requirements | None = None
        """The what-if answers (the user's answers until something is changed in the what-if tab)."""
        self.sandbox_advice: Advice | None = None
        self.rerank_ms = 0.0
        self._filling = False
        self._timer: Any = None
        self._wide: bool | None = None

    @property
    def wizard(self) -> AdvisorApp:
        return self.app  # type: ignore[return-value]

    @property
    def namer(self) -> Namer:
        app = self.wizard
        if not hasattr(app, "_namer"):
            app._namer = Namer(app.catalogue)  # type: ignore[attr-defined]
        return app._namer  # type: ignore[attr-defined,no-any-return]

    # -- layout
    def compose(self) -> ComposeResult:
        yield Static("", id="results-title")
        yield Static("", id="results-notice")
        with TabbedContent(initial="tab-ranking", id="tabs"):
            with TabPane("Ranking r", id="tab-ranking"):
                yield DataTable(id="ranking", cursor_type="row", zebra_stripes=True)
                yield Static("Bars 0-100: L licence S sovereignty F fit Q quality C cost O openness", id="legend")
                with VerticalScroll(id="detail"):
                    yield ProseView("", id="detail-text")
            with TabPane("What if w", id="tab-whatif"):
                yield from self._whatif()
            with TabPane("Not eligible x", id="tab-excluded"):
                yield Input(placeholder="Filter by model or reason (Esc leaves the filter)", id="filter",
                            compact=True, select_on_focus=False)
                yield DataTable(id="excluded-table", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="excluded-detail"):
                    yield ProseView("", id="excluded-text")
            with TabPane("Obligations o", id="tab-obligations"), VerticalScroll(id="obligations-scroll"):
                yield ProseView("", id="obligations")
            with TabPane("Summary s", id="tab-summary"), VerticalScroll(id="summary-scroll"):
                yield ProseView("Working out the explanation…", id="summary")
        yield Footer()

    def _hardware_options(self, req: Requirements) -> tuple[list[tuple[str, str]], str, int]:
        app = self.wizard
        first = req.hosting.hardware[0] if req.hosting.hardware else None
        options = [("No hardware (suggest what to buy)", "")]
        if isinstance(first, InlineHardware):
            options.append((f"Yours: {first.name} ({first.memory_gb:g} GB)", ANSWERS))
        options += [(hardware_label(h.name, h.memory_gb), hid) for hid, h in app.catalogue.hardware.items()]
        value = first.accelerator if isinstance(first, HardwareRef) else (ANSWERS if first else "")
        return options, value, first.count if first else 1

    def _whatif(self) -> ComposeResult:
        req = self.wizard.requirements
        app = self.wizard
        modes = [(t.label, key) for key, t in app.catalogue.vocabulary.hosting_modes.items()]
        options, hw_value, count = self._hardware_options(req)
        with Horizontal(id="whatif"):
            with VerticalScroll(id="whatif-form"):
                yield Static("", id="whatif-status")
                with Vertical(id="whatif-buttons"):
                    yield Button("a/^y  Apply to my answers", id="wi-apply", compact=True, variant="primary")
                    yield Button("u/^o  Reset to my answers", id="wi-reset", compact=True)
                with Grid(id="whatif-grid"):
                    yield Label("Hosting")
                    yield Select(modes, value=req.hosting.mode, allow_blank=False, id="wi-mode", compact=True)
                    yield Label("Hardware")
                    yield Select(options, value=hw_value, allow_blank=False, id="wi-hardware", compact=True)
                    yield Label("How many")
                    yield NumberInput(count, whole=True, id="wi-count", compact=True)
                    yield Label("€ a month")
                    yield NumberInput(req.budget.monthly_eur, money=True, placeholder="no limit", id="wi-budget",
                                      compact=True)
                    yield Label("€ for hardware")
                    yield NumberInput(req.budget.hardware_eur, money=True, placeholder="no limit",
                                      id="wi-hardware-budget", compact=True)
                    yield Label("Longest request")
                    yield NumberInput(req.use_case.context_tokens, whole=True, id="wi-context", compact=True)
                    yield Label("People using it")
                    yield NumberInput(req.use_case.concurrent_users, whole=True, id="wi-users", compact=True)
                    yield Label("Weights", classes="wi-heading")
                    yield Label("0 ignores, 5 most", classes="wi-heading-note")
                    for dim in DIMENSIONS:
                        yield Label(f"  {SHORT[dim]}")
                        yield WeightPicker(getattr(req.priorities, dim), id=f"wi-w-{dim}")
                yield TickBox("Accept remote restriction",
                              "remote_restriction" in req.licence.accept, id="wi-remote", compact=True)
                yield Static("Remote restriction: the licensor may restrict your use remotely (Gemma, "
                             "DeepSeek-V3). Numbers re-rank as you type. The Ranking, Summary and exports keep "
                             "your answers until you apply.", id="whatif-hint")
            with VerticalScroll(id="whatif-moved"):
                yield Static("", id="moved")

    # -- lifecycle
    def on_mount(self) -> None:
        self.query_one("#excluded-table", DataTable).add_columns("Model", "Why not")
        self._columns()
        self.score_answers(first=True)
        self.sandbox = self.wizard.requirements
        self.sandbox_advice = self.advice
        self._show_whatif()
        self._notice()
        self.query_one("#ranking", DataTable).focus()

    def on_resize(self, event: events.Resize) -> None:
        if self.advice is not None and self._wide != (self.size.width >= WIDE):
            self._columns()
            self._fill_ranking()
        self.query_one("#whatif-form").styles.width = 38 if self.size.width < WIDE else 50
        if self.sandbox_advice is not None:
            self.call_after_refresh(self._show_whatif)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "tab-whatif" and self.sandbox_advice is not None:
            self.call_after_refresh(self._show_whatif)

    def _columns(self) -> None:
        table = self.query_one("#ranking", DataTable)
        table.clear(columns=True)
        width = self.size.width or 80
        self._wide = width >= WIDE
        fixed = 3 + 5 + 12 + 11 + (14 if self._wide else 0)
        columns = 5 + (1 if self._wide else 0)
        longest = max((len(m.name) for m in self.wizard.catalogue.models.values()), default=30)
        model_width = max(16, min(longest + 1, width - fixed - 2 * columns - 3))
        table.add_column("#", width=3)
        table.add_column("Model", width=model_width)
        table.add_column("Score", width=5)
        table.add_column("Cost", width=12)
        if self._wide:
            table.add_column("Runs as", width=14)
        table.add_column("L S F Q C O", width=11)

    def _notice(self) -> None:
        notice = self.query_one("#results-notice", Static)
        drafts = self.wizard.drafts
        if not drafts:
            notice.display = False
            return
        steps = ", ".join(str(i + 1) for i in sorted(drafts))
        problems = "; ".join(p for d in drafts.values() for p in d.problems.values())
        notice.update(f"⚠ Not used yet (step {steps}): {problems} Press b to fix.")
        notice.display = True

    # -- scoring
    def score_answers(self, *, first: bool = False) -> None:
        """Score the user's answers: ranking, obligations; the explanation follows in a worker."""
        req = self.wizard.requirements
        self.advice = advise(Evaluator(req, self.wizard.catalogue, self.wizard.rules), explain=False)
        self._fill_ranking()
        self._fill_excluded(self.query_one("#filter", Input).value)
        self.query_one("#obligations", ProseView).show(self._obligations_text(self.advice))
        self.query_one("#summary", ProseView).show("Working out the explanation…")
        self.explain(req)

    @work(thread=True, exclusive=True, group="explain")
    def explain(self, req: Requirements) -> None:
        advice = advise(Evaluator(req, self.wizard.catalogue, self.wizard.rules))
        self.app.call_from_thread(self._explained, req, advice)

    def _explained(self, req: Requirements, advice: Advice) -> None:
        if req is not self.wizard.requirements:
            return  # the answers changed since (applied from the what-if tab)
        self.advice = advice
        self.query_one("#summary", ProseView).show(self.namer.text(advice.summary))
        self.query_one("#obligations", ProseView).show(self._obligations_text(advice))
        self._show_detail(self._highlighted())

    def _title(self) -> None:
        advice = self.advice
        assert advice is not None
        who = self.wizard.requirements.organisation.name or "Your answers"
        self.query_one("#results-title", Static).update(
            f"{who}: {len(advice.ranking)} eligible, {len(advice.excluded)} not eligible · catalogue "
            f"{advice.catalogue.reviewed}")

    def _fill_ranking(self) -> None:
        advice = self.advice
        assert advice is not None
        self._title()
        table = self.query_one("#ranking", DataTable)
        keep = self._highlighted()
        table.clear()
        for r in advice.ranking:
            cells = [str(r.rank), r.name, f"{r.score:.0f}", cost_text(r)]
            if self._wide:
                cells.append(deployment_text(r))
            cells.append(bars(r.scores, DIMENSIONS))
            table.add_row(*cells, key=r.model)
        index = next((i for i, r in enumerate(advice.ranking) if r.model == keep), 0)
        if advice.ranking:
            table.move_cursor(row=index)
        self._show_detail(advice.ranking[index].model if advice.ranking else None)

    def _highlighted(self) -> str | None:
        table = self.query_one("#ranking", DataTable)
        if not table.row_count:
            return None
        try:
            return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        except CellDoesNotExist:
            return None

    def _fill_excluded(self, needle: str) -> None:
        advice = self.advice
        assert advice is not None
        table = self.query_one("#excluded-table", DataTable)
        table.clear()
        needle = needle.lower().strip()
        for ex in advice.excluded:
            why = "; ".join(r.message for r in ex.reasons)
            if needle and needle not in ex.name.lower() and needle not in why.lower():
                continue
            short = first_sentence(without_name(ex.reasons[0].message, ex.name), 200) if ex.reasons else ""
            more = f" (+{len(ex.reasons) - 1} more)" if len(ex.reasons) > 1 else ""
            table.add_row(ex.name, short + more, key=ex.model)
        if table.row_count:
            self._show_excluded(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))
        else:
            self.query_one("#excluded-text", ProseView).show(
                "No excluded model matches the filter." if needle else "Every model is eligible.")

    def _show_excluded(self, model_id: str) -> None:
        advice = self.advice
        ex = next((e for e in advice.excluded if e.model == model_id), None) if advice else None
        if ex is None:
            return
        page = Prose().line(ex.name, style="bold")
        for r in ex.reasons:
            page.bullet(f"{self.namer.text(r.message)}  [{r.rule}]")
        self.query_one("#excluded-text", ProseView).show(page)

    def _obligations_text(self, advice: Advice) -> Prose:
        page = Prose()
        if not advice.obligations:
            page.line("No obligations triggered by these answers.")
            page.line("")
            page.line(advice.disclaimer, style="italic")
            return page
        n = len(advice.obligations)
        now = sum(1 for o in advice.obligations if o.in_force)
        page.line(f"What you must do: {n} duties, {now} of them apply already (dates as the law stands at the "
                  "catalogue review), by who must act, earliest first.", style="bold")
        for heading, items in grouped(advice.obligations):
            page.heading(heading)
            for o in items:
                date = when(o)
                tag = " (a liability exposure, not a duty)" if o.exposure else ""
                text = Text(o.article, style="bold")
                text.append(f"{tag}{' · ' + date if date else ''}\n")
                text.append(self.namer.text(o.message))
                if o.date_note:
                    text.append("\n" + o.date_note, style="italic")
                page.bullet(text)
        page.line("")
        page.line(advice.disclaimer, style="italic")
        return page

    # -- the brief, and the details one key away
    def _show_detail(self, model_id: str | None) -> None:
        text = self.query_one("#detail-text", ProseView)
        advice = self.advice
        if advice is None or model_id is None or not advice.ranking:
            text.show("No model is eligible with these answers: 'Not eligible' (x) says why, and 'What if' (w) "
                      "tries other answers; the Summary (s) says what would change the answer.")
            return
        r = next((x for x in advice.ranking if x.model == model_id), None)
        if r is None:
            return
        grid = self.brief(r, advice)
        text.show(grid, plain=self._brief_plain)

    def brief(self, r: RankedModel, advice: Advice) -> Table:
        """What a director asks first: what to use, why, what it costs, what you must do, what to check."""
        req = self.wizard.requirements
        rows = [
            ("Use", f"{r.name}: score {r.score:.0f} of 100 (rank {r.rank} of {len(advice.ranking)})."),
            ("Why", why_sentence(r, advice)),
            ("Costs", cost_sentence(r, self.namer, req)),
        ]
        n = len(advice.obligations) + len(r.obligations)
        now = sum(1 for o in advice.obligations if o.in_force)
        rows.append(("Must do", (f"{n} duties ({now} apply already), by who must act: o shows them."
                                 if n else "No duties triggered by these answers.")))
        if r.warnings:
            more = f" (+{len(r.warnings) - 1} more)" if len(r.warnings) > 1 else ""
            rows.append(("Check", first_sentence(self.namer.text(r.warnings[0].message), 100) + more))
        else:
            rows.append(("Check", "Nothing flagged."))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=7, style="bold", no_wrap=True)
        grid.add_column(ratio=1)
        for head, body in rows:
            grid.add_row(head, body)
        grid.add_row("", Text("Enter or d: every reason, source and how it runs.", style="italic"))
        self._brief_plain = "\n".join(f"{h} {b}" for h, b in rows)
        return grid

    def details(self, r: RankedModel) -> Prose:
        """Every detail of one model, with the terms explained."""
        notes = self._notes()
        page = Prose()
        page.line(f"{r.rank}. {r.name}  ({r.hf_repo})", style="bold")
        page.line(f"Score {r.score:g} of 100: {SCORE}.")
        d = r.deployment
        if d is not None:
            page.heading("How it runs")
            req = self.wizard.requirements
            page.bullet(f"Cost: {cost_sentence(r, self.namer, req)}")
            if d.cost_choice:
                page.bullet(f"Why this way of paying: {d.cost_choice}")
            if d.engine == "managed_api":
                page.bullet(f"At {d.provider}: you send requests over the internet and pay per token ({TOKENS}); "
                            "there are no memory or speed figures to plan.")
            else:
                page.bullet(f"Engine: {ENGINES.get(d.engine or '', d.engine or '—')}; weights: "
                            f"{quant_words(d.weights_format or d.quantization)}.")
                hw = self.namer.text(d.hardware)
                kv = (f" (weights {d.weights_gb:g} GB + KV cache {d.kv_cache_gb:g} GB: {KV_CACHE})"
                      if d.weights_gb is not None and d.kv_cache_gb is not None else "")
                page.bullet(f"Memory: {d.memory_gb:g} GB on {hw}{kv}.")
                n = d.simultaneous_requests or 1
                ttft = (f"; the first words after about {d.time_to_first_token_s:g} s"
                        if d.time_to_first_token_s is not None else "")
                page.bullet(f"Speed: about {d.tokens_per_s:g} tokens a second per request (~"
                            f"{d.tokens_per_s * 0.75:.0f} words), {n} at the same moment{ttft} ({TOKENS}).")
            for a in d.assumptions:
                page.bullet(self.namer.text(a), mark="–", indent=4)
            if d.command:
                page.bullet(Text("Command that runs it: ") + Text(d.command, style="dim"))
        for dim in DIMENSIONS:
            reasons = [x for x in r.reasons if x.dimension == dim]
            if not reasons:
                continue
            page.heading(f"{SHORT[dim]} {r.scores[dim]:g} of 100")
            for x in reasons:
                pts = f" ({x.points:+g})" if x.points else ""
                page.bullet(self.namer.text(x.message) + pts)
                self._sources(page, x.sources, notes)
        if r.warnings:
            page.heading("Check before use")
            for w in r.warnings:
                page.bullet(self.namer.text(w.message), mark="⚠")
                self._sources(page, w.sources, notes)
        if r.evidence:
            page.heading("Facts not read from the publisher's own files")
            for e in r.evidence:
                page.bullet(f"{e.fact}: {e.grade}" + (f" ({e.basis})" if e.basis else ""))
                self._sources(page, [e.source], notes)
        if r.obligations:
            page.heading("Duties that come with this model")
            for o in r.obligations:
                page.bullet(f"{o.article}: {o.message}")
        return page

    @staticmethod
    def _sources(page: Prose, urls: list[str], notes: dict[str, str]) -> None:
        """Each source with what the catalogue says it confirms, so a reader can judge it."""
        for url in urls:
            note = notes.get(url)
            page.bullet(Text(url, style="dim") + Text(f" — {note}" if note else "", style="dim italic"),
                        mark="↳", indent=4)

    def _notes(self) -> dict[str, str]:
        app = self.wizard
        if not hasattr(app, "_source_notes"):
            app._source_notes = source_notes(app.catalogue)  # type: ignore[attr-defined]
        return app._source_notes  # type: ignore[attr-defined,no-any-return]

    # -- what-if: a sandbox
    def _read_form(self) -> tuple[Requirements | None, list[str]]:
        """The sandbox answers from the form (the user's answers with the form's values), or problems."""
        req = self.wizard.requirements
        problems: list[str] = []
        values: dict[str, Any] = {}
        for wid, what in (("#wi-count", "How many"), ("#wi-budget", "€ a month"),
                          ("#wi-hardware-budget", "€ for hardware"), ("#wi-context", "Longest request"),
                          ("#wi-users", "People using it")):
            r = self.query_one(wid, NumberInput).reading()
            if r.problem:
                problems.append(f"{what} {r.problem}.")
            values[wid] = r.value
        if problems:
            return None, problems
        changes: dict[str, Any] = {"hosting.mode": self.query_one("#wi-mode", Select).value}
        hw = self.query_one("#wi-hardware", Select).value
        count = values["#wi-count"]
        if hw == ANSWERS:
            inline = req.hosting.hardware[0].model_dump(mode="json")
            changes["hosting.hardware"] = [{**inline, "count": count if count is not None else inline["count"]}]
        elif hw:
            changes["hosting.hardware"] = [{"accelerator": hw, "count": count if count is not None else 1}]
        else:
            changes["hosting.hardware"] = []
        changes["budget.monthly_eur"] = values["#wi-budget"]
        changes["budget.hardware_eur"] = values["#wi-hardware-budget"]
        if values["#wi-context"] is None or values["#wi-users"] is None:
            return None, ["Longest request and People using it need a number."]
        changes["use_case.context_tokens"] = values["#wi-context"]
        changes["use_case.concurrent_users"] = values["#wi-users"]
        for dim in DIMENSIONS:
            changes[f"priorities.{dim}"] = self.query_one(f"#wi-w-{dim}", WeightPicker).value
        accept = [c for c in req.licence.accept if c != "remote_restriction"]
        if self.query_one("#wi-remote", Checkbox).value:
            accept.append("remote_restriction")
        changes["licence.accept"] = accept
        try:
            return req.replace(**changes), []
        except ValueError as exc:
            from .base import plain

            names = {"hosting.hardware.0.count": "How many", "budget.monthly_eur": "€ a month",
                     "budget.hardware_eur": "€ for hardware", "use_case.context_tokens": "Longest request",
                     "use_case.concurrent_users": "People using it", "priorities": "Priorities"}
            errors = getattr(exc, "errors", lambda **_: [])(include_url=False)
            out = []
            for err in errors:
                loc = ".".join(str(p) for p in err["loc"] if p not in ("ref", "inline"))
                out.append(plain(err, next((v for k, v in names.items() if loc.startswith(k)), "This answer")))
            return None, out or ["These answers do not fit together."]

    def _whatif_changed(self, *, now: bool = False) -> None:
        if self._filling or self.advice is None:
            return
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if now:
            self._rerank_sandbox()
        else:
            self._timer = self.set_timer(0.3, self._rerank_sandbox)

    def _rerank_sandbox(self) -> None:
        self._timer = None
        new, problems = self._read_form()
        if new is None:
            self._status(problems=problems)
            return
        if new == self.sandbox and self.sandbox_advice is not None:
            self._status()
            return
        start = time.perf_counter()
        self.sandbox = new
        if new == self.wizard.requirements:
            self.sandbox_advice = self.advice
        else:  # scores for all, reasons only for the rows shown (all excluded ones' when none is eligible)
            ev = Evaluator(new, self.wizard.catalogue, self.wizard.rules)
            self.sandbox_advice = advise(ev, explain=False, detail=WHATIF_ROWS)
            if not self.sandbox_advice.ranking:
                self.sandbox_advice = advise(ev, explain=False)
        self.rerank_ms = (time.perf_counter() - start) * 1000
        self._show_whatif()

    def _differences(self) -> list[str]:
        req, box = self.wizard.requirements, self.sandbox
        if box is None or box == req:
            return []
        out = []
        v = self.wizard.catalogue.vocabulary
        if box.hosting.mode != req.hosting.mode:
            out.append(f"hosting {v.hosting_modes[box.hosting.mode].label}")
        if box.hosting.hardware != req.hosting.hardware:
            from ..summaries import hardware_text

            out.append(f"hardware {hardware_text(box, self.wizard.catalogue)}")
        for path, label in (("monthly_eur", "€ a month"), ("hardware_eur", "€ for hardware")):
            if getattr(box.budget, path) != getattr(req.budget, path):
                value = getattr(box.budget, path)
                out.append(f"{label} {shown(value, money=True) if value is not None else 'no limit'}")
        if box.use_case.context_tokens != req.use_case.context_tokens:
            out.append(f"{box.use_case.context_tokens:,} tokens")
        if box.use_case.concurrent_users != req.use_case.concurrent_users:
            out.append(f"{box.use_case.concurrent_users:,} people")
        if box.priorities != req.priorities:
            out.append("weights")
        if box.licence.accept != req.licence.accept:
            out.append("remote restriction " + ("accepted" if "remote_restriction" in box.licence.accept
                                                else "refused"))
        return out

    def _status(self, problems: list[str] | None = None) -> None:
        status = self.query_one("#whatif-status", Static)
        diff = self._differences()
        text = Text()
        if problems:
            text.append("⚠ " + " ".join(problems) + "\n", style="bold")
        if diff:
            text.append("Sandbox: " + "; ".join(diff) + ".\n", style="bold")
            text.append("Your answers are unchanged until you apply.")
        else:
            text.append("Sandbox: change anything below to see what would move. Your answers stay as they are.")
        status.update(text)
        self.query_one("#wi-apply", Button).disabled = not diff

    def _show_whatif(self) -> None:
        self._status()
        box = self.sandbox_advice
        base = self.advice
        assert box is not None and base is not None
        before = {r.model: r.rank for r in base.ranking}
        timing = f" in {self.rerank_ms:.0f} ms" if self.wizard.show_timing and self.rerank_ms else ""
        text = Text()
        same = self.sandbox == self.wizard.requirements
        text.append(f"{'Your answers' if same else 'With these answers'}: {len(box.ranking)} eligible, "
                    f"{len(box.excluded)} not eligible (re-ranked {box.catalogue.models} models{timing}).\n",
                    style="bold")
        if box.ranking:
            width = self.query_one("#moved").content_size.width
            width = width if width > 20 else 39
            wide = width - 22
            if wide >= 24:
                text.append(f"{'#':>2} {'Model':<{wide}} {'Pts':>3} {'Cost':>9} {'Δ':>3}\n", style="bold")
            for r in box.ranking[:WHATIF_ROWS if wide >= 24 else 6]:
                delta = "" if same else (moved(before.get(r.model), r.rank) or "=")
                if wide >= 24:
                    name = r.name if len(r.name) <= wide else r.name[: wide - 1] + "…"
                    text.append(f"{r.rank:>2} {name:<{wide}} {r.score:>3.0f} {short_cost(r):>9} {delta:>3}\n")
                else:  # narrow: the name in full on its own line
                    name = r.name if len(r.name) <= width - 3 else r.name[: width - 4] + "…"
                    text.append(f"{r.rank:>2} {name}\n", style="bold")
                    text.append(f"   {r.score:.0f} pts · {short_cost(r)}" + (f" · {delta}" if delta else "") + "\n")
            text.append("Pts: score 0-100; cost a month, or to buy.\n", style="italic")
            if not same:
                gone = [m for m, rank in before.items() if rank <= 5 and m not in {x.model for x in box.ranking}]
                for m in gone:
                    text.append(f"    {self.wizard.catalogue.models[m].name}: no longer eligible\n")
                text.append(f"Δ: {DELTA}.\n", style="italic")
        else:
            text.append("No model is eligible with these answers. The main reasons:\n")
            causes = Counter(ex.reasons[0].rule for ex in box.excluded if ex.reasons)
            for rule, count in causes.most_common(3):
                sample = next(ex for ex in box.excluded if ex.reasons and ex.reasons[0].rule == rule)
                text.append(f"  • {count} models, e.g. {sample.name}: "
                            f"{first_sentence(without_name(self.namer.text(sample.reasons[0].message), sample.name), 200)}\n")
        self.query_one("#moved", Static).update(text)

    def _set_form(self, req: Requirements) -> None:
        """Put the user's answers back into the what-if form."""
        self._filling = True
        try:
            options, hw_value, count = self._hardware_options(req)
            self.query_one("#wi-mode", Select).value = req.hosting.mode
            hardware = self.query_one("#wi-hardware", Select)
            hardware.set_options(options)
            hardware.value = hw_value
            self.query_one("#wi-count", NumberInput).value = str(count)
            b = req.budget
            self.query_one("#wi-budget", NumberInput).value = f"{b.monthly_eur:g}" if b.monthly_eur is not None else ""
            self.query_one("#wi-hardware-budget", NumberInput).value = (
                f"{b.hardware_eur:g}" if b.hardware_eur is not None else "")
            self.query_one("#wi-context", NumberInput).value = str(req.use_case.context_tokens)
            self.query_one("#wi-users", NumberInput).value = str(req.use_case.concurrent_users)
            for dim in DIMENSIONS:
                self.query_one(f"#wi-w-{dim}", WeightPicker).value = getattr(req.priorities, dim)
            self.query_one("#wi-remote", Checkbox).value = "remote_restriction" in req.licence.accept
        finally:
            self.call_after_refresh(self._done_filling)

    def _done_filling(self) -> None:
        self._filling = False

    # -- events
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is None:
            return
        if event.data_table.id == "ranking":
            self._show_detail(str(event.row_key.value))
        elif event.data_table.id == "excluded-table":
            self._show_excluded(str(event.row_key.value))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "ranking":
            self.action_details()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self._fill_excluded(event.value)
        elif (event.input.id or "").startswith("wi-"):
            self._whatif_changed()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if (event.input.id or "").startswith("wi-"):
            self._whatif_changed(now=True)
        elif event.input.id == "filter":
            self.query_one("#excluded-table", DataTable).focus()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if isinstance(event.widget, NumberInput) and (event.widget.id or "").startswith("wi-") and self._timer:
            self._whatif_changed(now=True)

    def on_select_changed(self, event: Select.Changed) -> None:
        if (event.select.id or "").startswith("wi-"):
            self._whatif_changed(now=True)

    def on_weight_picker_changed(self, event: WeightPicker.Changed) -> None:
        if (event.picker.id or "").startswith("wi-"):
            self._whatif_changed(now=True)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id == "wi-remote":
            self._whatif_changed(now=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "wi-apply":
            event.stop()
            self.action_apply()
        elif event.button.id == "wi-reset":
            event.stop()
            self.action_reset()

    # -- actions
    def action_show_tab(self, tab: str) -> None:
        tabs = self.query_one("#tabs", TabbedContent)
        target = self.query_one(TAB_FOCUS[tab])
        # Without a focused widget in the pane being hidden, the tabs cannot switch back to it.
        self.set_focus(None)
        tabs.active = tab
        self.call_after_refresh(target.focus)

    def action_leave_field(self) -> None:
        focused = self.focused
        if isinstance(focused, Input):
            if focused.id == "filter":
                self.query_one("#excluded-table", DataTable).focus()
            else:
                self.query_one("#wi-mode").focus()

    def action_details(self) -> None:
        advice = self.advice
        model = self._highlighted()
        r = next((x for x in advice.ranking if x.model == model), None) if advice else None
        if r is None:
            return
        self.app.push_screen(DetailScreen(self.details(r), f"Details · {r.name}"))

    def action_apply(self) -> None:
        """Make the what-if answers the user's answers."""
        self._whatif_changed(now=True)
        box = self.sandbox
        if box is None or box == self.wizard.requirements:
            self.notify("Nothing to apply: the what-if answers are your answers.")
            return
        diff = self._differences()
        app = self.wizard
        app.requirements = box
        app.changed = True
        app.autosave()
        self.score_answers()
        self.sandbox_advice = self.advice
        self._show_whatif()
        self.notify("Your answers now use: " + "; ".join(diff) + ".", title="Applied")

    def action_reset(self) -> None:
        """Put the what-if answers back to the user's answers."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._set_form(self.wizard.requirements)
        self.sandbox = self.wizard.requirements
        self.sandbox_advice = self.advice
        self._show_whatif()

    def action_edit(self) -> None:
        self.wizard.edit_answers()

    def action_export(self) -> None:
        self.wizard.export()

    # -- help
    def help_sections(self) -> list[tuple[str, str]]:
        formats = "; ".join(f"{k} {quant_words(k).split('(', 1)[1].rstrip(')')}"
                            for k in ("BF16", "FP8", "Q8_0", "Q4_K_M", "Q3_K_M", "MXFP4"))
        return [
            ("Reading the results",
             ("The title says how many models are eligible and the date the catalogue was last reviewed. Under "
              "the ranking, the highlighted model is summed up first: which model to use, why, what it costs, "
              "what you must do and what to check. Enter (or d) shows every reason with its sources.")),
            ("Score", SCORE[0].upper() + SCORE[1:] + ". Change the weights in step 6 or try them in What if."),
            ("Bars L S F Q C O", ("One bar per aspect, 0 (empty) to 100 (full): L licence terms, S sovereignty, "
                                  "F fit on the hardware, Q expected quality, C cost, O openness.")),
            ("Cost", ("€/mo: a month of hosting (0 on hardware you have; a rental runs 730 hours a month); buy: "
                      "the indicative price of hardware to buy; API: a per-token service; * the price is more "
                      "than six months old, check it.")),
            ("Runs as (wide screens, and in the details)",
             f"The weight format: {formats}. Fewer bits need less memory and lose some quality."),
            ("KV cache", KV_CACHE[0].upper() + KV_CACHE[1:] + "."),
            ("Tokens", TOKENS[0].upper() + TOKENS[1:] + "; a page of text is about 600 tokens."),
            ("What if", ("A sandbox: change hardware, hosting, budgets, load or weights and the whole catalogue is "
                         "re-ranked at once. Your answers, the ranking tab, the summary and exports stay as they "
                         "are until you choose 'Apply to my answers' (a); 'Reset to my answers' (u) puts the "
                         f"sandbox back. Δ: {DELTA}.")),
            ("Obligations", ("Grouped by who must act (you as deployer or provider, your organisation, your "
                             "hosting provider, the publisher), earliest date first. Not legal advice.")),
        ]
