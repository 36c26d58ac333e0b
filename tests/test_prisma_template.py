"""The PRISMA2020 template CSV as a format of its own: sniffed by its header, one count a
record with its line, bad rows reported with line and reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from citegraph.loaders.records import FlowCount, LoadResult, Severity
from citegraph.loaders.registry import load, loader_for

FIXTURES = Path(__file__).parent / "fixtures" / "prisma"

# fixture, entries, loaded, expected issues as (severity, line, reason fragment)
GOOD = [pytest.param("consistent-template.csv", 14, 14, [], id="filled-in")]
FAULTY = [
    pytest.param(
        "bad-template.csv", 4, 2,
        [(Severity.ERROR, 2, "database_results: the count 'about 200' is not a whole number"),
         (Severity.ERROR, 4, "dbr_excluded: not `name, count` pairs: Wrong place")],
        id="words-for-a-count-and-a-reason-without-one",
    ),
]  # fmt: skip


def counted(result: LoadResult) -> None:
    assert result.entries == result.loaded + len(result.rejected)


@pytest.mark.parametrize(("name", "entries", "ok", "issues"), GOOD + FAULTY)
def test_template_counts_and_issues(
    name: str, entries: int, ok: int, issues: list[tuple[Severity, int, str]]
) -> None:
    result = load(FIXTURES / name)
    assert result.format == "prisma-csv"
    assert (result.entries, result.loaded) == (entries, ok)
    counted(result)
    reported = [i for i in result.issues if i.severity is not Severity.INFO]
    assert [(i.severity, i.source.line) for i in reported] == [(s, n) for s, n, _ in issues]
    for issue, (_, _, reason) in zip(reported, issues, strict=True):
        assert reason in issue.reason


@pytest.mark.parametrize("name", ["consistent-template.csv", "bad-template.csv"])
def test_the_header_names_the_format_whatever_the_suffix(name: str, tmp_path: Path) -> None:
    disguised = tmp_path / "flow.txt"
    shutil.copy(FIXTURES / name, disguised)
    assert loader_for(FIXTURES / name).name == "prisma-csv"
    assert loader_for(disguised).name == "prisma-csv"


def test_each_count_keeps_its_stage_arm_detail_and_line() -> None:
    result = load(FIXTURES / "consistent-template.csv")
    found = {
        (c.stage, c.arm, c.detail): (c.count, c.source.line)
        for c in result.records
        if isinstance(c, FlowCount)
    }
    assert all(isinstance(c, FlowCount) and c.work is None for c in result.records)
    assert found[("identified", "databases", None)] == (130, 3)
    assert found[("identified", "databases", "Scopus")] == (90, 4)
    assert found[("identified", "databases", "Web of Science")] == (40, 4)
    assert found[("screen_excluded", "databases", None)] == (80, 10)
    assert found[("excluded", "databases", "Wrong outcome")] == (5, 14)
    assert found[("included", "databases", None)] == (5, 16)
    # the other arm's reasons were left as the template gave them: a note, no count
    assert not any(arm == "other" for _, arm, _ in found)
    notes = [i for i in result.issues if i.severity is Severity.INFO]
    assert [(i.source.line, i.reason) for i in notes] == [
        (15, "other_excluded: left as the template gave it")
    ]


def test_a_semicolon_separated_template_from_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "prisma.csv"
    path.write_text(
        "data;node;box;description;boxtext;tooltips;url;n\n"
        "duplicates;node8;box3;Duplicate records;Duplicate records;NA;NA;1.204\n"
        "records_screened;node9;box4;Records screened;Records screened;NA;NA;2,048\n",
        encoding="utf-8",
    )
    result = load(path)
    counts = [(c.stage, c.count) for c in result.records if isinstance(c, FlowCount)]
    assert counts == [("screened", 2048)]
    assert [(i.source.line, i.severity) for i in result.rejected] == [(2, Severity.ERROR)]
    counted(result)
