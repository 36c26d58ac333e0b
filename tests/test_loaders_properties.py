"""Properties every loader keeps whatever it is fed: no crash and no silent loss.

Random text and mutated fixtures may load or be rejected, but a loader never raises
(except NotText for binary input) and always accounts for each entry: entries ==
loaded + rejected. Well-formed generated exports must load completely.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citegraph.loaders import available
from citegraph.loaders.records import LoadResult
from citegraph.loaders.registry import get
from citegraph.loaders.text import NotText

FIXTURES = Path(__file__).parent / "fixtures" / "exports"
FIXTURE_NAMES = sorted(str(p.relative_to(FIXTURES)) for p in FIXTURES.rglob("*") if p.is_file())
SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Fragments that matter to some format: delimiters, quotes, tags, record boundaries.
FRAGMENTS = [
    "{", "}", '"', "'", ",", ";", "\n", "\t", "@", "\\", "[", "]", ":", "<i>", "&amp;",
    "@article{", "TY  - JOUR\n", "ER  - \n", "PT J\n", "ER\n", "EF\n", "   ", '"results": [',
    '{"message": ', "10.1000/x", "1979", "é", "\ufeff",
]  # fmt: skip
LOADERS = available()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


def load_safely(fmt: str, path: Path) -> LoadResult | None:
    """Load with one loader; NotText (binary input) is the only exception allowed."""
    try:
        return get(fmt).load(path)
    except NotText:
        return None


def assert_accounted(result: LoadResult | None) -> None:
    """The contract for every loader; export loaders also give unique keys and no extra works.

    (A review loader adds a Work for the document itself, which is no entry.)
    """
    if result is None:
        return
    assert result.entries == result.loaded + len(result.rejected)
    if result.format in WRITERS:
        assert result.loaded == sum(1 for w in result.works if not w.cited_only)
        keys = [w.key for w in result.works]
        assert len(keys) == len(set(keys))


def test_there_are_loaders_to_test() -> None:
    assert LOADERS


@SETTINGS
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=400) | st.binary(max_size=400))
def test_random_input_never_breaks_a_loader(workdir: Path, text: str | bytes) -> None:
    path = workdir / "random.txt"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    for fmt in LOADERS:
        assert_accounted(load_safely(fmt, path))


@SETTINGS
@given(body=st.binary(max_size=400), bom=st.sampled_from([b"\xff\xfe", b"\xfe\xff"]))
def test_utf16_of_any_length_never_breaks_a_loader(workdir: Path, body: bytes, bom: bytes) -> None:
    """A byte order mark says UTF-16 (WoS "Tab-delimited (Win)"); odd or bad bytes follow."""
    path = workdir / "savedrecs.txt"
    path.write_bytes(bom + body)
    for fmt in LOADERS:
        assert_accounted(load_safely(fmt, path))


@st.composite
def mutated_fixture(draw: st.DrawFn) -> tuple[str, str]:
    """A fixture with a few slices deleted, duplicated or replaced by format fragments."""
    name = draw(st.sampled_from(FIXTURE_NAMES))
    text = (FIXTURES / name).read_bytes().decode("utf-8", errors="replace")
    for _ in range(draw(st.integers(1, 6))):
        start = draw(st.integers(0, len(text)))
        end = min(len(text), start + draw(st.integers(0, 120)))
        insert = "".join(draw(st.lists(st.sampled_from(FRAGMENTS), max_size=4)))
        match draw(st.sampled_from(["delete", "replace", "duplicate", "truncate"])):
            case "delete":
                text = text[:start] + text[end:]
            case "replace":
                text = text[:start] + insert + text[end:]
            case "duplicate":
                text = text[:end] + text[start:end] + text[end:]
            case _:
                text = text[:start]
    return name, text


@SETTINGS
@given(case=mutated_fixture())
def test_mutated_exports_keep_the_count(workdir: Path, case: tuple[str, str]) -> None:
    name, text = case
    path = workdir / f"mutated{Path(name).suffix}"
    path.write_text(text, encoding="utf-8")
    for fmt in LOADERS:
        assert_accounted(load_safely(fmt, path))


# --- well-formed exports of generated records load completely ------------------------

WORDS = st.text(
    alphabet=st.characters(categories=("L", "N"), exclude_characters="\x00"),
    min_size=1,
    max_size=12,
)
TITLES = st.lists(WORDS, min_size=1, max_size=8).map(" ".join)
NAMES = st.tuples(WORDS, WORDS)  # family, given
RECORDS = st.lists(
    st.tuples(TITLES, st.lists(NAMES, max_size=3), st.none() | st.integers(1800, 2030)),
    min_size=1,
    max_size=8,
)
RecordList = list[tuple[str, list[tuple[str, str]], int | None]]


def as_bibtex(records: RecordList) -> str:
    entries = []
    for n, (title, names, year) in enumerate(records):
        authors = " and ".join(f"{{{family}}}, {{{given}}}" for family, given in names)
        fields = [f"title = {{{title}}}", f"author = {{{authors}}}" if authors else ""]
        fields.append(f"year = {year}" if year else "")
        body = ",\n  ".join(f for f in fields if f)
        entries.append(f"@article{{k{n % 3},\n  {body}\n}}\n")  # repeated keys on purpose
    return "\n".join(entries)


def as_ris(records: RecordList) -> str:
    out = []
    for title, names, year in records:
        lines = ["TY  - JOUR", f"TI  - {title}", *(f"AU  - {f}, {g}" for f, g in names)]
        lines += [f"PY  - {year}"] if year else []
        out.append("\n".join(lines) + "\nER  - \n")
    return "\n".join(out)


def as_scopus(records: RecordList) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(["Authors", "Title", "Year", "Source title", "References", "EID"])
    for n, (title, names, year) in enumerate(records):
        authors = "; ".join(f"{f} {g[0]}." for f, g in names)
        refs = f'{title}, "quoted",\nsplit, ({year or 2000}); Other ref, (1999)'
        writer.writerow([authors, title, year or "", "Source", refs, f"2-s2.0-{n}"])
    return buffer.getvalue()


def as_wos(records: RecordList) -> str:
    out = ["FN Clarivate Analytics Web of Science", "VR 1.0"]
    for title, names, year in records:
        out += ["PT J", *(f"{'AF' if i == 0 else '  '} {f}, {g}" for i, (f, g) in enumerate(names))]
        out += [f"TI {title}", *([f"PY {year}"] if year else []), "ER", ""]
    return "\n".join([*out, "EF"])


def as_csl(records: RecordList) -> str:
    items = [
        {
            "id": f"item{n}",
            "type": "article-journal",
            "title": title,
            "author": [{"family": f, "given": g} for f, g in names],
            **({"issued": {"date-parts": [[year]]}} if year else {}),
        }
        for n, (title, names, year) in enumerate(records)
    ]
    return json.dumps(items, ensure_ascii=False, indent=1)


def as_openalex(records: RecordList) -> str:
    results = [
        {
            "id": f"https://openalex.org/W{n}",
            "title": title,
            "publication_year": year,
            "authorships": [{"author": {"display_name": f"{g} {f}"}} for f, g in names],
            "referenced_works": [f"https://openalex.org/W{n + 1}"],
        }
        for n, (title, names, year) in enumerate(records)
    ]
    return json.dumps({"meta": {"count": len(results)}, "results": results}, indent=2)


def as_crossref(records: RecordList) -> str:
    items = [
        {
            "DOI": f"10.5555/test.{n}",
            "title": [title],
            "author": [{"family": f, "given": g} for f, g in names],
            "issued": {"date-parts": [[year]]},
            "reference": [{"key": "r1", "unstructured": f"{title} ({year})."}],
        }
        for n, (title, names, year) in enumerate(records)
    ]
    return json.dumps({"status": "ok", "message": {"items": items}})


def as_medline(records: RecordList) -> str:
    out = []
    for n, (title, names, year) in enumerate(records, 1):
        lines = [f"PMID- {n}", f"TI  - {title[:20]}", f"      {title[20:]}."]
        lines += [f"FAU - {f}, {g}" for f, g in names]
        lines += [f"DP  - {year} Jul"] if year else []
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)


def as_zotero_csv(records: RecordList) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(["Key", "Item Type", "Publication Year", "Author", "Title", "Abstract Note"])
    for n, (title, names, year) in enumerate(records):
        authors = "; ".join(f"{f}, {g}" for f, g in names)
        writer.writerow([f"K{n}", "journalArticle", year or "", authors, title, 'a "b",\nc'])
    return buffer.getvalue()


WRITERS = {
    "bibtex": (as_bibtex, ".bib"),
    "ris": (as_ris, ".ris"),
    "scopus-csv": (as_scopus, ".csv"),
    "wos": (as_wos, ".txt"),
    "csl-json": (as_csl, ".json"),
    "openalex": (as_openalex, ".json"),
    "crossref": (as_crossref, ".json"),
    "medline": (as_medline, ".nbib"),
    "csv": (as_zotero_csv, ".csv"),
}


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_generated_exports_load_every_record(fmt: str, workdir: Path) -> None:
    """Every well-formed record loads, and the loader is the one sniffing picks."""
    write, suffix = WRITERS[fmt]

    @SETTINGS
    @given(records=RECORDS)
    def check(records: RecordList) -> None:
        path = workdir / f"generated-{fmt}{suffix}"
        path.write_text(write(records), encoding="utf-8")
        result = get(fmt).load(path)
        assert (result.entries, result.loaded, result.rejected) == (len(records), len(records), [])
        works = [w for w in result.works if not w.cited_only]
        assert [w.year for w in works] == [year for _, _, year in records]
        assert all("no_year" in w.flags for w in works if w.year is None)

    check()
