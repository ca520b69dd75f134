"""Cold start of `advisor recommend FILE --format json` as a fresh process.

Prints the median wall time over N runs beside a bare `python -c "import pydantic, yaml"`.
The first run with an empty start-up cache is reported on its own (it parses and validates
every catalogue and rule file and writes the cache); the median is over the runs after it.
Target: under 0.5 s on a 2-core machine (aim: 0.3 s).

usage: python benchmarks/coldstart.py [--runs 15] [--file examples/requirements/clinic.yaml]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from engine_speed import bytecode_env  # noqa: E402


def wall(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env, cwd=ROOT)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--file", default="examples/requirements/clinic.yaml")
    args = ap.parse_args()
    cache = tempfile.mkdtemp(prefix="advisor-bench-cache-")
    env = {**bytecode_env(), "ADVISOR_CACHE_DIR": cache}
    recommend = [sys.executable, "-m", "advisor", "recommend", args.file, "--format", "json"]
    baseline = [sys.executable, "-c", "import pydantic, yaml"]
    first = wall(recommend, env)
    times = [wall(recommend, env) for _ in range(args.runs)]
    base = [wall(baseline, env) for _ in range(args.runs)]
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}")
    print(f"advisor recommend {args.file} --format json")
    print(f"  first run, empty start-up cache: {first:.3f} s")
    print(f"  median of {args.runs} runs:         {statistics.median(times):.3f} s "
          f"(min {min(times):.3f}, max {max(times):.3f})")
    print("python -c 'import pydantic, yaml'")
    print(f"  median of {args.runs} runs:         {statistics.median(base):.3f} s")
    print(f"advisor's own share (median difference): {statistics.median(times) - statistics.median(base):.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
