"""Engine speed against the targets of the compiled-engine issue, each beside a baseline
measured in the same run (the machine is shared: compare ratios, not absolute numbers).

- ``advisor.rank()`` per new profile (target: median <= 1 ms), baseline: ``advise()`` with the
  full explanation (target: median <= 5 ms) on the same profiles;
- ``advisor --version`` (target <= 0.05 s) and a cold ``advisor recommend FILE --format json``
  (target <= 0.3 s) as fresh processes, baseline ``python -c 'import pydantic, yaml'``;
- the peer: ``llmfit recommend`` in the same run when an ``llmfit`` executable is on PATH or
  given with ``--llmfit`` (target: advisor's cold recommend <= 0.6x llmfit's time); the
  processes run in turn, one of each per round, and each figure is the median of its runs;
- batch throughput: see benchmarks/batch_throughput.py (target >= 2,000 profiles/s on 2 cores).

usage: python benchmarks/engine_speed.py [--profiles 60] [--runs 15] [--llmfit PATH]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from batch_throughput import profiles  # noqa: E402

import advisor  # noqa: E402


def timed(fn, items):
    out = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        out.append(time.perf_counter() - start)
    return out


def bytecode_env() -> dict[str, str]:
    """The environment of an installed command: Python may keep compiled bytecode (pip compiles
    it on install). Some shells set PYTHONDONTWRITEBYTECODE, which makes every cold start compile
    advisor's sources again; the bytecode goes to a directory of its own, not into the tree."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "advisor-bench-bytecode")
    return env


def processes(cmds, runs):
    """The median wall-clock time of each command, run in turn ``runs`` times (one of each per
    round, so a change in the machine's load reaches all of them alike: the ratios compare
    like with like)."""
    env = bytecode_env()
    for cmd in cmds:
        subprocess.run(cmd, capture_output=True, check=True, cwd=ROOT, env=env)  # compiles the bytecode once
    times: list[list[float]] = [[] for _ in cmds]
    for _ in range(runs):
        for cmd, out in zip(cmds, times):
            start = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True, cwd=ROOT, env=env)
            out.append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--profiles", type=int, default=60)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--llmfit", default=shutil.which("llmfit"), help="the peer's executable (default: on PATH)")
    args = ap.parse_args()
    catalogue, rules = advisor.load_catalogue(), advisor.load_rules()
    docs = list(profiles(2 * args.profiles, seed=11))
    for d in docs:
        d.pop("id", None)
    reqs = [advisor.Requirements.model_validate(d) for d in docs]
    advisor.advise(reqs[0], catalogue=catalogue, rules=rules)  # warm the code paths
    rank = timed(lambda r: advisor.rank(r, catalogue=catalogue, rules=rules), reqs[: args.profiles])
    advise = timed(lambda r: advisor.advise(r, catalogue=catalogue, rules=rules), reqs[args.profiles:])
    py = [sys.executable]
    cmds = [[*py, "-c", "import pydantic, yaml"], [*py, "-m", "advisor", "--version"],
            [*py, "-m", "advisor", "recommend", "examples/requirements/clinic.yaml", "--format", "json"]]
    if args.llmfit:  # the peer's closest command: a ranked recommendation as JSON for a 48 GB machine
        cmds.append([args.llmfit, "--memory", "48G", "--no-dashboard", "recommend", "--json", "-n", "5",
                     "--use-case", "chat"])
    base, version, cold, *rest = processes(cmds, args.runs)
    peer = rest[0] if rest else None
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}, {len(catalogue.models)} models, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'measure':52} {'value':>10} {'target':>10}")
    for label, value, target in (
        (f"rank() per new profile, median of {args.profiles}", statistics.median(rank) * 1000, "<= 1 ms"),
        ("rank() p90", sorted(rank)[int(0.9 * len(rank))] * 1000, ""),
        (f"advise() with explanation, median of {args.profiles}", statistics.median(advise) * 1000, "<= 5 ms"),
        ("baseline: python -c 'import pydantic, yaml' (s)", base, ""),
        ("advisor --version (s)", version, "<= 0.05 s"),
        ("advisor recommend clinic.yaml --format json, cold (s)", cold, "<= 0.3 s"),
        *((("peer: llmfit recommend --json, cold (s)", peer, ""),
           ("advisor cold recommend / llmfit recommend (ratio)", cold / peer, "<= 0.6")) if peer else ()),
    ):
        unit = "ms" if "ms" in target or label.startswith("rank() p90") else "s"
        print(f"{label:52} {value:10.3f} {target:>10}" if unit == "s" else f"{label:52} {value:8.1f}ms {target:>10}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
