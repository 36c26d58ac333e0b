"""What a review's sentences say about the works they cite: mentions and findings.

A paragraph is read whole. Its sentences are scanned for theories, strategies, places
and candidate concepts (loaders/mentions.py); a place name that could be several
countries is settled by the paragraph's other places or reported. A concept named next
to a citation links the cited work; one named in a sentence without a citation (`In
Argentina, ...` before the sentence that cites the study) links the works of the nearest
citing sentence of the paragraph, the following one first. A sentence that attributes a
claim to its citations gives one claim per clause, reported by every work cited there.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from citegraph.loaders.intext import InText
from citegraph.loaders.mentions import Found, Reader
from citegraph.loaders.places import resolve
from citegraph.loaders.records import (
    Citation,
    Finding,
    Issue,
    Mention,
    Record,
    Severity,
    Source,
)

LOADER = "review"
DOCUMENT = "document"


def _forms(base: str) -> list[str]:
    """A verb's forms (`argue`: argue, argues, argued, arguing)."""
    if base.endswith("e"):
        return [base, base + "s", base + "d", base[:-1] + "ing"]
    if base.endswith("y"):
        return [base, base[:-1] + "ies", base[:-1] + "ied", base + "ing"]
    if base.endswith(("s", "sh", "ch", "x")):
        return [base, base + "es", base + "ed", base + "ing"]
    return [base, base + "s", base + "ed", base + "ing"]


#: Verbs by which a review attributes something to the works it cites. Verbs that are
#: also common nouns here (state, report, review, study ...) count only in the forms
#: prose uses them as verbs, so `the State` or `the included studies` attribute nothing.
REPORTING_VERBS = frozenset(
    form
    for base in """mention stress argue highlight emphasize emphasise conclude show suggest
        investigate analyze analyse examine propose reveal indicate posit establish observe
        discuss explain demonstrate confirm assert contend maintain warn evaluate assess
        compare describe summarize summarise identify underline explore hold find note
        consider outline underscore recommend insist detail replicate test extend support
        challenge criticize criticise question develop apply conduct contrast treat""".split()
    for form in _forms(base)
) | frozenset(
    """found shown stated states reported reports reviewed reviews claimed claims noted
    notes measured documented documents presented presents addressed addresses
    estimated estimates studied studies pointed points""".split()
)
REPORTING = re.compile(
    r"\b(?:" + "|".join(sorted(REPORTING_VERBS, key=len, reverse=True)) + r")\b", re.IGNORECASE
)
#: `that` or `how` opening what a reporting verb reports.
REPORTED = re.compile(
    REPORTING.pattern + r"(?:\s+\w+){0,3}?\s+(?:that|how),?\s+(?P<claim>.+)$", re.IGNORECASE
)
#: A sentence that reports what a study just cited found without citing it again: its
#: subject points back (`The study concluded that ...`, `In 2019, they found ...`) and its
#: verb reports a result. Verbs of scope (`This study explores ...`) say what was looked
#: at, not found, and `this review` is the review itself, so neither counts.
BACK_REFERENCE = re.compile(
    r"^(?:[^,]{0,60},\s+)?(?:(?:the|this|that|these|those|their|its|his|her)\s+(?:\w+\s+)?"
    r"(?:study|studies|research|article|paper|analysis|authors?|researchers?|results?"
    r"|findings?|survey|interviews?|data|evaluation|investigation|experiment|trial)"
    r"|they|he|she)\b(?P<rest>.*)$",
    re.IGNORECASE,
)
RESULT_VERB = re.compile(
    r"\b(?:conclude|show|find|found|reveal|indicate|demonstrate|confirm|suggest|stress|argue"
    r"|report|observe|establish|note|determine)(?:s|d|ed|es)?\b",
    re.IGNORECASE,
)
#: `According to [a study by] Author (2019), X`: X is the work's.
ACCORDING = re.compile(r"\baccording to\b[^,()]*?\([^()]*\d{4}[a-z]?\),?\s+", re.IGNORECASE)
#: Where a sentence citing several works narratively splits into one clause per work.
CLAUSE_BREAK = re.compile(r";\s+|,\s+(?:and|while|whereas|but)\s+|\s+whereas\s+|\s+while\s+")


@dataclass
class Sentence:
    text: str
    line: int


@dataclass
class Collector:
    """Accumulates one review's records, merging repeated citations of the same entry."""

    path: str
    #: where a line of the review's text was printed (a PDF's page and line); by default
    #: the line of the text file itself
    locate: Callable[[int], Source] | None = None
    records: list[Record] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    contexts: dict[str, dict[str, None]] = field(default_factory=lambda: defaultdict(dict))
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    flags: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    texts: dict[str, dict[str, None]] = field(default_factory=lambda: defaultdict(dict))
    first_line: dict[str, int] = field(default_factory=dict)
    mentioned: set[tuple[str, str, str, str]] = field(default_factory=set)

    def source(self, line: int) -> Source:
        return self.locate(line) if self.locate else Source(self.path, line, LOADER)

    def cite(self, key: str, text: str, context: str, line: int, flags: tuple[str, ...]) -> None:
        self.contexts[key][context] = None
        self.texts[key][text] = None
        self.counts[key] += 1
        self.flags[key].update(flags)
        self.first_line.setdefault(key, line)

    def mention(self, work: str, item: Found, line: int) -> None:
        """Once per work and concept; a candidate once per printed form too, so that its
        node keeps every name it was printed with (`MAUP` beside the long form)."""
        seen = (work, item.kind, item.concept, item.text if item.candidate else "")
        if seen not in self.mentioned:
            self.mentioned.add(seen)
            self.records.append(
                Mention(
                    work,
                    item.kind,
                    item.concept,
                    item.text,
                    self.source(line),
                    item.candidate,
                    item.label,
                )
            )

    def citations(self) -> list[Citation]:
        return [
            Citation(
                DOCUMENT,
                key,
                self.source(self.first_line[key]),
                tuple(self.contexts[key]),
                self.counts[key],
                tuple(sorted(self.flags[key])),
                tuple(self.texts[key]),
            )
            for key in sorted(self.contexts)
        ]


@dataclass
class Cited:
    """A sentence with its citations, the entry each links (None: unmatched) and what it
    names."""

    sentence: Sentence
    citations: list[InText]
    keys: list[str | None]
    found: list[Found] = field(default_factory=list)

    @property
    def linked(self) -> list[str]:
        return list(dict.fromkeys(k for k in self.keys if k is not None))


def citation_spans(
    text: str, citations: list[InText], names: frozenset[str]
) -> list[tuple[int, int]]:
    """Where each citation's authors are printed in its sentence (no place is read
    there). A narrative citation may have caught words before its authors (`United
    Kingdom, Crawford (1998)`): its span starts at the first word of an author's name."""
    spans = []
    for citation in citations:
        start = text.find(citation.text, citation.start)
        if start < 0:
            continue
        end = start + len(citation.text)
        if citation.text.endswith(")"):
            first = next(
                (m.start() for m in re.finditer(r"[\w'’-]+", citation.text) if m.group(0) in names),
                0,
            )
            start += first
        spans.append((start, end))
    return spans


def _nearest(position: int, cited: Cited) -> str | None:
    """The linked citation closest to a mention: a sentence citing several works names
    each one's theory or place next to it (`Cohen and Felson's (1979) theory of ...`)."""
    linked = [
        (abs(c.start - position), key)
        for c, key in zip(cited.citations, cited.keys, strict=True)
        if key is not None
    ]
    return min(linked)[1] if linked else None


def annotate_paragraph(paragraph: list[Cited], reader: Reader, collector: Collector) -> None:
    """Mentions and findings of one paragraph's sentences (see the module docstring)."""
    unsure = []
    for item in paragraph:
        spans = citation_spans(item.sentence.text, item.citations, reader.names)
        scan = reader.scan(item.sentence.text, spans)
        item.found = scan.found
        unsure.append(scan.ambiguous)
    named = {f.concept for item in paragraph for f in item.found if f.kind == "place"}
    for item, ambiguous in zip(paragraph, unsure, strict=True):
        settled, left = resolve(ambiguous, named)
        item.found += [Found("place", p.concept, p.text, p.start) for p in settled]
        for name in left:
            collector.issues.append(
                Issue(
                    collector.source(item.sentence.line),
                    Severity.INFO,
                    f"place name {name.text!r} may be {' or '.join(name.codes[:4])} (or a "
                    "word): not linked",
                )
            )
    for index, item in enumerate(paragraph):
        for found in item.found:
            if found.kind != "place":
                collector.mention(DOCUMENT, found, item.sentence.line)
        if item.linked:
            for found in item.found:
                target = _nearest(found.start, item)
                if target is not None:
                    collector.mention(target, found, item.sentence.line)
            add_findings(item, collector)
            continue
        nearest = _citing_neighbour(paragraph, index)
        for found in item.found if nearest else []:
            for key in nearest.linked:  # type: ignore[union-attr]
                collector.mention(key, found, item.sentence.line)
        referred = _referred(paragraph, index)
        if referred is not None:
            _add_finding(item, item.sentence.text, 0, referred.linked, [], collector)


def _citing_neighbour(paragraph: list[Cited], index: int) -> Cited | None:
    """The citing sentence an uncited one belongs with: the next, else the previous."""
    return _citing_after(paragraph, index) or _citing_before(paragraph, index)


def _citing_before(paragraph: list[Cited], index: int) -> Cited | None:
    return next((p for p in reversed(paragraph[:index]) if p.linked), None)


def _citing_after(paragraph: list[Cited], index: int) -> Cited | None:
    return next((p for p in paragraph[index + 1 :] if p.linked), None)


def _referred(paragraph: list[Cited], index: int) -> Cited | None:
    """The citing sentence an uncited one reports the result of (`The study concluded
    that ...`): the one before, else, in a paragraph that cites its study last, the next."""
    back = BACK_REFERENCE.match(paragraph[index].sentence.text)
    if back is None or not RESULT_VERB.search(back.group("rest")[:80]):
        return None
    return _citing_before(paragraph, index) or _citing_after(paragraph, index)


def _clauses(item: Cited) -> list[tuple[str, int, list[int]]]:
    """The sentence as clauses, each with where it starts and the indexes of its
    citations: a clause break between two groups of citations (a narrative citation, or
    one parenthesis) splits it, as in `A (2017) add X, and B (2007) show Y`."""
    text = item.sentence.text
    starts = [max(text.find(c.text, c.start), 0) for c in item.citations]
    groups: dict[int, list[int]] = defaultdict(list)  # one parenthesis shares its start
    for index, citation in enumerate(item.citations):
        groups[citation.start].append(index)
    spans = sorted(
        (min(starts[i] for i in g), max(starts[i] + len(item.citations[i].text) for i in g))
        for g in groups.values()
    )
    cuts: list[int] = []
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        between = CLAUSE_BREAK.search(text, end, start) if end < start else None
        if between:
            cuts.append(between.start())
    bounds = [0, *cuts, len(text)]
    return [
        (text[lo:hi], lo, [i for i, s in enumerate(starts) if lo <= s < hi])
        for lo, hi in zip(bounds, bounds[1:], strict=False)
    ]


def add_findings(item: Cited, collector: Collector) -> None:
    """One Finding per clause that attributes something to its citations (a reporting
    verb, or a closing parenthetical or numbered citation), reported by each work cited
    in it."""
    clauses = _clauses(item)
    for clause, lo, indexes in clauses:
        keys = list(dict.fromkeys(k for i in indexes if (k := item.keys[i]) is not None))
        if not keys:
            continue
        last = item.citations[indexes[-1]]
        end = clause.rstrip(". ;,")
        closing = (end.endswith(")") and not last.text.endswith(")")) or (
            last.number is not None and end.endswith(last.text)
        )
        # `... (Author, 2019).`, `... [3].`, `According to Author (2019), ...`
        reported = REPORTING.search(clause) or ACCORDING.search(clause)
        if (reported or closing) and not _sources_of_concepts(item, indexes):
            _add_finding(item, clause, lo, keys, [item.citations[i] for i in indexes], collector)


def _sources_of_concepts(item: Cited, indexes: list[int]) -> bool:
    """Every citation of the clause is a parenthesis right after a theory or strategy
    it names the source of (`framed by strain theory (Merton, 1938)`, `researchers
    emphasised collective efficacy (Sampson et al., 1997)`): a pointer to where the
    concept comes from, not a finding of the work."""
    text = item.sentence.text
    ends = {f.start + len(f.text) for f in item.found if f.kind in ("theory", "strategy")}
    cited = [item.citations[i] for i in indexes]
    if any(c.text.endswith(")") for c in cited):  # a narrative `Sampson (1997)` reports
        return False
    starts = [c.start for c in cited]
    return bool(ends) and all(
        any(end <= start and not text[end:start].strip() for end in ends) for start in starts
    )


def _add_finding(
    item: Cited,
    clause: str,
    lo: int,
    keys: list[str],
    citations: list[InText],
    collector: Collector,
) -> None:
    """One claim of `item`'s sentence (its clause at `lo`), reported by each of `keys`,
    about what the clause names."""
    inside = [f for f in item.found if lo <= f.start < lo + len(clause)]
    about = tuple(f.concept for f in inside if f.kind in ("theory", "strategy") and not f.candidate)
    candidates = tuple(f.concept for f in inside if f.candidate)
    places = tuple(f.concept for f in inside if f.kind == "place")
    claim = _claim(clause, citations)
    for key in keys:
        collector.records.append(
            Finding(
                key,
                claim,
                item.sentence.text,
                collector.source(item.sentence.line),
                about,
                places,
                candidates=candidates,
            )
        )


def _claim(text: str, citations: list[InText]) -> str:
    """The attributed claim: what a reporting verb's `that` or `how` opens, else the
    clause without its parenthetical citations. A narrative citation stays there, as the
    subject of its verb (`Cozens (2008) highlighted the benefits ...`)."""
    reported = REPORTED.search(text)
    according = None if reported else ACCORDING.search(text)
    if reported:
        claim = reported.group("claim")
    else:
        claim = text[according.end() :] if according else text
    for citation in citations:
        narrative = citation.text.endswith(")")  # `Tonry (2015)`; else `(Tonry, 2015)`
        claim = claim.replace(f"({citation.text})", "")
        if reported or according or not narrative:
            claim = claim.replace(citation.text, "")
    claim = re.sub(r"\(\s*[;,\s]*\)", "", claim)
    claim = re.sub(r"\s+([.,;])", r"\1", re.sub(r"\s+", " ", claim)).strip(" ,;:")
    claim = re.sub(r"^(?:and|while|whereas|but)\s+", "", claim, flags=re.IGNORECASE)
    return claim[:1].upper() + claim[1:] if claim else text.strip(" ,;")


def annotate_title(
    work_key: str, title: str, line: int, reader: Reader, collector: Collector
) -> None:
    """A reference entry whose title names a theory, strategy or place is about it: the
    entry's work is linked (scheme concepts and places only; a title's capitals make
    candidate names too noisy)."""
    for found in reader.scan(title, discover=False).found:
        collector.mention(work_key, found, line)
