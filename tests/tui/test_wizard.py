"""The wizard driven by key presses, as a user would: the whole flow, back navigation,
validation, what-if and export."""

from __future__ import annotations

import subprocess
import sys

import yaml
from textual.widgets import DataTable, Select, Static

import advisor
from advisor.tui.screens.organisation import OrganisationStep
from advisor.tui.screens.results import ResultsScreen
from advisor.tui.screens.use_case import UseCaseStep

from .conftest import SMALL


async def walk_to_results(pilot) -> None:
    """Answer all six steps with the keyboard only (a German clinic with an L40S)."""
    press = pilot.press
    # 1 Organisation: name, country, sector, employees
    await press(*"Klinik Nord", "tab", "enter", *"Germ", "enter", "tab", "enter", *"Heal", "enter", "tab",
                *"120", "ctrl+n")
    await pilot.pause()
    # 2 Use case: tick document_qa and summarisation, add German, context 16000, 20 users
    await press("down", "space", "down", "space", "tab", *(["down"] * 9), "space", "tab", *"16000", "tab",
                *"20", "ctrl+n")
    await pilot.pause()
    # 3 Data: personal data and special categories
    await press("space", "tab", "space", "ctrl+n")
    await pilot.pause()
    # 4 Licence: defaults
    await press("ctrl+n")
    await pilot.pause()
    # 5 Hosting: on premises, one NVIDIA L40S
    await press("enter", *"On pr", "enter", "tab", "enter", *"NVIDIA L40S", "enter", "tab", *"1", "ctrl+n")
    await pilot.pause()
    # 6 Budget: defaults
    await press("ctrl+n")
    await pilot.pause()


async def test_whole_wizard_by_keyboard(app_factory):
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        assert isinstance(app.screen, OrganisationStep)
        await walk_to_results(pilot)
        assert isinstance(app.screen, ResultsScreen)
        req = app.requirements
        assert req.organisation.name == "Klinik Nord" and req.organisation.country == "DE"
        assert req.organisation.sector == "health" and req.organisation.employees == 120
        assert req.use_case.tasks == ["chat", "document_qa", "summarisation"]
        assert set(req.use_case.languages) == {"en", "de"}
        assert (req.use_case.context_tokens, req.use_case.concurrent_users) == (16000, 20)
        assert req.data.personal_data and req.data.special_category
        assert req.hosting.mode == "on_premises"
        assert req.hosting.hardware[0].accelerator == "nvidia-l40s"
        table = app.screen.query_one("#ranking", DataTable)
        expected = advisor.advise(req, catalogue=app.catalogue, rules=app.rules)
        assert table.row_count == len(expected.ranking) > 0
        assert table.get_row_at(0)[1] == expected.ranking[0].name
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query_one("#summary", Static).content.startswith("Recommended:")


async def test_back_keeps_answers(app_factory):
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press(*"Acme", "ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, UseCaseStep)
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert isinstance(app.screen, OrganisationStep)
        assert app.screen.query_one("#name").value == "Acme"
        assert app.requirements.organisation.name == "Acme"


async def test_validation_is_inline_and_keeps_the_step(app_factory):
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("space", "ctrl+n")  # untick the only task
        await pilot.pause()
        assert isinstance(app.screen, UseCaseStep)
        errors = app.screen.query_one("#errors", Static)
        assert errors.display and "at least one task" in str(errors.content)
        await pilot.press("tab", "tab", *"abc", "ctrl+n")  # not a number of tokens either
        await pilot.pause()
        assert isinstance(app.screen, UseCaseStep)


async def test_whatif_reranks_and_shows_what_moved(app_factory):
    initial = advisor.Requirements.model_validate({
        "organisation": {"country": "DE"}, "use_case": {"tasks": ["chat"], "languages": ["de"]},
        "hosting": {"mode": "on_premises", "hardware": [{"accelerator": "nvidia-rtx-4090", "count": 1}]}})
    app = app_factory(initial, start_at_results=True)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ResultsScreen)
        before = {r.model: r.deployment.quantization for r in screen.advice.ranking}
        await pilot.press("w")
        screen.query_one("#wi-hardware", Select).value = "nvidia-h100-80gb"
        await pilot.pause()
        assert app.requirements.hosting.hardware[0].accelerator == "nvidia-h100-80gb"
        after = {r.model: r.deployment for r in screen.advice.ranking}
        small = "mistral-small-3.1-24b-instruct-2503"
        assert before[small] != after[small].quantization  # more memory: a better quantization
        assert after[small].hardware == "1x nvidia-h100-80gb"
        moved = str(screen.query_one("#moved", Static).content)
        assert "What moved" in moved
        assert "gemma-3-27b-it" in [r.model for r in screen.advice.ranking]  # remote restriction accepted by default
        screen.query_one("#wi-remote").value = False  # refuse it: Gemma drops out
        await pilot.pause()
        assert "gemma-3-27b-it" not in [r.model for r in screen.advice.ranking]


async def test_help_and_quit(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert "Ctrl+N" in str(app.screen.query_one("#help-general", Static).content)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OrganisationStep)
        await pilot.press("ctrl+q")
    assert app.return_value is None


async def test_export_round_trip(app_factory, tmp_path, small_catalogue):
    initial = advisor.Requirements.model_validate({
        "organisation": {"name": "Klinik Nord", "country": "DE"},
        "use_case": {"tasks": ["document_qa"], "languages": ["de", "en"], "context_tokens": 16000},
        "hosting": {"mode": "on_premises", "hardware": [{"accelerator": "nvidia-l40s", "count": 1}]}})
    app = app_factory(initial, start_at_results=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")  # save with the default name
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("shift+tab", "enter", *"Report as M", "enter", "tab", "enter")
        await pilot.pause()
        ranking = [r.model for r in app.screen.advice.ranking]
    saved = tmp_path / "klinik-nord-requirements.yaml"
    assert saved.exists() and (tmp_path / "klinik-nord-report.md").exists()
    data = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert data["organisation"]["country"] == "DE"
    out = subprocess.run([sys.executable, "-m", "advisor", "--catalogue", str(SMALL), "recommend", str(saved),
                          "--format", "json"], capture_output=True, text=True, check=True)
    import json

    assert [r["model"] for r in json.loads(out.stdout)["ranking"]] == ranking
