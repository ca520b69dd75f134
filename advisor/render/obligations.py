"""Obligations grouped by who must act and ordered by the date they apply, for every renderer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..schema.advice import Obligation

ACTORS = {
    "deployer": "You as deployer (you use the AI system)",
    "provider": "You as provider (you place the AI system on the market under your name)",
    "organisation": "Your organisation",
    "hosting_provider": "Your hosting provider (under the contract you sign with it)",
    "publisher": "The model's publisher",
}


def when(o: Obligation) -> str:
    """'applies since 25 May 2018' / 'applies from 2 Dec 2027 (originally 2 Aug 2026; ...)'."""
    if not o.applies_from:
        return ""
    date = _day(o.applies_from)
    text = f"applies since {date}" if o.in_force else f"applies from {date}"
    if o.originally_from:
        text += f", originally {_day(o.originally_from)}"
    return text


def grouped(obligations: Iterable[Obligation]) -> list[tuple[str, list[Obligation]]]:
    """(heading, obligations) per actor in ACTORS order, each group by date (undated last)."""
    groups: dict[str, list[Obligation]] = {}
    for o in obligations:
        groups.setdefault(o.actor, []).append(o)
    return [(ACTORS[actor], sorted(groups[actor], key=lambda o: (o.applies_from or "9999", o.article)))
            for actor in ACTORS if actor in groups]


def _day(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d.day} {d:%b} {d.year}"
