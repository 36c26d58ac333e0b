"""The seed review, checked against expectations written by hand from reading it."""

from __future__ import annotations

from pathlib import Path

import pytest

from citegraph.loaders.records import (
    Citation,
    Finding,
    LoadResult,
    Mention,
    UnresolvedCitation,
    Work,
)
from citegraph.loaders.review import load


@pytest.fixture(scope="module")
def seed(seed_path: Path) -> LoadResult:
    return load(seed_path)


@pytest.fixture(scope="module")
def entries(seed: LoadResult) -> dict[str, Work]:
    """Reference entries by the first author's family name and year."""
    found: dict[str, Work] = {}
    for work in seed.works:
        if work.is_document:
            continue
        first = work.authors[0]
        found[f"{first.family or first.name}|{work.year}"] = work
    return found


def test_every_reference_entry_loads(seed: LoadResult) -> None:
    assert seed.entries == 44
    assert seed.loaded == 44
    assert not seed.rejected
    assert seed.entries == seed.loaded + len(seed.rejected)


def test_two_line_reference_is_one_entry(entries: dict[str, Work]) -> None:
    khalid = entries["Khalid|2020"]
    assert khalid.title == "The Homeland Security Initiatives for Pakistan: A Grand Strategy"
    assert khalid.container == "South Asian Studies"
    assert (khalid.volume, khalid.issue) == ("30", "1")
    assert khalid.source.line == 251


@pytest.mark.parametrize(
    ("key", "field", "expected"),
    [
        pytest.param("Asencios Mallqui|2020", "type", "thesis", id="thesis"),
        pytest.param(
            "Asencios Mallqui|2020",
            "url",
            "https://hdl.handle.net/20.500.12692/50283",
            id="thesis-url",
        ),
        pytest.param("de la Peña|2022", "doi", "10.37811/cl_rcm.v6i1.1701", id="escaped-doi"),
        pytest.param("de la Peña|2022", "pages", "2995-3010", id="pages"),
        pytest.param(
            "de la Peña|2022",
            "container",
            "Ciencia Latina Revista Científica Multidisciplinar",
            id="container",
        ),
        pytest.param("Cozens|2008", "doi", "10.2495/sdp-v3-n3-272-292", id="doi-lowercase"),
        pytest.param("Brantingham|2017", "type", "chapter", id="chapter"),
        pytest.param(
            "Brantingham|2017",
            "title",
            "Environment, routine, and situation: Toward a pattern theory of crime",
            id="chapter-title",
        ),
        pytest.param(
            "Brantingham|2017",
            "container",
            "Routine activity and rational choice",
            id="chapter-book",
        ),
        pytest.param("Brantingham|2017", "pages", "259-294", id="chapter-pages"),
        pytest.param("Farrington|2009", "pages", "i-148", id="roman-pages"),
        pytest.param("Fagan|2016", "issue", "3", id="issue"),
        pytest.param("Školník|2024", "container", "Security Journal", id="diacritic-author"),
        pytest.param("Campos|2012", "volume", "7", id="iso690-volume"),
        pytest.param("Campos|2012", "issue", "13", id="iso690-issue"),
        pytest.param("Reike|2014", "doi", "10.1017/s0892679414000604", id="doi"),
        pytest.param("Torres|2024", "container", "Novum Jus", id="same-surname-other-year"),
    ],
)
def test_reference_fields(entries: dict[str, Work], key: str, field: str, expected: str) -> None:
    assert getattr(entries[key], field) == expected


def test_names_with_particles_and_diacritics_survive(entries: dict[str, Work]) -> None:
    assert [a.family for a in entries["de la Peña|2022"].authors] == [
        "de la Peña",
        "Salvatierra",
        "Acha",
    ]
    assert entries["Van Dijk|2008"].authors[0].family == "Van Dijk"
    assert entries["Školník|2024"].authors[1].family == "Haman"
    assert entries["Gómez-Mera|2024"].authors[0].given == "L."
    assert entries["Torres Hilario de Miguel|2022"].type == "thesis"


def test_institutional_author(entries: dict[str, Work]) -> None:
    ministry = entries["Ministry of the Interior|2023"]
    assert ministry.authors[0].kind == "organization"
    assert ministry.title == "National Multisectoral Policy for Citizen Security to 2030"


def test_truncated_author_list_is_flagged(entries: dict[str, Work]) -> None:
    hagberg = entries["Hagberg|2023"]
    assert hagberg.authors[0].family == "Hagberg"
    assert "authors_truncated" in hagberg.flags


def test_review_itself_is_a_work_with_orcids(seed: LoadResult) -> None:
    document = next(w for w in seed.works if w.is_document)
    assert document.title and document.title.startswith("Preventive Strategies for Citizen")
    assert len(document.authors) == 5
    assert document.authors[0].orcid == "0000-0002-7308-1820"
    assert document.authors[4].orcid == "0000-0001-9118-149X"
    assert {a.affiliation for a in document.authors} == {"Universidad César Vallejo"}
    assert "police modernization" in document.keywords


def _cited(seed: LoadResult) -> dict[str, Citation]:
    by_key = {w.key: w for w in seed.works}
    result = {}
    for record in seed.records:
        if isinstance(record, Citation):
            work = by_key[record.cited]
            first = work.authors[0]
            result[f"{first.family or first.name}|{work.year}"] = record
    return result


def test_every_citation_is_linked_or_reported(seed: LoadResult) -> None:
    unresolved = [r for r in seed.records if isinstance(r, UnresolvedCitation)]
    assert [(u.authors, u.year, u.source.line) for u in unresolved] == [(("Álvarez",), "2020", 71)]
    cited = _cited(seed)
    # every entry of the list is cited somewhere in the body (tables included)
    assert len(cited) == 44


@pytest.mark.parametrize(
    ("key", "flag"),
    [
        pytest.param("Sánchez|2021", "year_mismatch", id="cited-2020-listed-2021"),
        pytest.param("Eckblom|1995", "spelling_mismatch", id="Ekblom-vs-Eckblom"),
        pytest.param("Clarke|2003", "order_swapped", id="Cornish-Clarke-vs-Clarke-Cornish"),
        pytest.param("Cohen|2010", "year_mismatch", id="1979-reprinted-2010"),
        pytest.param("Eck|2007", "authors_differ", id="co-author-left-out"),
        pytest.param("de la Peña|2022", "particle_dropped", id="Peña-vs-de-la-Peña"),
    ],
)
def test_inexact_citations_are_linked_and_flagged(seed: LoadResult, key: str, flag: str) -> None:
    assert flag in _cited(seed)[key].flags


def test_a_citation_cut_by_a_page_break_is_read_whole(seed: LoadResult) -> None:
    """`(Emerson,` ends a page and `2024).` starts the next: one citation, not an
    incomplete one, and its sentence is Emerson's finding."""
    emerson = _cited(seed)["Emerson|2024"]
    assert "incomplete_citation" not in emerson.flags
    assert any(c.endswith("(Emerson, 2024).") for c in emerson.contexts)
    assert any(
        isinstance(r, Finding) and r.work == emerson.cited and r.source.line == 174
        for r in seed.records
    )


def test_citation_contexts_and_counts(seed: LoadResult) -> None:
    cited = _cited(seed)
    tonry = cited["Tonry|2015"]
    assert tonry.flags == ()
    assert any(
        c.startswith("Tonry (2015) mentioned that in the United States") for c in tonry.contexts
    )
    assert cited["Cohen|2010"].count >= 2  # (Cohen & Felson, 1979) and Cohen and Felson's (1979)
    assert "Peña et al. (2022)" in " ".join(cited["de la Peña|2022"].contexts)
    # cited only in Table 5: a citation inside a table
    assert cited["Cayro Ríos|2019"].count == 2  # its paragraph (line 53) and Table 5 (line 193)
    assert cited["Cayro Ríos|2019"].source.line == 53
    assert any(
        c.startswith("In this re-edition of the classic 1979 work")
        for c in cited["Cohen|2010"].contexts
    )  # Table 5 row "Cohen, L. E., & Felson, M. (2010)"


def test_theories_found_in_the_body(seed: LoadResult) -> None:
    theories = {
        (m.work, m.concept) for m in seed.records if isinstance(m, Mention) and m.kind == "theory"
    }
    document_theories = {c for w, c in theories if w == "document"}
    assert {
        "routine-activity",
        "rational-choice",
        "cpted",
        "social-control",
        "situational-crime-prevention",
    } <= document_theories
    by_key = {w.key: w for w in seed.works}
    uses = {(by_key[w].authors[0].family, c) for w, c in theories if w != "document"}
    assert ("Hirschi", "social-control") in uses
    assert ("Eckblom", "cpted") in uses
    assert ("Hirschi", "cpted") not in uses  # a shared sentence gives each work its own theory


def test_countries_and_findings(seed: LoadResult) -> None:
    by_key = {w.key: w for w in seed.works}
    places = {
        (by_key[m.work].authors[0].family, m.concept)
        for m in seed.records
        if isinstance(m, Mention) and m.kind == "place" and m.work != "document"
    }
    assert ("Tonry", "US") in places
    assert ("Crawford", "GB") in places
    assert ("Khalid", "PK") in places
    findings = [f for f in seed.records if isinstance(f, Finding)]
    crawford = [
        f
        for f in findings
        if by_key[f.work].authors[0].family == "Crawford" and by_key[f.work].year == 1998
    ]
    assert crawford and crawford[0].claim.startswith("Community initiatives have been effective")
    assert "community-participation" in crawford[0].about
    assert crawford[0].source.line == 29


def test_given_names_printed_as_family_are_resolved_with_evidence(
    entries: dict[str, Work],
) -> None:
    """`Cornish Derek, B., & Clarke Ronald, V.` beside `Clarke, R. V., & Cornish, D.`."""
    reasoning = entries["Cornish|1986"]
    assert [(a.family, a.given) for a in reasoning.authors] == [
        ("Cornish", "Derek B."),
        ("Clarke", "Ronald V."),
    ]
    assert "given_names_resolved" in reasoning.flags
    # no evidence for `Gaona Lobato, D.`: a real two-word family stays as printed
    assert entries["Gaona Lobato|2023"].authors[0].family == "Gaona Lobato"
