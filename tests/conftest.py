"""Shared fixtures. The start-up cache goes to a private directory so tests never read or
write the user's cache."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("ADVISOR_CACHE_DIR", tempfile.mkdtemp(prefix="advisor-test-cache-"))

import pytest

import advisor

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def catalogue() -> advisor.Catalogue:
    return advisor.load_catalogue()


@pytest.fixture(scope="session")
def rules() -> advisor.RuleSet:
    return advisor.load_rules()


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m advisor ARGS` as a user would, capturing output."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "advisor", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=full_env, input=stdin, timeout=300)


def minimal(**overrides: object) -> dict:
    """A minimal requirements mapping with dotted-path overrides."""
    data: dict = {"use_case": {"tasks": ["chat"]}}
    for path, value in overrides.items():
        node = data
        *parents, last = path.split("__")
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = value
    return data


def run_main(*args: str) -> tuple[int, str, str]:
    """Run the CLI entry point in-process: (exit code, stdout, stderr)."""
    import contextlib
    import io

    from advisor.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's own usage errors
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def assert_clean_errors(stderr: str) -> None:
    """Bad input: every line is one `error: ...` line, never a traceback or internal error."""
    lines = stderr.strip().splitlines()
    assert lines, "expected an error message"
    assert all(line.startswith("error: ") for line in lines), stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
