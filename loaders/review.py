"""A literature review as Markdown or plain text: its byline, body and reference list.

The review becomes a Work (`is_document`) that cites every entry its body points at, with
the sentences it does so in; theories, strategies and places named beside a citation
link the cited work; claims attributed to a citation become Findings.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
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
    find_numbered_citations,
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
from citegraph.loaders.review_text import (
    HEADING,
    LIST_MARKER,
    REFERENCE_HEADING,
    Line,
    ReviewParts,
    clean,
    entry_like,
    is_reference_list,
    paragraphs,
    printed_numbers,
    reference_entries,
    sentences,
    split_parts,
    table_citations,
    until_rule,
)
from citegraph.loaders.text import read_text

TITLES = re.compile(r"^(?:Mg|Dr|Dra|Lic|Mtro|Mtra|Prof|PhD|MSc|Ing|Abg)\.?\s+", re.IGNORECASE)
ORCID = re.compile(r"\b(\d{4}-\d{4}-\d{4}-\d{3}[\dX])\b")


def _sniff(head: str, suffix: str) -> bool:
    lines = head.splitlines()
    has_references = any(REFERENCE_HEADING.match(line) for line in lines)
    return suffix in {".md", ".markdown", ".txt", ""} and (
        has_references or is_reference_list(lines)
    )


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


def _entry_for(work: Work, number: int | None) -> Entry:
    families = tuple(fold(a.family or a.name) for a in work.authors)
    return Entry(work.key, families, work.year, work.year_suffix, work.raw or "", number)


def entry_key(position: int) -> str:
    """The key of the list's entry at `position` (from 1)."""
    return f"ref{position}"


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
        works.append(parsed.to_work(entry_key(number), collector.source(entry.number), entry.text))
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
    like = sum(entry_like(LIST_MARKER.sub("", line.text.strip())) for line in parts.after_rule)
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
    at_line = printed_numbers(parts.references)  # by the line each entry starts on
    printed = {
        entry_key(i): at_line[e.number] for i, e in enumerate(entries, 1) if e.number in at_line
    }
    matchable = EntryIndex([_entry_for(w, printed.get(w.key)) for w in works])
    # a numbered list is cited by number (`[3]`): half its entries or more print one
    numbered = len(printed) >= 2 and 2 * len(printed) >= len(entries)
    results = section(lines, "results")
    read: list[tuple[int, str]] = []  # the body's sentences, for the method's counts
    discussed: dict[str, int] = {}  # entries the Results prose cites, where first
    families = [a.family or a.name for w in works for a in w.authors]
    reader = Reader.of("\n".join(line.text for line in parts.body), families)
    for block in paragraphs(parts.body):
        paragraph = []
        for sentence in sentences(block):
            citations = find_citations(sentence.text)
            if numbered:
                citations = sorted(
                    [*citations, *find_numbered_citations(sentence.text)], key=lambda c: c.start
                )
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
