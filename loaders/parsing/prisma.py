"""The PRISMA 2020 flow as a review prints it: its counts in tables and in sentences.

A reviewer writes "the search yielded 1,234 records; after removing 234 duplicates,
1,000 were screened, of which 900 were excluded" or a table row "Selected when reading
abstract and title | 38". Each count becomes a `FlowCount` naming its stage; the words
it was read from stay with it (`printed`), so a doubtful reading can be checked by eye.

The reading is by cue words, nearest first: a verb right before the number ("excluded
146"), else the clause right after it ("146 were previously excluded"), else the clause
before it; qualifiers ("titles and abstracts", "full text", "previously") tell the
screening stage from the full-text one. Numbers that are years, percentages, table or
figure numbers, or counts of anything but records (120 police officers) are passed over.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from citegraph.loaders.parsing.databases import database_named, find_databases
from citegraph.loaders.parsing.document import Table, entries
from citegraph.loaders.records import FlowCount, Source

#: Cue words by stage, strongest first: a clause naming duplicates is about duplicates
#: whatever else it says; "selected" is weaker than "excluded".
CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("duplicates", re.compile(r"\bduplicat|\bduplicad", re.IGNORECASE)),
    (
        "not_retrieved",
        re.compile(
            r"\bnot\s+(?:be\s+)?(?:retriev|obtain|access|locat)|\bunavailable|\binaccessible"
            r"|\bno\s+full[- ]?text",
            re.IGNORECASE,
        ),
    ),
    ("sought", re.compile(r"\bsought\b", re.IGNORECASE)),
    (
        "exclude",
        re.compile(
            r"\bexclu|\bdiscard|\beliminat|\bremov|\breject|\bruled\s+out|\bdescart",
            re.IGNORECASE,
        ),
    ),
    ("screened", re.compile(r"\bscreen|\bexamin", re.IGNORECASE)),
    (
        "assessed",
        re.compile(
            r"\bassess|\bfull[- ]?texts?\b|\bfully\s+read|\bread\s+in\s+full|\bfull\s+reading"
            r"|\bcomplete\s+reading|\beligib",
            re.IGNORECASE,
        ),
    ),
    (
        "select",
        re.compile(
            r"\bselect|\bchos|\bretain|\bkept\b|\bconsidered\b|\binclu|\bmet\b|\bmeet"
            r"|\bfinal\s+(?:sample|set)",
            re.IGNORECASE,
        ),
    ),
    (
        "identified",
        re.compile(
            r"\bidentif|\bfound\b|\bretriev|\byield|\bobtain|\blocated\b|\breturn|\bgather"
            r"|\bcollected\b|\bsearch(?:es)?\b|\bhits\b|\bwere\s+from\b|\bcame\s+from\b",
            re.IGNORECASE,
        ),
    ),
)
_SCREENING = re.compile(
    r"\btitles?\b|\babstracts?\b|\bscreen|\bprevious|\btítulo|\bresumen", re.IGNORECASE
)
_FULL_TEXT = re.compile(
    r"\bfull[- ]?texts?\b|\bfully\s+read|\bread\s+in\s+full|\bfull\s+reading|\bcomplete\s+reading"
    r"|\beligib|\bcritical",
    re.IGNORECASE,
)
_FOR_FULL_TEXT = re.compile(
    r"\bfor\s+(?:a\s+|the\s+)?(?:full|complete|critical|eligib)", re.IGNORECASE
)
_TOTAL = re.compile(r"^(?:total|sum|overall|totals?\s+\w+)$", re.IGNORECASE)

#: Words that may follow a count of records (`350 articles`, `24 were`, `38 of these`).
RECORD_NOUNS = re.compile(
    r"^(?:articles?|records?|documents?|studies|study|papers?|reports?|publications?|references?"
    r"|works?|items?|texts?|titles?|abstracts?|citations?|hits|results|sources|manuscripts?"
    r"|theses|books?|chapters?|full[- ]?texts?|duplicates?|entries)$",
    re.IGNORECASE,
)
_FOLLOWERS = re.compile(
    r"^(?:of|were|was|are|is|had|have|remained|remain|met|more|further|additional|unique"
    r"|potentially|relevant|eligible|new|other|others|in|could|did|that|which|duplicate"
    r"|non-duplicate|full|from|after|\(|,|;|\.|$)$",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?![\w%.,]\d|\s*%|[\w%])")
_SKIP_BEFORE = re.compile(
    r"(?:\b(?:table|tabla|figure|fig|figura|step|phase|stage|chapter|section|appendix|annex"
    r"|pp?|vol|no|page|version|level|item)\.?\s*|[\d/:-])$",
    re.IGNORECASE,
)
_WORDS = re.compile(r"[\w\-]+|[(),;.]")


@dataclass(frozen=True)
class _Reading:
    stage: str
    detail: str | None


def _cue(text: str) -> str | None:
    """The strongest cue in `text`."""
    ranks = [rank for rank, (_, pattern) in enumerate(CUES) if pattern.search(text)]
    return CUES[min(ranks)][0] if ranks else None


def _qualifier(right: str, left: str) -> str | None:
    """`screening` or `full` from the qualifier nearest the number: the first one in the
    clause after it, else the last one in the clause before it, past that clause's own
    cue (in "146 were previously excluded ..., therefore, 24 were selected", "previously"
    belongs to "excluded", not to the 24)."""
    cues = [m.end() for _, p in CUES for m in p.finditer(left)]
    left = left[max(cues, default=0) :]
    for clause, nearest in ((right, min), (left, max)):
        hits = [(m.start(), "screening") for m in _SCREENING.finditer(clause)]
        hits += [(m.start(), "full") for m in _FULL_TEXT.finditer(clause)]
        if hits:
            return nearest(hits)[1]
    return None


def _refine(cue: str, right: str, left: str, final: bool | None) -> str:
    """The stage a cue names, told apart by the qualifiers of its own clause first.

    `final` says whether a table row is the table's last selection (None in a sentence,
    where "selected for full-text reading" is the full-text stage and "selected after
    full-text reading" the included one)."""
    qualifier = _qualifier(right, left)
    if cue == "exclude":
        return "screen_excluded" if qualifier == "screening" else "excluded"
    if cue != "select":
        return cue
    if qualifier == "screening":
        return "sought"
    if qualifier != "full":
        return "included"
    if final is None:
        return "assessed" if _FOR_FULL_TEXT.search(right) else "included"
    return "included" if final else "assessed"


def classify_label(label: str, final: bool = False) -> _Reading | None:
    """The stage a table row's label names (`Found`, `Selected by full reading`)."""
    database = database_named(label)
    if database is not None:
        return _Reading("identified", database.label)
    cue = _cue(label)
    if cue is None:
        return None
    return _Reading(_refine(cue, label, "", final), None)


def table_counts(table: Table, work: str, source: Callable[[int], Source]) -> list[FlowCount]:
    """The flow rows of a table: rows naming stages or databases, each with its count.

    A table counts as a flow table when two rows name stages, or one names a database
    (a table of records per source, whose `Total` row is the records identified)."""
    rows = [e for e in entries(table) if e.count is not None]
    selecting = [i for i, e in enumerate(rows) if _cue(e.label) == "select"]
    last_select = selecting[-1] if selecting else -1
    readings = []
    for index, entry in enumerate(rows):
        reading = classify_label(entry.label, final=index == last_select)
        if reading is None and _TOTAL.match(entry.label):
            reading = _Reading("total", None)
        readings.append((entry, reading))
    named = [r for _, r in readings if r is not None and r.stage != "total"]
    per_source = any(r.detail for r in named)
    if len(named) < 2 and not per_source:
        return []
    found = []
    last = ""
    for entry, reading in readings:
        if reading is None or entry.count is None:
            continue
        stage = reading.stage
        if stage == "total":
            if not per_source:
                continue
            stage = "identified"
        if (
            stage == "excluded"
            and _cue(entry.label) == "exclude"
            and not _qualifier(entry.label, "")
        ):
            # "Records excluded" after the records screened is the screening's exclusion
            stage = "screen_excluded" if last in ("identified", "duplicates", "screened") else stage
        last = stage
        found.append(
            FlowCount(
                work,
                stage,
                entry.count,
                source(entry.line),
                entry.label,
                table.label,
                reading.detail,
            )
        )
    return found


def _is_count(cell: str) -> bool:
    return bool(re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+|\d+(?:\.\d+)?\s*%", cell.strip()))


def _int(text: str) -> int:
    return int(text.replace(",", "").strip())


def _year_like(value: int) -> bool:
    return 1900 <= value <= 2100


def _counts_records(sentence: str, start: int, end: int, value: int) -> bool:
    """A number that counts records: not a year, a table number or a count of people."""
    before = sentence[:start].rstrip()
    if _SKIP_BEFORE.search(before):
        return False
    after = _WORDS.findall(sentence[end:])[:3]
    leading = re.search(r"(?:total\s+of|n\s*=|\w+(?:ed|ing))\s*$", before, re.IGNORECASE)
    nouns = [w for w in after if RECORD_NOUNS.match(w)]
    if _year_like(value) and not (after and RECORD_NOUNS.match(after[0])):
        return False
    if not after:
        return bool(leading)
    first = after[0]
    if RECORD_NOUNS.match(first) or _FOLLOWERS.match(first):
        return True
    return bool(leading) or bool(nouns and len(after) > 1 and RECORD_NOUNS.match(after[1]))


def _reasons(sentence: str) -> Iterable[tuple[int, int, int, str]]:
    """`excluded (30 wrong population, 25 wrong design)`: each reason's span, count and
    words; these numbers are exclusions with reasons, not stages of their own."""
    for group in re.finditer(r"\bexclu\w*[^(.;]{0,60}\(([^()]{3,400})\)", sentence, re.IGNORECASE):
        inner_start = group.start(1)
        for item in re.finditer(r"[^;,]+", group.group(1)):
            text = item.group(0)
            number = re.search(r"(?:n\s*=\s*)?(\d{1,3}(?:,\d{3})+|\d+)", text)
            if not number:
                continue
            reason = (text[: number.start()] + text[number.end() :]).strip(" :=-–()")
            reason = re.sub(r"\s*\bn\s*$", "", reason).strip(" :=")
            if reason:
                start = inner_start + item.start() + number.start(1)
                yield start, start + len(number.group(1)), _int(number.group(1)), reason


_ANY_CUE = re.compile("|".join(f"(?:{p.pattern})" for _, p in CUES), re.IGNORECASE)


def _may_count(sentence: str) -> bool:
    """A quick look before the reading: a number that is not a year (or is followed by a
    record noun: "2000 records"), and some cue word."""
    plausible = False
    for match in _NUMBER.finditer(sentence):
        value = _int(match.group(1))
        if not _year_like(value) or RECORD_NOUNS.match(
            (_WORDS.findall(sentence[match.end(1) : match.end(1) + 20]) or [""])[0]
        ):
            plausible = True
            break
    return plausible and bool(_ANY_CUE.search(sentence))


def sentence_counts(
    sentences: Iterable[tuple[int, str]], work: str, source: Callable[[int], Source]
) -> list[FlowCount]:
    """The flow counts in sentences (line, text) of a review's method and results."""
    found: list[FlowCount] = []
    last_stage = ""
    for line, sentence in sentences:
        if not _may_count(sentence):
            continue
        taken = list(_reasons(sentence))
        for _, _, count, reason in taken:
            found.append(FlowCount(work, "excluded", count, source(line), sentence, "text", reason))
        spans = [(s, e) for s, e, _, _ in taken]
        numbers = [
            m for m in _NUMBER.finditer(sentence) if not any(s <= m.start(1) < e for s, e in spans)
        ]
        for position, match in enumerate(numbers):
            value = _int(match.group(1))
            if not _counts_records(sentence, match.start(1), match.end(1), value):
                continue
            previous_end = numbers[position - 1].end() if position else 0
            next_start = (
                numbers[position + 1].start() if position + 1 < len(numbers) else len(sentence)
            )
            right = re.split(r"[;]|\s\(", sentence[match.end(1) : next_start], maxsplit=1)[0]
            left = sentence[previous_end : match.start(1)]
            reading = _read(left, right, last_stage)
            if reading is None:
                continue
            last_stage = reading.stage
            printed = sentence[max(previous_end, match.start(1) - 60) : match.end(1) + len(right)]
            found.append(
                FlowCount(
                    work,
                    reading.stage,
                    value,
                    source(line),
                    printed.strip(),
                    "text",
                    reading.detail,
                )
            )
    return found


def _read(left: str, right: str, last_stage: str) -> _Reading | None:
    """The stage of the number between `left` and `right`: a cue word right before it
    ("excluded 146"), else in the clause after it, else in the clause before it; a
    clause after it naming duplicates or records not retrieved wins over all."""
    head = " ".join(right.split()[:5])
    immediate = re.search(r"\w+\s*(?:a\s+total\s+of|only|another|approximately|about)?\s*$", left)
    candidates = [
        _cue(immediate.group(0)) if immediate else None,
        _cue(" ".join(right.split()[:12])),
        _cue(" ".join(left.split()[-12:])),
    ]
    strong = _cue(head)
    cue = strong if strong in ("duplicates", "not_retrieved") else None
    cue = cue or next((c for c in candidates if c is not None), None)
    detail = _nearest_database(left, head)
    if cue is None:
        return _Reading("identified", detail) if detail else None
    if cue == "exclude" and _qualifier(right, left) is None:
        after_full_text = last_stage in ("sought", "not_retrieved", "assessed", "excluded")
        return _Reading("excluded" if after_full_text else "screen_excluded", None)
    stage = _refine(cue, right, left, final=None)
    return _Reading(stage, detail if stage == "identified" else None)


def _nearest_database(left: str, head: str) -> str | None:
    """The database a count belongs to: the one just before `(n = 120)` or `Scopus: 120`,
    else one the clause after it names ("216 articles were from Scopus")."""
    before = find_databases(left[-40:])
    if before and re.search(r"(?:\(\s*(?:n\s*=\s*)?|[:=]\s*)$", left):
        return before[-1].database.label
    after = find_databases(head)
    return after[0].database.label if after else None
