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
        assert app.screen.query_one("#summary").plain_text.startswith("Recommended:")


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
        # the sandbox re-ranks on the H100; the answers keep the RTX 4090 until applied
        assert screen.sandbox.hosting.hardware[0].accelerator == "nvidia-h100-80gb"
        assert app.requirements == initial
        after = {r.model: r.deployment for r in screen.sandbox_advice.ranking}
        small = "mistral-small-3.1-24b-instruct-2503"
        assert before[small] != after[small].quantization  # more memory: a better quantization
        assert after[small].hardware == "1x nvidia-h100-80gb"
        moved = str(screen.query_one("#moved", Static).content)
        assert "With these answers" in moved and "Δ" in moved
        assert "gemma-3-27b-it" in [r.model for r in screen.sandbox_advice.ranking]  # remote restriction accepted
        screen.query_one("#wi-remote").value = False  # refuse it: Gemma drops out
        await pilot.pause()
        assert "gemma-3-27b-it" not in [r.model for r in screen.sandbox_advice.ranking]
        assert "gemma-3-27b-it" in [r.model for r in screen.advice.ranking]  # the answers' ranking keeps it
        await pilot.press("a")  # apply (focus is on the check box, not in a text field)
        await pilot.pause()
        assert app.requirements.hosting.hardware[0].accelerator == "nvidia-h100-80gb"
        assert "remote_restriction" not in app.requirements.licence.accept
        assert "gemma-3-27b-it" not in [r.model for r in screen.advice.ranking]


async def test_help_and_quit(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert "Ctrl+N" in str(app.screen.query_one(".help-keys", Static).content)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OrganisationStep)
        await pilot.press("ctrl+q")  # nothing answered yet: nothing to save, no question
        await pilot.pause()
        assert app.return_code == 0
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
        await pilot.press("shift+tab", "enter", *"Report as M", "enter", "tab", "enter")  # kind, then the file
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


async def test_new_questions_reach_the_answers(app_factory):
    """Role, medical purpose, publishing to the public, NIS2, and the advanced budget fields."""
    from .conftest import clinic

    app = app_factory(clinic())
    async with app.run_test(size=(100, 40)) as pilot:
        app.screen.query_one("#nis2", Select).value = "important"
        await pilot.press("ctrl+n")
        await pilot.pause()
        app.screen.query_one("#publishes").value = True
        await pilot.press("ctrl+n")
        await pilot.pause()
        app.screen.query_one("#role-provider").value = True
        app.screen.query_one("#medical").value = True
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#advanced").collapsed = False
        await pilot.pause()
        screen.query_one("#monthly-tokens").value = "2.000.000"
        screen.query_one("#amortisation").value = "48"
        screen.query_one("#electricity").value = "0,31"
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        req = app.requirements
        assert req.organisation.nis2 == "important"
        assert req.use_case.publishes_to_public is True
        assert (req.regulation.role, req.regulation.medical_purpose) == ("provider", True)
        assert req.use_case.monthly_tokens == 2_000_000
        assert (req.budget.amortisation_months, req.budget.electricity_eur_per_kwh) == (48, 0.31)


async def test_obligations_by_who_must_act_and_date(app_factory):
    from advisor.render.obligations import ACTORS

    from .conftest import clinic

    req = clinic(**{"regulation.role": "both", "regulation.annex_iii_area": "employment",
                    "use_case.end_users": "public"})
    app = app_factory(req, start_at_results=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("o")
        await pilot.pause()
        text = app.screen.query_one("#obligations").plain_text
        heads = [h for h in ACTORS.values() if h in text]
        assert heads[:3] == [ACTORS["deployer"], ACTORS["provider"], ACTORS["organisation"]]
        assert text.index(ACTORS["deployer"]) < text.index(ACTORS["provider"]) < text.index(ACTORS["organisation"])
        provider = text[text.index(ACTORS["provider"]):text.index(ACTORS["organisation"])]
        assert provider.index("applies since 2 Aug 2026") < provider.index("applies from 2 Dec 2027")
        assert "originally 2 Aug 2026" in provider
        assert "a liability exposure, not a duty" in provider  # the product-liability exposure


def test_cost_column_and_short_label_for_every_way_of_paying():
    from advisor.schema.advice import Deployment, RankedModel
    from advisor.tui.screens.results import cost_text, deployment_text, short_cost

    def ranked(**kw):
        d = Deployment(quantization=kw.pop("quantization", "FP8"), memory_gb=30.3, hardware="1x nvidia-l4", hosting="x",
                       monthly_cost_eur=kw.pop("monthly", 0.0), tokens_per_s=20, context_tokens=8192, **kw)
        return RankedModel(rank=1, model="m", name="M", hf_repo="o/m", score=80, scores={}, deployment=d,
                           reasons=[], warnings=[])

    api = ranked(monthly=120.4, cost_basis="per_token", engine="managed_api", provider="P",
                 eur_per_million_tokens={"input": 0.5, "output": 1.5}, monthly_tokens=2_000_000)
    assert (cost_text(api), short_cost(api), deployment_text(api)) == ("€120/mo API", "€120 API", "per-token API")
    buy = ranked(cost_basis="purchase", purchase_eur=16_802.0)
    assert (cost_text(buy), short_cost(buy)) == ("buy €16,802", "buy €16.8k")
    rent = ranked(monthly=547.5, cost_basis="rental_24_7", price_stale=True)
    assert cost_text(rent) == "€548/mo*"
    assert deployment_text(ranked(quantization="GGUF Q4_K_M")) == "Q4_K_M 30.3 GB"


async def test_edit_answers_goes_to_the_chosen_step_and_back(app_factory):
    from advisor.tui.screens.hosting import HostingStep

    from .conftest import clinic

    app = app_factory(clinic(), start_at_results=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("b")
        await pilot.pause()
        assert "1× NVIDIA L40S (48 GB)" in str(app.screen.query_one("#steps").get_option_at_index(4).prompt)
        await pilot.press("5")
        await pilot.pause()
        assert isinstance(app.screen, HostingStep)
        app.screen.query_one("#count").value = "2"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        assert app.requirements.hosting.hardware[0].count == 2


async def test_results_say_when_an_answer_was_not_used(app_factory):
    from .conftest import clinic

    app = app_factory(clinic())
    async with app.run_test(size=(100, 40)) as pilot:
        app.screen.query_one("#employees").value = "0"
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("ctrl+b", "ctrl+r")  # wait: Next failed, so still on step 1; Back does nothing
        await pilot.pause()
        assert not isinstance(app.screen, ResultsScreen)
        await pilot.press("ctrl+n")
        await pilot.pause()
        app.screen.query_one("#employees").value = "120"
        await pilot.press("ctrl+n")
        await pilot.pause()
        app.screen.query_one("#users").value = "0"
        await pilot.press("ctrl+b")  # leave step 2 with a problem: kept as a draft
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        notice = str(app.screen.query_one("#results-notice").content)
        assert "step 2" in notice and "People who use it must be 1 or more." in notice


async def test_results_help_explains_the_terms(app_factory):
    from .conftest import clinic

    app = app_factory(clinic(), start_at_results=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("?")
        await pilot.pause()
        text = " ".join(str(s.content) for s in app.screen.query(".help-body, .help-heading"))
        for term in ("BF16", "FP8", "Q8_0", "Q4_K_M", "MXFP4", "KV cache", "token", "Score", "Δ",
                     "Apply to my answers", "Reset to my answers"):
            assert term in text, term


async def test_resume_returns_to_the_step_where_the_user_left(app_factory, tmp_path):
    from advisor.tui.screens.licence import LicenceStep

    autosave = tmp_path / "kept.yaml"
    app = app_factory(autosave=autosave)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Acme", "ctrl+n", "ctrl+n", "ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, LicenceStep)
        await pilot.press("ctrl+n")
        await pilot.pause()
    again = app_factory(autosave=autosave)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "step 5 of 6" in str(again.screen.query_one("#choice-message").content)
        await pilot.press("r")
        await pilot.pause()
        assert again.screen.INDEX == 4 and again.requirements.organisation.name == "Acme"
    fresh = app_factory(clinic_requirements(), autosave=autosave)  # --from FILE: no resume offer
    async with fresh.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(fresh.screen, OrganisationStep)


def clinic_requirements():
    from .conftest import clinic

    return clinic()
