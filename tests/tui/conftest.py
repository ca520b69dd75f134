"""Fixtures for the wizard tests: a frozen fixture catalogue, no cursor blink, no user state."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Input

import advisor
from advisor.tui import make_app

SMALL = Path(__file__).resolve().parents[1] / "data" / "catalogue_small"
CLINIC = {
    "organisation": {"name": "Klinik Nord GmbH", "country": "DE", "sector": "health", "employees": 120},
    "use_case": {"tasks": ["document_qa", "summarisation"], "languages": ["de", "en"], "context_tokens": 16000,
                 "concurrent_users": 20},
    "data": {"personal_data": True, "special_category": True, "confidentiality": "confidential"},
    "hosting": {"mode": "on_premises", "hardware": [{"accelerator": "nvidia-l40s", "count": 1}]},
    "budget": {"monthly_eur": 1500},
}


def clinic(**changes):
    return advisor.Requirements.model_validate(CLINIC).replace(**changes)


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch):
    monkeypatch.setattr(Input, "cursor_blink", False)


@pytest.fixture(autouse=True)
def no_user_state(monkeypatch, tmp_path):
    """Nothing is read from or written to the user's home (autosave, ~ in exports)."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    (tmp_path / "home").mkdir()


@pytest.fixture(scope="session")
def small_catalogue():
    return advisor.load_catalogue(SMALL)


@pytest.fixture(scope="session")
def rules():
    return advisor.load_rules()


@pytest.fixture
def app_factory(small_catalogue, rules, tmp_path):
    def build(initial=None, **kw):
        kw.setdefault("export_dir", tmp_path)
        kw.setdefault("show_timing", False)
        return make_app(small_catalogue, rules, initial, **kw)

    return build


def screen_text(app) -> str:
    """What the terminal shows, as plain text lines."""
    update = app.screen._compositor.render_update(full=True)
    console = Console(file=io.StringIO(), width=app.size.width, height=app.size.height, color_system=None,
                      force_terminal=False, legacy_windows=False)
    console.print(update)
    return console.file.getvalue()


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
