"""The wheel carries the catalogue and the rules: installed (not editable) and run from
another directory, advisor still finds its data."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

from conftest import ROOT


def test_wheel_ships_data_and_runs_from_elsewhere(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist),
                    str(ROOT)], check=True, capture_output=True, text=True)
    (wheel,) = dist.glob("advisor-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "advisor/py.typed" in names
    assert "advisor/_data/catalogue/vocabulary.yaml" in names
    assert "advisor/_data/rules/dimensions.yaml" in names
    models = [n for n in names if n.startswith("advisor/_data/catalogue/models/")]
    assert len(models) >= 70
    rule_tests = [n for n in names if n.startswith("advisor/_data/rules/") and n.endswith(".test.yaml")]
    assert len(rule_tests) >= 40

    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True, text=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    req = elsewhere / "req.yaml"
    req.write_text("use_case: {tasks: [chat], languages: [de]}\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(site), "ADVISOR_CACHE_DIR": str(tmp_path / "cache")}
    code = ("import advisor, advisor.catalogue as c; print(c.bundled_dir('catalogue')); "
            "a = advisor.advise('req.yaml'); print(len(a.ranking) + len(a.excluded))")
    out = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True,
                         check=True)
    where, count = out.stdout.split()
    assert where.startswith(str(site)) and "_data" in where
    assert int(count) >= 70
    cli = subprocess.run([sys.executable, "-m", "advisor", "recommend", "req.yaml", "--format", "json"],
                         cwd=elsewhere, env=env, capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr
