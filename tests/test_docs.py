"""The README is the front door: every command is in it, and every command has help."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from citegraph.cli import main

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text()
COMMANDS = sorted(main.commands)


def test_there_are_commands() -> None:
    assert {
        "ingest",
        "audit",
        "stats",
        "export",
        "render",
        "lineage",
        "sync",
        "query",
        "demo",
    } <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_with_an_example_and_is_in_the_readme(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output, f"`citegraph {name} --help` shows no example"
    assert f"citegraph {name}" in README, f"README does not mention `citegraph {name}`"


def test_readme_gives_the_two_commands() -> None:
    assert "bash scripts/setup.sh && citegraph demo" in README
    assert "bash scripts/test.sh" in README
    assert "bash scripts/test.sh" in (REPO / ".ci" / "run").read_text()
