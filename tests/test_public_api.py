"""The public namespace: complete __all__, one error tree, and a headless core that never
imports textual or huggingface_hub."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import advisor
from advisor import errors


def test_all_is_complete_and_importable():
    public = {name for name in dir(advisor) if not name.startswith("_")
              and not isinstance(getattr(advisor, name), types.ModuleType) and name != "annotations"}
    assert set(advisor.__all__) - {"__version__"} == public
    for name in advisor.__all__:
        assert getattr(advisor, name) is not None


def test_error_tree():
    for cls in (errors.RequirementsError, errors.CatalogueError, errors.RuleError):
        assert issubclass(cls, advisor.AdvisorError)
    err = advisor.RequirementsError([advisor.Problem("bad", file="f.yaml", line=3, field="use_case.tasks")])
    assert str(err) == "f.yaml:3: use_case.tasks: bad"
    assert (err.file, err.line, err.field) == ("f.yaml", 3, "use_case.tasks")


HYGIENE = """
import sys
import advisor, advisor.cli
advisor.advise({"use_case": {"tasks": ["chat"]}})
bad = [m for m in ("textual", "huggingface_hub", "rich", "mcp", "cyclonedx", "textual_serve", "playwright",
                   "packageurl", "advisor.integrations") if m in sys.modules]
print(",".join(bad))
"""


def test_headless_core_never_imports_textual_or_hub():
    out = subprocess.run([sys.executable, "-c", HYGIENE], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_advise_accepts_object_mapping_and_path(tmp_path):
    data = {"use_case": {"tasks": ["chat"], "languages": ["de"]}}
    path = tmp_path / "req.yaml"
    path.write_text("use_case:\n  tasks: [chat]\n  languages: [de]\n", encoding="utf-8")
    a = advisor.advise(data)
    b = advisor.advise(advisor.Requirements.model_validate(data))
    c = advisor.advise(path)
    assert a.to_json() == b.to_json() == c.to_json()
    assert isinstance(a, advisor.Advice)


INTEGRATION_LIBRARIES = {"mcp", "cyclonedx", "textual_serve", "packageurl", "playwright"}


def test_only_the_wizard_imports_textual_and_only_hub_imports_the_hub_client():
    import ast
    from pathlib import Path

    root = Path(advisor.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top == "textual" and not rel.startswith("tui/"):
                    offenders.append(f"{rel} imports {name}")
                if top == "huggingface_hub" and rel != "hub.py":
                    offenders.append(f"{rel} imports {name}")
                if top in INTEGRATION_LIBRARIES and not rel.startswith("integrations/"):
                    offenders.append(f"{rel} imports {name}")
    assert offenders == []


def test_every_public_name_resolves_lazily():
    import importlib

    mod = importlib.reload(advisor)
    assert set(mod.__all__) == {*mod._PUBLIC, "__version__"}
    for name in mod.__all__:
        assert getattr(mod, name) is not None


def _runtime_imports(path) -> set[str]:
    """Modules a file imports when it runs (``if TYPE_CHECKING:`` blocks left out), resolved
    to dotted names inside the package."""
    import ast

    root = Path(advisor.__file__).parent
    package = ["advisor", *path.parent.relative_to(root).parts]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
               and getattr(node.test, "id", getattr(node.test, "attr", None)) == "TYPE_CHECKING"
               for n in ast.walk(node)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found |= ({module} if node.module else set()) | {f"{module}.{a.name}" for a in node.names}
    return found


def test_no_import_circles_between_engine_parts_and_the_package_root():
    """The compiled-engine contract: evaluate and explain never import each other (engine/advice
    joins them), the results screen does not import the app, and nothing in the package takes
    names from ``advisor/__init__.py`` (the version has its own module)."""
    root = Path(advisor.__file__).parent
    engine = root / "engine"
    assert not {"advisor.engine.explain", "advisor.engine.explain.summarise"} & _runtime_imports(engine / "evaluate.py")
    assert not any(m.startswith("advisor.engine.evaluate") for m in _runtime_imports(engine / "explain.py"))
    assert not any(m.startswith("advisor.tui.app") for m in _runtime_imports(root / "tui/screens/results.py"))
    submodules = {p.stem for p in root.iterdir()} | {"__version__"}
    offenders = []
    for path in root.rglob("*.py"):
        for module in _runtime_imports(path):
            name = module.removeprefix("advisor.")
            if module.startswith("advisor.") and "." not in name and name not in submodules:
                offenders.append(f"{path.relative_to(root)} imports {module} from advisor/__init__.py")
            if module == "advisor" and path.name != "__init__.py":
                offenders.append(f"{path.relative_to(root)} imports advisor")
    assert offenders == []
