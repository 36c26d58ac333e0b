"""A review's text in parts: its header, body and reference list, the list's entries
with their continuation lines joined, the body's paragraphs and sentences, and citations
in table rows. What the parts mean is loaders/review.py's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from citegraph.loaders.annotate import (
    Sentence,
)
from citegraph.loaders.intext import (
    NUMBER_LIST,
    InText,
)
from citegraph.loaders.letters import alphabets

REFERENCE_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*|__)?\s*(?:[IVX]+\.\s*|\d+\.?\s*)?"
    r"(?:references|bibliography|works cited|literature cited|reference list|referencias"
    r"|bibliografía|références)\s*:?\s*(?:\*\*|__)?\s*$",
    re.IGNORECASE,
)
HEADING = re.compile(r"^\s*#{1,6}\s+")
#: A Markdown horizontal rule (`---`, `* * *`, `___`): it ends a reference list.
RULE = re.compile(r"^\s{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
LIST_MARKER = re.compile(r"^\s*(?:[-*+•]\s+|\d{1,4}[.)]\s+|\[\d{1,4}\]\s*)")
BRACKET_NUMBER = re.compile(r"\s*\[\d{1,4}\]")
ENTRY_START = re.compile(r"^(?:\S+\s+){0,12}?\S*?\(?(?:1[5-9]\d\d|20\d\d|n\.d\.)[a-z]?\)?[.,;:)]")
#: `Family, I.` in a table's first cell, the family kept
_FAMILY_INITIALS = re.compile(alphabets(r"(?:^|&\s*|,\s+)([A-ZÀ-Þ][\w'’\- ]*?),\s+(?:[A-Z]\.\s*)+"))
NAME_START = re.compile(
    alphabets(r"^(?:[A-ZÀ-Þ]|(?:de|del|della|van|von|da|di|dos|du|le|la|d')\s?\S)")
)
YEAR_ANYWHERE = re.compile(r"(?<![\d/])(?:1[5-9]\d\d|20\d\d)(?![\d])|n\.d\.")
MARKUP = re.compile(
    r"</?(?:b|i|em|strong|sup|sub|span)[^>]*>|\*\*|__|(?<!\w)\*(?!\s)|(?<!\s)\*(?!\w)"
)
ABBREVIATIONS = re.compile(
    r"(?:\bet al|\be\.g|\bi\.e|\bcf|\bpp?|\bvs|\bNo|\bDr|\bMg|\bMr|\bMs|"
    r"\bvol|\bed|\beds|\b[A-Z])\.$"
)


def is_reference_list(lines: list[str]) -> bool:
    """A file that is nothing but a reference list: no headings, and most of its first
    lines begin like entries (`Surname, A. (1999). Title...`)."""
    kept = [line for line in lines if line.strip() and not RULE.match(line)]
    pieces = [LIST_MARKER.sub("", line.strip()) for line in kept][:50]
    if not pieces or any(HEADING.match(line) for line in lines):
        return False
    entries = [p for p in pieces if entry_like(p)]
    return len(entries) >= max(2, 0.6 * len(pieces))


def entry_like(piece: str) -> bool:
    """Begins like an entry: a name, then a year within the first words."""
    return bool(ENTRY_START.match(piece) and NAME_START.match(piece))


@dataclass
class Line:
    number: int
    text: str


@dataclass
class ReviewParts:
    header: list[Line] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)
    references: list[Line] = field(default_factory=list)
    reference_line: int | None = None
    rule: Line | None = None  # a horizontal rule that closed the list early
    after_rule: list[Line] = field(default_factory=list)  # the non-blank lines past it


#: A superscript number (`<sup>3,4</sup>`, as the document loaders mark one): a numbered
#: citation, printed as the bracketed one it stands for rather than glued to its word
SUPERSCRIPT_NUMBERS = re.compile(rf"\s*<sup>\s*({NUMBER_LIST})\s*</sup>")


def clean(text: str) -> str:
    """Markdown and HTML emphasis removed, escapes undone, whitespace collapsed."""
    text = MARKUP.sub("", SUPERSCRIPT_NUMBERS.sub(r" [\1]", text))
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|])", r"\1", text)
    text = text.replace("✓", "")
    return re.sub(r"\s+", " ", text).strip()


def _level(line: str) -> int | None:
    """A Markdown heading's rank (`##` is 2); None for a bold or bare `References` line."""
    hashes = re.match(r"^\s*(#{1,6})\s", line)
    return len(hashes.group(1)) if hashes else None


def _section_end(lines: list[str], start: int) -> int:
    """Where the section opened by the heading at `start` ends: at the next heading of the
    same or a higher rank. Deeper headings are its subsections (`# Reference list` over
    `## References`, `## Books` under `# References`); a bold heading ends at any heading.
    """
    level = _level(lines[start])
    for i in range(start + 1, len(lines)):
        if HEADING.match(lines[i]):
            found = _level(lines[i])
            if level is None or (found is not None and found <= level):
                return i
    return len(lines)


def split_parts(lines: list[str]) -> ReviewParts:
    """Header until the first section heading after the title, body, then references."""
    parts = ReviewParts()
    headings = [i for i, line in enumerate(lines) if HEADING.match(line)]
    body_start = headings[1] if len(headings) > 1 else (headings[0] + 1 if headings else 0)
    ref_index = next((i for i, line in enumerate(lines) if REFERENCE_HEADING.match(line)), None)
    end = ref_index if ref_index is not None else len(lines)
    parts.header = [Line(i + 1, lines[i]) for i in range(0, min(body_start, end))]
    parts.body = [Line(i + 1, lines[i]) for i in range(min(body_start, end), end)]
    if ref_index is not None:
        parts.reference_line = ref_index + 1
        stop = _section_end(lines, ref_index)
        section = [
            Line(i + 1, lines[i])
            for i in range(ref_index + 1, stop)
            if not HEADING.match(lines[i]) and not REFERENCE_HEADING.match(lines[i])
        ]
        parts.references, parts.rule, parts.after_rule = until_rule(section)
    return parts


def until_rule(lines: list[Line]) -> tuple[list[Line], Line | None, list[Line]]:
    """The list up to a horizontal rule, the rule, and the non-blank lines after it.

    A rule closes the list (what follows is a footnote, a licence, an annex), so it is
    neither an entry nor glued onto the last one.
    """
    end = next((k for k, line in enumerate(lines) if RULE.match(line.text)), None)
    if end is None:
        return lines, None, []
    return lines[:end], lines[end], [line for line in lines[end + 1 :] if line.text.strip()]


#: A numbered list's own number opening an entry: `12.`, `12)`, `[12]`
LIST_NUMBER = re.compile(r"^\s*(?:\[(\d{1,4})\]|(\d{1,4})[.)])\s")


def printed_numbers(lines: list[Line]) -> dict[int, int]:
    """The number each numbered entry prints, by the line the entry starts on: what a
    numbered citation (`[3]`) names."""
    numbers = {}
    for line in lines:
        found = LIST_NUMBER.match(line.text)
        if found:
            numbers[line.number] = int(found.group(1) or found.group(2))
    return numbers


def reference_entries(lines: list[Line]) -> list[Line]:
    """One Line per entry: list items or paragraphs.

    A piece without a year continues the entry before it when that entry is unfinished
    (`... A Grand` / `- Strategy. *South Asian Studies*`); otherwise it is an entry of its
    own, so an unparseable line is rejected and reported rather than glued on silently.
    """
    entries: list[Line] = []
    for line in lines:
        stripped = line.text.strip()
        if not stripped:
            continue
        content = LIST_MARKER.sub("", stripped)
        starts = (
            bool(ENTRY_START.match(content))
            or (bool(YEAR_ANYWHERE.search(content[:300])) and bool(NAME_START.match(content)))
            or bool(BRACKET_NUMBER.match(stripped))  # `[7] - H. PLAGNOL, ...`: numbered
        )
        previous_complete = bool(entries) and entries[-1].text.rstrip().endswith((".", ">", ")"))
        if not starts and previous_complete and not content[:1].islower():
            starts = True  # a new piece after a finished entry: its own (maybe bad) entry
        if entries and not starts:
            entries[-1] = Line(entries[-1].number, f"{entries[-1].text} {content}")
        else:
            entries.append(Line(line.number, content))
    return entries


def paragraphs(lines: list[Line]) -> list[list[Line]]:
    """Blocks of text; a block continues the one before where a page break cut a
    sentence: it starts in lower case, or the one before stops on a comma (`... (Emerson,`
    then `2024).`). A heading between them ends the one before for good, and a pipe
    table's rows are a block of their own: a PDF sets a caption right above its table."""
    blocks: list[list[Line]] = []
    current: list[Line] = []
    open_block = False  # the last block may still continue
    for line in lines:
        text = line.text.strip()
        if current and text.startswith("|") != current[-1].text.startswith("|"):
            blocks.append(current)
            current = []
            open_block = False
        if not text or "\t" in line.text or HEADING.match(text):
            if current:
                blocks.append(current)
                current = []
            open_block = open_block and not HEADING.match(text)
            continue
        # open_block: the block before is there, and only its last line decides
        if (
            not current
            and open_block
            and (text[:1].islower() or blocks[-1][-1].text.rstrip().endswith(","))
        ):
            current = blocks.pop()
        current.append(Line(line.number, clean(LIST_MARKER.sub("", text))))
        open_block = True
    if current:
        blocks.append(current)
    return blocks


def sentences(block: list[Line]) -> list[Sentence]:
    """Sentences with the line each starts on; no split after `et al.` or initials."""
    found: list[Sentence] = []
    buffer: list[str] = []
    start_line = block[0].number
    for line in block:
        for token in re.split(r"(?<=[.!?])\s+", line.text):
            if not buffer:
                start_line = line.number
            buffer.append(token)
            joined = " ".join(buffer)
            if re.search(r"[.!?][\"”’)]*$", token) and not ABBREVIATIONS.search(token):
                found.append(Sentence(joined, start_line))
                buffer = []
    if buffer:
        found.append(Sentence(" ".join(buffer), start_line))
    return found


def table_citations(line: Line) -> tuple[InText, str] | None:
    """A table row whose first cell is `Surname, A. B., & Other, C. (2003)`: a citation."""
    cells = [clean(c) for c in line.text.split("\t")]
    if len(cells) < 2:
        return None
    match = re.match(r"^(?P<names>.+?)\s*\((?P<year>(?:1[5-9]\d\d|20\d\d)[a-z]?)\)\s*$", cells[0])
    if not match:
        return None
    families = _FAMILY_INITIALS.findall(match.group("names"))
    if not families:
        return None
    context = " ".join(c for c in cells[1:] if c)
    return InText(
        cells[0], tuple(f.strip() for f in families), match.group("year"), False, 0
    ), context
