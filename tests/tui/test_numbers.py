"""Numbers as people type them (advisor/tui/numbers.py): one reading everywhere, ambiguity asked back."""

from __future__ import annotations

import pytest

from advisor.tui.numbers import read_number, shown


@pytest.mark.parametrize("text", ["1500", "1.500", "1,500", "1 500", "1\u00a0500", "1'500", "€ 1.500", "1.500 EUR",
                                  "1500 €"])
def test_money_thousands_in_every_convention(text):
    assert read_number(text, money=True).value == 1500


@pytest.mark.parametrize("text, value", [("1.500,50", 1500.5), ("1,500.50", 1500.5), ("1 500,5", 1500.5),
                                         ("1,5", 1.5), ("0,25", 0.25), ("1.500.000", 1_500_000),
                                         ("1,500,000.00", 1_500_000)])
def test_money_decimals(text, value):
    assert read_number(text, money=True).value == value


@pytest.mark.parametrize("text", ["16000", "16.000", "16,000", "16 000"])
def test_whole_numbers(text):
    assert read_number(text, whole=True).value == 16000


def test_ambiguous_is_asked_back_never_guessed():
    r = read_number("1.500")
    assert r.value is None and r.problem == "could mean 1,500 or 1.5: type 1500 or 1.5 to say which"
    assert read_number("0.250").value == 0.25  # a leading zero cannot group thousands
    assert read_number("1500.000").value == 1500  # four digits before the separator: a decimal


@pytest.mark.parametrize("text, problem", [
    ("abc", "takes digits only (letters are not allowed)"),
    ("12a", "takes digits only (letters are not allowed)"),
    ("1.5", "must be a whole number"),
    ("1 50", "is not a number (digits grouped in threes, e.g. 1 500)"),
    ("1.2.3", "is not a number (digits grouped in threes, e.g. 1.500.000)"),
    ("1#0", "is not a number"),
])
def test_problems(text, problem):
    assert read_number(text, whole=True).problem == problem


def test_empty_and_negative():
    assert read_number("  ").value is None and read_number("  ").ok
    assert read_number("-513", whole=True).value == -513  # the schema says it must be 1 or more


def test_shown():
    assert shown(1500, money=True) == "€1,500"
    assert shown(1500.5) == "1,500.5"
    assert shown(0.25) == "0.25"
