"""Re-ranking speed: how long advisor takes to re-score the whole catalogue after one answer
changes (what the wizard's what-if panel does). Target: under 50 ms.

For every example profile the full advice is computed first (what the results screen shows),
then one answer changes and the ranking is re-scored and timed. The changes are the wizard's
what-if controls: another monthly budget, hosting mode, number of users, an accepted licence
condition, a priority. Each new value is one never used before, so the deployment plans or
derived facts it affects are computed afresh (the memo only keeps what the change leaves
alone; what depends on the catalogue only, such as the rule programs, stays, as in the wizard).
The re-rank is what the what-if tab computes: every model scored, reasons only for the rows it
shows. Also printed: the worst case with nothing memoised, and the explanation of the changed
answer (the wizard shows the new ranking at once and fills in the explanation after).

usage: python benchmarks/rerank.py [--rounds 30]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import advisor
from advisor.engine.advice import advise
from advisor.engine.evaluate import Evaluator, forget_requirements
from advisor.tui.screens.results import WHATIF_ROWS

ROOT = Path(__file__).resolve().parents[1]

Change = Callable[[advisor.Requirements, int], advisor.Requirements]
CHANGES: dict[str, Change] = {
    "monthly budget": lambda r, i: r.replace(**{"budget.monthly_eur": 700 + 13 * i}),
    "hosting mode": lambda r, i: r.replace(**{"hosting.mode": "eu_cloud" if r.hosting.mode != "eu_cloud" else "any"}),
    "users": lambda r, i: r.replace(**{"use_case.concurrent_users": r.use_case.concurrent_users + 1 + i}),
    "licence condition": lambda r, i: r.replace(**{"licence.accept": [*r.licence.accept, "naming"]}),
    "priority": lambda r, i: r.replace(**{"priorities.cost": (r.priorities.cost + 1 + i) % 6}),
}


def report(label: str, times: list[float]) -> None:
    times.sort()
    print(f"{label}: {len(times)} re-rankings, median {statistics.median(times):.1f} ms, "
          f"p90 {times[int(len(times) * 0.9)]:.1f} ms")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=30)
    args = ap.parse_args()
    catalogue, rules = advisor.load_catalogue(), advisor.load_rules()
    gc.freeze()  # as the wizard's process does once it has loaded them (advisor/cli.py: _kept)
    profiles = [advisor.load_requirements(p) for p in sorted((ROOT / "examples" / "requirements").glob("*.yaml"))]
    print(f"{len(catalogue.models)} models, {len(profiles)} example profiles, {args.rounds} rounds")
    per_change: dict[str, list[float]] = {name: [] for name in CHANGES}
    with_explanation: list[float] = []
    cold: list[float] = []
    for i in range(args.rounds):
        for base in profiles:
            for name, change in CHANGES.items():
                forget_requirements(catalogue)
                advise(Evaluator(base, catalogue, rules))  # the results screen before the change
                changed = change(base, i)
                start = time.perf_counter()  # what the what-if tab computes
                advise(Evaluator(changed, catalogue, rules), explain=False, detail=WHATIF_ROWS)
                per_change[name].append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                advise(Evaluator(changed, catalogue, rules))
                with_explanation.append((time.perf_counter() - start) * 1000)
            catalogue.memo.clear()  # not even the rule programs
            start = time.perf_counter()
            advise(Evaluator(base, catalogue, rules), explain=False, detail=WHATIF_ROWS)
            cold.append((time.perf_counter() - start) * 1000)
    everything = [t for times in per_change.values() for t in times]
    report("what-if re-rank, all changes", everything)
    for name, times in per_change.items():
        report(f"  {name}", times)
    report("explanation of the changed answer, after the re-rank", with_explanation)
    report("worst case, nothing memoised (a fresh process's first ranking)", cold)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
