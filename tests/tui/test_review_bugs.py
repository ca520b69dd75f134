"""One pilot test per bug of the first-time-user review (research/wizard-review.md, section 2),
named after its number. Each drives the wizard with keys as a user would and asserts what the
user sees or what ends up in their answers."""

from __future__ import annotations

import os
import stat

import pytest
import yaml
from textual import events
from textual.widgets import Checkbox, DataTable, Input, Select, SelectionList, TabbedContent

from advisor.tui.screens.base import StepScreen
from advisor.tui.screens.dialogs import ExportScreen, HelpScreen
from advisor.tui.screens.hosting import HostingStep
from advisor.tui.screens.licence import LicenceStep
from advisor.tui.screens.organisation import OrganisationStep
from advisor.tui.screens.results import ResultsScreen
from advisor.tui.screens.use_case import UseCaseStep
from advisor.tui.widgets.field import Field

from .conftest import clinic, screen_text, settle

# Only names the wizard had before these fixes are imported at module level, so that every test
# here can be run against the old wizard and fails there on behaviour, one by one.


def named(screen, name: str) -> bool:
    return type(screen).__name__ == name


def field_of(screen, widget_id: str) -> Field:
    widget = screen.query_one(widget_id)
    return next(a for a in widget.ancestors if isinstance(a, Field))


def problem_of(screen, widget_id: str) -> str:
    f = field_of(screen, widget_id)
    return str(f.query_one(".field-problem").content) if f.has_class("-invalid") else ""


async def goto_step(pilot, index: int) -> None:
    for _ in range(index):
        await pilot.press("ctrl+n")
        await pilot.pause()
    assert pilot.app.screen.INDEX == index


# 1 -------------------------------------------------------------------------------------------
async def test_01_whatif_is_a_sandbox_until_applied(app_factory, tmp_path):
    app = app_factory(clinic(), start_at_results=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("w")
        await pilot.pause()
        screen.query_one("#wi-hardware", Select).value = "nvidia-h100-80gb"
        await pilot.pause()
        screen.query_one("#wi-remote", Checkbox).value = False
        await pilot.pause()
        # the sandbox re-ranked on the H100 ...
        assert screen.sandbox.hosting.hardware[0].accelerator == "nvidia-h100-80gb"
        assert all(r.deployment.hardware == "1x nvidia-h100-80gb" for r in screen.sandbox_advice.ranking)
        assert "H100" in screen_text(app) and "unchanged" in screen_text(app)
        # ... but the answers, the ranking tab, the summary and the export keep the L40S
        assert app.requirements == clinic()
        assert screen.advice.ranking[0].deployment.hardware == "1x nvidia-l40s"
        await settle(pilot)
        assert "NVIDIA L40S" in screen.query_one("#summary").plain_text
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        saved = yaml.safe_load((tmp_path / "klinik-nord-gmbh-requirements.yaml").read_text(encoding="utf-8"))
        assert saved["hosting"]["hardware"] == [{"accelerator": "nvidia-l40s", "count": 1}]
        assert "remote_restriction" in saved["licence"]["accept"]
        # Reset puts the form back; Apply makes the sandbox the answers
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("u")  # focus is on the hosting list: the letter works
        await pilot.pause()
        assert screen.query_one("#wi-hardware", Select).value == "nvidia-l40s"
        assert screen.query_one("#wi-remote", Checkbox).value is True
        screen.query_one("#wi-hardware", Select).value = "nvidia-h100-80gb"
        await pilot.pause()
        app.screen.query_one("#wi-budget").focus()  # in a text field: the second key applies
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.requirements.hosting.hardware[0].accelerator == "nvidia-h100-80gb"
        assert screen.advice.ranking[0].deployment.hardware == "1x nvidia-h100-80gb"


# 2 -------------------------------------------------------------------------------------------
async def test_02_quit_asks_to_save_and_answers_are_kept_for_resume(app_factory, tmp_path):
    autosave = tmp_path / "state" / "answers.yaml"
    app = app_factory(autosave=autosave)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Acme", "ctrl+n")
        await pilot.pause()
        assert autosave.exists()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert named(app.screen, "ChoiceScreen") and "Save your answers?" in screen_text(app)
        await pilot.press("escape")  # cancel: back where we were
        await pilot.pause()
        assert isinstance(app.screen, UseCaseStep)
        await pilot.press("f10")  # the second quit key asks too
        await pilot.pause()
        await pilot.press("s")  # save: the export dialog for the answers
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("enter")
        await pilot.pause()
    assert (tmp_path / "acme-requirements.yaml").exists()
    assert app.return_code == 0  # it left after saving
    # the next start offers to resume the kept answers
    again = app_factory(autosave=autosave)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert named(again.screen, "ChoiceScreen") and "Resume your answers?" in screen_text(again)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(again.screen, UseCaseStep)
        assert again.requirements.organisation.name == "Acme"
        await pilot.press("ctrl+q", "d")  # discard: the kept answers go too
        await pilot.pause()
    assert not autosave.exists()


async def test_02_quit_without_changes_leaves_at_once(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code == 0  # nothing to lose: no question
        assert not any(named(s, "ChoiceScreen") for s in app.screen_stack)


# 3 -------------------------------------------------------------------------------------------
async def test_03_back_keeps_valid_answers_and_marks_the_invalid_one(app_factory):
    app = app_factory(clinic())
    async with app.run_test(size=(100, 40)) as pilot:
        await goto_step(pilot, 3)
        screen = app.screen
        assert isinstance(screen, LicenceStep)
        screen.query_one("#finetune", Checkbox).value = True
        screen.query_one("#region", Select).value = "any"
        screen.query_one("#excluded-countries", Input).value = "RU, XX"
        await pilot.pause()
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert isinstance(app.screen, StepScreen) and app.screen.INDEX == 2
        assert app.requirements.licence.will_fine_tune is True  # valid answers are taken over
        assert app.requirements.sovereignty.publisher_region == "any"
        await pilot.press("ctrl+n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LicenceStep)
        assert screen.query_one("#excluded-countries", Input).value == "RU, XX"  # kept as typed
        assert screen.query_one("#finetune", Checkbox).value is True
        assert "'XX' is not a two-letter country code" in problem_of(screen, "#excluded-countries")
        await pilot.press("ctrl+n")  # Next stays until it is fixed
        await pilot.pause()
        assert isinstance(app.screen, LicenceStep)


# 4 -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["1500", "1.500", "1,500", "1 500", "1'500", "€1.500"])
async def test_04_money_is_read_in_the_users_convention(app_factory, typed):
    app = app_factory(clinic())
    async with app.run_test(size=(100, 40)) as pilot:
        await goto_step(pilot, 5)
        screen = app.screen
        screen.query_one("#monthly", Input).value = typed
        await pilot.pause()
        if typed != "1500":
            assert "Reads as €1,500" in str(field_of(screen, "#monthly").query_one(".field-note").content)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        assert app.requirements.budget.monthly_eur == 1500


async def test_04_whatif_budget_reads_the_same_way(app_factory):
    app = app_factory(clinic(**{"budget.monthly_eur": 300}), start_at_results=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await pilot.pause()
        budget = app.screen.query_one("#wi-budget", Input)
        budget.value = "1.500"
        budget.focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.sandbox.budget.monthly_eur == 1500


async def test_04_ambiguous_numbers_are_asked_back(app_factory):
    app = app_factory(clinic(**{"hosting.hardware": []}))
    async with app.run_test(size=(100, 40)) as pilot:
        await goto_step(pilot, 4)
        screen = app.screen
        screen.query_one("#hardware", Select).value = "__by_hand__"
        await pilot.pause()
        screen.query_one("#hw-memory", Input).value = "1.500"
        screen.query_one("#hw-bandwidth", Input).value = "100"
        await pilot.pause()
        assert "could mean 1,500 or 1.5" in problem_of(screen, "#hw-memory")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, HostingStep)  # asked back, never guessed


# 5 -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("start, focus_keys", [
    ("tab-ranking", []),                      # the ranking table (focused when results appear)
    ("tab-excluded", []),                     # the excluded table
    ("tab-whatif", []),                       # a what-if drop-down
    ("tab-whatif", ["tab", "tab", "tab"]),    # a what-if number field: only the F keys apply
])
async def test_05_tab_keys_work_from_every_focus(app_factory, start, focus_keys):
    app = app_factory(clinic(), start_at_results=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        tabs = screen.query_one("#tabs", TabbedContent)
        keys = {"tab-obligations": ("o", "f5"), "tab-summary": ("s", "f6"), "tab-ranking": ("r", "f2"),
                "tab-excluded": ("x", "f4"), "tab-whatif": ("w", "f3")}
        for target, (letter, fkey) in keys.items():
            for key in (letter, fkey):
                screen.action_show_tab(start)
                await pilot.pause()
                await pilot.press(*focus_keys)
                await pilot.pause()
                in_text = isinstance(app.focused, Input)
                if in_text and key == letter:
                    continue  # a letter in a text field is typed; the F key is the way out
                await pilot.press(key)
                await pilot.pause()
                assert tabs.active == target, (start, focus_keys, key, app.focused)
                assert app.focused is not None and target in [a.id for a in app.focused.ancestors_with_self]


# 6 -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_06_country_box_is_one_line(app_factory, size):
    app = app_factory(clinic())
    async with app.run_test(size=size) as pilot:
        await goto_step(pilot, 3)
        box = app.screen.query_one("#excluded-countries", Input)
        box.focus()
        await pilot.pause()
        assert box.outer_size.height == 1
        assert app.screen.query_one("#openness").region.height == 1


# 7 -------------------------------------------------------------------------------------------
async def test_07_help_fits_80x24_scrolls_and_shows_close(app_factory):
    app = app_factory(clinic())
    async with app.run_test(size=(80, 24)) as pilot:
        await goto_step(pilot, 1)
        await pilot.press("f1")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        box = help_screen.query_one("#help-box")
        assert box.region.height <= 24 and box.region.width <= 80
        close = help_screen.query_one("#close")
        assert close.region.y + close.region.height <= 24 and close.region.height == 1  # on screen
        scroll = help_screen.query_one("#help-scroll")
        assert scroll.max_scroll_y > 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert scroll.scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert "not legal advice" in screen_text(app)  # the end of the help can be read
        text = screen_text(app) + " ".join(str(s.content) for s in help_screen.query(".help-body"))
        assert "Step 2" in str(help_screen.query_one(".dialog-title").content)
        assert "A token is a piece of a word" in text  # about this step's questions
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, UseCaseStep)


# 8 -------------------------------------------------------------------------------------------
async def test_08_who_uses_it_has_a_question_and_help(app_factory):
    app = app_factory(clinic())
    async with app.run_test(size=(100, 40)) as pilot:
        await goto_step(pilot, 1)
        field = field_of(app.screen, "#end_users")
        assert field.label == "Who talks to it or reads its answers?"
        assert "AI Act Art. 50" in field.help
        app.screen.query_one("#end-customers").value = True
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.requirements.use_case.end_users == "customers"


# 9 -------------------------------------------------------------------------------------------
async def test_09_question_mark_never_replaces_an_answer(app_factory):
    app = app_factory(clinic())  # as with 'advisor wizard --from clinic.yaml'
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.focused.id == "name"
        await pilot.press("?")
        await pilot.pause()
        assert app.screen.query_one("#name", Input).value.startswith("Klinik Nord GmbH")  # not replaced
        assert not isinstance(app.screen, HelpScreen)  # in a text field ? is a character
        await pilot.press("backspace", "tab")  # on the country list: ? opens the help
        await pilot.press("?")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        app.screen.query_one("#employees").focus()
        await pilot.pause()
        await pilot.press("?")  # never part of a number: the help, and the number stays
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#employees", Input).value == "120"
        assert app.screen.query_one("#name", Input).value == "Klinik Nord GmbH"


# 10 ------------------------------------------------------------------------------------------
async def test_10_escape_leaves_the_filter(app_factory):
    app = app_factory(clinic(), start_at_results=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        app.screen.query_one("#filter").focus()
        await pilot.pause()
        await pilot.press(*"licence")
        await pilot.pause()
        table = app.screen.query_one("#excluded-table", DataTable)
        assert app.screen.query_one("#filter", Input).value == "licence"  # letters filter
        assert 0 < table.row_count < len(app.screen.advice.excluded)
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is table  # out of the filter, the filter kept
        await pilot.press("o")
        await pilot.pause()
        assert app.screen.query_one("#tabs", TabbedContent).active == "tab-obligations"


# 11 ------------------------------------------------------------------------------------------
async def test_11_whatif_reranks_when_leaving_a_number_field(app_factory):
    app = app_factory(clinic(**{"hosting.mode": "eu_cloud", "hosting.hardware": [], "budget.monthly_eur": 300}),
                      start_at_results=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("w")
        await pilot.pause()
        screen.query_one("#wi-budget").focus()
        await pilot.pause()
        eligible_before = len(screen.sandbox_advice.ranking)
        await pilot.press(*"5000", "tab")  # no Enter
        await pilot.pause()
        assert screen.sandbox.budget.monthly_eur == 5000
        assert len(screen.sandbox_advice.ranking) > eligible_before
        assert "Numbers re-rank as you type" in str(screen.query_one("#whatif-hint").content)


# 12 ------------------------------------------------------------------------------------------
async def test_12_ranking_shows_the_cost_at_80x24(app_factory):
    app = app_factory(clinic(), start_at_results=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#ranking", DataTable)
        labels = [str(c.label) for c in table.columns.values()]
        assert "Cost" in labels
        width = sum(c.get_render_width(table) for c in table.columns.values())
        assert width <= table.size.width  # no column off-screen
        assert "€0/mo" in screen_text(app)


# 13 ------------------------------------------------------------------------------------------
async def test_13_dropdown_options_never_wrap_and_weights_are_inline(app_factory):
    app = app_factory(clinic(), start_at_results=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await pilot.pause()
        select = app.screen.query_one("#wi-hardware", Select)
        select.focus()
        await pilot.press("enter")
        await pilot.pause()
        overlay = select.query_one("SelectOverlay")
        assert overlay.styles.text_wrap == "nowrap"
        assert overlay.virtual_size.height == overlay.option_count  # one line per option
        await pilot.press("escape")
        # priorities are one-line pickers, not drop-downs that cover the rows below
        assert not [s for s in app.screen.query(Select) if (s.id or "").startswith("wi-w-")]
        assert len([w for w in app.screen.query("*") if type(w).__name__ == "WeightPicker"]) == 6


# 14 ------------------------------------------------------------------------------------------
async def test_14_letters_in_a_number_field_are_shown_and_explained(app_factory):
    app = app_factory(clinic())
    async with app.run_test(size=(100, 40)) as pilot:
        app.screen.query_one("#employees").focus()
        await pilot.pause()
        await pilot.press(*"abc")
        await pilot.pause()
        assert app.screen.query_one("#employees", Input).value == "abc"  # not swallowed
        assert problem_of(app.screen, "#employees") == "⚠ Employees takes digits only (letters are not allowed)."
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, OrganisationStep)


# 15 ------------------------------------------------------------------------------------------
async def test_15_problems_are_sentences_about_the_field(app_factory):
    app = app_factory(clinic())
    async with app.run_test(size=(100, 40)) as pilot:
        app.screen.query_one("#employees", Input).value = "-513"
        await pilot.press("ctrl+n")
        await pilot.pause()
        errors = str(app.screen.query_one("#errors").content)
        assert "Employees must be 1 or more." in errors
        assert problem_of(app.screen, "#employees") == "⚠ Employees must be 1 or more."
        assert "organisation.employees" not in errors and "Input should" not in errors
    app = app_factory(clinic(), start_at_results=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        app.screen.query_one("#wi-budget", Input).value = "-5"
        await pilot.pause()
        app.screen._whatif_changed(now=True)
        await pilot.pause()
        status = str(app.screen.query_one("#whatif-status").content)
        assert "€ a month must be 0 or more." in status and "validation error" not in status


async def test_15_by_hand_hardware_problems_name_the_field(app_factory):
    app = app_factory(clinic(**{"hosting.hardware": []}))
    async with app.run_test(size=(100, 40)) as pilot:
        await goto_step(pilot, 4)
        app.screen.query_one("#hardware", Select).value = "__by_hand__"
        await pilot.pause()
        app.screen.query_one("#hw-bandwidth", Input).value = "0"
        await pilot.press("ctrl+n")
        await pilot.pause()
        errors = str(app.screen.query_one("#errors").content)
        assert "Memory per device: type the memory in GB, e.g. 48." in errors
        assert "Memory bandwidth must be 1 or more." in errors
        assert "hosting.hardware" not in errors


# 16 ------------------------------------------------------------------------------------------
async def test_16_zero_devices_is_an_error(app_factory):
    app = app_factory(clinic())
    async with app.run_test(size=(100, 40)) as pilot:
        await goto_step(pilot, 4)
        app.screen.query_one("#count", Input).value = "0"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, HostingStep)
        assert problem_of(app.screen, "#count") == "⚠ How many of them must be 1 or more."
        assert app.requirements.hosting.hardware[0].count == 1


# 17, 18, 19 ----------------------------------------------------------------------------------
async def export(pilot, name: str | None = None, *, confirm: str | None = None) -> None:
    await pilot.press("e")
    await pilot.pause()
    if name is not None:
        pilot.app.screen.query_one("#path", Input).value = name
        await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    if confirm:
        await pilot.press(confirm)
        await pilot.pause()


async def test_17_exports_get_the_usual_permissions(app_factory, tmp_path):
    old = os.umask(0o022)
    try:
        app = app_factory(clinic(), start_at_results=True)
        async with app.run_test(size=(100, 40)) as pilot:
            await settle(pilot)
            await export(pilot)
    finally:
        os.umask(old)
    mode = stat.S_IMODE((tmp_path / "klinik-nord-gmbh-requirements.yaml").stat().st_mode)
    assert mode == 0o644


async def test_18_tilde_means_the_home_folder(app_factory, tmp_path):
    app = app_factory(clinic(), start_at_results=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await export(pilot, "~/clinic.yaml")
    assert (tmp_path / "home" / "clinic.yaml").exists()
    assert not (tmp_path / "~").exists()


async def test_19_export_shows_the_target_and_asks_before_replacing(app_factory, tmp_path):
    app = app_factory(clinic(), start_at_results=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        target_line = str(app.screen.query_one("#export-target").content)
        assert target_line == f"Saves to {tmp_path / 'klinik-nord-gmbh-requirements.yaml'}"
        await pilot.press("escape")
        await export(pilot)
        target = tmp_path / "klinik-nord-gmbh-requirements.yaml"
        target.write_text("mine\n", encoding="utf-8")
        await export(pilot)  # the same name again: asked
        assert named(app.screen, "ChoiceScreen") and "already exists" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert target.read_text(encoding="utf-8") == "mine\n"
        await pilot.press("escape")
        await pilot.pause()
        await export(pilot, confirm="r")
        assert target.read_text(encoding="utf-8").startswith("# advisor requirements")
        # the kind chosen last time is offered again
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#kind", Select).value = "markdown"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#kind", Select).value == "markdown"


# 20 ------------------------------------------------------------------------------------------
async def test_20_command_palette_offers_the_apps_commands(app_factory):
    app = app_factory(clinic(), start_at_results=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        from advisor.tui.commands import commands

        titles = [t for t, _, _ in commands(app, app.screen)]
        for wanted in ("Export…", "What if", "Obligations", "Summary", "Edit answers…", "Help", "Quit"):
            assert wanted in titles
        system = [c.title for c in app.get_system_commands(app.screen)]
        assert "Keys" not in system and "Quit" not in system  # no panel that Escape cannot close
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"obligations")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#tabs", TabbedContent).active == "tab-obligations"


# 21 ------------------------------------------------------------------------------------------
async def test_21_no_color_keeps_a_focus_mark(app_factory, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_factory(clinic())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.no_color
        lines = screen_text(app).splitlines()
        name_line = next(i for i, line in enumerate(lines) if "Organisation name" in line)
        country_line = next(i for i, line in enumerate(lines) if "Country of your" in line)
        assert lines[name_line].startswith("▌") and not lines[country_line].startswith("▌")
        await pilot.press("tab")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert lines[country_line].startswith("▌") and not lines[name_line].startswith("▌")


# 22 ------------------------------------------------------------------------------------------
async def test_22_arrows_move_the_ranking_at_once(app_factory):
    app = app_factory(clinic(), start_at_results=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#ranking", DataTable)
        assert app.focused is table
        await pilot.press("down")
        await pilot.pause()
        assert table.cursor_row == 1
        second = app.screen.advice.ranking[1].name
        assert second in app.screen.query_one("#detail-text").plain_text


# 23 ------------------------------------------------------------------------------------------
async def test_23_hardware_is_named_once_and_by_name(app_factory):
    app = app_factory(clinic(), start_at_results=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        brief = app.screen.query_one("#detail-text").plain_text
        summary = app.screen.query_one("#summary").plain_text
        assert "NVIDIA L40S" in brief and "NVIDIA L40S" in summary
        assert "nvidia-l40s" not in brief and "nvidia-l40s" not in summary
        await pilot.press("enter")
        await pilot.pause()
        assert named(app.screen, "DetailScreen")
        assert "1× NVIDIA L40S" in app.screen.query_one("#detail-full").plain_text
    from advisor.tui.glossary import hardware_label  # the label the hardware lists use

    assert hardware_label("NVIDIA H100 NVL (94 GB)", 94) == "NVIDIA H100 NVL (94 GB)"
    assert hardware_label("NVIDIA H200 (SXM, 141 GB)", 141) == "NVIDIA H200 (SXM, 141 GB)"
    assert hardware_label("NVIDIA A100 80GB PCIe", 80) == "NVIDIA A100 80GB PCIe"
    assert hardware_label("NVIDIA L40S", 48) == "NVIDIA L40S (48 GB)"


# 24 ------------------------------------------------------------------------------------------
async def test_24_descriptions_are_shown_in_full(app_factory, small_catalogue):
    app = app_factory(clinic())
    async with app.run_test(size=(80, 24)) as pilot:
        await goto_step(pilot, 1)
        tasks = app.screen.query_one("#tasks", SelectionList)
        tasks.focus()
        await pilot.press("down")
        await pilot.pause()
        full = small_catalogue.vocabulary.tasks["document_qa"].description
        assert full in str(field_of(app.screen, "#tasks").query_one(".field-note").content)
        await goto_step_from(pilot, 1, 3)
        app.screen.query_one("#accept").focus()
        await pilot.press("end")
        await pilot.pause()
        full = small_catalogue.vocabulary.licence_conditions["remote_restriction"].description
        assert full in str(field_of(app.screen, "#accept").query_one(".field-note").content)


async def goto_step_from(pilot, here: int, there: int) -> None:
    for _ in range(there - here):
        await pilot.press("ctrl+n")
        await pilot.pause()


# 25 ------------------------------------------------------------------------------------------
async def test_25_each_source_says_what_it_confirms(app_factory):
    app = app_factory(clinic(), start_at_results=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        mistral = next(r for r in app.screen.advice.ranking if r.model.startswith("mistral-small"))
        text = app.screen.details(mistral).plain()
        overlay = "github.com/orsonteodoro/oiledmachine-overlay"
        assert overlay in text
        line = next(line for line in text.splitlines() if overlay in line)
        assert "public copy of https://mistral.ai/licenses/" in line  # a licence copy, not a CoP source


# 26 ------------------------------------------------------------------------------------------
async def test_26_keys_typed_faster_than_the_screen_land_in_order(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.focused.id == "name"
        # as a terminal delivers a burst: every key queued before any is handled
        for key, char in (("tab", "\t"), ("tab", "\t"), ("tab", "\t"), ("9", "9")):
            app.post_message(events.Key(key, char))
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one("#employees", Input).value == "9"
