"""Reading a review's PRISMA counts, shares and method claims from its tables and text."""

from __future__ import annotations

from pathlib import Path

import pytest

from citegraph.loaders.parsing.databases import database_of_file, find_databases
from citegraph.loaders.parsing.document import figure_captions, sections, tables
from citegraph.loaders.parsing.method import read_method
from citegraph.loaders.parsing.prisma import sentence_counts, table_counts
from citegraph.loaders.records import FlowCount, MethodNote, ReportedShare, Source
from citegraph.loaders.review import load

FIXTURES = Path(__file__).parent / "fixtures" / "prisma"


def source(line: int) -> Source:
    return Source("review.md", line, "review")


def counts(sentence: str) -> list[tuple[str, int, str | None]]:
    return [
        (c.stage, c.count, c.detail) for c in sentence_counts([(1, sentence)], "document", source)
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param(
            "The search yielded 1,234 records; after removing 234 duplicates, 1,000 titles "
            "and abstracts were screened, of which 900 were excluded.",
            [("identified", 1234, None), ("duplicates", 234, None), ("screened", 1000, None),
             ("screen_excluded", 900, None)],
            id="identification-and-screening",
        ),
        pytest.param(
            "100 full texts were sought, 5 could not be retrieved, 95 were assessed for "
            "eligibility, 70 were excluded (30 wrong population, 25 wrong design, 15 no "
            "outcome), and 25 studies were included.",
            [("excluded", 30, "wrong population"), ("excluded", 25, "wrong design"),
             ("excluded", 15, "no outcome"), ("sought", 100, None), ("not_retrieved", 5, None),
             ("assessed", 95, None), ("excluded", 70, None), ("included", 25, None)],
            id="full-text-with-reasons",
        ),
        pytest.param(
            "Searches of Scopus (n = 120), Web of Science (n = 80) and SciELO (n = 40) "
            "returned 240 records.",
            [("identified", 120, "Scopus"), ("identified", 80, "Web of Science"),
             ("identified", 40, "SciELO"), ("identified", 240, None)],
            id="per-database-n-equals",
        ),
        pytest.param(
            "Of these, 216 articles were from Scopus, 120 articles from Scielo and 2 from "
            "EbscoHost.",
            [("identified", 216, "Scopus"), ("identified", 120, "SciELO"),
             ("identified", 2, "EBSCOhost")],
            id="per-database-from",
        ),
        pytest.param(
            "After reading the titles and abstracts, 24 were chosen.",
            [("sought", 24, None)],
            id="chosen-on-title-and-abstract",
        ),
        pytest.param(
            "Then 38 of them were read in full, of which 146 were previously excluded, "
            "therefore 24 articles were selected.",
            [("assessed", 38, None), ("screen_excluded", 146, None), ("included", 24, None)],
            id="previously-belongs-to-its-own-verb",
        ),
        pytest.param(
            "Of the 60 records screened, 12 were selected for full-text reading.",
            [("screened", 60, None), ("assessed", 12, None)],
            id="selected-for-full-text",
        ),
    ],
)  # fmt: skip
def test_sentence_counts_name_their_stage(
    sentence: str, expected: list[tuple[str, int, str | None]]
) -> None:
    assert counts(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "A study of 120 police officers found that patrols deter theft.",
        "Based on a survey of 2000 respondents, trust was shown to grow.",
        "As Table 1 shows, the studies were published between 2015 and 2020.",
        "Crime fell by 12% in 2019 (Smith, 2020).",
    ],
)
def test_numbers_that_count_no_records_are_passed_over(sentence: str) -> None:
    assert counts(sentence) == []


def test_a_flow_table_is_read_row_by_row_and_the_last_selection_is_the_inclusion() -> None:
    lines = [
        "**Table 1**",
        "*Documents at each step*",
        "",
        "Step\tNumber",
        "Found\t350",
        "Selected on title and abstract\t38",
        "Selected by full reading\t38",
        "Selected for critical reading\t24",
    ]
    [table] = tables(lines)
    assert (table.label, table.title, table.line) == ("Table 1", "Documents at each step", 1)
    found = [(c.stage, c.count, c.source.line) for c in table_counts(table, "document", source)]
    assert found == [
        ("identified", 350, 5),
        ("sought", 38, 6),
        ("assessed", 38, 7),
        ("included", 24, 8),
    ]


def test_a_table_of_sources_gives_records_identified_per_database_and_its_total() -> None:
    lines = ["Table 2. Records per source", "| Source | n |", "|---|---|", "| Scopus | 90 |",
             "| Redalyc | 10 |", "| Total | 100 |"]  # fmt: skip
    [table] = tables(lines)
    found = [(c.stage, c.count, c.detail, c.place) for c in table_counts(table, "d", source)]
    assert found == [
        ("identified", 90, "Scopus", "Table 2"),
        ("identified", 10, "Redalyc", "Table 2"),
        ("identified", 100, None, "Table 2"),
    ]


def test_a_caption_set_as_a_heading_right_above_its_rows_is_read(tmp_path: Path) -> None:
    """As a PDF gives a bold caption: a heading, its title, then the rows with no blank
    line. The rows are the table's, not a sentence of counts after the title."""
    text = [
        "# Lighting review", "", "## Methods", "",
        "After removing 12 duplicates, 88 records were screened.", "",
        "### **Table 1**", "", "*Records per source*", "| Source | n |", "|---|---|",
        "| Scopus | 70 |", "| Redalyc | 30 |", "| Total | 100 |", "",
    ]  # fmt: skip
    [table] = tables(text)
    assert (table.label, table.title, table.line, len(table.rows)) == (
        "Table 1", "Records per source", 7, 3
    )  # fmt: skip
    review = tmp_path / "review.md"
    review.write_text("\n".join(text), encoding="utf-8")
    counts = [r for r in load(review).records if isinstance(r, FlowCount)]
    assert sorted((c.stage, c.count, c.place) for c in counts) == [
        ("duplicates", 12, "text"),
        ("identified", 30, "Table 1"),
        ("identified", 70, "Table 1"),
        ("identified", 100, "Table 1"),
        ("screened", 88, "text"),
    ]


def test_a_table_of_journals_and_years_gives_no_counts() -> None:
    lines = ["**Table 3**", "Database\tJournal\tYear\tLanguage", "Scopus\tCivitas\t2024\tEnglish"]
    [table] = tables(lines)
    assert table_counts(table, "d", source) == []


def test_sections_figures_and_databases() -> None:
    lines = [
        "# A review",
        "## II. METHODOLOGY",
        "We used Scopus and SCIELO; the dimensions of the problem are many.",
        "**Figure 1**",
        "Search strategy",
        "",
        "Figure 2. The map",
        "![map](map.png)",
        "Figure 3 shows the trend.",
        "### III. RESULTS",
        "#### Subsection",
        "#### IV. CONCLUSIONS",
    ]
    assert [(s.kind, s.start, s.end) for s in sections(lines)] == [
        ("method", 2, 9),
        ("results", 10, 11),
        ("conclusion", 12, 12),
    ]
    found = [(f.label, f.title, f.line, f.has_image) for f in figure_captions(lines)]
    assert found == [("Figure 1", "Search strategy", 4, False), ("Figure 2", "The map", 7, True)]
    assert [n.database.id for n in find_databases(lines[2])] == ["scopus", "scielo"]
    assert database_of_file("scielo-2024.ris").id == "scielo"  # type: ignore[union-attr]
    assert database_of_file("refs.bib") is None


def test_method_shares_years_and_figures_are_read_with_their_lines() -> None:
    lines = [
        "## Methods",
        "We searched Scopus for articles published from 2018 to 2023.",
        "**Table 4**",
        "\tYear/Language\tQuantity\tPercentage",
        "Year\t2022\t2\t4%",
        "\t2023\t36\t96%",
        "\tTotal\t38\t100%",
        "Language\tEnglish\t38\t100%",
        "\tTotal\t38\t100%",
        "## Results",
        "Works were in English with a share of 100%, over the last five years.",
    ]
    sentences = [(2, lines[1]), (11, lines[10])]
    records = read_method(lines, sentences, "document", source)
    shares = [(s.facet, s.category, s.count, s.percent, s.total, s.place, s.source.line)
              for s in records if isinstance(s, ReportedShare)]  # fmt: skip
    assert shares == [
        ("year", "2022", 2, 4.0, False, "Table 4", 5),
        ("year", "2023", 36, 96.0, False, "Table 4", 6),
        ("year", "Total", 38, 100.0, True, "Table 4", 7),
        ("language", "English", 38, 100.0, False, "Table 4", 8),
        ("language", "Total", 38, 100.0, True, "Table 4", 9),
        ("language", "English", None, 100.0, False, "text", 11),
    ]
    notes = {(n.kind, n.values, n.source.line) for n in records if isinstance(n, MethodNote)}
    assert notes == {
        ("databases", ("Scopus",), 2),
        ("years", ("2018", "2023"), 2),
        ("years", ("last", "5"), 11),
    }


def test_the_review_loader_adds_the_flow_and_what_the_results_discuss() -> None:
    result = load(FIXTURES / "consistent-review.md")
    flow = [
        (c.place, c.stage, c.count, c.detail) for c in result.records if isinstance(c, FlowCount)
    ]
    assert ("Table 1", "screen_excluded", 80, None) in flow  # "Records excluded" after screening
    assert ("Table 1", "excluded", 13, None) in flow  # "Reports excluded" after assessment
    assert ("text", "excluded", 8, "no evaluation") in flow
    assert ("Table 2", "identified", 90, "Scopus") in flow
    assert all(c.source.line > 1 for c in result.records if isinstance(c, FlowCount))
    [discussed] = [n for n in result.records if isinstance(n, MethodNote) and n.kind == "discussed"]
    entries = {w.key: w for w in result.works}
    assert sorted(entries[k].authors[0].family or "" for k in discussed.values) == [
        "Alvarez", "Brown", "Chen", "Dlamini", "Evans",
    ]  # fmt: skip
    assert set(discussed.lines) == {58}
