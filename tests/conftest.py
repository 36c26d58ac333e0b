"""Shared fixtures: the seed corpus, fresh stores, the CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from citegraph.graph.store import Store

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seed" / "citizen-security-review.md"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    assert SEED.is_file(), f"the seed corpus is expected at {SEED}"
    return SEED


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "store")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
