"""Numbers as people type them, read one way everywhere in the wizard.

``1500``, ``1.500``, ``1,500``, ``1 500`` and ``1'500`` all mean one thousand five hundred in a
money field or a whole-number field; ``1.500,50`` and ``1,500.50`` both mean 1500.5. What could
be read two ways (``1.500`` GB: one and a half, or fifteen hundred?) is asked back, never
guessed. The reading is shown to the user, so nothing changes silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GROUP_CHARS = " \u00a0\u202f\u2009'\u2019_"
"""Characters that only ever group digits: spaces (also no-break and thin), apostrophes (Swiss)."""
CURRENCY = re.compile(r"^(?:€|eur(?:os?)?)\s*|\s*(?:€|eur(?:os?)?)$", re.IGNORECASE)


@dataclass(frozen=True)
class Reading:
    """What a typed number means: a value, nothing (empty), or a problem to show."""

    value: float | int | None = None
    problem: str | None = None
    """A sentence fragment that follows the field's label, e.g. 'must be a whole number'."""

    @property
    def ok(self) -> bool:
        return self.problem is None


def _grouped(parts: list[str]) -> bool:
    """Digit groups as thousands: the first 1-3 digits, every other exactly 3."""
    return 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])


def read_number(text: str, *, whole: bool = False, money: bool = False) -> Reading:
    """Read ``text`` in the user's convention.

    whole: only whole numbers make sense (people, tokens, devices): a single separator followed by
    three digits is a thousands separator. money: amounts in euros, where three decimals never
    occur, so ``1.500`` is 1,500 too. Elsewhere ``1.500`` is asked back.
    """
    t = CURRENCY.sub("", text.strip()).strip()
    if not t:
        return Reading()
    sign = 1
    if t[0] in "+-−":
        sign = -1 if t[0] != "+" else 1
        t = t[1:].lstrip()
    if any(ch.isalpha() for ch in t):
        return Reading(problem="takes digits only (letters are not allowed)")
    if not t or any(not (ch.isdigit() or ch in ".," or ch in GROUP_CHARS) for ch in t):
        return Reading(problem="is not a number")
    spaced = any(ch in GROUP_CHARS for ch in t)
    if spaced:
        # spaces or apostrophes group thousands; the part before any '.' or ',' must be grouped
        head = re.split(r"[.,]", t, maxsplit=1)[0]
        groups = [g for g in re.split(f"[{re.escape(GROUP_CHARS)}]", head)]
        if "" in groups or not _grouped(groups):
            return Reading(problem="is not a number (digits grouped in threes, e.g. 1 500)")
        t = "".join(groups) + t[len(head):]
    dots, commas = t.count("."), t.count(",")
    if dots and commas:
        decimal = "." if t.rfind(".") > t.rfind(",") else ","
        group = "," if decimal == "." else "."
        if t.count(decimal) > 1 or t.rfind(group) > t.rfind(decimal):
            return Reading(problem="is not a number")
        integer, fraction = t.split(decimal)
        if not _grouped(integer.split(group)) or not fraction.isdigit():
            return Reading(problem="is not a number (digits grouped in threes, e.g. 1.500,50)")
        number = f"{integer.replace(group, '')}.{fraction}"
    elif dots or commas:
        sep = "." if dots else ","
        parts = t.split(sep)
        if any(not p.isdigit() for p in parts[1:]) or (parts[0] and not parts[0].isdigit()):
            return Reading(problem="is not a number")
        if len(parts) > 2:
            if spaced or not _grouped(parts):
                return Reading(problem="is not a number (digits grouped in threes, e.g. 1.500.000)")
            number = "".join(parts)
        else:
            integer, fraction = parts
            thousands_possible = (not spaced and len(fraction) == 3 and 1 <= len(integer) <= 3
                                  and integer.strip("0") != "")
            if thousands_possible and (whole or money):
                number = integer + fraction
            elif thousands_possible:
                as_group = int(integer + fraction)
                as_decimal = float(f"{integer}.{fraction}")
                return Reading(problem=(f"could mean {as_group:,} or {as_decimal:g}: type {as_group} or "
                                        f"{as_decimal:g} to say which"))
            else:
                number = f"{integer or '0'}.{fraction}"
    else:
        number = t
    if not re.fullmatch(r"\d+(\.\d+)?", number):
        return Reading(problem="is not a number")
    value = float(number) * sign
    if whole:
        if value != int(value):
            return Reading(problem="must be a whole number")
        return Reading(int(value))
    return Reading(int(value) if value == int(value) and "." not in number else value)


def shown(value: float, *, money: bool = False) -> str:
    """How the wizard writes a number back: 1,500 / 1,500.5 / €1,500."""
    text = f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"€{text}" if money else text
