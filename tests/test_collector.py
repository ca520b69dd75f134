"""Scoring pauses the cyclic garbage collector (``advisor.collector``): safe only while scoring
leaves no cyclic garbage behind, and only if the collector's state is given back."""

from __future__ import annotations

import gc
import threading

import pytest
from conftest import EXAMPLES

import advisor
from advisor.collector import paused
from advisor.engine.advice import advise_top
from advisor.engine.evaluate import Evaluator


@pytest.fixture
def collecting():
    """The collector enabled for the test, and its state before restored after it."""
    before = gc.isenabled()
    gc.enable()
    yield
    if not before:
        gc.disable()


def test_pause_restores_the_state_it_found(collecting) -> None:
    with paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with paused():
            pass
        assert not gc.isenabled(), "a collector the caller disabled must stay disabled"
    finally:
        gc.enable()


def test_pauses_nest_and_the_last_to_end_restores(collecting) -> None:
    with paused():
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled(), "the inner pause must not end the outer one"
    assert gc.isenabled()


def test_pauses_shared_by_threads(collecting) -> None:
    """A pause that began first and ends first does not end one still running in another thread."""
    inside, leave = threading.Event(), threading.Event()

    def other() -> None:
        with paused():
            inside.set()
            leave.wait(10)

    thread = threading.Thread(target=other)
    thread.start()
    inside.wait(10)
    with paused():
        leave.set()
        thread.join(10)
        assert not gc.isenabled(), "the other thread's pause ended this one"
    assert gc.isenabled()


def test_an_error_inside_still_restores(collecting) -> None:
    with pytest.raises(ZeroDivisionError), paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()


@pytest.mark.parametrize("name", ["clinic", "bank", "manufacturer"])
def test_scoring_leaves_no_cyclic_garbage(catalogue, rules, name: str, collecting) -> None:
    """Every object scoring makes is freed by reference counting, so pausing the collector
    while it runs costs no memory. The first call is left out: it fills the per-catalogue
    tables, and the first use of some library code leaves a few dozen objects once."""
    req = advisor.load_requirements(EXAMPLES / "requirements" / f"{name}.yaml")
    changed = req.model_copy(update={"use_case": req.use_case.model_copy(update={"concurrent_users": 7})})
    for call, r in enumerate((req, req, changed)):
        gc.collect()
        gc.disable()
        try:
            advisor.rank(r, catalogue=catalogue, rules=rules)
            advisor.advise(r, catalogue=catalogue, rules=rules)
            advise_top(Evaluator(r, catalogue, rules), 3)
            garbage = gc.collect()
        finally:
            gc.enable()
        if call:  # the same profile again, then one with new plans
            assert garbage == 0


def test_scoring_gives_the_collector_back(catalogue, rules, collecting) -> None:
    req = advisor.load_requirements(EXAMPLES / "requirements" / "clinic.yaml")
    advisor.rank(req, catalogue=catalogue, rules=rules)
    advisor.advise(req, catalogue=catalogue, rules=rules)
    assert gc.isenabled()
