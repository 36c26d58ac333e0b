"""The bibliographic-export loaders on small hand-written exports, good and faulty.

Each fixture in tests/fixtures/exports is a few citizen-security records in one export
format. Faulty fixtures assert the line and reason of every issue, because a researcher
fixing an export needs to know exactly where to look.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest

from citegraph.loaders import available, load, loader_for
from citegraph.loaders.records import Citation, LoadResult, Severity, Work
from citegraph.loaders.registry import get
from citegraph.loaders.text import NotText, read_text

FIXTURES = Path(__file__).parent / "fixtures" / "exports"
EXPORT_FORMATS = (
    "bibtex", "ris", "csl-json", "scopus-csv", "wos", "openalex", "crossref", "medline", "csv",
)  # fmt: skip

# fixture, format its content must be sniffed as, entries it holds (all load)
GOOD = [
    pytest.param("zotero.bib", "bibtex", 6, id="bibtex"),
    pytest.param("biblatex.bib", "bibtex", 4, id="biblatex"),
    pytest.param("endnote.ris", "ris", 5, id="ris"),
    pytest.param("endnote-latin1.ris", "ris", 3, id="ris-latin1"),
    pytest.param("zotero-csl.json", "csl-json", 5, id="csl-json"),
    pytest.param("scopus.csv", "scopus-csv", 4, id="scopus-bom"),
    pytest.param("wos-plain.txt", "wos", 3, id="wos-plain"),
    pytest.param("wos-tab.txt", "wos", 3, id="wos-tab-bom"),
    pytest.param("openalex-work.json", "openalex", 1, id="openalex-single"),
    pytest.param("openalex-list.json", "openalex", 3, id="openalex-list"),
    pytest.param("openalex-page.json", "openalex", 2, id="openalex-page"),
    pytest.param("crossref-work.json", "crossref", 1, id="crossref-single"),
    pytest.param("crossref-list.json", "crossref", 3, id="crossref-list"),
]

# fixture, format, entries, loaded, expected issues as (severity, line, reason fragment)
FAULTY = [
    pytest.param(
        "bad-unbalanced.bib", "bibtex", 4, 2,
        [(Severity.ERROR, 8, "malformed entry: Unexpected block start"),
         (Severity.ERROR, 22, "Unexpectedly reached end of file")],
        id="bibtex-unbalanced-braces",
    ),
    pytest.param(
        "bad-duplicate-keys.bib", "bibtex", 3, 3,
        [(Severity.WARNING, 8, "duplicate key 'cohen1979' (first at line 1)"),
         (Severity.WARNING, 17, "repeated field(s) title")],
        id="bibtex-duplicate-keys",
    ),
    pytest.param(
        "bad-missing-er.ris", "ris", 3, 3,
        [(Severity.WARNING, 9, "no 'ER  -' line"), (Severity.WARNING, 18, "no 'ER  -' line")],
        id="ris-missing-er",
    ),
    pytest.param(
        "bad-no-ty.ris", "ris", 4, 2,
        [(Severity.ERROR, 8, "no 'TY  -' line"),
         (Severity.WARNING, 14, "unknown RIS type 'XYZ'"),
         (Severity.ERROR, 21, "no title, authors or DOI")],
        id="ris-missing-ty-and-empty-record",
    ),
    pytest.param(
        "bad-broken-quote.csv", "scopus-csv", 4, 3,
        [(Severity.ERROR, 3, "broken row (unbalanced quote")],
        id="scopus-broken-quote",
    ),
    pytest.param(
        "bad-invalid.json", "openalex", 3, 2,
        [(Severity.ERROR, 16, "invalid JSON at line 19: Expecting ',' delimiter")],
        id="openalex-json-syntax-error",
    ),
    pytest.param(
        "bad-missing-year.json", "csl-json", 4, 2,
        [(Severity.WARNING, 2, "nomikos2021: no year"),
         (Severity.ERROR, 15, "no title, authors or DOI"),
         (Severity.ERROR, 19, "not a JSON object")],
        id="csl-missing-year-and-bad-items",
    ),
    pytest.param(
        "bad-wos-missing-er.txt", "wos", 3, 2,
        [(Severity.WARNING, 3, "no 'ER' line"),
         (Severity.WARNING, 8, "no year"),
         (Severity.ERROR, 14, "outside a record (no 'PT' line)")],
        id="wos-missing-er-and-pt",
    ),
    pytest.param("bad-html-title.json", "csl-json", 1, 1, [], id="csl-html-title"),
]  # fmt: skip

# every export file, real-world samples in real/ included, as paths relative to FIXTURES
ALL_FIXTURES = sorted(str(p.relative_to(FIXTURES)) for p in FIXTURES.rglob("*") if p.is_file())


def check_counts(result: LoadResult) -> None:
    """The counting contract, and every citation pointing at works of the same result."""
    assert result.entries == result.loaded + len(result.rejected)
    keys = [w.key for w in result.works]
    assert len(keys) == len(set(keys)), "work keys must be unique within a result"
    assert sum(1 for w in result.works if not w.cited_only) == result.loaded
    for citation in (r for r in result.records if isinstance(r, Citation)):
        assert citation.citing in keys and citation.cited in keys


def work(result: LoadResult, key: str) -> Work:
    return next(w for w in result.works if w.key == key)


def loaded(name: str) -> LoadResult:
    return load(FIXTURES / name)


def test_export_formats_are_registered() -> None:
    names = available()
    assert names
    assert set(EXPORT_FORMATS) <= set(names)


@pytest.mark.parametrize(("name", "fmt", "entries"), GOOD)
def test_good_export_loads_every_entry(name: str, fmt: str, entries: int) -> None:
    result = loaded(name)
    assert result.format == fmt
    assert (result.entries, result.loaded, result.rejected) == (entries, entries, [])
    check_counts(result)
    for w in result.works:
        assert w.source.loader == fmt and w.source.path == str(FIXTURES / name)
        assert w.source.line >= 1
        assert w.cited_only or w.title


@pytest.mark.parametrize(("name", "fmt"), [p.values[:2] for p in GOOD + FAULTY])
def test_sniffing_picks_the_format_even_with_a_misleading_suffix(
    name: str, fmt: str, tmp_path: Path
) -> None:
    assert loader_for(FIXTURES / name).name == fmt
    disguised = tmp_path / "export.txt"
    shutil.copy(FIXTURES / name, disguised)
    assert loader_for(disguised).name == fmt


@pytest.mark.parametrize(("name", "fmt", "entries", "ok", "issues"), FAULTY)
def test_faulty_export_reports_line_and_reason(
    name: str, fmt: str, entries: int, ok: int, issues: list[tuple[Severity, int, str]]
) -> None:
    result = loaded(name)
    assert (result.entries, result.loaded) == (entries, ok)
    check_counts(result)
    reported = [i for i in result.issues if i.severity is not Severity.INFO]
    assert [(i.severity, i.source.line) for i in reported] == [(s, n) for s, n, _ in issues]
    for issue, (_, _, reason) in zip(reported, issues, strict=True):
        assert reason in issue.reason
        assert issue.source.path == str(FIXTURES / name) and issue.source.loader == fmt


@pytest.mark.parametrize(
    ("name", "line", "start"),
    [
        ("bad-unbalanced.bib", 8, "@article{eck2007,"),
        ("bad-no-ty.ris", 8, "AU  - Nomikos, William G."),
        ("bad-broken-quote.csv", 3, '"Emerson R.G.",'),
        ("bad-invalid.json", 16, '{\n    "id": "https://openalex.org/W1000000009"'),
        ("bad-wos-missing-er.txt", 14, "AU Orphan, X"),
    ],
)
def test_rejected_entry_keeps_its_text(name: str, line: int, start: str) -> None:
    rejected = {i.source.line: i for i in loaded(name).rejected}
    assert rejected[line].text.startswith(start)


@pytest.mark.parametrize("name", ALL_FIXTURES)
@pytest.mark.parametrize("fmt", available())
def test_any_loader_on_any_export_keeps_the_count(fmt: str, name: str) -> None:
    """Forcing the wrong --format must reject or load, never raise or lose entries."""
    assert ALL_FIXTURES
    try:
        result = get(fmt).load(FIXTURES / name)
    except NotText:
        return
    assert result.entries == result.loaded + len(result.rejected)


@pytest.mark.parametrize("fmt", available())
@pytest.mark.parametrize("content", ["", "\n  \n"], ids=["empty", "blank"])
def test_empty_file_is_a_warning(fmt: str, content: str, tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text(content)
    result = get(fmt).load(path)
    assert (result.entries, result.loaded, result.rejected) == (0, 0, [])
    assert any("empty" in w.reason for w in result.warnings)


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_work_lines_point_at_entry_starts(name: str) -> None:
    """A Work's line is where its entry starts, so a researcher can find it in the export."""
    path = FIXTURES / name
    result = load(path)
    lines = read_text(path, result.format).text.split("\n")  # as the loader decoded it
    json_object = r".*\{"  # an item's (or a Crossref message's) opening brace
    start = {
        "bibtex": r"\s*@\w+\s*[{(]",  # @article{ or @article(
        "ris": r"TY  - ",
        "wos": r"PT [A-Z]|[A-Z]\t",  # tagged record, or a tab-delimited row's PT value
        "scopus-csv": r'"|[^",]',  # a quoted first field, or a bare one
        "csv": r'"|[^",]',
        "medline": r"PMID- ",
        "csl-json": json_object,
        "openalex": json_object,
        "crossref": json_object,
    }[result.format]
    for w in result.works:
        assert re.match(start, lines[w.source.line - 1]), (w.key, w.source.line)


# --- field by field, per format ------------------------------------------------------


def test_bibtex_fields_accents_and_institutions() -> None:
    result = loaded("zotero.bib")
    cohen = work(result, "cohen1979")
    assert cohen.title == "Social Change and Crime Rate Trends: A Routine Activity Approach"
    assert (cohen.year, cohen.type, cohen.doi) == (1979, "article", "10.2307/2094589")
    assert (cohen.container, cohen.volume, cohen.issue, cohen.pages) == (
        "American Sociological Review", "44", "4", "588-608",
    )  # fmt: skip
    assert [(a.family, a.given) for a in cohen.authors] == [
        ("Cohen", "Lawrence E."),
        ("Felson", "Marcus"),
    ]
    assert cohen.keywords == ("routine activity theory", "crime trends")
    assert cohen.source.line == 4 and cohen.raw and cohen.raw.startswith("@article{cohen1979,")
    assert work(result, "fagan2016").container == "Criminology & Public Policy"  # @string
    assert work(result, "fagan2016").doi == "10.1111/1745-9133.12228"
    quintero = work(result, "quintero2020")
    assert quintero.container == "Revista Científica General José María Córdova"
    thesis = work(result, "asencios2020")
    assert (thesis.type, thesis.publisher) == ("thesis", "Universidad César Vallejo")
    report = work(result, "mininter2023")
    assert report.type == "report"
    assert [(a.kind, a.name) for a in report.authors] == [
        ("organization", "Ministerio del Interior del Perú")
    ]
    assert work(result, "cornish1986").isbn == "9781461386254"


def test_biblatex_date_journaltitle_and_editors() -> None:
    result = loaded("biblatex.bib")
    skolnik = work(result, "skolnik2024")
    assert (skolnik.year, skolnik.container) == (2024, "Security Journal")
    assert skolnik.authors[0].family == "Školník"
    chapter = work(result, "brantingham2017")
    assert (chapter.type, chapter.container) == ("chapter", "Routine Activity and Rational Choice")
    assert [e.family for e in chapter.editors] == ["Clarke", "Felson"]
    assert work(result, "cayro2019").title == (
        "Participación ciudadana de las juntas vecinales en las políticas públicas "
        "preventivas de seguridad ciudadana"
    )


def test_bibtex_duplicates_keep_both_entries() -> None:
    result = loaded("bad-duplicate-keys.bib")
    first, second = work(result, "cohen1979"), work(result, "cohen1979-2")
    assert (first.year, second.year) == (1979, 2010)
    assert (second.type, second.container) == ("chapter", "Classics in Environmental Criminology")
    assert [a.family for a in second.authors] == ["Cohen", "Felson"]
    assert work(result, "tonry2015").title == "Crime and Justice, Volume 44: A Review of Research"


def test_ris_fields_continuations_and_editors() -> None:
    result = loaded("endnote.ris")
    ekblom, cozens, pena, farrington, ministry = result.works
    assert (ekblom.issn, ekblom.pages, ekblom.language) == ("0002-7162", "114-129", "English")
    assert ekblom.keywords == (
        "crime prevention through environmental design",
        "situational crime prevention",
    )
    assert cozens.title == (
        "Crime prevention through environmental design in Western Australia: "
        "planning for sustainable urban futures"
    )
    assert cozens.doi == "10.2495/sdp-v3-n3-272-292" and cozens.year == 2008
    assert cozens.abstract and cozens.abstract.startswith("Crime prevention through")
    assert pena.authors[0].family == "de la Peña"
    assert (farrington.type, farrington.authors, farrington.isbn) == ("book", (), "9780387691688")
    assert [e.family for e in farrington.editors] == ["Farrington", "Welsh"]
    assert ministry.type == "report" and ministry.authors[0].kind == "organization"
    assert [w.source.line for w in result.works] == [1, 17, 32, 47, 57]


def test_latin1_export_is_decoded_with_a_warning() -> None:
    result = loaded("endnote-latin1.ris")
    assert any("Latin-1" in w.reason for w in result.warnings)
    assert result.works[0].authors[1].given == "José Vicente Tavares dos"
    assert result.works[0].title and "governança da segurança cidadã" in result.works[0].title


def test_csl_json_dates_names_and_types() -> None:
    result = loaded("zotero-csl.json")
    sampson = work(result, "sampson1997")
    assert (sampson.year, sampson.pages, sampson.issn) == (1997, "918-924", "0036-8075")
    assert len(sampson.authors) == 3
    farrington = work(result, "farrington2009")
    assert (farrington.year, farrington.volume, farrington.pages) == (2009, "5", "i-148")
    assert farrington.doi == "10.4073/csr.2009.6"
    assert work(result, "stoessle2024").year == 2024  # issued.raw
    assert work(result, "stoessle2024").keywords == ("citizen security", "migration", "Mexico")
    assert work(result, "hirschi1969").type == "book"
    igarape = work(result, "igarape2018")
    assert igarape.type == "report" and igarape.authors[0].kind == "organization"


def test_html_is_stripped_from_titles() -> None:
    kaiser = loaded("bad-html-title.json").works[0]
    assert kaiser.title == (
        "Smart Governance for Smart Cities and Nations: The Case of Smart Bangladesh & Beyond"
    )
    assert kaiser.container == "Journal of Economy and Technology"


def test_missing_year_keeps_the_record_flagged() -> None:
    result = loaded("bad-missing-year.json")
    nomikos = work(result, "nomikos2021")
    assert nomikos.year is None and "no_year" in nomikos.flags


def test_scopus_rows_authors_and_references() -> None:
    result = loaded("scopus.csv")
    assert any(i.severity is Severity.INFO and "byte order mark" in i.reason for i in result.issues)
    gaona = work(result, "2-s2.0-85000000001")
    assert [(a.family, a.given) for a in gaona.authors] == [
        ("Gaona Lobato", "Diana"),
        ("Ruiz Vásquez", "Yuliana"),
    ]
    assert gaona.authors[0].affiliation == (
        "Universidad Nacional Toribio Rodríguez de Mendoza, Chachapoyas, Peru"
    )
    assert (gaona.issn, gaona.language, gaona.doi) == (
        "2789-8539", "Spanish", "10.56712/latam.v4i1.501",
    )  # fmt: skip
    assert work(result, "2-s2.0-85000000002").abstract is None  # [No abstract available]
    chapter = work(result, "2-s2.0-85000000004")
    assert (chapter.type, chapter.isbn, chapter.pages) == ("chapter", "9781138934168", "3-21")
    cited = work(result, "2-s2.0-85000000001#ref-1")
    assert cited.cited_only and (cited.year, cited.container, cited.pages) == (
        1979, "American Sociological Review", "588-608",
    )  # fmt: skip
    assert cited.title == "Social change and crime rate trends: A routine activity approach"
    assert [a.family for a in cited.authors] == ["Cohen", "Felson"]
    book = work(result, "2-s2.0-85000000002#ref-1")
    assert book.title == "Crime prevention and community safety: Politics, policies and practices"
    citations = [r for r in result.records if isinstance(r, Citation)]
    assert len(citations) == 5
    assert Citation("2-s2.0-85000000001", "2-s2.0-85000000001#ref-2", gaona.source) in citations


def test_scopus_broken_quote_costs_one_row() -> None:
    result = loaded("bad-broken-quote.csv")
    assert [w.source.line for w in result.works if not w.cited_only] == [2, 4, 5]


def test_wos_plain_fields_orcid_and_cited_references() -> None:
    result = loaded("wos-plain.txt")
    fagan = work(result, "WOS:000000000000002")
    assert fagan.title == (
        "What Works in Crime Prevention? Comparison and Critical Review of Three "
        "Crime Prevention Registries"
    )
    assert fagan.authors[0].orcid == "0000-0002-1825-0097"
    assert fagan.keywords == ("crime prevention", "evidence-based registries", "Blueprints")
    assert (fagan.issn, fagan.pages, fagan.doi) == (
        "1538-6473",
        "617-649",
        "10.1111/1745-9133.12228",
    )
    cohen = work(result, "doi:10.2307/2094589")  # cited by two records: one shared Work
    assert cohen.cited_only and (cohen.year, cohen.volume, cohen.pages) == (1979, "44", "588")
    citing = {c.citing for c in result.records if isinstance(c, Citation) and c.cited == cohen.key}
    assert citing == {"WOS:000000000000002", "WOS:000000000000003"}
    census = work(result, "WOS:000000000000001#ref-3")
    assert census.authors[0].kind == "organization"
    anonymous = work(result, "WOS:000000000000003#ref-2")
    assert anonymous.authors == () and anonymous.year == 2013


def test_wos_tab_delimited() -> None:
    result = loaded("wos-tab.txt")
    reike = work(result, "WOS:000000000000012")
    assert reike.keywords == ("atrocity prevention", "R2P")
    assert reike.title and reike.title.startswith('The "Responsibility to Prevent"')
    assert work(result, "WOS:000000000000013").type == "book"
    jacobs = work(result, "WOS:000000000000011#ref-1")
    assert (jacobs.year, jacobs.container) == (1961, "DEATH LIFE GREAT AM")
    assert [w.source.line for w in result.works if not w.cited_only] == [2, 3, 4]


def test_openalex_single_work() -> None:
    result = loaded("openalex-work.json")
    cohen = work(result, "W1000000001")
    assert (cohen.doi, cohen.year, cohen.pages) == ("10.2307/2094589", 1979, "588-608")
    assert (cohen.container, cohen.issn, cohen.publisher) == (
        "American Sociological Review", "0003-1224", "SAGE Publishing",
    )  # fmt: skip
    assert [(a.family, a.given) for a in cohen.authors] == [
        ("Cohen", "Lawrence E."),
        ("Felson", "Marcus"),
    ]
    assert cohen.authors[1].orcid == "0000-0002-1825-0097"
    assert cohen.authors[0].affiliation == "University of Illinois Urbana-Champaign"
    assert cohen.abstract == "Crime rate trends follow changes in routine activities."
    assert cohen.keywords == ("Routine activity theory",)
    cited = work(result, "W1000000101")
    assert cited.cited_only and cited.url == "https://openalex.org/W1000000101"


def test_openalex_list_links_works_of_the_same_file() -> None:
    result = loaded("openalex-list.json")
    pairs = {(c.citing, c.cited) for c in result.records if isinstance(c, Citation)}
    assert ("W1000000002", "W1000000003") in pairs
    assert not work(result, "W1000000003").cited_only  # the loaded work, not a stub
    assert work(result, "W1000000002").container == "Criminology & Public Policy"
    assert [w.source.line for w in result.works if not w.cited_only] == [2, 17, 28]


def test_openalex_page_and_json_lines(tmp_path: Path) -> None:
    page = loaded("openalex-page.json")
    assert [w.source.line for w in page.works if not w.cited_only] == [4, 16]
    assert work(page, "W1000000005").container == "Revista Científica General José María Córdova"
    lines = tmp_path / "snapshot.jsonl"
    lines.write_text(
        '{"id": "https://openalex.org/W1", "title": "One", "publication_year": 2001}\n'
        '{"id": "https://openalex.org/W2", "title": "Two", "publication_year": 2002}\n'
    )
    snapshot = load(lines)
    assert snapshot.format == "openalex"
    assert [(w.key, w.source.line) for w in snapshot.works] == [("W1", 1), ("W2", 2)]


def test_crossref_single_work_and_references() -> None:
    result = loaded("crossref-work.json")
    ekblom = work(result, "doi:10.1177/0002716295539001009")
    assert (ekblom.year, ekblom.type, ekblom.pages) == (1995, "article", "114-129")
    assert ekblom.authors[0].affiliation == "Home Office, London"
    structured = work(result, "doi:10.2307/2094589")
    assert structured.cited_only and structured.year == 1979
    assert structured.authors[0].family == "Cohen"
    newman = work(result, "doi:10.1177/0002716295539001009#ref-2")
    assert (newman.year, newman.authors[0].family) == (1972, "Newman")
    assert newman.title == "Defensible space: Crime prevention through urban design"


def test_crossref_list_html_orcid_and_institutions() -> None:
    result = loaded("crossref-list.json")
    fagan = work(result, "doi:10.1111/1745-9133.12228")
    assert fagan.title == (
        "What Works in Crime Prevention? Comparison and Critical Review of Three "
        "Crime Prevention Registries"
    )
    assert fagan.container == "Criminology & Public Policy"
    assert fagan.authors[0].orcid == "0000-0002-1825-0097"
    ministry = work(result, "doi:10.5555/citegraph-example.2023.1")
    assert (ministry.type, ministry.authors[0].kind) == ("report", "organization")
    assert work(result, "doi:10.37811/cl_rcm.v6i1.1701").authors[0].family == "de la Peña"
    cited = work(result, "doi:10.1177/0002716295539001009")
    assert cited.cited_only and "no_year" in cited.flags


# --- real-world samples (tests/fixtures/exports/real) --------------------------------
# Written after what Zotero, JabRef, Mendeley, Better BibTeX, EndNote, Scopus, Web of
# Science, OpenAlex and Crossref really emit, quirks included.

REAL = FIXTURES / "real"


def real(name: str) -> LoadResult:
    result = load(REAL / name)
    check_counts(result)
    return result


def test_bibtex_concatenation_and_macros_are_resolved() -> None:
    """`jqc # { (Special Issue)}` and `{a} # "b" # {c}` read as text, not as written."""
    result = real("jabref-crlf-bom.bib")
    assert (result.entries, result.loaded) == (6, 6)
    note = work(result, "jqcnote")
    assert note.title == "Editorial note on replication"
    assert note.container == "Journal of Quantitative Criminology (Special Issue)"
    assert note.publisher == "Springer"  # a lone @string reference
    assert work(result, "Weisburd2006:Displacement").container == "Criminology"
    braga = work(result, "Braga/2014/HotSpots")  # @ARTICLE( ... ) with parentheses
    assert (braga.year, braga.volume, braga.pages) == (2014, "31", "633-663")
    assert [a.name for a in work(result, "Munoz2018").authors] == ["Muñoz, José", "Müller, Jörg"]


def test_ris_isbn_in_sn_is_no_issn_and_short_end_pages_are_completed() -> None:
    """EndNote/Scopus put ISBNs in SN; PubMed abbreviates end pages (SP 1002, EP 9)."""
    endnote = real("endnote-crlf.ris")
    book = next(w for w in endnote.works if w.type == "book")
    assert (book.issn, book.isbn) == (None, "9781412974109")  # SN 978-1-4129-7410-9
    assert endnote.works[0].issn == "0003-1224"
    conference = real("scopus.ris").works[1]
    assert (conference.issn, conference.isbn) == (None, "9781665439398")  # "... (ISBN)"
    pubmed = real("pubmed.ris").works[0]
    assert pubmed.pages == "1002-1009"
    assert (pubmed.issn, pubmed.container) == ("1541-0048", "American journal of public health")


def test_wos_ris_export_is_ris_with_its_lost_ty_and_stray_line_reported() -> None:
    """WoS's RIS export opens with `FN`/`VR` like its plain text, but is RIS."""
    path = REAL / "wos-export.ris"
    assert loader_for(path).name == "ris"
    result = real("wos-export.ris")
    assert (result.format, result.entries, result.loaded) == ("ris", 3, 2)
    reported = [
        (i.severity, i.source.line) for i in result.issues if i.severity is not Severity.INFO
    ]
    assert reported == [
        (Severity.ERROR, 21),  # AU/TI/PY/ER with no TY line
        (Severity.WARNING, 26),  # the last record has no ER
        (Severity.WARNING, 36),  # an untagged line after EP
    ]
    assert "no 'TY  -' line" in result.rejected[0].reason
    assert result.rejected[0].text.startswith("AU  - Orphan, Lost")
    sherman = result.works[1]
    assert (sherman.pages, sherman.doi) == ("625-648", "10.1080/07418829500096221")


def test_wos_utf16_tab_delimited_is_sniffed_and_a_truncated_one_still_loads(
    tmp_path: Path,
) -> None:
    """WoS "Tab-delimited (Win, UTF-16)": sniffed by content, whatever the file is called."""
    disguised = tmp_path / "savedrecs.csv"
    shutil.copy(REAL / "wos-tab-utf16.txt", disguised)
    assert loader_for(disguised).name == "wos"
    result = load(disguised)
    assert (result.entries, result.loaded) == (3, 3)
    assert work(result, "WOS:000360000000009").authors[0].kind == "organization"  # CA only
    truncated = tmp_path / "truncated.txt"
    truncated.write_bytes((REAL / "wos-tab-utf16.txt").read_bytes()[:2001])  # odd byte count
    result = load(truncated)
    check_counts(result)
    assert result.loaded == 2
    assert any("invalid UTF-16" in w.reason and w.source.line == 3 for w in result.warnings)


def test_wos_plain_text_concatenated_exports_and_record_kinds() -> None:
    result = real("wos-savedrecs-crlf-bom.txt")
    assert (result.entries, result.loaded) == (4, 4)
    weisburd = work(result, "WOS:000221285500002")
    assert weisburd.title == (
        "The Criminology of Place: Street Segments and Our Understanding of the Crime Problem"
    )
    assert weisburd.authors[0].orcid == "0000-0002-7086-7541"
    citations = [r for r in result.records if isinstance(r, Citation)]
    cited = {c.cited for c in citations if c.citing == weisburd.key}
    assert len(cited) == 9
    braga = work(result, "doi:10.1080/07418825.2012.673632")  # DOI [a, a.]
    assert (braga.year, braga.volume, braga.pages) == (2014, "31", "633")
    assert work(result, "WOS:000350000000002").type == "chapter"  # PT C, no DT
    early = work(result, "WOS:000740000000001")  # Early Access: no PY, year from EA
    assert (early.year, early.type) == (2022, "article")


def test_scopus_2024_full_columns_and_references() -> None:
    """Every column Scopus offers; 126 references, one with "; " inside its title."""
    result = real("scopus-2024-full.csv")
    assert (result.entries, result.loaded) == (5, 5)
    mazerolle = work(result, "2-s2.0-84874119437")
    assert [a.name for a in mazerolle.authors][:2] == ["Mazerolle, Lorraine", "Antrobus, Emma"]
    assert mazerolle.authors[0].affiliation == "University of Queensland, Brisbane, QLD, Australia"
    assert (mazerolle.issn, mazerolle.pages) == ("0011-1384", "33-63")
    citations = [r for r in result.records if isinstance(r, Citation)]
    assert sum(c.citing == mazerolle.key for c in citations) == 126
    sherman = work(result, "2-s2.0-84874119437#ref-4")
    assert sherman.title == (
        "Hot spots of predatory crime: Routine activities and the criminology of place; "
        "a re-examination"
    )
    assert (sherman.year, sherman.container, sherman.volume, sherman.pages) == (
        1989, "Criminology", "27", "27-56",
    )  # fmt: skip
    who = work(result, "2-s2.0-84874119437#ref-5")
    assert [(a.kind, a.name) for a in who.authors] == [
        ("organization", "World Health Organization")
    ]
    assert (who.title, who.year) == ("World report on violence and health", 2002)
    jacobs = work(result, "2-s2.0-85071234567#ref-1")  # (1961) Title, , Publisher, City
    assert (jacobs.title, jacobs.year, jacobs.type) == (
        "The death and life of great American cities", 1961, "book",
    )  # fmt: skip
    assert (jacobs.publisher, jacobs.authors[0].family) == ("Random House, New York", "Jacobs")
    assert work(result, "2-s2.0-85098765432").authors == ()  # [No author name available]
    assert work(result, "2-s2.0-85040000001").title is None  # [No title available]


def test_scopus_older_export_references_with_embedded_years() -> None:
    """Pre-2020 order: `Cohen, L., Felson, M., Title (1979) Source, 44, pp. 588-608`."""
    result = real("scopus-2018-quoted.csv")
    assert (result.entries, result.loaded) == (2, 2)
    beato = work(result, "2-s2.0-13244250000")
    assert [a.name for a in beato.authors] == [
        "Beato Filho, C.C.",
        "Peixoto, B.T.",
        "Andrade, M.V.",
    ]
    assert (
        beato.authors[0].affiliation == "UFMG, Belo Horizonte, Brazil"
    )  # `Beato Filho, C.C., UFMG`
    cohen = work(result, "2-s2.0-13244250000#ref-1")
    assert [a.name for a in cohen.authors] == ["Cohen, L.", "Felson, M."]
    assert cohen.title == "Social change and crime rate trends: A routine activity approach"
    assert (cohen.year, cohen.container, cohen.volume, cohen.pages) == (
        1979, "American Sociological Review", "44", "588-608",
    )  # fmt: skip
    cano = work(result, "2-s2.0-13244250000#ref-2")
    assert (cano.year, cano.title) == (1997, "Letalidade da ação policial no Rio de Janeiro")


def test_inline_markup_leaves_no_space_before_punctuation() -> None:
    """Crossref `<scp>Latin America</scp>: a review` is `Latin America: a review`."""
    result = real("crossref-bare-list.json")
    gomez = work(result, "doi:10.1016/j.jcrimjus.2020.101700")
    assert gomez.title == "Hot spots policing in Latin America: a review"
    assert gomez.year == 2020  # issued [[null]], published-online 2020
    assert [(a.kind, a.name) for a in gomez.authors] == [
        ("person", "Gómez, Ana"),
        ("organization", "Crime Lab Consortium"),
    ]
    openalex = real("openalex-api-page.json")
    assert work(openalex, "W3000000002").title == (
        "Violencia y seguridad ciudadana en América Latina"
    )


def test_csl_json_particles_suffixes_dates_and_wrappers() -> None:
    result = real("zotero-csl.json")
    assert (result.entries, result.loaded) == (6, 6)
    chapter = work(result, "vanDijk2008")
    assert [(a.family, a.given) for a in chapter.authors] == [
        ("van Dijk", "Jan"),
        ("Beethoven", "Ludwig van"),
        ("King Jr.", "Martin Luther"),
    ]
    assert chapter.year == 2008  # {"raw": "2008"}
    assert work(result, "season1").year == 2015
    assert work(result, "literaldate").year == 2013  # {"literal": "circa 2013"}
    assert work(result, "strparts").year == 2021  # date-parts as strings
    assert work(result, "ABCD2346").authors[0].kind == "organization"  # {"literal": ...}
    mendeley = real("mendeley-items.json")  # {"items": [...]}
    assert [w.key for w in mendeley.works] == ["ITEM-1", "ITEM-2"]
    assert "no_year" in work(mendeley, "ITEM-2").flags  # date-parts [[""]]
    assert real("csl-single.json").works[0].title == "The Death and Life of Great American Cities"


def test_scopus_resaved_by_excel_semicolons_and_windows_1252() -> None:
    """Excel in a Spanish locale re-saves the export with `;` and in Windows-1252."""
    result = real("scopus-excel-semicolon-cp1252.csv")
    assert (result.format, result.entries, result.loaded) == ("scopus-csv", 2, 2)
    assert any("Windows-1252" in w.reason and w.source.line == 2 for w in result.warnings)
    vilalta = work(result, "2-s2.0-85071234567")
    assert vilalta.title and vilalta.title.startswith("Prevención del delito en el espacio público")
    assert [a.name for a in vilalta.authors] == ["Vilalta, Carlos J.", "Fondevila, Gustavo"]
    assert len([r for r in result.records if isinstance(r, Citation)]) == 3


def test_windows_1252_quotes_are_not_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "endnote.ris"
    path.write_bytes(
        "TY  - JOUR\nTI  - ‘Broken windows’ – revisited\nPY  - 2001\nER  - \n".encode("cp1252")
    )
    assert load(path).works[0].title == "‘Broken windows’ – revisited"


def test_scopus_references_cell_over_csv_field_limit_loads(tmp_path: Path) -> None:
    """csv's default 128 KiB field limit rejected a row citing a few thousand works."""
    header = '"Authors","Title","Year","Source title","References","EID"\n'
    refs = "; ".join(
        f"Quispe A., Crime prevention study {i}, Revista Peruana, {i}, 2, pp. 1-20, (2015)"
        for i in range(2500)
    )
    path = tmp_path / "scopus.csv"
    path.write_text(header + f'"Soto M.","Big review","2020","J","{refs}","2-s2.0-1"\n')
    result = load(path)
    assert (result.entries, result.loaded, result.rejected) == (1, 1, [])
    assert len([r for r in result.records if isinstance(r, Citation)]) == 2500


def test_bibtex_crossref_et_al_quotes_and_broken_blocks() -> None:
    result = real("bibtex-quirks.bib")
    assert (result.entries, result.loaded) == (7, 5)
    assert [(i.source.line, i.reason) for i in result.rejected] == [
        (18, "malformed entry: Expected comma after entry key, but found ="),
        (20, "entry has no title, authors or DOI"),
    ]
    lopez = work(result, "lopez2020")  # crossref = {icus2020}
    assert lopez.container == "Proceedings of the International Conference on Urban Safety"
    assert (lopez.publisher, [e.name for e in lopez.editors]) == ("ACM", ["Smith, John"])
    assert (lopez.year, "no_year" in lopez.flags) == (None, True)  # year = {in press}
    assert [a.name for a in lopez.authors] == ["López, María", "Durkheim, Émile", "Díaz Jr., José"]
    tonry = work(result, "monthdot")  # `and et al.`
    assert ([a.name for a in tonry.authors], tonry.flags) == (["Tonry, Michael"], ("more_authors",))
    assert work(result, "quoted").title == 'The “broken windows” "thesis"'
    assert work(result, "afterComment").title == "After a broken comment"


def test_ris_et_al_empty_tags_and_repeated_ids() -> None:
    result = real("ris-quirks.ris")
    assert (result.entries, result.loaded) == (3, 3)
    first = result.works[0]
    assert ([a.name for a in first.authors], first.year) == (["Cohen, LE"], 2019)
    assert [w.key for w in result.works] == ["ris1", "dup", "dup-2"]


# --- the review's other databases: EBSCOhost, ProQuest, SciELO, PubMed; other CSVs ----


def test_ebscohost_ris_accession_ids_isbn_and_reports() -> None:
    result = real("ebscohost.ris")
    assert (result.entries, result.loaded, result.format) == (4, 4, "ris")
    bogota = work(result, "152304417")  # ID is the accession number
    assert [a.name for a in bogota.authors] == ["Pérez García, Juan", "Muñoz, Ana Lucía"]
    assert (bogota.year, bogota.issn, bogota.doi) == (2021, "1794-3108", "10.47741/17943108.301")
    assert bogota.abstract and bogota.abstract.endswith("victimisation did not change.")
    assert bogota.url and bogota.url.startswith("https://search.ebscohost.com/")
    book = work(result, "1842213")
    assert (book.type, book.isbn, book.issn, book.year) == ("book", "9781464806643", None, 2017)
    eric = work(result, "ED598712")
    assert (eric.type, [a.kind for a in eric.authors]) == ("report", ["organization"])


def test_proquest_ris_keys_theses_news_and_resolver_dois() -> None:
    result = real("proquest.ris")
    assert (result.entries, result.loaded) == (4, 4)
    # No ID tag: the AN accession number is the key, not the line.
    assert [w.key for w in result.works] == ["2283847122", "2468013579", "2301122334", "1990123456"]
    trial = result.works[0]
    assert (trial.doi, trial.issn, trial.pages) == (
        "10.1007/s11292-019-09390-1",
        "1573-3750",
        "437-465",
    )
    thesis = result.works[1]
    assert (thesis.type, thesis.isbn, thesis.year) == ("thesis", "9798662547810", 2020)
    assert [a.name for a in thesis.authors] == ["Quispe Mamani, Rosa"]
    assert (
        thesis.title
        == "Prevención situacional del delito en Lima Metropolitana: un estudio de casos"
    )
    news = result.works[2]
    assert (news.type, news.container, news.authors) == ("article", "Chicago Tribune", ())


def test_proquest_source_types_are_work_types_without_a_warning() -> None:
    result = real("proquest-source-types.ris")
    assert (result.entries, result.loaded, result.warnings) == (4, 4, [])
    assert [(w.key, w.type) for w in result.works] == [
        ("2512345678", "article"),  # Scholarly Journals
        ("2623456789", "thesis"),  # Dissertations & Theses
        ("2734567890", "chapter"),  # Conference Papers & Proceedings: a part of a proceedings
        ("2845678901", "article"),  # Trade Journals
    ]
    journal, thesis, paper, trade = result.works
    assert (journal.container, journal.issn, journal.pages) == (
        "Journal of Experimental Criminology", "1573-3750", "201-225",
    )  # fmt: skip
    assert (thesis.isbn, thesis.publisher) == ("9798351234567", "Northeastern University")
    assert paper.container == "2020 IEEE International Conference on Smart Cities"
    assert (trade.container, trade.volume, trade.issue) == ("Police Chief", "90", "4")


def test_scielo_ris_bibtex_and_citation_index_agree() -> None:
    ris, bib, wos = real("scielo.ris"), real("scielo.bib"), real("scielo-citation-index.txt")
    for result in (ris, bib, wos):
        first = result.works[0]
        assert (
            first.title == "Violencia urbana y prevención del delito en Lima: un análisis espacial"
        )
        assert (first.doi, first.year, first.pages) == (
            "10.15446/rsap.v21n3.78321",
            2019,
            "312-320",
        )
        assert first.authors[0].family == "Pérez García" and first.authors[0].given == "Juan"
        assert first.type == "article"  # WoS DT `research-article` (JATS) included
    assert [a.name for a in ris.works[0].authors][1:] == [
        "Gonçalves, Maria da Conceição",
        "Núñez-Ibáñez, José Ángel",
    ]
    assert [a.name for a in bib.works[0].authors] == [a.name for a in ris.works[0].authors]
    # One `KW  - a; b; c` line is several keywords.
    assert ris.works[0].keywords == (
        "violencia",
        "prevención del delito",
        "análisis espacial",
        "Perú",
    )


def test_pubmed_medline_nbib() -> None:
    result = real("pubmed.nbib")
    assert (result.format, result.entries, result.loaded, result.rejected) == ("medline", 3, 3, [])
    trial = work(result, "31120654")
    assert trial.title == (
        "Violence Prevention Through Urban Greening: A Cluster Randomized Trial of "
        "Vacant Lot Remediation in Philadelphia"
    )  # continuation line joined, MEDLINE's closing period dropped
    assert [a.name for a in trial.authors] == ["Branas, Charles C", "MacDonald, John M"]
    assert trial.authors[0].orcid == "0000-0002-1825-0097"
    assert (trial.year, trial.doi, trial.issn) == (2019, "10.2105/ajph.2019.305101", "0090-0036")
    assert (trial.container, trial.volume, trial.issue, trial.pages) == (
        "American journal of public health", "109", "7", "1002-1009",
    )  # fmt: skip
    assert (trial.type, trial.url) == ("article", "https://pubmed.ncbi.nlm.nih.gov/31120654/")
    translated = work(result, "29455678")
    assert translated.title == (
        "Homicide and urban violence in Latin American cities: a systematic review"
    )  # `[...]`: translated title, brackets gone
    assert [a.name for a in translated.authors] == [
        "Pérez García, Juan",
        "Gonçalves, Maria da Conceição",
        "Grupo de Estudios sobre Violencia Urbana",
    ]
    assert (translated.doi, translated.pages) == ("10.26633/rpsp.2018.67", "e67")
    chapter = work(result, "30725678")
    assert (chapter.type, chapter.container, chapter.publisher) == (
        "chapter", "StatPearls", "StatPearls Publishing",
    )  # fmt: skip
    assert [e.name for e in chapter.editors] == ["Smith, Anne"]


def test_medline_record_without_pmid_and_stray_line(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_text(
        "PMID- 1\nTI  - First.\nDP  - 2001\n\nTI  - No PMID here.\nAU  - Cohen LE\n"
        "stray text\nDP  - 2002\n"
    )
    result = load(path)
    assert (result.format, result.entries, result.loaded) == ("medline", 2, 2)
    assert [(w.key, w.title, w.year) for w in result.works] == [
        ("1", "First", 2001),
        ("record5", "No PMID here", 2002),
    ]
    assert [(i.source.line, i.reason) for i in result.warnings] == [
        (5, "record has no PMID line"),
        (7, "line is no MEDLINE tag and continues none: 'stray text'"),
    ]


def test_zotero_csv_is_no_scopus_csv() -> None:
    """Zotero's CSV export used to fall to the Scopus loader by suffix: no authors, no year."""
    result = real("zotero.csv")
    assert (result.format, result.entries, result.loaded) == ("csv", 5, 5)
    cohen = work(result, "ABCD1234")
    assert [a.name for a in cohen.authors] == ["Cohen, Lawrence E.", "Felson, Marcus"]
    assert (cohen.year, cohen.type, cohen.container) == (
        1979,
        "article",
        "American Sociological Review",
    )
    assert (cohen.doi, cohen.pages, cohen.volume, cohen.issue) == (
        "10.2307/2094589",
        "588-608",
        "44",
        "4",
    )
    assert cohen.keywords == ("routine activities", "crime trends")
    assert cohen.abstract and "likely offenders" in cohen.abstract  # a quoted line break
    assert [w.type for w in result.works] == ["article", "book", "chapter", "thesis", "report"]
    assert [w.source.line for w in result.works] == [2, 4, 5, 6, 7]
    chapter = work(result, "IJKL9012")
    assert [e.name for e in chapter.editors] == ["Wortley, Richard", "Mazerolle, Lorraine"]
    assert work(result, "QRST7890").authors[0].kind == "organization"


def test_dimensions_lens_and_publish_or_perish_csv() -> None:
    dimensions = real("dimensions.csv")  # an "About the data" line before the header
    assert (dimensions.format, dimensions.entries, dimensions.loaded) == ("csv", 3, 3)
    assert [w.source.line for w in dimensions.works] == [3, 4, 5]
    greening = dimensions.works[0]
    assert (greening.year, greening.pages, greening.doi) == (
        2019,
        "1002-1009",
        "10.2105/ajph.2019.305101",
    )
    assert [w.type for w in dimensions.works] == ["article", "article", "chapter"]
    lens = real("lens.csv")
    cohen = lens.works[0]
    assert [a.name for a in cohen.authors] == ["Cohen, Lawrence E.", "Felson, Marcus"]
    assert (cohen.year, cohen.pages, cohen.issn) == (1979, "588-608", "0003-1224")
    assert not any(isinstance(r, Citation) for r in lens.records)  # Lens IDs, not references
    pop = real("publish-or-perish.csv")
    assert [a.name for a in pop.works[0].authors] == ["Cohen, LE", "Felson, M"]
    clarke = pop.works[1]
    assert (len(clarke.authors), clarke.flags) == (4, ("authors_truncated",))
    assert [a.name for a in pop.works[2].authors] == ["Pérez García, J", "Gonçalves, MC"]


def test_dimensions_csv_without_its_preamble_is_not_scopus(tmp_path: Path) -> None:
    """Dimensions' header has `Source title` and `Authors` too, but `PubYear`, not `Year`."""
    lines = (REAL / "dimensions.csv").read_text().split("\n")[1:]
    path = tmp_path / "dimensions.csv"
    path.write_text("\n".join(lines))
    result = load(path)
    assert result.format == "csv"
    assert [w.year for w in result.works] == [2019, 2019, 2013]


@pytest.mark.parametrize(
    "name", ["scopus.csv", "real/zotero.csv", "real/scopus-2024-full.csv", "real/lens.csv"]
)
def test_header_only_export_is_a_warning(name: str, tmp_path: Path) -> None:
    source = FIXTURES / name
    path = tmp_path / f"header{source.suffix}"
    path.write_bytes(source.read_bytes().split(b"\n")[0] + b"\n")
    result = load(path)
    assert result.format == loader_for(source).name
    assert (result.entries, result.loaded, result.rejected) == (0, 0, [])
    assert [w.reason for w in result.warnings] == ["no entries found"]


def test_ris_with_classic_mac_line_ends_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    text = "Provider: EBSCOhost\n\nTY  - JOUR\nTI  - One\nPY  - 2001\nER  - \n"
    path.write_bytes((text + text.replace("One", "Two")).replace("\n", "\r").encode())
    result = load(path)
    assert (result.format, result.loaded) == ("ris", 2)
    assert [(w.title, w.source.line) for w in result.works] == [("One", 3), ("Two", 9)]


def test_three_megabyte_bibtex_loads_in_seconds(tmp_path: Path) -> None:
    entry = (
        "@article{{key{n},\n  author = {{P{{\\'e}}rez Garc{{\\'\\i}}a, Juan and Smith, John}},\n"
        "  title = {{Urban crime prevention number {n}}},\n  journal = {{Revista}},\n"
        "  year = {{{year}}},\n  pages = {{{n}--{m}}},\n  doi = {{10.1234/x.{n}}},\n"
        "  abstract = {{{abstract}}}\n}}\n"
    )
    abstract = "situational crime prevention in Latin American cities " * 28
    path = tmp_path / "big.bib"
    path.write_text(
        "\n".join(
            entry.format(n=n, m=n + 9, year=1980 + n % 40, abstract=abstract) for n in range(2000)
        )
    )
    assert path.stat().st_size > 3_000_000
    started = time.perf_counter()
    result = load(path)
    assert time.perf_counter() - started < 20
    assert (result.entries, result.loaded, result.rejected) == (2000, 2000, [])
    assert result.works[1999].authors[0].name == "Pérez García, Juan"


def test_bibtex_missing_comma_is_read_as_the_fields_it_hides(tmp_path: Path) -> None:
    """`title = {...}` then a line break and `year = {...}` with no comma between."""
    path = tmp_path / "hand-edited.bib"
    path.write_text(
        "@article{braces,\n  author = {Ruiz, Ana},\n  title = {Lights and theft}\n"
        "  year = {2020},\n  journal = {Crime Science}\n}\n\n"
        '@article{quotes,\n  author = "Vega, Luis",\n  title = "Guardians on buses"\n'
        '  year = "2019"\n  volume = 4,\n}\n\n'
        "@article{fine,\n  title = {{CCTV} in {Lima}},\n  author = {Soto, J.},\n  year = 2018\n}\n"
    )
    result = get("bibtex").load(path)
    works = {w.key: w for w in result.records if isinstance(w, Work)}
    assert (works["braces"].title, works["braces"].year) == ("Lights and theft", 2020)
    assert works["braces"].container == "Crime Science"
    assert (works["quotes"].title, works["quotes"].year) == ("Guardians on buses", 2019)
    assert works["quotes"].volume == "4"
    assert (works["fine"].title, works["fine"].year) == ("CCTV in Lima", 2018)
    warnings = [str(i) for i in result.issues if i.severity is Severity.WARNING]
    assert warnings == [
        f"{path}:1: warning: braces: a comma seems missing after field(s) title; "
        "read as separate fields",
        f"{path}:8: warning: quotes: a comma seems missing after field(s) title, year; "
        "read as separate fields",
    ]
