"""`--store DIR` before the command (the group's) and after it (every command's): the
command's own one wins when both are given."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from citegraph.cli import main
from citegraph.graph.store import Store

REVIEW = """## A small review

Situational prevention works (Clarke & Weisburd, 1994).

## References

- Clarke, R. V., & Weisburd, D. (1994). Diffusion of crime control benefits. *Crime Prevention Studies*, 2, 165-184.
"""


@pytest.fixture
def review(tmp_path: Path) -> Path:
    path = tmp_path / "review.md"
    path.write_text(REVIEW)
    return path


def invoke(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_takes_store(name: str) -> None:
    command = main.commands[name]
    assert any("--store" in p.opts for p in command.params), f"{name} lacks --store"


def test_ingest_takes_store_after_the_command(
    runner: CliRunner, tmp_path: Path, review: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the default store would land here
    result = invoke(runner, "ingest", "--store", str(tmp_path / "after"), str(review))
    assert result.exit_code == 0, result.output
    assert Store(tmp_path / "after").exists()
    assert not (tmp_path / "citegraph-store").exists()


def test_the_commands_store_wins_over_the_groups(
    runner: CliRunner, tmp_path: Path, review: Path
) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    result = invoke(runner, "--store", str(before), "ingest", str(review), "--store", str(after))
    assert result.exit_code == 0, result.output
    assert Store(after).exists() and not Store(before).exists()
    # the group's option alone still works, and a read command follows the same rule
    result = invoke(runner, "--store", str(after), "stats", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)
    result = invoke(runner, "--store", str(after), "audit", "--store", str(before))
    assert result.exit_code == 1 and f"{before}: no store here yet" in result.output
    result = invoke(runner, "--store", str(before), "audit", "--json", "--store", str(after))
    assert result.exit_code == 0, result.output


def test_store_after_the_command_beats_the_environment(
    runner: CliRunner, tmp_path: Path, review: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CITEGRAPH_STORE", str(tmp_path / "env"))
    result = invoke(runner, "ingest", str(review), "--store", str(tmp_path / "cli"))
    assert result.exit_code == 0, result.output
    assert Store(tmp_path / "cli").exists() and not Store(tmp_path / "env").exists()
