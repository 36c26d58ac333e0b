"""The seed corpus lives outside the repository: a plain clone skips the tests that read
it, with a one-line reason, while CI (env CI set) fails them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def run_seed_tests(seed: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTEST_ADDOPTS")}
    env["CITEGRAPH_SEED"] = str(seed)
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-rs", "-p", "no:cacheprovider",
         "tests/test_review_seed.py"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_a_missing_seed_skips_with_a_one_line_reason(tmp_path: Path) -> None:
    missing = tmp_path / "no-seed.md"
    result = run_seed_tests(missing, ci=None)
    assert result.returncode == 0, result.stdout + result.stderr
    reason = f"seed corpus not found at {missing} (set CITEGRAPH_SEED to its path)"
    skips = [line for line in result.stdout.splitlines() if line.startswith("SKIPPED")]
    assert skips and all(line.endswith(reason) for line in skips), result.stdout
    assert re.search(r"^\d+ skipped in ", result.stdout, re.M), result.stdout  # nothing else


@pytest.mark.parametrize("ci", ["1", "true"])
def test_a_missing_seed_fails_in_ci(tmp_path: Path, ci: str) -> None:
    missing = tmp_path / "no-seed.md"
    result = run_seed_tests(missing, ci=ci)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"seed corpus not found at {missing}" in result.stdout
    assert "CI needs it" in result.stdout and "skipped" not in result.stdout


@pytest.mark.parametrize("ci", ["", "0", "false"])
def test_ci_unset_or_off_still_skips(tmp_path: Path, ci: str) -> None:
    result = run_seed_tests(tmp_path / "no-seed.md", ci=ci)
    assert result.returncode == 0, result.stdout
    assert re.search(r"^\d+ skipped in ", result.stdout, re.M), result.stdout
