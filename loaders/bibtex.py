"""BibTeX and BibLaTeX files (Zotero, JabRef, Google Scholar, Better BibTeX exports).

bibtexparser v2 splits the file and keeps every broken entry as a failed block with its
line, so one unbalanced brace rejects one entry instead of the file. LaTeX is decoded
only in the fields we keep, and a table handles the common accents: bibtexparser's
LatexDecodingMiddleware decodes every field with pylatexenc, which costs about twenty
times the parse itself; pylatexenc remains the fallback for anything the table misses.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.middlewares.parsestack import default_parse_stack
from bibtexparser.model import (
    Block,
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ParsingFailedBlock,
    String,
)
from pylatexenc.latex2text import LatexNodes2Text

from citegraph.loaders.collector import Collector, Parsed
from citegraph.loaders.common import (
    clean_text,
    known_type,
    normalize_doi,
    normalize_isbn,
    normalize_issn,
    normalize_pages,
    organization,
    parse_year,
    person,
    split_list,
    truncate,
    work_type,
)
from citegraph.loaders.records import Agent, LoadResult, Severity, Work
from citegraph.loaders.registry import register
from citegraph.loaders.text import read_text

NAME = "bibtex"

# bibtexparser logs each failed block; we report them as issues with file and line, so
# its log lines would only repeat them on the user's terminal.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

_ENTRY_START = re.compile(r"^[ \t]*@[A-Za-z]+[ \t]*[{(]", re.M)
_NON_ENTRIES = ("@string", "@preamble", "@comment")

_ACCENT_MARKS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
    "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
    "c": "\u0327", "k": "\u0328", "r": "\u030a", "d": "\u0323", "b": "\u0331",
}  # fmt: skip
_ACCENT = re.compile(
    r"\\([\'`^\"~=.])\s*(?:\{\s*(\\?[A-Za-z])\s*\}|(\\?[A-Za-z]))"
    r"|\\([uvHckrdb])(?:\s*\{\s*(\\?[A-Za-z])\s*\}|\s+([A-Za-z]))"
)
_SYMBOLS = {
    "ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
    "aa": "å", "AA": "Å", "l": "ł", "L": "Ł", "i": "ı", "&": "&", "%": "%",
    "$": "$", "_": "_", "#": "#", "textendash": "–", "textemdash": "—",
}  # fmt: skip
_SYMBOL = re.compile(
    r"\\(?:(ss|ae|AE|oe|OE|aa|AA|textendash|textemdash|[oOlLi])(?![A-Za-z]) ?|([&%$_#]))"
)
_FORMATTING = re.compile(r"\\(?:emph|text(?:it|bf|sc|rm|sf|tt|up|sl|normal)|mbox)\s*(?=\{)")
_SPACE = re.compile(r"\s+")
_LATEX = LatexNodes2Text(math_mode="verbatim", keep_braced_groups=False)

_MONTHS = dict(
    zip(
        "jan feb mar apr may jun jul aug sep oct nov dec".split(),
        "January February March April May June July August September October November "
        "December".split(),
        strict=True,
    )
)
_PARENT_TYPES = frozenset(
    "proceedings mvproceedings book mvbook collection mvcollection reference".split()
)
_MORE_AUTHORS = re.compile(r"others|et\.?\s*al\.?", re.I)
_CONTAINER_FIELDS = ("journaltitle", "journal", "booktitle", "series")
_PUBLISHER_FIELDS = ("publisher", "institution", "school", "organization")


def sniff(head: str, suffix: str) -> bool:
    """An `@type{` at the start of a line is BibTeX whatever the file is called."""
    return bool(_ENTRY_START.search(head))


@register(NAME, suffixes=(".bib", ".bibtex", ".biblatex"), sniff=sniff, priority=30)
def load(path: Path) -> LoadResult:
    """BibTeX / BibLaTeX entries (bibtexparser v2)."""
    text = read_text(path, NAME)
    out = Collector(text, NAME)
    library = bibtexparser.parse_string(text.text)
    context = _Context(_macros(library.strings), {e.key.lower(): e for e in library.entries})
    for block in library.blocks:
        _read_block(out, block, library.strings, context)
    return out.finish()


@dataclass(frozen=True)
class _Context:
    """What entries of one file share: @string macros, and entries by key for `crossref`."""

    macros: dict[str, str]
    entries: dict[str, Entry]


def _read_block(out: Collector, block: Block, strings: list[String], context: _Context) -> None:
    """Dispatch one bibtexparser block: entries load, failed entries are rejected.

    A duplicate entry key loads too (the Collector renames it and warns), and so does an
    entry with a repeated field (its first value is used).
    """
    line = (block.start_line or 0) + 1
    raw = block.raw or ""
    if isinstance(block, Entry):
        out.entry(line, raw, lambda: _parse_entry(out, block, line, context))
    elif isinstance(block, DuplicateBlockKeyBlock | DuplicateFieldKeyBlock) and isinstance(
        block.ignore_error_block, Entry
    ):
        if isinstance(block, DuplicateFieldKeyBlock):
            fields = ", ".join(sorted(block.duplicate_keys))
            out.warn(line, f"repeated field(s) {fields}: the first value is used")
        entry = _through_parse_stack(block.ignore_error_block, strings)
        out.entry(line, raw, lambda: _parse_entry(out, entry, line, context))
    elif isinstance(block, DuplicateBlockKeyBlock):
        out.warn(line, f"duplicate @string {block.key!r}: the first definition is used")
    elif isinstance(block, ParsingFailedBlock):
        _reject_failed(out, block, line, raw)


def _through_parse_stack(entry: Entry, strings: list[String]) -> Entry:
    """Resolve @strings and remove enclosing braces, as for ordinary entries.

    bibtexparser wraps duplicates in failed blocks before its middleware runs, so their
    values are still raw; running the default stack on a library of the file's strings
    and this one entry gives them the same treatment.
    """
    library = Library([*strings, entry], fail_on_duplicate_key=False)
    for middleware in default_parse_stack(allow_inplace_modification=False):
        library = middleware.transform(library)  # copies: the file's strings stay as they are
    return library.entries[0]


def _reject_failed(out: Collector, block: ParsingFailedBlock, line: int, raw: str) -> None:
    """A block bibtexparser could not split; a broken @string is a warning, not an entry."""
    error = block.error
    reason = getattr(error, "abort_reason", None) or str(error) or type(error).__name__
    reason = reason.strip().rstrip(".")
    if raw.lstrip().lower().startswith(_NON_ENTRIES):
        out.issue(line, Severity.WARNING, f"unreadable {raw.split('{')[0].strip()}: {reason}", raw)
    else:
        out.reject(line, f"malformed entry: {reason}", raw)


def _parse_entry(out: Collector, entry: Entry, line: int, context: _Context) -> Parsed:
    """Build the Work of one entry from its (first-occurring, lower-cased) fields."""
    fields = _fields(entry, context.macros)
    if _SPLIT_MARK in fields:
        out.warn(
            line,
            f"{entry.key}: a comma seems missing after field(s) {fields.pop(_SPLIT_MARK)}; "
            "read as separate fields",
        )
    parent = context.entries.get(fields.get("crossref", "").strip().lower())
    if parent is not None and parent is not entry:
        _inherit(fields, parent, context.macros)
    kind = entry.entry_type.lower()
    if not known_type(kind):
        out.warn(line, f"{entry.key}: unknown entry type @{entry.entry_type}, read as other")
    year, suffix = parse_year(fields.get("year") or fields.get("date"))
    authors, more = _agents(fields.get("author", ""))
    editors, _ = _agents(fields.get("editor", ""))
    title = _text(fields.get("title"))
    subtitle = _text(fields.get("subtitle"))
    work = Work(
        key=entry.key or f"entry{line}",
        source=out.source(line),
        title=f"{title}: {subtitle}" if title and subtitle else title,
        year=year,
        year_suffix=suffix,
        type=work_type(kind),
        authors=authors,
        editors=editors,
        doi=normalize_doi(fields.get("doi")) or _doi_in_url(fields.get("url")),
        url=fields.get("url") or None,
        container=_text(_first(fields, _CONTAINER_FIELDS)),
        volume=fields.get("volume") or None,
        issue=fields.get("number") or fields.get("issue") or None,
        pages=normalize_pages(
            fields.get("pages")  # else an e-journal's article number, as WoS and ACM give it
            or fields.get("article-number")
            or fields.get("eid")
            or fields.get("articleno")
        ),
        publisher=_text(_first(fields, _PUBLISHER_FIELDS)),
        issn=normalize_issn(fields.get("issn")),
        isbn=normalize_isbn(fields.get("isbn")),
        language=_text(fields.get("language") or fields.get("langid")),
        abstract=_text(fields.get("abstract")),
        keywords=split_list(_text(fields.get("keywords")), ",;"),
        raw=truncate(entry.raw or ""),
        raw_is_record=True,
        flags=("more_authors",) if more else (),
    )
    return Parsed(work)


# `title = {A}\n  year = {2020}` without the comma: the parser reads one title value
_SWALLOWED = re.compile(r'(?<=[}"])[ \t]*\r?\n\s*([A-Za-z][\w-]*)\s*=\s*(?=[{"\d])')


def _fields(entry: Entry, macros: dict[str, str]) -> dict[str, str]:
    """An entry's fields by lower-cased name (first occurrence), concatenations resolved.

    A value that swallowed the next field (a comma missing at the end of a line, the
    commonest slip in a hand-edited .bib) is split back into the fields it holds;
    `_SPLIT_MARK` in the result names them, for the caller to warn.
    """
    fields: dict[str, str] = {}
    split: list[str] = []
    for item in entry.fields:
        value = str(item.value)
        if item.enclosing == "no-enclosing" and "#" in value:
            value = _concatenate(value, macros)
        name = item.key.lower()
        while value[:1] in ("{", '"') and (found := _SWALLOWED.search(value)):
            fields.setdefault(name, _unenclosed(value[: found.start()]))
            split.append(name)
            name, value = found.group(1).lower(), value[found.end() :]
        fields.setdefault(name, _unenclosed(value) if split else value)
    if split:
        fields[_SPLIT_MARK] = ", ".join(split)
    return fields


_SPLIT_MARK = " split"  # a key no BibTeX field can have


def _unenclosed(value: str) -> str:
    """`{text}` or `"text"` without its delimiters (what the parser does to whole values)."""
    value = value.strip()
    if len(value) > 1 and value[0] + value[-1] in ("{}", '""'):
        return value[1:-1]
    return value


def _inherit(fields: dict[str, str], parent: Entry, macros: dict[str, str]) -> None:
    """BibTeX `crossref`: missing fields come from the parent entry of the same file.

    The parent's title is the child's `booktitle` (an @inproceedings of @proceedings),
    as BibTeX and biber do; its own title, key and type are not inherited.
    """
    inherited = _fields(parent, macros)
    if inherited.get("title") and parent.entry_type.lower() in _PARENT_TYPES:
        fields.setdefault("booktitle", inherited["title"])
    for name, value in inherited.items():
        if name not in ("title", "subtitle", "crossref", "ids", "keywords"):
            fields.setdefault(name, value)


def _macros(strings: list[String]) -> dict[str, str]:
    """@string values by lower-cased name, month macros included, concatenations resolved.

    bibtexparser resolves a value that is one macro name, but leaves `jqc # " Editors"`
    as written; entries and @strings defined from earlier @strings need the table.
    """
    macros = dict(_MONTHS)
    for string in strings:
        value = str(string.value)
        if string.enclosing == "no-enclosing":
            value = _concatenate(value, macros)
        macros[string.key.lower()] = value
    return macros


def _concatenate(value: str, macros: dict[str, str]) -> str:
    """The text of a `{a} # macro # "b"` expression; an unknown macro stays as its name."""
    pieces: list[str] = []
    for piece in _split_concatenation(value):
        if len(piece) >= 2 and (piece[0], piece[-1]) in (("{", "}"), ('"', '"')):
            pieces.append(piece[1:-1])
        else:
            pieces.append(macros.get(piece.lower(), piece))
    return "".join(pieces)


def _split_concatenation(value: str) -> list[str]:
    """The operands of `#` outside braces and quotes, stripped."""
    pieces, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            pieces.append(value[start:index].strip())
            start = index + 1
    pieces.append(value[start:].strip())
    return [p for p in pieces if p]


def _first(fields: dict[str, str], names: tuple[str, ...]) -> str | None:
    return next((fields[n] for n in names if fields.get(n)), None)


def _doi_in_url(url: str | None) -> str | None:
    """Zotero puts the DOI only in `url` for some items (https://doi.org/...)."""
    return normalize_doi(url) if url and "doi.org/" in url else None


def _agents(value: str) -> tuple[tuple[Agent, ...], bool]:
    """Authors of a name field, and whether it ended in `and others`.

    Names are split before decoding LaTeX, because the braces that decoding removes are
    what mark `{World Health Organization}` as one institutional name.
    """
    agents: list[Agent] = []
    more = False
    for name in split_multiple_persons_names(value) if value.strip() else []:
        if _MORE_AUTHORS.fullmatch(name.strip()):
            more = True
        elif _one_braced_group(name):
            agents.append(organization(decode_latex(name[1:-1])))
        else:
            parts = parse_single_name_into_parts(name, strict=False)
            family = decode_latex(" ".join(parts.von + parts.last + parts.jr))
            given = decode_latex(" ".join(parts.first))
            if family or given:
                agents.append(person(family or given, given if family else None))
    return tuple(agents), more


def _one_braced_group(name: str) -> bool:
    """Whether the whole name is one `{...}` group (BibTeX's mark for an institution)."""
    name = name.strip()
    if len(name) < 2 or name[0] != "{" or name[-1] != "}":
        return False
    depth = 0
    for index, char in enumerate(name):
        depth += char == "{"
        depth -= char == "}"
        if depth == 0 and index < len(name) - 1:
            return False
    return True


def _text(value: str | None) -> str | None:
    return clean_text(decode_latex(value)) if value else None


def decode_latex(value: str) -> str:
    """Unicode text from a BibTeX value: accents, symbols and protective braces resolved."""
    if "\\" not in value and "$" not in value:
        return _plain(value)
    text = _FORMATTING.sub("", value)
    text = _ACCENT.sub(_accent, text)
    text = _SYMBOL.sub(lambda m: _SYMBOLS[m.group(1) or m.group(2)], text)
    if "\\" in text or "$" in text:
        return _SPACE.sub(" ", _LATEX.latex_to_text(value)).strip()
    return _plain(text)


def _plain(text: str) -> str:
    """Drop grouping braces and turn ties and dashes into what they print as."""
    text = text.replace("{", "").replace("}", "").replace("~", " ")
    text = text.replace("``", "“").replace("''", "”")
    return text.replace("---", "—").replace("--", "–")


def _accent(match: re.Match[str]) -> str:
    mark = match.group(1) or match.group(4)
    base = (match.group(2) or match.group(3) or match.group(5) or match.group(6)).lstrip("\\")
    return unicodedata.normalize("NFC", base + _ACCENT_MARKS[mark])
