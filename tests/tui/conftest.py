"""Fixtures for the wizard tests: a frozen fixture catalogue, no cursor blink."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

import advisor
from advisor.tui import make_app

SMALL = Path(__file__).resolve().parents[1] / "data" / "catalogue_small"


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch):
    monkeypatch.setattr(Input, "cursor_blink", False)


@pytest.fixture(scope="session")
def small_catalogue():
    return advisor.load_catalogue(SMALL)


@pytest.fixture
def app_factory(small_catalogue, tmp_path):
    rules = advisor.load_rules()

    def build(initial=None, **kw):
        kw.setdefault("export_dir", tmp_path)
        kw.setdefault("show_timing", False)
        return make_app(small_catalogue, rules, initial, **kw)

    return build
