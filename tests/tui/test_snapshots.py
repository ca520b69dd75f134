"""SVG snapshots of every screen at 80x24, from the frozen fixture catalogue.
Update after an intended change with: python -m pytest tests/tui --snapshot-update"""

from __future__ import annotations

import pytest

import advisor

SIZE = (80, 24)
CLINIC = {
    "organisation": {"name": "Klinik Nord GmbH", "country": "DE", "sector": "health", "employees": 120},
    "use_case": {"tasks": ["document_qa", "summarisation"], "languages": ["de", "en"], "context_tokens": 16000,
                 "concurrent_users": 20},
    "data": {"personal_data": True, "special_category": True, "confidentiality": "confidential"},
    "hosting": {"mode": "on_premises", "hardware": [{"accelerator": "nvidia-l40s", "count": 1}]},
    "budget": {"monthly_eur": 1500},
}


def clinic():
    return advisor.Requirements.model_validate(CLINIC)


@pytest.mark.parametrize("step", range(6))
def test_step(snap_compare, app_factory, step):
    assert snap_compare(app_factory(clinic()), terminal_size=SIZE, press=["ctrl+n"] * step)


async def _settle(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("keys", [[], ["w"], ["x"], ["o"], ["s"]],
                         ids=["ranking", "what-if", "not-eligible", "obligations", "summary"])
def test_results(snap_compare, app_factory, keys):
    async def run_before(pilot):
        await _settle(pilot)
        await pilot.press(*keys)
        await _settle(pilot)

    assert snap_compare(app_factory(clinic(), start_at_results=True), terminal_size=SIZE, run_before=run_before)


def test_help(snap_compare, app_factory):
    assert snap_compare(app_factory(clinic()), terminal_size=SIZE, press=["ctrl+n", "f1"])


def test_export_dialog(snap_compare, app_factory):
    async def run_before(pilot):
        await _settle(pilot)
        await pilot.press("e")

    assert snap_compare(app_factory(clinic(), start_at_results=True), terminal_size=SIZE, run_before=run_before)
