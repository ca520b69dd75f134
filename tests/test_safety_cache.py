"""The start-up cache is data, keyed on contents, and trusted only when private (review H2, M9, L2, L9)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, run_cli

import advisor
from advisor import cache

CLINIC = EXAMPLES / "requirements" / "clinic.yaml"


def test_no_code_loading_in_the_package():
    for path in (ROOT / "advisor").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import pickle" not in text and "marshal" not in text, path


@pytest.fixture
def cache_env(tmp_path):
    d = tmp_path / "cache"
    return d, {"ADVISOR_CACHE_DIR": str(d)}


def _recommend(env):
    result = run_cli("recommend", str(CLINIC), "--format", "json", env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _doctor(d: Path) -> Path:
    """Make the research-only Qwen licence look commercial in the cached catalogue."""
    path = next(p for p in d.glob("catalogue-*.json") if not p.name.startswith("catalogue-key-"))
    from advisor import plaindata
    from advisor.schema.catalogue import Clauses, Licence

    def field(obj: dict, cls: type, name: str) -> tuple[list, int]:  # an object's values, its field's place
        return obj[plaindata.CLASS], 2 + list(cls.model_fields).index(name)

    data = json.loads(path.read_bytes())
    licence, at = field(data["data"]["licences"]["qwen-research"], Licence, "clauses")
    clauses, at = field(licence[at], Clauses, "commercial_use")
    assert clauses[at] != "yes"
    clauses[at] = "yes"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_private_cache_of_ours_is_read_as_is(cache_env):
    """What the tests below rely on: the doctored licence reaches the advice when the file is
    trusted (so "ignored and rebuilt" there is the trust check at work, not a doctoring miss)."""
    d, env = cache_env
    first = _recommend(env)
    _doctor(d)
    assert _recommend(env) != first


def test_corrupt_cache_is_rebuilt(cache_env):
    d, env = cache_env
    first = _recommend(env)
    for path in d.glob("*.json"):
        path.write_bytes(b"\x80garbage{")
    assert _recommend(env) == first


def test_cache_writable_by_others_is_not_trusted(cache_env):
    d, env = cache_env
    first = _recommend(env)
    path = _doctor(d)
    path.chmod(0o666)
    assert _recommend(env) == first  # ignored and rebuilt, never trusted


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a file's owner needs root")
def test_cache_owned_by_someone_else_is_not_trusted(cache_env):
    d, env = cache_env
    first = _recommend(env)
    path = _doctor(d)
    path.chmod(0o600)
    os.chown(path, 65534, 65534)
    assert _recommend(env) == first


def test_files_are_private(cache_env):
    d, env = cache_env
    _recommend(env)
    assert (d.stat().st_mode & 0o777) == 0o700
    assert all((p.stat().st_mode & 0o777) == 0o600 for p in d.iterdir())


def test_same_size_edit_with_restored_mtime_is_seen(tmp_path, cache_env):
    d, env = cache_env
    overlay = tmp_path / "overlay" / "models" / "mistral-ai"
    overlay.mkdir(parents=True)
    src = advisor.load_catalogue().files["model:mistral-7b-instruct-v0.3"].read_text(encoding="utf-8")
    entry = overlay / "mistral-7b-instruct-v0.3.yaml"
    entry.write_text(src.replace("name: Mistral 7B Instruct v0.3", "name: Mistral 7B Instruct vAAA", 1),
                     encoding="utf-8")
    listing = ["--catalogue", str(tmp_path / "overlay"), "catalogue", "list", "--format", "json"]
    names = lambda: {r["id"]: r["name"] for r in json.loads(run_cli(*listing, env=env).stdout)}  # noqa: E731
    assert names()["mistral-7b-instruct-v0.3"] == "Mistral 7B Instruct vAAA"
    st = entry.stat()
    entry.write_text(entry.read_text(encoding="utf-8").replace("vAAA", "vBBB"), encoding="utf-8")
    os.utime(entry, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert entry.stat().st_size == st.st_size and entry.stat().st_mtime_ns == st.st_mtime_ns
    assert names()["mistral-7b-instruct-v0.3"] == "Mistral 7B Instruct vBBB"

    # a long-running process sees the edit too
    first = advisor.load_catalogue(tmp_path / "overlay")
    assert first.models["mistral-7b-instruct-v0.3"].name.endswith("vBBB")
    assert advisor.load_catalogue(tmp_path / "overlay") is first
    entry.write_text(entry.read_text(encoding="utf-8").replace("vBBB", "vCCC"), encoding="utf-8")
    os.utime(entry, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert advisor.load_catalogue(tmp_path / "overlay").models["mistral-7b-instruct-v0.3"].name.endswith("vCCC")


def test_housekeeping_touches_only_our_own_files(tmp_path, monkeypatch):
    d = tmp_path / "shared-cache"
    d.mkdir()
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(d))
    monkeypatch.delenv("ADVISOR_NO_CACHE", raising=False)
    foreign = [d / "catalogue-notours.pickle", d / "notes.txt", d / "rules-1234.json"]
    for f in foreign:
        f.write_text("someone else's", encoding="utf-8")
    old_tmp = d / ".catalogue-abandoned.tmp"
    old_tmp.write_text("", encoding="utf-8")
    os.utime(old_tmp, (time.time() - 7200, time.time() - 7200))
    for i in range(cache.KEEP + 3):
        cache.store("catalogue", f"{i:032x}", b"{}")
        os.utime(d / f"catalogue-{i:032x}.json", (time.time() - 100 + i, time.time() - 100 + i))
    cache.store("catalogue", "f" * 32, b"{}")
    ours = sorted(p.name for p in d.glob("catalogue-*.json"))
    assert len(ours) == cache.KEEP and f"catalogue-{'f' * 32}.json" in ours
    assert all(f.exists() for f in foreign) and not old_tmp.exists()


def test_data_files_are_the_yaml_files_in_sorted_order_without_hidden_ones(tmp_path):
    root = tmp_path / "data"
    for rel in ("b.yaml", "a/z.yaml", "a/b/c.yaml", "a-b.yaml", "A.yaml", ".hidden.yaml", ".git/x.yaml",
                "a/.#lock.yaml", "notes.txt", "d.yaml/inner.yaml"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x: 1\n", encoding="utf-8")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "linked.yaml").write_text("x: 1\n", encoding="utf-8")
    (root / "link").symlink_to(outside, target_is_directory=True)
    (root / "file-link.yaml").symlink_to(outside / "linked.yaml")
    expected = [p for p in sorted(root.rglob("*.yaml")) if not any(part.startswith(".") for part in p.relative_to(root).parts)]
    assert list(cache.data_files(root)) == expected
    assert root / "d.yaml" in expected and root / "file-link.yaml" in expected
    assert root / "link" / "linked.yaml" not in expected


def test_a_remembered_key_is_dropped_by_any_write(tmp_path, cache_env, monkeypatch):
    """The content key is remembered under the files' signature; a write that keeps size and
    modification time still changes the ctime, so the content is read again."""
    d, env = cache_env
    data = tmp_path / "data"
    data.mkdir()
    entry = data / "entry.yaml"
    entry.write_text("a: 1\n", encoding="utf-8")
    old = time.time() - 60
    os.utime(entry, (old, old))
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(d))
    monkeypatch.setattr(cache, "RECENT_S", 0)
    first = cache.fingerprint("catalogue", [data])
    assert len(list(d.glob("catalogue-key-*.json"))) == 1
    assert cache.fingerprint("catalogue", [data]) == first
    stat = entry.stat()
    time.sleep(0.05)  # past the file system's timestamp resolution (RECENT_S guards this in use)
    entry.write_text("a: 2\n", encoding="utf-8")
    os.utime(entry, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert entry.stat().st_size == stat.st_size and entry.stat().st_mtime_ns == stat.st_mtime_ns
    assert cache.fingerprint("catalogue", [data]) != first
    assert cache.fingerprint("catalogue", [data]) == cache.content_fingerprint("catalogue", [data])


def test_a_key_is_not_remembered_while_a_file_just_changed(tmp_path, cache_env, monkeypatch):
    d, _ = cache_env
    data = tmp_path / "data"
    data.mkdir()
    (data / "entry.yaml").write_text("a: 1\n", encoding="utf-8")
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(d))
    cache.fingerprint("catalogue", [data])
    assert not list(d.glob("catalogue-key-*.json"))
