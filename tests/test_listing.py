"""`advisor catalogue list --kind ...`: JSON rows per kind and an 80-column table that never cuts ids."""

from __future__ import annotations

import json

import pytest
from conftest import run_cli

HOSTING_KEYS = {"id", "provider", "provider_country", "kind", "accelerator", "count", "eur_per_hour",
                "eur_per_million_tokens", "setup_fee_eur", "minimum_term_months", "certifications",
                "cloud_act_exposed", "region", "price_date", "sources"}


@pytest.mark.parametrize("kind", ["models", "licences", "publishers", "hardware", "hosting"])
def test_json_rows_per_kind(kind, catalogue):
    result = run_cli("catalogue", "list", "--kind", kind, "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    expected = {"models": catalogue.models, "licences": catalogue.licences, "publishers": catalogue.publishers,
                "hardware": catalogue.hardware, "hosting": catalogue.offers}[kind]
    assert sorted(r["id"] for r in rows) == sorted(expected)


def test_hosting_rows_carry_the_contract_fields(catalogue):
    rows = json.loads(run_cli("catalogue", "list", "--kind", "hosting", "--format", "json").stdout)
    for row in rows:
        assert HOSTING_KEYS <= set(row)
        assert row["kind"] in ("gpu_instance", "bare_metal", "managed_api")
        if row["kind"] == "managed_api":
            assert set(row["eur_per_million_tokens"]) == {"input", "output"}


@pytest.mark.parametrize("kind", ["models", "hardware", "licences", "publishers"])
def test_table_fits_80_columns_and_keeps_ids_whole(kind):
    result = run_cli("catalogue", "list", "--kind", kind, env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    ids = [r["id"] for r in json.loads(run_cli("catalogue", "list", "--kind", kind, "--format", "json").stdout)]
    first_cells = {line.split()[0] for line in lines if line.strip()}
    assert set(ids) <= first_cells  # every id on one line, uncut


def test_hosting_table_fits_80_columns():
    result = run_cli("catalogue", "list", "--kind", "hosting", env={"COLUMNS": "80"})
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "CLOUD" in result.stdout
