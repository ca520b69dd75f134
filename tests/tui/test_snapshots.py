"""SVG snapshots of every step and every results tab at 80x24 and 120x40, with NO_COLOR at 80x24,
plus the dialogs, from the frozen fixture catalogue.
Update after an intended change with: python -m pytest tests/tui --snapshot-update"""

from __future__ import annotations

import pytest

from .conftest import clinic, settle

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
TABS = {"ranking": [], "what-if": ["w"], "not-eligible": ["x"], "obligations": ["o"], "summary": ["s"]}


def step_keys(step: int) -> list[str]:
    return ["ctrl+n"] * step


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("step", range(6))
def test_step(snap_compare, app_factory, step, size):
    assert snap_compare(app_factory(clinic()), terminal_size=SIZES[size], press=step_keys(step))


@pytest.mark.parametrize("step", range(6))
def test_step_no_color(snap_compare, app_factory, monkeypatch, step):
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(app_factory(clinic()), terminal_size=SIZES["80x24"], press=[*step_keys(step), "tab"])


def results_app(app_factory, keys):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)

    return app_factory(clinic(), start_at_results=True), run_before


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("tab", TABS)
def test_results(snap_compare, app_factory, tab, size):
    app, run_before = results_app(app_factory, TABS[tab])
    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("tab", TABS)
def test_results_no_color(snap_compare, app_factory, monkeypatch, tab):
    monkeypatch.setenv("NO_COLOR", "1")
    app, run_before = results_app(app_factory, TABS[tab])
    assert snap_compare(app, terminal_size=SIZES["80x24"], run_before=run_before)


def test_whatif_sandbox_changed(snap_compare, app_factory):
    """The sandbox after choosing an H100: what moved, and the answers unchanged."""
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("w")
        await pilot.pause()
        pilot.app.screen.query_one("#wi-hardware").value = "nvidia-h100-80gb"
        await settle(pilot)

    assert snap_compare(app_factory(clinic(), start_at_results=True), terminal_size=SIZES["80x24"],
                        run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, app_factory, size):
    assert snap_compare(app_factory(clinic()), terminal_size=SIZES[size], press=["ctrl+n", "f1"])


def test_results_help(snap_compare, app_factory):
    app, run_before = results_app(app_factory, ["f1"])
    assert snap_compare(app, terminal_size=SIZES["80x24"], run_before=run_before)


def test_details(snap_compare, app_factory):
    app, run_before = results_app(app_factory, ["enter"])
    assert snap_compare(app, terminal_size=SIZES["80x24"], run_before=run_before)


def test_export_dialog(snap_compare, app_factory, tmp_path):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        # the dialog shows the full target; the temporary folder differs run to run
        pilot.app.screen.base = tmp_path.__class__("/srv/exports")
        pilot.app.screen._show_target()
        await pilot.pause()

    assert snap_compare(app_factory(clinic(), start_at_results=True), terminal_size=SIZES["80x24"],
                        run_before=run_before)


def test_quit_dialog(snap_compare, app_factory):
    assert snap_compare(app_factory(), terminal_size=SIZES["80x24"], press=[*"Acme", "ctrl+n", "ctrl+q"])


def test_edit_answers_picker(snap_compare, app_factory):
    app, run_before = results_app(app_factory, ["b"])
    assert snap_compare(app, terminal_size=SIZES["80x24"], run_before=run_before)


def test_step_with_problems(snap_compare, app_factory):
    """Problems as sentences under their fields and under the form."""
    async def run_before(pilot):
        pilot.app.screen.query_one("#employees").value = "-513"
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()

    assert snap_compare(app_factory(clinic()), terminal_size=SIZES["80x24"], run_before=run_before)
