"""What the package imports is what pyproject.toml declares: a dependency that only
arrives through another one (jinja2 through pyvis) can vanish with that one's next release."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCES = [*REPO.glob("cli*.py"), *(p for d in ("graph", "loaders", "ontology") for p in (REPO / d).rglob("*.py"))]  # fmt: skip


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def imported_modules() -> dict[str, str]:
    """Top-level third-party module -> a file that imports it."""
    found: dict[str, str] = {}
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top != "citegraph" and top not in sys.stdlib_module_names:
                    found.setdefault(top, str(path.relative_to(REPO)))
    return found


def declared() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {normalize(re.split(r"[\s<>=!~;\[]", dep, maxsplit=1)[0]) for dep in project["dependencies"]}  # fmt: skip


def test_every_third_party_import_is_a_declared_dependency() -> None:
    distributions = packages_distributions()
    deps = declared()
    undeclared = {
        module: where
        for module, where in imported_modules().items()
        if not {normalize(d) for d in distributions.get(module, [module])} & deps
    }
    assert not undeclared, f"imported but not in [project] dependencies: {undeclared}"
