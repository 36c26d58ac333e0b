"""PDF, DOCX, ODT and HTML reviews give the records their text gives, placed in the original.

The fixtures are the bundled example review rendered here (bench/documents.py): a
two-column PDF with a running head, page numbers, line-end hyphens, fi/fl ligatures and a
reference list crossing a column and a page; a DOCX and an ODT with Zotero and Mendeley
citation fields; an HTML page.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pdfminer.high_level import extract_text

from citegraph.cli import main
from citegraph.graph.ingest import load_file
from citegraph.loaders.documents.pdf import compose, read_pages
from citegraph.loaders.documents.pdf_layout import PdfLine, join_wrapped_cells
from citegraph.loaders.documents.text import Run
from citegraph.loaders.records import (
    Citation,
    Finding,
    LoadResult,
    Record,
    Severity,
    UnresolvedCitation,
    Work,
)
from citegraph.loaders.registry import load, loader_for

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "citizen-security-example.md"
TABLE = (
    "Table 1. Studies coded for the example\n\n"
    "Cayro Ríos, A. M. (2019)\tNeighbourhood councils run patrols with the police in Arequipa.\n"
    "Cozens, P. (2008)\tDesign guidance for safer streets in Western Australia.\n\n"
)


DOCS = sys.modules["documents"]  # bench/documents.py, loaded by conftest


def _with_table(markdown: str) -> str:
    """The example with a table of citations before its reference list."""
    return markdown.replace("#### **REFERENCES**", TABLE + "#### **REFERENCES**")


def _csl(work: Work) -> dict[str, Any]:
    item: dict[str, Any] = {
        "type": "article-journal",
        "title": work.title,
        "author": [{"family": a.family, "given": a.given} for a in work.authors],
        "issued": {"date-parts": [[work.year]]},
    }
    return item


@pytest.fixture(scope="module")
def text() -> LoadResult:
    return load(EXAMPLE)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("documents")
    markdown = EXAMPLE.read_text(encoding="utf-8")
    return {
        "pdf": DOCS.review_pdf(markdown, folder / "review.pdf"),
        "docx": DOCS.review_docx(markdown, folder / "review.docx"),
        "odt": DOCS.review_odt(markdown, folder / "review.odt"),
        "html": DOCS.review_html(markdown, folder / "review.html"),
    }


def comparable(record: Record) -> tuple[str, tuple[tuple[str, Any], ...]]:
    """A record without where it was read (its Source, and `raw`: the entry as printed,
    which a PDF prints without the Markdown link syntax)."""
    fields = dataclasses.fields(record)  # type: ignore[arg-type]
    values = {f.name: getattr(record, f.name) for f in fields if f.name not in ("source", "raw")}
    return type(record).__name__, tuple(sorted(values.items()))


@pytest.mark.parametrize("fmt", ["pdf", "docx", "odt", "html"])
def test_every_format_gives_the_records_of_the_text(
    fmt: str, text: LoadResult, rendered: dict[str, Path]
) -> None:
    assert loader_for(rendered[fmt]).name == fmt
    result = load(rendered[fmt])
    assert result.format == fmt
    assert (result.entries, result.loaded, len(result.rejected)) == (44, 44, 0)
    expected = [comparable(r) for r in text.records]
    assert len(expected) > 100
    assert [comparable(r) for r in result.records] == expected
    assert {r.source.loader for r in result.records} == {fmt}


def test_formats_are_told_by_content_not_suffix(rendered: dict[str, Path], tmp_path: Path) -> None:
    for fmt, path in rendered.items():
        disguised = tmp_path / f"{fmt}-export.bin"
        disguised.write_bytes(path.read_bytes())
        assert loader_for(disguised).name == fmt


def _pdf_lines(path: Path) -> dict[tuple[int, int], Any]:
    return {(p.number, ln.line): ln for p in read_pages(path) for ln in p.lines}


def test_pdf_records_name_page_and_line(rendered: dict[str, Path]) -> None:
    path = rendered["pdf"]
    result = load(path)
    lines = _pdf_lines(path)
    assert all(r.source.page is not None for r in result.records)
    finding = next(
        r for r in result.records if isinstance(r, Finding) and "designed out" in r.sentence
    )
    assert lines[(finding.source.page, finding.source.line)].text.startswith(  # type: ignore[index]
        "Environmental design is the second strand"
    )
    assert str(finding.source) == f"{path}:p1:{finding.source.line}"
    works = {w.authors[0].family: w for w in result.works if w.authors}
    assert works["Van Dijk"].source.page == 3
    start = lines[(works["Van Dijk"].source.page, works["Van Dijk"].source.line)]  # type: ignore[index]
    assert start.text.startswith("Van Dijk, J. (2008).")


def test_pdf_reference_list_crosses_a_column_and_a_page(rendered: dict[str, Path]) -> None:
    """Entries with lines in the next column or on the next page before the next entry
    starts: their continuation was joined across the break (and parsed as in the text)."""
    path = rendered["pdf"]
    result = load(path)
    order = [
        key for page in read_pages(path) for key in ((page.number, ln.line) for ln in page.lines)
    ]
    placed = _pdf_lines(path)
    starts = {(w.source.page, w.source.line) for w in result.works if not w.is_document}
    crossings = set()
    for work in result.works:
        if work.is_document:
            continue
        here = (work.source.page, work.source.line)
        position = order.index(here) + 1
        while position < len(order) and order[position] not in starts:
            line, first = placed[order[position]], placed[here]  # type: ignore[index]
            if line.page != first.page:
                crossings.add("page")
            elif line.column != first.column:
                crossings.add("column")
            position += 1
    assert crossings == {"page", "column"}
    clarke = next(w for w in result.works if w.title and w.title.startswith("Diffusion"))
    assert clarke.url and clarke.url.endswith("/Library/CrimePrevention/Volume_02/08clarke.pdf")


def test_pdf_traps_are_undone(rendered: dict[str, Path]) -> None:
    path = rendered["pdf"]
    raw = extract_text(str(path))
    doc = compose(path, read_pages(path))
    joined = "\n".join(doc.lines)
    # the traps are in the PDF ...
    assert DOCS.RUNNING_HEAD in raw and "\ufb01" in raw
    broken = re.findall(r"(\w+)-\n(\w+)", raw)
    assert len(broken) >= 3
    # ... and not in what the review loader reads
    assert DOCS.RUNNING_HEAD not in joined and "\ufb01" not in joined
    for head, tail in broken:
        assert f"{head}{tail}" in joined or f"{head}-{tail}" in joined
    assert "results-based budget" in joined and "School-based programs" in joined
    assert not any(line.strip().isdigit() for line in doc.lines)  # page numbers
    assert "*Xihmai*" in joined  # italics reach the reference parser


def test_pdf_numbered_reference_list(tmp_path: Path) -> None:
    markdown = (
        "# Numbered references in a short note\n\n## Introduction\n\n"
        "Routine activities explain victimisation [1], and design removes chances [2].\n\n"
        "## References\n\n"
        "1. Cohen, L. E., & Felson, M. (1979). Social change and crime rate trends. "
        "*American Sociological Review*, 44(4), 588-608.\n"
        "2. Cozens, P. (2008). Crime prevention through environmental design in Western "
        "Australia. *International Journal of Sustainable Development and Planning*, 3(3), "
        "272-292.\n"
        "3. Hirschi, T. (1969). *Causes of Delinquency*. University of California Press.\n"
    )
    path = DOCS.review_pdf(markdown, tmp_path / "numbered.pdf", columns=1)
    result = load(path)
    assert [(w.authors[0].family, w.year) for w in result.works if not w.is_document] == [
        ("Cohen", 1979),
        ("Cozens", 2008),
        ("Hirschi", 1969),
    ]
    cited = {c.cited for c in result.records if isinstance(c, Citation)}
    keys = {w.authors[0].family: w.key for w in result.works if not w.is_document}
    assert cited == {keys["Cohen"], keys["Cozens"]}  # `[1]` and `[2]`; Hirschi is uncited


def test_pdf_footnote_citation_style_is_flagged(tmp_path: Path, rendered: dict[str, Path]) -> None:
    """Citations in footnotes and no reference list: one warning naming a note, and the
    notes kept out of the text (they were read as citations with no entry before)."""
    path = DOCS.footnoted_pdf(tmp_path / "notes.pdf")
    result = load(path)
    [flag] = [w for w in result.warnings if "footnote citation style" in w.reason]
    assert "6 footnotes cite works (such as '1 Travis Hirschi, Causes of" in flag.reason
    assert (flag.source.page, flag.source.line) == (1, _pdf_line(path, 1, "1 Travis Hirschi"))
    assert not [r for r in result.records if isinstance(r, UnresolvedCitation)]
    assert not any("has no reference entry" in w.reason for w in result.warnings)
    assert [w.is_document for w in result.works] == [True]
    # a paper with a reference list is not flagged
    assert not any("footnote" in w.reason for w in load(rendered["pdf"]).warnings)


def _pdf_line(path: Path, page: int, start: str) -> int:
    return next(
        ln.line
        for p in read_pages(path)
        if p.number == page
        for ln in p.lines
        if ln.text.startswith(start)
    )


def _fields(text: LoadResult) -> dict[str, str]:
    works = {w.authors[0].family: w for w in text.works if w.authors and not w.is_document}
    eckblom = {**_csl(works["Eckblom"]), "DOI": "10.1177/0002716295539001009"}
    hirschi = {**_csl(works["Hirschi"]), "DOI": "10.4324/9781315081649"}
    cozens_wrong_year = {**_csl(works["Cozens"]), "issued": {"date-parts": [[2009]]}}
    unlisted = {
        "type": "article-journal",
        "title": "Broken windows",
        "author": [{"family": "Wilson", "given": "James Q."}, {"family": "Kelling"}],
        "issued": {"date-parts": [[1982]]},
        "DOI": "10.1000/broken-windows",
    }
    return {
        "Hirschi (1969)": DOCS.csl_citation([hirschi], "Hirschi (1969)"),
        "Eckblom (1995)": DOCS.csl_citation([eckblom], "Eckblom (1995)", zotero=False),
        "Cozens (2008)": DOCS.csl_citation([cozens_wrong_year, unlisted], "Cozens (2008)"),
    }


@pytest.mark.parametrize("fmt", ["docx", "odt"])
def test_citation_fields_link_the_exact_item(fmt: str, text: LoadResult, tmp_path: Path) -> None:
    markdown = EXAMPLE.read_text(encoding="utf-8")
    render = DOCS.review_docx if fmt == "docx" else DOCS.review_odt
    path = render(markdown, tmp_path / f"fields.{fmt}", _fields(text))
    result = load(path)
    works = {w.authors[0].family: w for w in result.works if w.authors and not w.is_document}
    # the list prints no DOI for Hirschi (1969); its Zotero field has one
    assert works["Hirschi"].doi == "10.4324/9781315081649"
    assert "doi_from_field" in works["Hirschi"].flags
    # the Mendeley field agrees with the list's DOI: linked, nothing changed
    assert works["Eckblom"].flags == ()
    # a cited item the reference list lacks becomes a work the document cites
    assert works["Wilson"].doi == "10.1000/broken-windows"
    assert "from_citation_field" in works["Wilson"].flags
    cited = {r.cited: r for r in result.records if isinstance(r, Citation)}
    assert "from_field" in cited[works["Wilson"].key].flags
    # the field says 2009 where the text prints 2008: linked, flagged and reported
    assert "field_mismatch" in cited[works["Cozens"].key].flags
    # ... and so does the item the printed citation leaves out
    warned = sorted(w.reason for w in result.warnings if "citation field cites" in w.reason)
    assert [w.split(" but ")[0] for w in warned] == [
        "citation field cites Cozens 2009",
        "citation field cites Wilson 1982, doi 10.1000/broken-windows",
    ]
    assert all(w.endswith("the text prints 'Cozens (2008)'") for w in warned)
    assert result.entries == result.loaded + len(result.rejected) == 45
    # everything else is the text's
    unchanged = {comparable(r) for r in text.records}
    changed = [r for r in result.records if comparable(r) not in unchanged]
    assert {type(r).__name__ for r in changed} == {"Work", "Citation"}
    assert len(changed) <= 6


def _one_column_pdf(markdown: str, out: Path) -> Path:
    return DOCS.review_pdf(markdown, out, columns=1)


@pytest.mark.parametrize("fmt", ["docx", "odt", "html", "pdf", "pdf-wrapped"])
def test_citations_inside_a_table(fmt: str, tmp_path: Path) -> None:
    """A PDF table's cells are pieces of one printed row: they come out as a tab row. In
    two columns its cells wrap onto a second printed line, which joins its row."""
    markdown = _with_table(EXAMPLE.read_text(encoding="utf-8"))
    text_path = tmp_path / "table.md"
    text_path.write_text(markdown.replace("Table 1.", "Table 1."), encoding="utf-8")
    render = {
        "docx": DOCS.review_docx,
        "odt": DOCS.review_odt,
        "html": DOCS.review_html,
        "pdf": _one_column_pdf,
        "pdf-wrapped": DOCS.review_pdf,
    }[fmt]
    path = render(markdown, tmp_path / f"table.{fmt.split('-')[0]}")
    if fmt == "pdf-wrapped":  # the trap is set: no cell of the table fits its line
        printed = extract_text(str(path))
        assert "in Arequipa." in printed and "with the police in Arequipa." not in printed
        assert "Cayro Ríos, A. M. (2019)\n" not in printed
    result, expected = load(path), load(text_path)
    assert [comparable(r) for r in result.records] == [comparable(r) for r in expected.records]
    cayro = next(
        r
        for r in result.records
        if isinstance(r, Citation) and "Neighbourhood councils run patrols" in " ".join(r.contexts)
    )
    assert cayro.count == 2  # its body paragraph and its table row


def test_docx_footnotes_and_endnotes_are_read_in_their_paragraph(
    text: LoadResult, tmp_path: Path
) -> None:
    """Word's own note parts (word/footnotes.xml, word/endnotes.xml): the citations in a
    note are found, and placed at the paragraph that calls the note."""
    import docx

    path = DOCS.review_docx(EXAMPLE.read_text(encoding="utf-8"), tmp_path / "notes.docx")
    calling = "Environmental design is the second strand"
    DOCS.with_notes(
        path,
        [
            ("footnote", calling, "On the bonds that hold, see Hirschi (1969), chapter 2."),
            (
                "endnote",
                "Community participation recurs",
                "Wilson and Kelling (1982) put the broken windows.",
            ),
        ],
    )
    paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
    number = {
        phrase: next(i for i, t in enumerate(paragraphs, 1) if phrase in t)
        for phrase in (calling, "Community participation recurs")
    }
    assert number[calling] != number["Community participation recurs"]
    result = load(path)
    before = {r.cited: r for r in text.records if isinstance(r, Citation)}
    after = {r.cited: r for r in result.records if isinstance(r, Citation)}
    hirschi = next(w.key for w in result.works if w.authors and w.authors[0].family == "Hirschi")
    assert after[hirschi].count == before[hirschi].count + 1
    assert "On the bonds that hold, see Hirschi (1969), chapter 2." in after[hirschi].contexts
    [wilson] = [r for r in result.records if isinstance(r, UnresolvedCitation)]
    assert (wilson.text, wilson.context) == (
        "Wilson and Kelling (1982)",
        "Wilson and Kelling (1982) put the broken windows.",
    )
    assert (wilson.source.line, wilson.source.loader) == (
        number["Community participation recurs"],
        "docx",
    )
    assert {comparable(r) for r in result.works} == {comparable(r) for r in text.works}


def _encrypted(tmp_path: Path) -> Path:
    from reportlab.lib import pdfencrypt

    return DOCS.review_pdf(
        "# A locked review\n\n## References\n",
        tmp_path / "locked.pdf",
        encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0),
    )


def _truncated(source: Path, target: Path) -> Path:
    target.write_bytes(source.read_bytes()[: len(source.read_bytes()) // 3])
    return target


def _not_a_package(target: Path, inner: str) -> Path:
    with zipfile.ZipFile(target, "w") as package:
        package.writestr(inner, "<broken")
    return target


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        pytest.param(
            lambda t, r: DOCS.scanned_pdf(t / "scan.pdf"),
            "no text layer: run OCR first",
            id="scanned",
        ),
        pytest.param(lambda t, r: _encrypted(t), "encrypted PDF", id="encrypted"),
        pytest.param(lambda t, r: _truncated(r["pdf"], t / "cut.pdf"), "PDF", id="truncated-pdf"),
        pytest.param(
            lambda t, r: _truncated(r["docx"], t / "cut.docx"), "corrupted", id="truncated-docx"
        ),
        pytest.param(
            lambda t, r: _not_a_package(t / "bad.docx", "word/document.xml"),
            "corrupted",
            id="bad-docx",
        ),
        pytest.param(
            lambda t, r: _truncated(r["odt"], t / "cut.odt"), "corrupted", id="truncated-odt"
        ),
    ],
)
def test_unreadable_documents_are_one_line_naming_the_file(
    make: Any, reason: str, tmp_path: Path, rendered: dict[str, Path]
) -> None:
    path = make(tmp_path, rendered)
    result = load_file(path, None)
    [issue] = result.issues
    assert issue.severity is Severity.ERROR and reason in issue.reason
    assert str(issue).startswith(f"{path}:1: error: ")
    assert "\n" not in str(issue) and "Traceback" not in str(issue)
    assert (result.entries, result.loaded) == (1, 0)


def test_ingest_carries_page_and_line_into_the_graph(
    runner: CliRunner, tmp_path: Path, rendered: dict[str, Path]
) -> None:
    store = tmp_path / "store"
    scan = DOCS.scanned_pdf(tmp_path / "scan.pdf")
    args = ["--store", str(store), "ingest", "--json", str(rendered["pdf"]), str(scan)]
    outcome = runner.invoke(main, args, catch_exceptions=False)
    assert outcome.exit_code == 0, outcome.output
    files = {Path(f["path"]).name: f for f in json.loads(outcome.stdout)["files"]}
    assert (files["review.pdf"]["format"], files["review.pdf"]["loaded"]) == ("pdf", 44)
    assert files["scan.pdf"]["warnings"] == [f"{scan}:1: error: no text layer: run OCR first"]
    query = "MATCH (w:Work) WHERE w.title STARTS WITH 'Less crime' RETURN w.sources AS sources"
    outcome = runner.invoke(
        main,
        ["--store", str(store), "query", "--engine", "embedded", "--json", query],
        catch_exceptions=False,
    )
    assert outcome.exit_code == 0, outcome.output
    [row] = json.loads(outcome.stdout)["rows"]
    result = load(rendered["pdf"])
    eckblom = next(w for w in result.works if w.title == "Less crime, by design")
    where = f"{rendered['pdf']}:p{eckblom.source.page}:{eckblom.source.line} (pdf)"
    assert row["sources"] == [where]


def _printed_line(top: float, *pieces: tuple[float, str], size: float = 8.0) -> PdfLine:
    """One printed line of a 400-point column, as pdfminer finds it (pieces at their x)."""
    x0 = pieces[0][0]
    x1 = pieces[-1][0] + 4.5 * len(pieces[-1][1])
    line = PdfLine(1, x0, x1, top, top + size, size, [])
    for number, (x, text) in enumerate(pieces):
        if number:
            line.runs.append(Run("\t"))
        line.runs.append(Run(text))
        line.cells.append(x)
    return line


def _rows(lines: list[PdfLine]) -> list[str]:
    return [ln.text for ln in join_wrapped_cells(lines)]


def test_a_wrapped_cell_joins_its_row_cell_by_cell() -> None:
    """Rows parted by more space than their lines: every line within a row joins it, in
    the cell it starts in, whichever cells wrapped."""
    lines = [
        _printed_line(100, (50, "Cayro Ríos, A."), (150, "Councils run patrols with")),
        _printed_line(111, (50, "M. (2019)"), (150, "the police.")),
        _printed_line(129, (50, "Cozens, P. (2008)"), (150, "Design guidance for")),
        _printed_line(140, (150, "safer streets.")),
    ]
    assert _rows(lines) == [
        "Cayro Ríos, A. M. (2019)\tCouncils run patrols with the police.",
        "Cozens, P. (2008)\tDesign guidance for safer streets.",
    ]


def test_evenly_spaced_rows_stay_rows_unless_their_first_cell_is_empty() -> None:
    """Without extra space between rows only a line whose first cell is empty can be a
    wrap; a paragraph below the table, wider than a cell, is never part of it."""
    lines = [
        _printed_line(100, (50, "Cohen (1979)"), (150, "Routine activities and")),
        _printed_line(111, (150, "crime rate trends.")),
        _printed_line(122, (50, "Felson (2002)"), (150, "Crime and everyday life.")),
        _printed_line(133, (50, "Clarke (1997)"), (150, "Situational prevention.")),
        _printed_line(144, (50, "The studies above were coded by two readers, " * 2)),
    ]
    assert _rows(lines) == [
        "Cohen (1979)\tRoutine activities and crime rate trends.",
        "Felson (2002)\tCrime and everyday life.",
        "Clarke (1997)\tSituational prevention.",
        "The studies above were coded by two readers, " * 2,
    ]
