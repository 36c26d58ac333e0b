"""A literature review as Markdown or plain text: its byline, body and reference list.

The review becomes a Work (`is_document`) that cites every entry its body points at, with
the sentences it does so in; theories, strategies and places named beside a citation
link the cited work; claims attributed to a citation become Findings.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from citegraph.loaders.annotate import (
    DOCUMENT,
    LOADER,
    Cited,
    Collector,
    Sentence,
    annotate_paragraph,
    annotate_title,
)
from citegraph.loaders.intext import (
    Entry,
    EntryIndex,
    InText,
    find_citations,
    fold,
    match_citation,
)
from citegraph.loaders.mentions import Reader
from citegraph.loaders.parsing.document import section
from citegraph.loaders.parsing.method import discussed_note, read_method
from citegraph.loaders.records import (
    Agent,
    Citation,
    Issue,
    LoadResult,
    Record,
    Severity,
    Source,
    UnresolvedCitation,
    Work,
)
from citegraph.loaders.reference_string import parse_reference_list
from citegraph.loaders.registry import register
from citegraph.loaders.text import read_text

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
NAME_START = re.compile(r"^(?:[A-ZÀ-ÞŠŽ]|(?:de|del|della|van|von|da|di|dos|du|le|la|d')\s?\S)")
YEAR_ANYWHERE = re.compile(r"(?<![\d/])(?:1[5-9]\d\d|20\d\d)(?![\d])|n\.d\.")
MARKUP = re.compile(
    r"</?(?:b|i|em|strong|sup|sub|span)[^>]*>|\*\*|__|(?<!\w)\*(?!\s)|(?<!\s)\*(?!\w)"
)
ABBREVIATIONS = re.compile(
    r"(?:\bet al|\be\.g|\bi\.e|\bcf|\bpp?|\bvs|\bNo|\bDr|\bMg|\bMr|\bMs|"
    r"\bvol|\bed|\beds|\b[A-Z])\.$"
)
TITLES = re.compile(r"^(?:Mg|Dr|Dra|Lic|Mtro|Mtra|Prof|PhD|MSc|Ing|Abg)\.?\s+", re.IGNORECASE)
ORCID = re.compile(r"\b(\d{4}-\d{4}-\d{4}-\d{3}[\dX])\b")


def _sniff(head: str, suffix: str) -> bool:
    lines = head.splitlines()
    has_references = any(REFERENCE_HEADING.match(line) for line in lines)
    return suffix in {".md", ".markdown", ".txt", ""} and (
        has_references or is_reference_list(lines)
    )


def is_reference_list(lines: list[str]) -> bool:
    """A file that is nothing but a reference list: no headings, and most of its first
    lines begin like entries (`Surname, A. (1999). Title...`)."""
    kept = [line for line in lines if line.strip() and not RULE.match(line)]
    pieces = [LIST_MARKER.sub("", line.strip()) for line in kept][:50]
    if not pieces or any(HEADING.match(line) for line in lines):
        return False
    entries = [p for p in pieces if _entry_like(p)]
    return len(entries) >= max(2, 0.6 * len(pieces))


def _entry_like(piece: str) -> bool:
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


def clean(text: str) -> str:
    """Markdown and HTML emphasis removed, escapes undone, whitespace collapsed."""
    text = MARKUP.sub("", text)
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
    """Blocks of text; a block starting in lower case continues the one before (page breaks)."""
    blocks: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        text = line.text.strip()
        if not text or "\t" in line.text or HEADING.match(text):
            if current:
                blocks.append(current)
                current = []
            continue
        if not current and blocks and text[:1].islower():
            current = blocks.pop()
        current.append(Line(line.number, clean(LIST_MARKER.sub("", text))))
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
    families = re.findall(
        r"(?:^|&\s*|,\s+)([A-ZÀ-ÞŠŽ][\w'’\- ]*?),\s+(?:[A-Z]\.\s*)+", match.group("names")
    )
    if not families:
        return None
    context = " ".join(c for c in cells[1:] if c)
    return InText(
        cells[0], tuple(f.strip() for f in families), match.group("year"), False, 0
    ), context


def parse_byline(header: list[Line], path: str) -> tuple[str | None, tuple[Agent, ...]]:
    """The title heading, and authors with ORCID iDs and affiliations from numbered notes."""
    title = next(
        (clean(HEADING.sub("", line.text)) for line in header if HEADING.match(line.text)), None
    )
    notes: dict[str, tuple[str | None, str | None]] = {}
    for line in header:
        note = re.match(r"^\s*(\d+)\s*\(?\s*([\dX-]{19})?\s*\)?\s*,(.*)$", line.text)
        if note:
            parts = [p.strip() for p in note.group(3).split(",") if p.strip()]
            affiliation = next((p for p in reversed(parts) if "@" not in p), None)
            found = ORCID.search(note.group(2) or "")
            notes[note.group(1)] = (found.group(1) if found else None, affiliation)
    authors: list[Agent] = []
    for line in header:
        named = re.findall(r"([^,*<>]+?)\s*(?:\*\*)?<sup>\s*(\d+)\s*</sup>", line.text)
        for raw_name, number in named:
            name = TITLES.sub("", raw_name.strip(" ,*"))
            tokens = name.split()
            split = -2 if len(tokens) >= 3 else -1
            orcid, affiliation = notes.get(number, (None, None))
            authors.append(
                Agent(
                    name=name,
                    family=" ".join(tokens[split:]),
                    given=" ".join(tokens[:split]) or None,
                    orcid=orcid,
                    affiliation=affiliation,
                )
            )
    return title, tuple(authors)


def _section_text(body: list[Line], heading: str) -> tuple[str, int] | None:
    """The first paragraph under a heading such as KEYWORDS or ABSTRACT (its lines joined:
    a PDF prints a paragraph on several)."""
    for index, line in enumerate(body):
        if HEADING.match(line.text) and heading in line.text.upper():
            for start, following in enumerate(body[index + 1 :], index + 1):
                if following.text.strip():
                    block = paragraphs(body[start:])
                    text = " ".join(part.text for part in block[0]) if block else ""
                    return text or clean(following.text), following.number
    return None


def _entry_for(work: Work) -> Entry:
    families = tuple(fold(a.family or a.name) for a in work.authors)
    return Entry(work.key, families, work.year, work.year_suffix, work.raw or "")


def _parse_entries(entries: list[Line], collector: Collector) -> list[Work]:
    works: list[Work] = []
    parsed_list = parse_reference_list([entry.text for entry in entries])  # `——` needs order
    for number, (entry, parsed) in enumerate(zip(entries, parsed_list, strict=True), 1):
        if parsed.year is None and parsed.title is None:
            collector.issues.append(
                Issue(
                    collector.source(entry.number),
                    Severity.ERROR,
                    "unparseable reference: no year and no title found",
                    entry.text,
                )
            )
            continue
        if parsed.confidence < 0.5:
            collector.issues.append(
                Issue(
                    collector.source(entry.number),
                    Severity.WARNING,
                    f"low-confidence parse ({', '.join(parsed.flags)})",
                )
            )
        works.append(parsed.to_work(f"ref{number}", collector.source(entry.number), entry.text))
    return _split_given_names(works)


def _initials(given: str) -> str:
    return "".join(part[0] for part in fold(given).split())


def _split_given_names(works: list[Work]) -> list[Work]:
    """Resolve `Cornish Derek, B.` with evidence from the same list.

    A two-word family is a family plus a given name when the first word is a family
    elsewhere in the list with initials that agree with the second word's initial and the
    printed ones (`Clarke Ronald, V.` beside `Clarke, R. V.`, `Cornish Derek, B.` beside
    `Cornish, D.`); without such evidence the name stays as printed and flagged.
    """
    known: dict[str, set[str]] = defaultdict(set)
    for work in works:
        for agent in work.authors:
            if agent.family and " " not in agent.family.strip():
                known[fold(agent.family)].add(_initials(agent.given or ""))
    resolved = []
    for work in works:
        if "authors_uncertain" not in work.flags:
            resolved.append(work)
            continue
        authors, changed, doubtful = [], False, False
        for agent in work.authors:
            parts = (agent.family or "").split()
            if len(parts) == 2 and agent.given:
                family, first_name = parts
                wanted = _initials(f"{first_name} {agent.given}")
                if any(
                    k and (wanted.startswith(k) or k.startswith(wanted))
                    for k in known.get(fold(family), set())
                ):
                    given = f"{first_name} {agent.given}"
                    agent = replace(agent, family=family, given=given, name=f"{family}, {given}")
                    changed = True
                else:
                    doubtful = True
            authors.append(agent)
        if changed:
            flags = tuple(f for f in work.flags if f != "authors_uncertain" or doubtful)
            work = replace(work, authors=tuple(authors), flags=(*flags, "given_names_resolved"))
        resolved.append(work)
    return resolved


def _link_sentence(
    sentence: Sentence, citations: list[InText], entries: EntryIndex, collector: Collector
) -> list[str | None]:
    """Link each citation of a sentence (None where unmatched: reported, never dropped)."""
    cited: list[str | None] = []
    for citation in citations:
        match = match_citation(citation, entries)
        if match is None:
            collector.records.append(
                UnresolvedCitation(
                    DOCUMENT,
                    citation.text,
                    citation.authors,
                    citation.year,
                    sentence.text,
                    collector.source(sentence.line),
                )
            )
            collector.issues.append(
                Issue(
                    collector.source(sentence.line),
                    Severity.WARNING,
                    f"citation {citation.text!r} has no reference entry",
                )
            )
            cited.append(None)
            continue
        collector.cite(match.entry.key, citation.text, sentence.text, sentence.line, match.flags)
        if match.flags:
            collector.issues.append(
                Issue(
                    collector.source(sentence.line),
                    Severity.INFO,
                    f"citation {citation.text!r} linked to {match.entry.raw[:60]!r} "
                    f"({', '.join(match.flags)})",
                )
            )
        cited.append(match.entry.key)
    return cited


def _note_rule(parts: ReviewParts, collector: Collector) -> None:
    """Say what a rule left unread: a warning when some of it looks like a reference."""
    if parts.rule is None or not parts.after_rule:
        return
    like = sum(_entry_like(LIST_MARKER.sub("", line.text.strip())) for line in parts.after_rule)
    collector.issues.append(
        Issue(
            collector.source(parts.rule.number),
            Severity.WARNING if like else Severity.INFO,
            f"the reference list ends at this horizontal rule: {len(parts.after_rule)} "
            "line(s) after it are not read" + (f" ({like} look like references)" if like else ""),
        )
    )


@register(
    "review",
    suffixes=(".md", ".markdown"),
    sniff=_sniff,
    priority=90,
    description="A literature review in Markdown or text: byline, body, reference list",
)
def load(path: Path) -> LoadResult:
    """Read a review: its reference list, its byline and every citation in its body."""
    text_file = read_text(path, LOADER)
    if not text_file.text.strip():
        issue = Issue(Source(str(path), 1, LOADER), Severity.WARNING, "empty file")
        return LoadResult(str(path), LOADER, [], [*text_file.issues, issue])
    return read_review(
        str(path),
        text_file.text.split("\n"),
        lambda line: Source(str(path), line, LOADER),
        issues=tuple(text_file.issues),
    )


def read_review(
    path: str,
    lines: list[str],
    locate: Callable[[int], Source],
    format: str = LOADER,
    issues: tuple[Issue, ...] = (),
) -> LoadResult:
    """The review's records from its lines, as Markdown: `load` reads them from a text
    file, and the document loaders (PDF, DOCX, ODT, HTML) from the text they extract.
    `locate` turns a 1-based line of `lines` into the Source records name, so a PDF's
    records say the page and line they were printed on."""
    collector = Collector(path, locate, issues=list(issues))
    parts = split_parts(lines)
    bare_list = parts.reference_line is None and is_reference_list(lines)
    if bare_list:  # every line is the list's; its document cites each entry
        listed, rule, after = until_rule([Line(i, line) for i, line in enumerate(lines, 1)])
        parts = ReviewParts(references=listed, rule=rule, after_rule=after)
        collector.issues.append(
            Issue(collector.source(1), Severity.INFO, "no headings: read as a reference list")
        )
    elif parts.reference_line is None:
        collector.issues.append(
            Issue(
                collector.source(1),
                Severity.WARNING,
                "no reference section found (a heading such as "
                "'References'); citations cannot be linked",
            )
        )
    _note_rule(parts, collector)
    entries = reference_entries(parts.references)
    if parts.reference_line is not None and not entries:
        collector.issues.append(
            Issue(
                collector.source(parts.reference_line),
                Severity.WARNING,
                "the reference section holds no entries: nothing to load",
            )
        )
    works = _parse_entries(entries, collector)
    title, authors = parse_byline(parts.header, path)
    keywords = _section_text(parts.body, "KEYWORDS")
    abstract = _section_text(parts.body, "ABSTRACT")
    document = Work(
        key=DOCUMENT,
        source=collector.source(1),
        title=title,
        type="article",
        authors=authors,
        is_document=True,
        abstract=abstract[0] if abstract else None,
        keywords=tuple(k.strip(" .") for k in keywords[0].split(",")) if keywords else (),
    )
    matchable = EntryIndex([_entry_for(w) for w in works])
    results = section(lines, "results")
    read: list[tuple[int, str]] = []  # the body's sentences, for the method's counts
    discussed: dict[str, int] = {}  # entries the Results prose cites, where first
    families = [a.family or a.name for w in works for a in w.authors]
    reader = Reader.of("\n".join(line.text for line in parts.body), families)
    for block in paragraphs(parts.body):
        paragraph = []
        for sentence in sentences(block):
            citations = find_citations(sentence.text)
            cited = _link_sentence(sentence, citations, matchable, collector)
            paragraph.append(Cited(sentence, citations, cited))
            if sentence.text.startswith("|"):
                continue  # a pipe table's rows: its cells are read as a table
            read.append((sentence.line, sentence.text))
            if results and results.holds(sentence.line):
                for key in cited:
                    if key is not None:
                        discussed.setdefault(key, sentence.line)
        annotate_paragraph(paragraph, reader, collector)
    for line in parts.body:
        row = table_citations(line)
        if row:
            citation, context = row
            sentence = Sentence(context, line.number)
            cited = _link_sentence(sentence, [citation], matchable, collector)
            annotate_paragraph([Cited(sentence, [citation], cited)], reader, collector)
    if abstract:
        for item in reader.scan(abstract[0]).found:
            collector.mention(DOCUMENT, item, abstract[1])
    for work in works:
        if work.title:
            annotate_title(work.key, work.title, work.source.line, reader, collector)
    listed = [Citation(DOCUMENT, w.key, w.source) for w in works] if bare_list else []
    method = read_method(lines, read, DOCUMENT, collector.source)
    if results is not None:
        method.append(discussed_note(results, discussed, DOCUMENT, collector.source))
    records: list[Record] = [
        document,
        *works,
        *collector.citations(),
        *listed,
        *collector.records,
        *method,
    ]
    return LoadResult(
        path, format, records, collector.issues, entries=len(entries), loaded=len(works)
    )
