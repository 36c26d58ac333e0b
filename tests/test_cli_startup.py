"""`citegraph --help` must answer at once: the heavy libraries load with the commands
that use them (issue 9: at most 0.3 s of imports). Measured here as what is imported,
which cannot be flaky; the time itself is in bench/bench_store.py."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from citegraph.cli import main
from citegraph.graph.store import Store

HEAVY = (
    "rdflib",
    "networkx",
    "pyoxigraph",
    "ladybug",
    "pyarrow",
    "neo4j",
    "rapidfuzz",
    "citegraph.loaders.bibtex",
    "citegraph.loaders.review",
    "citegraph.graph.build",
)


def test_help_imports_none_of_the_heavy_libraries() -> None:
    probe = (
        "import sys, json\n"
        "from click.testing import CliRunner\n"
        "from citegraph.cli import main\n"
        "result = CliRunner().invoke(main, ['--help'])\n"
        "assert result.exit_code == 0, result.output\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


#: What only some export formats need: a json export of a subgraph loads none of them
#: (rdflib only compacts JSON-LD; the namespaces every command reads are plain strings).
WRITER_LIBRARIES = ("networkx", "scipy", "bibtexparser", "rispy", "rdflib")


def test_a_json_export_imports_only_what_json_needs(
    make_store: Callable[..., Store], tmp_path: Path
) -> None:
    store = make_store("review")
    probe = (
        "import sys, json\n"
        "from click.testing import CliRunner\n"
        "from citegraph.cli import main\n"
        f"args = ['--store', {str(store.path)!r}, 'export', '--format', 'json',\n"
        f"        '--theory', 'routine activity', '-o', {str(tmp_path / 'out.json')!r}]\n"
        "result = CliRunner().invoke(main, args, catch_exceptions=False)\n"
        "assert result.exit_code == 0, result.output\n"
        f"print(json.dumps([m for m in {WRITER_LIBRARIES!r} if m in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []
    assert '"USES_THEORY"' in (tmp_path / "out.json").read_text(encoding="utf-8")


def test_a_query_on_the_embedded_database_does_not_load_the_neo4j_driver(
    make_store: Callable[..., Store],
) -> None:
    """The driver costs 0.3 s of imports: half of an embedded `query`'s start-up."""
    store = make_store("review")
    probe = (
        "import os, sys, json\n"
        "os.environ.pop('NEO4J_URI', None)\n"
        "from click.testing import CliRunner\n"
        "from citegraph.cli import main\n"
        f"args = ['--store', {str(store.path)!r}, 'query', '--json',\n"
        "        'MATCH (w:Work) RETURN count(w) AS works']\n"
        "result = CliRunner().invoke(main, args, catch_exceptions=False)\n"
        "assert result.exit_code == 0, result.output\n"
        "print(json.dumps(['neo4j' in sys.modules, result.output]))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded, answer = json.loads(out.stdout)
    assert loaded is False
    assert json.loads(answer)["rows"][0]["works"] > 0


def test_the_console_script_exits_with_the_command_s_code_and_all_its_output(
    review_store: Store,
) -> None:
    """`run` leaves without the interpreter's teardown: the exit code is the command's
    and nothing it printed is lost (a JSON export read whole from the pipe)."""
    base = [sys.executable, "-m", "citegraph.cli", "--store", str(review_store.path)]
    exported = subprocess.run([*base, "export", "--format", "json"], capture_output=True, text=True)
    assert exported.returncode == 0, exported.stderr
    expected = CliRunner().invoke(
        main, ["--store", str(review_store.path), "export", "--format", "json"]
    )
    assert exported.stdout == expected.stdout and exported.stdout.count("\n") > 50
    bad = subprocess.run([*base, "no-such-command"], capture_output=True, text=True)
    assert bad.returncode == 2 and "No such command" in bad.stderr
    missing = subprocess.run(
        [*base, "render", "--focus", "nobody at all"], capture_output=True, text=True
    )
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1, missing.stderr
