"""The five exports of bench/dedup_generate.py, written as the databases write them.

Each writer takes the records of one export and returns the file's text and the line
each record starts on, the line its loader gives the record's `Source` (WoS: `PT`;
Scopus: the row; MEDLINE: `PMID-`; RIS: `TY  -`; BibTeX: `@type{`), which is how a
loaded record is traced back to its true work.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

#: Export name -> file name; each file is read by the loader its content names.
FILES: dict[str, str] = {
    "wos": "wos-savedrecs.txt",
    "scopus": "scopus.csv",
    "medline": "pubmed.nbib",
    "ris": "zotero.ris",
    "bibtex": "zotero.bib",
}
#: What each kind of true work is called by each export's document type field.
DOC_TYPES: dict[str, dict[str, str]] = {
    "wos": {"article": "Article", "editorial": "Editorial Material",
            "conference": "Proceedings Paper", "proceedings": "Proceedings Paper",
            "preprint": "Article"},
    "scopus": {"article": "Article", "editorial": "Editorial", "conference": "Conference Paper",
               "proceedings": "Conference Review", "preprint": "Article"},
    "medline": {"article": "Journal Article", "editorial": "Editorial", "preprint": "Preprint"},
    "ris": {"article": "JOUR", "editorial": "JOUR", "conference": "CONF", "proceedings": "CONF",
            "preprint": "JOUR"},
    "bibtex": {"article": "article", "editorial": "article", "conference": "inproceedings",
               "proceedings": "proceedings", "preprint": "misc"},
}  # fmt: skip
_LATEX = {"á": "{\\'a}", "é": "{\\'e}", "í": "{\\'\\i}", "ó": "{\\'o}", "ú": "{\\'u}",
          "ñ": "{\\~n}", "ü": '{\\"u}', "ö": '{\\"o}', "ç": "{\\c c}", "ř": "{\\v r}",
          "š": "{\\v s}", "ø": "{\\o}", "ł": "{\\l}", "ß": "{\\ss}", "è": "{\\`e}",
          "&": "\\&"}  # fmt: skip


#: Letters databases write without their diacritic, which Unicode does not decompose.
_UNDECOMPOSED = str.maketrans(
    {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "Æ": "AE", "đ": "d"}
)


def strip_diacritics(text: str) -> str:
    """`Søndergaard` -> `Sondergaard`, `Łukasz` -> `Lukasz`: a name as an ASCII export has it."""
    text = text.translate(_UNDECOMPOSED)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class Copy:
    """One record as one export writes it, its work's variations applied."""

    export: str
    kind: str  # the true work's kind (a key of DOC_TYPES' tables)
    title: str
    authors: tuple[tuple[str, str], ...]
    full_names: bool  # given names written out, not initials
    year: int
    venue: str
    venue_abbrev: str
    volume: str | None
    issue: str | None
    pages: str | None  # as the export prints it
    doi: str | None
    variations: tuple[str, ...] = ()  # what was varied from the true work, by name


def _initials(given: str) -> str:
    return " ".join(f"{part[0].upper()}." for part in given.replace("-", " ").split())


def _short(given: str) -> str:
    """`Ronald V.` as Scopus writes it: `R.V.`."""
    return _initials(given).replace(" ", "")


class _Lines:
    """Text built line by line, knowing the number of the next line."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    @property
    def next(self) -> int:
        return len(self.lines) + 1

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _wrap(value: str, width: int) -> Iterator[str]:
    """A value cut at spaces into lines of about `width` characters."""
    line = ""
    for word in value.split(" "):
        if line and len(line) + 1 + len(word) > width:
            yield line
            line = word
        else:
            line = f"{line} {word}" if line else word
    yield line


def _names(
    copy: Copy, short: Callable[[str, str], str], full: Callable[[str, str], str]
) -> list[str]:
    return [full(f, g) if copy.full_names else short(f, g) for f, g in copy.authors]


def _wos_initials(family: str, given: str) -> str:
    return f"{family}, {_initials(given).replace('.', '').replace(' ', '')}"


def write_wos(copies: list[Copy]) -> tuple[str, list[int]]:
    """Web of Science "Plain text": `PT` ... `ER`, lists and long values on indented lines."""
    out, starts = _Lines(), []
    out.add("FN Clarivate Analytics Web of Science", "VR 1.0")
    for n, copy in enumerate(copies, 1):
        starts.append(out.next)
        out.add("PT C" if copy.kind in ("conference", "proceedings") else "PT J")
        tags: list[tuple[str, list[str]]] = [
            ("AU", [_wos_initials(f, g) for f, g in copy.authors]),
            ("AF", [f"{f}, {g}" for f, g in copy.authors] if copy.full_names else []),
            ("TI", list(_wrap(copy.title, 70))),
            ("SO", [copy.venue.upper()]),
            ("J9", [copy.venue_abbrev.upper()]),
            ("DT", [DOC_TYPES["wos"][copy.kind]]),
            ("PY", [str(copy.year)]),
            ("VL", [copy.volume] if copy.volume else []),
            ("IS", [copy.issue] if copy.issue else []),
        ]
        if copy.pages and copy.pages.startswith("e"):
            tags.append(("AR", [copy.pages]))
        elif copy.pages:
            first, _, last = copy.pages.partition("-")
            tags += [("BP", [first]), ("EP", [last] if last else [])]
        tags += [("DI", [copy.doi] if copy.doi else []), ("UT", [f"WOS:{n:015d}"])]
        for tag, values in tags:
            if values:
                out.add(f"{tag} {values[0]}", *(f"   {v}" for v in values[1:]))
        out.add("ER", "")
    out.add("EF")
    return out.text(), starts


SCOPUS_COLUMNS = [
    "Authors", "Author full names", "Title", "Year", "Source title", "Volume", "Issue",
    "Art. No.", "Page start", "Page end", "DOI", "Link", "Abbreviated Source Title",
    "Document Type", "Source", "EID",
]  # fmt: skip


def write_scopus(copies: list[Copy]) -> tuple[str, list[int]]:
    """Scopus "CSV": a BOM, a header, one quoted row per record (header on line 1)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, SCOPUS_COLUMNS, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writeheader()
    for n, copy in enumerate(copies, 1):
        pages = copy.pages or ""
        first, _, last = pages.partition("-")
        number = pages.startswith("e")
        writer.writerow(
            {
                "Authors": "; ".join(
                    f"{f} {_initials(g).replace(' ', '')}" for f, g in copy.authors
                )
                or "[No author name available]",
                "Author full names": "; ".join(
                    f"{f}, {g} ({57000000000 + n * 7 + k})" for k, (f, g) in enumerate(copy.authors)
                )
                if copy.full_names
                else "",
                "Title": copy.title,
                "Year": copy.year,
                "Source title": copy.venue,
                "Volume": copy.volume or "",
                "Issue": copy.issue or "",
                "Art. No.": pages if number else "",
                "Page start": "" if number else first,
                "Page end": "" if number else last,
                "DOI": copy.doi or "",
                "Link": f"https://wwcopy.scopus.com/inward/record.uri?eid=2-s2.0-{85000000000 + n}",
                "Abbreviated Source Title": copy.venue_abbrev,
                "Document Type": DOC_TYPES["scopus"][copy.kind],
                "Source": "Scopus",
                "EID": f"2-s2.0-{85000000000 + n}",
            }
        )
    return "\ufeff" + buffer.getvalue(), list(range(2, len(copies) + 2))


def write_medline(copies: list[Copy]) -> tuple[str, list[int]]:
    """PubMed "PubMed format": `TAG - value`, wrapped values indented six spaces."""
    out, starts = _Lines(), []
    for n, copy in enumerate(copies, 1):
        starts.append(out.next)
        fields = [("PMID", str(30000000 + n)), ("OWN", "NLM"), ("DP", f"{copy.year} Mar")]
        fields.append(("TI", copy.title if copy.title.endswith("?") else copy.title + "."))
        if copy.pages:
            fields.append(("PG", copy.pages))
        if copy.doi:
            fields.append(("LID", f"{copy.doi} [doi]"))
        for f, g in copy.authors:
            if copy.full_names:
                fields.append(("FAU", f"{f}, {g}"))
            fields.append(("AU", f"{f} {_initials(g).replace('.', '').replace(' ', '')}"))
        fields += [("LA", "eng"), ("PT", DOC_TYPES["medline"][copy.kind])]
        fields += [("TA", copy.venue_abbrev.replace(".", "")), ("JT", copy.venue)]
        if copy.volume:
            fields.append(("VI", copy.volume))
        if copy.issue:
            fields.append(("IP", copy.issue))
        if copy.doi:
            fields.append(("AID", f"{copy.doi} [doi]"))
        for tag, value in fields:
            first, *rest = _wrap(value, 82)
            out.add(f"{tag:<4}- {first}", *(f"      {r}" for r in rest))
        out.add("")
    return out.text(), starts


def write_ris(copies: list[Copy]) -> tuple[str, list[int]]:
    """Zotero's RIS: no record ID, so a record is known by its `TY  -` line."""
    out, starts = _Lines(), []
    for copy in copies:
        starts.append(out.next)
        out.add(f"TY  - {DOC_TYPES['ris'][copy.kind]}", f"TI  - {copy.title}")
        for name in _names(copy, lambda f, g: f"{f}, {_initials(g)}", lambda f, g: f"{f}, {g}"):
            out.add(f"AU  - {name}")
        out.add(f"T2  - {copy.venue}", f"J2  - {copy.venue_abbrev}", f"DA  - {copy.year}")
        out.add(f"PY  - {copy.year}")
        for tag, value in (("VL", copy.volume), ("IS", copy.issue), ("DO", copy.doi)):
            if value:
                out.add(f"{tag}  - {value}")
        if copy.pages:
            first, _, last = copy.pages.partition("-")
            out.add(f"SP  - {first}", *([f"EP  - {last}"] if last else []))
        out.add("ER  - ", "")
    return out.text(), starts


def _latex(text: str) -> str:
    return "".join(_LATEX.get(ch, ch) for ch in text)


def write_bibtex(copies: list[Copy]) -> tuple[str, list[int]]:
    """Zotero's BibTeX: tab-indented fields, LaTeX accents in about half the entries."""
    out, starts = _Lines(), []
    for n, copy in enumerate(copies, 1):
        encode = _latex if n % 2 else (lambda s: s.replace("&", "\\&"))
        first_author = copy.authors[0][0] if copy.authors else "anon"
        family = strip_diacritics(first_author).lower().replace(" ", "").replace("'", "")
        starts.append(out.next)
        out.add(f"@{DOC_TYPES['bibtex'][copy.kind]}{{{family}_{copy.year}_{n},")
        out.add(f"\ttitle = {{{encode(copy.title)}}},")
        names = _names(copy, lambda f, g: f"{f}, {_initials(g)}", lambda f, g: f"{f}, {g}")
        if names:
            out.add(f"\tauthor = {{{encode(' and '.join(names))}}},")
        venue_field = {"conference": "booktitle", "preprint": "publisher"}.get(copy.kind, "journal")
        if copy.kind != "proceedings":
            out.add(f"\t{venue_field} = {{{encode(copy.venue)}}},")
        for name, value in (("volume", copy.volume), ("number", copy.issue), ("pages", copy.pages)):
            if value:
                out.add(f"\t{name} = {{{value}}},")
        if copy.doi:
            out.add(f"\tdoi = {{{copy.doi}}},")
        out.add(f"\tyear = {{{copy.year}}},", "}", "")
    return out.text(), starts


WRITERS: dict[str, Callable[[list[Copy]], tuple[str, list[int]]]] = {
    "wos": write_wos,
    "scopus": write_scopus,
    "medline": write_medline,
    "ris": write_ris,
    "bibtex": write_bibtex,
}
