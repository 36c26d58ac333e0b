"""Evidence against a merge (issue 11): generic titles, differing locators and editions,
and the reviewer's own merges and splits, decided alike in any order."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citegraph.graph.identity import cluster_works
from citegraph.graph.identity.evidence import against, first_page, is_generic
from citegraph.graph.identity.reviewer import Decision, Reviewer
from citegraph.graph.ingest import load_file
from citegraph.graph.normalize import fold
from citegraph.loaders.records import Agent, Source, Work

EDITOR = (Agent("Straub, Detmar", family="Straub", given="Detmar"),)


def work(key: str, title: str, path: str = "a.ris", **fields: object) -> Work:
    values: dict[str, object] = {"year": 2013, "type": "article", "authors": EDITOR}
    values.update(fields)
    return Work(
        key=key,
        source=Source(path, int(key.strip("abcdefghijklmnopqrstuvwxyz") or 1), "ris"),
        title=title,
        **values,
    )  # type: ignore[arg-type]


def groups(works: list[Work], reviewer: Reviewer | None = None) -> list[set[str]]:
    found = cluster_works(works, reviewer) if reviewer else cluster_works(works)
    return sorted(({w.key for w in c.members} for c in found), key=sorted)


@pytest.mark.parametrize(
    "title",
    [
        "Editor's Comments",
        "Editorial",
        "Erratum",
        "Introduction",
        "Book Review",
        "From the Editors",
        "Reply to the commentators",
        "International Conference on Information Systems, ICIS 2013, Volume 1",
    ],
)
def test_generic_titles_are_known(title: str) -> None:
    assert is_generic(fold(title))


@pytest.mark.parametrize(
    "title", ["Editors and gatekeepers in criminology", "Crime and place", "Broken windows"]
)
def test_ordinary_titles_are_not_generic(title: str) -> None:
    assert not is_generic(fold(title))


def test_an_editors_comments_in_two_issues_are_two_works() -> None:
    """The classic false merge: one editor, one journal, one year, two issues."""
    one = work(
        "r1", "Editor's Comments", container="MIS Quarterly", volume="37", issue="1", pages="iii-vi"
    )
    four = work(
        "r2",
        "Editor's comments",
        "b.bib",
        container="MIS Quarterly",
        volume="37",
        issue="4",
        pages="iii-viii",
    )
    again = work(
        "r3",
        "EDITOR'S COMMENTS",
        "c.txt",
        container="MIS QUART",
        volume="37",
        issue="4",
        pages="iii",
    )
    assert groups([one, four, again]) == [{"r1"}, {"r2", "r3"}]


def test_a_generic_title_without_locators_is_never_merged_on_its_words() -> None:
    a = work("r1", "Editorial", container="Crime Science")
    b = work("r2", "Editorial", "b.bib", container="Crime Science")
    assert groups([a, b]) == [{"r1"}, {"r2"}]
    with_doi = [replace(a, doi="10.1186/ed.1"), replace(b, doi="10.1186/ed.1")]
    assert groups(with_doi) == [{"r1", "r2"}]


def test_proceedings_volumes_are_two_works() -> None:
    v1 = work(
        "r1", "International Conference on Information Systems, ICIS 2013, Volume 1", type="book"
    )
    v4 = work(
        "r2",
        "International Conference on Information Systems, ICIS 2013, Volume 4",
        "b.bib",
        type="book",
    )
    assert groups([v1, v4]) == [{"r1"}, {"r2"}]


def test_a_title_numbered_differently_is_another_work() -> None:
    one = work("r1", "Policing hot spots in Latin America: Part I")
    two = work("r2", "Policing hot spots in Latin America: Part II", "b.bib")
    assert groups([one, two]) == [{"r1"}, {"r2"}]


def test_a_mistyped_issue_with_agreeing_volume_and_pages_is_one_work() -> None:
    a = work(
        "r1",
        "Street lighting and theft in Arequipa",
        container="Security Journal",
        volume="31",
        issue="4",
        pages="880-899",
    )
    b = work(
        "r2",
        "Street lighting and theft in Arequipa",
        "b.bib",
        container="Security Journal",
        volume="31",
        issue="5",
        pages="880–99",
    )
    assert groups([a, b]) == [{"r1", "r2"}]


def test_differing_volume_and_pages_keep_a_common_title_apart() -> None:
    a = work(
        "r1",
        "Crime prevention in Latin America",
        container="Crime Science",
        volume="2",
        pages="1-10",
    )
    b = work(
        "r2",
        "Crime prevention in Latin America",
        "b.bib",
        container="Crime Science",
        volume="3",
        pages="40-52",
    )
    assert groups([a, b]) == [{"r1"}, {"r2"}]


def test_a_preprint_and_its_article_are_versions_not_one_work() -> None:
    article = work(
        "r1",
        "Guardians on buses",
        container="Journal of Quantitative Criminology",
        doi="10.1007/s1-2",
    )
    preprint = work("r2", "Guardians on buses", "b.bib", container="SocArXiv", type="other")
    found = cluster_works([article, preprint])
    assert len(found) == 2
    keys = {c.key for c in found}
    for cluster in found:
        assert cluster.versions == tuple(keys - {cluster.key})


def test_a_conference_paper_and_its_journal_version_are_versions() -> None:
    paper = work(
        "r1",
        "Routine activities online",
        type="chapter",
        container="Proceedings of the ECIS Conference",
        pages="12-20",
    )
    article = work(
        "r2",
        "Routine activities online",
        "b.bib",
        container="European Journal of Criminology",
        volume="9",
        pages="300-320",
    )
    found = cluster_works([paper, article])
    assert [len(c.members) for c in found] == [1, 1]
    assert all(c.versions for c in found)


def test_two_dois_are_never_joined_through_a_record_without_one() -> None:
    a = work("r1", "Situational prevention of robbery", doi="10.1/a", cited_only=True)
    b = work("r2", "Situational prevention of robbery", "b.bib", doi="10.1/b", cited_only=True)
    c = work("r3", "Situational prevention of robbery", "c.bib", cited_only=True)
    found = groups([a, b, c])
    assert {"r1", "r2"} not in found and len(found) == 2


def test_first_pages_are_normalised() -> None:
    assert first_page("123-130") == first_page("123–30") == first_page("pp. 123") == {"123"}
    assert first_page("e0123") == first_page("0123") == {"123"}


def test_a_shared_doi_outweighs_a_differing_page() -> None:
    a = work("r1", "Guardians", doi="10.1/x", pages="10-20")
    b = work("r2", "Guardians", "b.bib", doi="10.1/x", pages="11-20")
    assert groups([a, b]) == [{"r1", "r2"}]


def test_locators_count_when_they_disagree_as_often_as_they_agree() -> None:
    issue_only = {
        "volume": frozenset({"31"}),
        "issue": frozenset({"4"}),
        "page": frozenset({"880"}),
    }
    typo = {"volume": frozenset({"31"}), "issue": frozenset({"5"}), "page": frozenset({"880"})}
    assert against(issue_only, typo) == []
    assert against(issue_only, typo, strict=True) == ["issue"]
    other = {"volume": frozenset({"31"}), "issue": frozenset({"5"}), "page": frozenset({"9"})}
    assert sorted(against(issue_only, other)) == ["issue", "page"]


# -- the reviewer's word ---------------------------------------------------------------


def decision(action: str, *group_list: list[Work], id: str = "d1") -> Decision:
    return Decision(
        id,
        action,  # type: ignore[arg-type]
        tuple(tuple((w.source.path, w.key) for w in g) for g in group_list),
        made="2026-12-02T00:00:00Z",
    )


def test_a_reviewer_merge_joins_what_the_evidence_keeps_apart() -> None:
    one = work("r1", "Editor's Comments", container="MISQ", volume="37", issue="1", pages="iii")
    four = work(
        "r2", "Editor's Comments", "b.bib", container="MISQ", volume="37", issue="4", pages="v"
    )
    merged = cluster_works([one, four], Reviewer((decision("merge", [one, four]),)))
    assert len(merged) == 1
    assert merged[0].merged_by == ("reviewer",)


def test_a_reviewer_split_keeps_apart_what_the_rules_would_join() -> None:
    a = work("r1", "Guardians on buses", container="Crime Science")
    b = work("r2", "Guardians on buses", "b.bib", container="Crime Science")
    c = work("r3", "Guardians on buses", "c.bib", container="Crime Science")
    assert groups([a, b, c]) == [{"r1", "r2", "r3"}]
    split = Reviewer((decision("split", [a], [b]),))
    found = groups([a, b, c], split)
    assert len(found) == 2 and {"r1", "r2"} not in found
    undone = Reviewer((replace(split.decisions[0], undone="2026-12-02T01:00:00Z"),))
    assert groups([a, b, c], undone) == [{"r1", "r2", "r3"}]


def test_every_join_is_explained() -> None:
    a = work("r1", "Guardians on buses", doi="10.1/g")
    b = work("r2", "GUARDIANS ON BUSES", "b.bib")
    c = work("r3", "Guardians on buses", "c.bib", doi="10.1/g")
    [cluster] = cluster_works([a, b, c])
    assert len(cluster.links) == 2
    rules = sorted(rule for _, _, rule, _ in cluster.links)
    assert rules == ["author-year-title", "doi"]
    assert all(0 <= x < 3 and 0 <= y < 3 and score > 90 for x, y, _, score in cluster.links)


TRAPS = [
    work("r1", "Editor's Comments", container="MISQ", volume="37", issue="1", pages="iii"),
    work("r2", "Editor's Comments", "b.bib", container="MISQ", volume="37", issue="4", pages="v"),
    work("r3", "Editor's Comments", "c.bib", container="MISQ", volume="37", pages="v"),
    work("r4", "Editor's Comments", "d.bib", container="MISQ", volume="37", issue="1"),
    work("r5", "Guardians on buses", "e.bib", volume="2", pages="1-9"),
    work("r6", "Guardians on buses", "f.bib", volume="3", pages="1-9"),
    work("r7", "Guardians on buses", "g.bib"),
    work("r8", "Guardians on buses", "h.bib", pages="1", issue="4"),
]


@settings(max_examples=60, deadline=None)
@given(st.permutations(TRAPS))
def test_refused_joins_do_not_depend_on_the_order_of_the_records(order: list[Work]) -> None:
    assert groups(order) == groups(TRAPS)


def test_an_article_number_stands_where_the_pages_would(tmp_path: Path) -> None:
    """An e-journal prints an article number, not pages: it tells two items apart."""
    scopus = tmp_path / "scopus.csv"
    scopus.write_text(
        '"Authors","Title","Year","Source title","Volume","Issue","Art. No.","Page start",'
        '"Page end","DOI","Document Type","Source","EID"\n'
        '"Perez A.","Guardians on buses","2020","Crime Science","9","1","102345","","","",'
        '"Article","Scopus","2-s2.0-1"\n',
        encoding="utf-8-sig",
    )
    bib = tmp_path / "wos.bib"
    bib.write_text(
        "@article{w1, author={Perez, A.}, title={Guardians on buses}, year={2020},"
        " journal={Crime Science}, volume={9}, article-number={102346}}\n"
    )
    [from_scopus] = [r for r in load_file(scopus, None).works if not r.cited_only]
    [from_bib] = load_file(bib, None).works
    assert (from_scopus.pages, from_bib.pages) == ("102345", "102346")
    assert groups([from_scopus, from_bib]) == [{from_scopus.key}, {from_bib.key}]


def test_online_first_and_print_years_are_one_work() -> None:
    online = work(
        "r1", "Guardians on buses and the fear of crime", year=2012, container="Crime Science"
    )
    printed = work(
        "r2",
        "Guardians on buses and the fear of crime",
        "b.bib",
        year=2013,
        container="Crime Science",
        volume="2",
    )
    two_apart = work("r3", "Guardians on buses and the fear of crime", "c.bib", year=2015)
    assert groups([online, printed, two_apart]) == [{"r1", "r2"}, {"r3"}]


def test_a_record_that_lost_its_authors_joins_its_work_of_the_same_year() -> None:
    full = work("r1", "Guardians on buses and the fear of crime", container="Crime Science")
    bare = work("r2", "Guardians on buses and the fear of crime", "b.bib", authors=())
    other_year = work(
        "r3", "Guardians on buses and the fear of crime", "c.bib", authors=(), year=2014
    )
    assert groups([full, bare, other_year]) == [{"r1", "r2"}, {"r3"}]


def test_an_organisations_yearly_reports_stay_apart() -> None:
    unodc = (Agent("UNODC", kind="organization"),)
    reports = [
        work(
            f"r{n}",
            "World Drug Report: the global picture",
            f"{n}.bib",
            year=year,
            authors=unodc,
            type="report",
        )
        for n, year in enumerate((2019, 2020, 2021), 1)
    ]
    assert groups(reports) == [{"r1"}, {"r2"}, {"r3"}]


def test_a_conference_paper_and_its_journal_version_a_year_later_are_versions() -> None:
    paper = work(
        "r1",
        "Routine activities online and offline",
        type="chapter",
        year=2012,
        container="Proceedings of the ECIS Conference",
    )
    article = work(
        "r2",
        "Routine activities online and offline",
        "b.bib",
        year=2013,
        container="European Journal of Criminology",
    )
    found = cluster_works([paper, article])
    assert [len(c.members) for c in found] == [1, 1] and all(c.versions for c in found)


def test_a_proceedings_volume_filed_as_a_paper_in_itself_is_one_work() -> None:
    title = "European Conference on Information Systems, ECIS 2019, Volume 6"
    as_paper = work(
        "r1",
        title,
        type="chapter",
        authors=(),
        container="European Conference on Information Systems, ECIS 2019",
        volume="6",
    )
    as_book = work("r2", title, "b.bib", type="book", authors=(), volume="6")
    assert groups([as_paper, as_book]) == [{"r1", "r2"}]


def test_a_book_and_its_opening_chapter_stay_two_works() -> None:
    book = work("r1", "Environmental criminology and crime analysis", type="book")
    chapter = work(
        "r2",
        "Environmental criminology and crime analysis: Situating the theory",
        "b.bib",
        type="chapter",
        container="Environmental criminology and crime analysis",
    )
    assert groups([book, chapter]) == [{"r1"}, {"r2"}]


def test_letters_unicode_does_not_decompose_fold_as_ascii_exports_write_them() -> None:
    assert fold("Ødegård, Łukasz; Weiß & Æsir") == "odegard lukasz weiss aesir"


@pytest.mark.parametrize("printed", ["Torbro Ł", "Torbro Ł.", "Torbro ŁK"])
def test_a_polish_initial_is_an_initial(printed: str) -> None:
    from citegraph.loaders.common import parse_name

    assert parse_name(printed).family == "Torbro"


def test_a_shared_volume_does_not_make_two_editorials_of_one_year_one() -> None:
    """Every issue of a year shares its volume: it tells no `Editorial` from another."""
    one = work("r1", "Editorial", container="Crime Science", volume="9", issue="1", pages="1-2")
    other = work("r2", "Editorial", "b.nbib", container="Crime Science", volume="9")
    assert groups([one, other]) == [{"r1"}, {"r2"}]
