"""Reviews that cite by number (Vancouver, IEEE): `[3]`, `[3,4]`, `[1-3]` name the
entries their list numbers, and NLM journal imprints give year, journal and numbers."""

from __future__ import annotations

import re
from pathlib import Path

import documents
import pytest

from citegraph.loaders import registry
from citegraph.loaders.intext import find_numbered_citations
from citegraph.loaders.records import Citation, Finding, LoadResult
from citegraph.loaders.reference_string import parse_reference
from citegraph.loaders.review import load

NUMBERED = """# Street outreach and violence: a scoping review

## Results

In Detroit, outreach workers reduced retaliatory shootings [2]. Hospital programmes in
Durban lowered reinjury among young men [3,4]. Earlier evaluations disagreed [2-4].

## References

2. Okonkwo E, Bright S. Outreach workers and retaliation in Detroit. J Urban Violence. 2018;12(3):201-15.
3. Dlamini T, Naidoo P. Hospital-based intervention in Durban. S Afr Med J. 2019 Mar;109(6):412-7.
4. Reyes M. Reinjury after youth violence. Inj Prev. 2020;26:55-60.
"""


def _load(tmp_path: Path, text: str) -> LoadResult:
    path = tmp_path / "review.md"
    path.write_text(text, encoding="utf-8")
    return load(path)


def _family_of(result: LoadResult) -> dict[str, str]:
    return {w.key: w.authors[0].family or "" for w in result.works if w.authors}


def test_numbers_ranges_and_lists_name_entries_by_their_printed_number(tmp_path: Path) -> None:
    """The list starts at 2: a citation names the printed number, not the position."""
    result = _load(tmp_path, NUMBERED)
    family = _family_of(result)
    cited = sorted(
        family[r.cited] for r in result.records if isinstance(r, Citation) and r.cited in family
    )
    assert cited == ["Dlamini", "Okonkwo", "Reyes"]
    findings = sorted((family[f.work], f.claim) for f in result.records if isinstance(f, Finding))
    assert ("Okonkwo", "In Detroit, outreach workers reduced retaliatory shootings.") in findings
    lowered = "Hospital programmes in Durban lowered reinjury among young men."
    assert ("Dlamini", lowered) in findings and ("Reyes", lowered) in findings
    assert {w for w, c in findings if c == "Earlier evaluations disagreed."} == {
        "Okonkwo",
        "Dlamini",
        "Reyes",
    }
    assert not [i for i in result.issues if "has no reference entry" in i.reason]


def test_a_number_no_entry_prints_is_reported_not_dropped(tmp_path: Path) -> None:
    result = _load(tmp_path, NUMBERED.replace("[2-4]", "[9]"))
    assert [i.reason for i in result.issues if "has no reference entry" in i.reason] == [
        "citation '[9]' has no reference entry"
    ]


def test_an_author_date_review_reads_no_bracketed_number_as_a_citation(tmp_path: Path) -> None:
    text = """# A review

## Results

Lighting cut robbery by a third (Mendoza, 2021) in the sites studied [see Table 2].
Footnote-like marks [1] are not citations when the list is not numbered.

## References

- Mendoza, R. (2021). Street lighting and robbery in Quito. *Urban Safety*, 4(2), 10-20.
"""
    result = _load(tmp_path, text)
    assert not [i for i in result.issues if "has no reference entry" in i.reason]
    assert len([r for r in result.records if isinstance(r, Citation)]) == 1


def test_bracketed_numbers_expand_ranges_and_lists() -> None:
    found = find_numbered_citations("as shown [1, 3-5] and [12] but not [1-900]")
    assert [c.number for c in found] == [1, 3, 4, 5, 12, 1]


def test_an_nlm_journal_imprint_gives_year_journal_volume_issue_and_pages() -> None:
    ref = parse_reference(
        "Okonkwo E, Bright S. Outreach workers and retaliation in Detroit. J Urban Violence. 2018 Jun;12(3):201-15."
    )
    assert (ref.year, ref.title, ref.container, ref.volume, ref.issue, ref.pages) == (
        2018,
        "Outreach workers and retaliation in Detroit",
        "J Urban Violence",
        "12",
        "3",
        "201-15",
    )
    assert [(a.family, a.given[:1]) for a in ref.authors if a.given] == [
        ("Okonkwo", "E"),
        ("Bright", "S"),
    ]
    assert not [f for f in ref.flags if f.startswith("low_confidence")]  # the shape is sure


def test_an_nlm_journal_abbreviated_with_periods_stays_whole_and_after_the_title() -> None:
    ref = parse_reference(
        "Amara K, Osei B. Night patrols: a two-city trial. J. Urban Saf. Res. 2016;60(7-8):686-90."
    )
    assert (ref.title, ref.container, ref.year, ref.pages) == (
        "Night patrols: a two-city trial",
        "J. Urban Saf. Res",
        2016,
        "686-90",
    )
    one_word = parse_reference("Quispe R. Vigilance. Lancet. 2001;357:1010-2.")
    assert (one_word.title, one_word.container) == ("Vigilance", "Lancet")


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_superscript_numbers_are_numbered_citations(tmp_path: Path, fmt: str) -> None:
    """Word prints Vancouver citations as superscripts (`shootings²`): read as `[2]`,
    not as a digit glued to the word."""
    text = re.sub(r"\[([\d,\-]+)\]", r"<sup>\1</sup>", NUMBERED)
    if fmt == "md":
        result = _load(tmp_path, text)
    else:
        result = registry.load(documents.review_docx(text, tmp_path / "review.docx"))
    family = _family_of(result)
    findings = {(family[f.work], f.claim) for f in result.records if isinstance(f, Finding)}
    assert ("Okonkwo", "In Detroit, outreach workers reduced retaliatory shootings.") in findings
    assert len({w for w, c in findings if c == "Earlier evaluations disagreed."}) == 3
