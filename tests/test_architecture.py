"""The layout of docs/architecture.md, checked: layers, the Store port, no hidden imports."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "deskhand"
# Tables of the embedded store: only the Store adapter (and the demo seeding, the schema
# itself) may touch them; everything else asks `store_for(brand)`.
COMMERCE_TABLES = {"Customer", "Order", "LineItem", "Shipment", "Product", "Variant"}
COMMERCE_TABLE_OWNERS = ("commerce/", "db/")


def _python_files() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


def _rel(path: Path) -> str:
    return path.relative_to(SRC).as_posix()


def test_import_contracts_hold() -> None:
    """The layers contract in pyproject.toml ([tool.importlinter]), run by import-linter."""
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        pytest.fail(f"import-linter is not installed next to {sys.executable}")
    done = subprocess.run(
        [str(lint), "--no-cache"],
        cwd=SRC.parents[1],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_commerce_tables_only_behind_the_store_port() -> None:
    offenders: list[str] = []
    for path in _python_files():
        rel = _rel(path)
        if rel.startswith(COMMERCE_TABLE_OWNERS) or rel == "demo.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in COMMERCE_TABLES
                and isinstance(node.value, ast.Name)
                and node.value.id == "models"
            ):
                offenders.append(f"{rel}:{node.lineno} models.{node.attr}")
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("deskhand.db"):
                offenders += [
                    f"{rel}:{node.lineno} imports {a.name}"
                    for a in node.names
                    if a.name in COMMERCE_TABLES
                ]
    assert not offenders, "read commerce data through store_for(brand):\n" + "\n".join(offenders)


def _comment_near(lines: list[str], lineno: int) -> bool:
    """A comment on the import, or above the block of imports it belongs to."""
    i = lineno - 1
    while i >= 0:
        line = lines[i].strip()
        if "#" in line:
            return True
        if not line.startswith(("from ", "import ")):
            return False
        i -= 1
    return False


def test_no_function_local_imports_but_commented_optional_ones() -> None:
    """A cycle is fixed by moving code down a layer, never hidden in a function body. Heavy
    optional dependencies (scikit-learn, matplotlib, PDF and Word readers…) may load late,
    with a comment that says why."""
    offenders: list[str] = []
    for path in _python_files():
        rel = _rel(path)
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for func in ast.walk(ast.parse(text)):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(func):
                if not isinstance(node, ast.Import | ast.ImportFrom):
                    continue
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                module = node.module if isinstance(node, ast.ImportFrom) else names[0]
                if (module or "").startswith("deskhand") or (
                    isinstance(node, ast.ImportFrom) and node.level
                ):
                    offenders.append(f"{rel}:{node.lineno} imports {module} in a function")
                elif not _comment_near(lines, node.lineno):
                    offenders.append(f"{rel}:{node.lineno} imports {module} late, uncommented")
    assert not offenders, "\n".join(offenders)


def test_no_file_past_the_size_limit() -> None:
    long = [
        f"{_rel(p)}: {n} lines"
        for p in _python_files()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 420
    ]
    assert not long, "split by concept:\n" + "\n".join(long)


# -- docs/architecture.md: the page a newcomer reads describes what is there -----------------

ROOT = SRC.parents[1]
DOC = ROOT / "docs" / "architecture.md"
# A backticked path with a folder in it: under src/deskhand/, or from the repository's root.
_DOC_PATH = re.compile(r"`((?:[\w.-]+/)+[\w.-]*)`")
_ROOT_PREFIXES = ("src/", "tests/", "docs/", "scripts/", "deploy/")


def _layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    return next(c["layers"] for c in contracts if c["type"] == "layers")


def test_every_path_the_architecture_page_names_exists() -> None:
    text = DOC.read_text(encoding="utf-8")
    paths = sorted({p.removeprefix("./") for p in _DOC_PATH.findall(text)})
    missing = [
        path
        for path in paths
        if not (ROOT / path if path.startswith(_ROOT_PREFIXES) else SRC / path).exists()
    ]
    assert not missing, "docs/architecture.md names what is not there:\n" + "\n".join(missing)


def test_the_architecture_page_lists_every_package_and_the_enforced_layers() -> None:
    text = DOC.read_text(encoding="utf-8")
    packages = [
        f"`{p.name}/`" if p.is_dir() else f"`{p.name}`"
        for p in sorted(SRC.iterdir())
        if (p.is_dir() and (p / "__init__.py").exists())
        or (p.suffix == ".py" and p.name != "__init__.py")
    ]
    assert not [p for p in packages if p not in text], "add them to docs/architecture.md"
    for layer in _layers():
        assert f'"{layer}"' in text, f"the layer {layer!r} is not on docs/architecture.md"
