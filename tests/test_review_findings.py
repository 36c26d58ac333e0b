"""Findings a review attributes to the works it cites, read from its sentences."""

from __future__ import annotations

from pathlib import Path

from citegraph.loaders.records import Citation, Finding, LoadResult
from citegraph.loaders.review import load

REFERENCES = """
## References

- Mendoza, R. (2021). Street lighting and robbery in Quito. *Urban Safety*, 4(2), 10-20.
- Okafor, N., & Lee, S. (2019). Market traders and the police in Lagos. *Policing Africa*, 7, 1-15.
"""


def _review(tmp_path: Path, body: str) -> LoadResult:
    path = tmp_path / "review.md"
    path.write_text(f"# A review\n\n## Body\n\n{body}\n{REFERENCES}", encoding="utf-8")
    return load(path)


def _findings(result: LoadResult) -> list[tuple[str, str]]:
    """(first author of the reporting work, claim) for each Finding."""
    family = {w.key: w.authors[0].family for w in result.works if w.authors}
    return [(family.get(r.work, r.work), r.claim) for r in result.records if isinstance(r, Finding)]


def test_a_conclusion_that_points_back_to_its_study_is_that_study_s_finding(
    tmp_path: Path,
) -> None:
    """`The study concluded that ...` cites nothing itself: its study is the one the
    paragraph cited before it."""
    result = _review(
        tmp_path,
        "Mendoza (2021) studied street lighting in twelve districts of Quito. The study "
        "concluded that better lighting reduced night-time robbery.",
    )
    assert ("Mendoza", "Better lighting reduced night-time robbery.") in _findings(result)


def test_they_after_an_opening_phrase_points_back_too(tmp_path: Path) -> None:
    result = _review(
        tmp_path,
        "Okafor and Lee (2019) surveyed market traders in Lagos twice. In the second wave, "
        "they found that trust in the police had risen.",
    )
    assert ("Okafor", "Trust in the police had risen.") in _findings(result)


def test_a_paragraph_citing_its_study_last_gives_it_the_result_before(tmp_path: Path) -> None:
    result = _review(
        tmp_path,
        "Lighting was tested in twelve districts. The results showed fewer robberies at "
        "night. Street lighting is cheap to maintain (Mendoza, 2021).",
    )
    assert ("Mendoza", "The results showed fewer robberies at night.") in _findings(result)


def test_scope_the_review_itself_and_uncited_paragraphs_give_no_finding(tmp_path: Path) -> None:
    """What a study looked at is no result, `this review` is the review speaking, and a
    paragraph that cites nothing has no study to point back to."""
    result = _review(
        tmp_path,
        "Mendoza (2021) studied street lighting in Quito. This study explores how lighting "
        "is planned. This review shows that lighting matters.\n\n"
        "The study concluded that patrols work better at night.",
    )
    claims = [claim for _, claim in _findings(result)]
    assert not [c for c in claims if "planned" in c or "matters" in c or "patrols" in c]


def test_a_claim_without_that_keeps_its_narrative_subject(tmp_path: Path) -> None:
    """`Mendoza (2021) highlighted X` states X as Mendoza's: the claim keeps the subject
    (it read `Highlighted X`), and `that,` opens a claim as `that` does."""
    result = _review(
        tmp_path,
        "In addition, Mendoza (2021) highlighted the value of lighting in poor districts. "
        "Okafor and Lee (2019) concluded that, in Lagos, trust follows visible patrols.",
    )
    found = _findings(result)
    assert (
        "Mendoza",
        "In addition, Mendoza (2021) highlighted the value of lighting in poor districts.",
    ) in found
    assert ("Okafor", "In Lagos, trust follows visible patrols.") in found


def test_according_to_a_work_attributes_what_follows(tmp_path: Path) -> None:
    result = _review(
        tmp_path,
        "According to a study by Mendoza (2021), lighting cut robbery by a third.",
    )
    assert ("Mendoza", "Lighting cut robbery by a third.") in _findings(result)


def test_a_citation_a_page_break_cut_is_one_paragraph_again(tmp_path: Path) -> None:
    """A PDF's page break can fall inside a citation: `(Mendoza,` ends one block and
    `2021).` starts the next. The sentence is read whole, so its closing citation
    attributes it (it gave no finding)."""
    result = _review(
        tmp_path,
        "Lighting in poor districts cut robbery at night (Mendoza,\n\n2021).",
    )
    assert ("Mendoza", "Lighting in poor districts cut robbery at night.") in _findings(result)


def test_a_citation_left_open_at_a_section_end_is_flagged_incomplete(tmp_path: Path) -> None:
    path = tmp_path / "review.md"
    path.write_text(
        "# A review\n\n## Body\n\nLighting cut robbery at night (Mendoza,\n\n"
        f"## Discussion\n\nPatrols matter too.\n{REFERENCES}",
        encoding="utf-8",
    )
    cited = [r for r in load(path).records if isinstance(r, Citation)]
    assert [c.flags for c in cited] == [("incomplete_citation",)]


def test_a_citation_naming_where_a_theory_comes_from_is_no_finding(tmp_path: Path) -> None:
    """`framed by street lighting theory (Mendoza, 2021)` points at a source; `lighting
    cut robbery (Mendoza, 2021)` and `Mendoza (2021) argued that ...` report findings."""
    result = _review(
        tmp_path,
        "Early work was framed by routine activity theory (Mendoza, 2021). "
        "Researchers emphasised collective efficacy (Okafor & Lee, 2019). "
        "Lighting cut robbery near markets (Mendoza, 2021). "
        "Okafor and Lee (2019) argued that collective efficacy (Mendoza, 2021) matters.",
    )
    claims = _findings(result)
    assert ("Mendoza", "Lighting cut robbery near markets.") in claims
    assert ("Okafor", "Collective efficacy matters.") in claims
    assert not [c for _, c in claims if c.startswith(("Early work", "Researchers emphasised"))]
