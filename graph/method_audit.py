"""The method audit of a review: does it agree with its own tables, text and cited works?

Systematic reviews report their search as counts, and nothing checks them. This holds
each against the others: the flow's stages (do they add up, does the text say what the
table says, do the template and the exports agree), the percentages against their
counts, the databases the method names against those counted, the studies selected
against the works the Results discuss, the years and languages claimed against those of
the cited works. Every item names its kind, says what is wrong in one line, and gives the
lines to look at. Records are read from the store; nothing is decided again here.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from citegraph.graph.language import detector, title_language
from citegraph.graph.prisma_flow import (
    Count,
    Flow,
    MethodItem,
    balance,
    consensus,
    disagreements,
    exports_flow,
    review_flows,
    template_flow,
)
from citegraph.graph.store import Snapshot
from citegraph.loaders.parsing.method import language_code
from citegraph.loaders.records import LoadResult, MethodNote, ReportedShare, Work
from citegraph.loaders.registry import REVIEW_FORMATS

KINDS = (
    "flow_unbalanced",
    "text_vs_table",
    "flow_sources",
    "percentage",
    "databases",
    "selected_vs_discussed",
    "years",
    "languages",
    "figure",
)
#: Within this many points a printed percentage is taken as its count's, rounded.
PERCENT_TOLERANCE = 1.0


@dataclass
class ReviewFlows:
    """The flows of one review, side by side, and what the audit found in them."""

    review: str
    flows: list[Flow] = field(default_factory=list)
    items: list[MethodItem] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "review": self.review,
            "flows": [f.to_json() for f in self.flows],
            "items": [i.to_json() for i in self.items],
        }


def method_sources(snapshot: Snapshot) -> tuple[list[LoadResult], list[LoadResult]]:
    """The reviews and the filled-in templates of a store, read without the exports."""
    reviews: list[LoadResult] = []
    templates: list[LoadResult] = []
    for entry in sorted(snapshot.sources_listed.values(), key=lambda e: e.path):
        if entry.format in REVIEW_FORMATS:
            reviews.append(snapshot.store.records.read(entry))
        elif entry.format == "prisma-csv":
            templates.append(snapshot.store.records.read(entry))
    return reviews, templates


def store_exports_flow(snapshot: Snapshot) -> Flow | None:
    """The exports' flow from the records per file and the build's identity decisions."""
    listed = []
    for entry in snapshot.sources_listed.values():
        summary = snapshot.store.records.summary(entry.path, entry.signature)
        listed.append((entry.path, entry.format, summary.loaded if summary else 0))
    return exports_flow(listed, snapshot.identity())


def method_audit(
    snapshot: Snapshot, read: tuple[list[LoadResult], list[LoadResult]] | None = None
) -> list[ReviewFlows]:
    """Every review's flows and method audit; templates go with every review. `read` is
    `method_sources(snapshot)` when the caller has read them already."""
    reviews, templates = read or method_sources(snapshot)
    exports = store_exports_flow(snapshot)
    return audit_reviews(reviews, templates, exports)


def audit_reviews(
    reviews: list[LoadResult], templates: list[LoadResult], exports: Flow | None
) -> list[ReviewFlows]:
    filled = [f for f in (template_flow(t) for t in templates) if f is not None]
    found = []
    for review in reviews:
        own = review_flows(review)
        flows = [*own, *filled, *([exports] if exports else [])]
        report = ReviewFlows(review.path, flows)
        for flow in flows:
            report.items += balance(flow)
        report.items += _text_against_tables(own)
        for other in flows[len(own) :]:
            if own:
                report.items += disagreements(_stood_by(own), other, "flow_sources")
        report.items += _review_checks(review, own, exports)
        found.append(report)
    if not reviews and filled:
        found.append(ReviewFlows("", [*filled], [i for f in filled for i in balance(f)]))
    return found


def _stood_by(own: list[Flow]) -> Flow:
    """The review's flow as it stands by it: a table's count over its text's."""
    merged = Flow("review", own[0].file)
    seen: set[tuple[str, str, str | None]] = set()
    for flow in own:
        for count in flow.counts:
            if count.key not in seen:
                seen.add(count.key)
                merged.counts.append(count)
    return merged


def _text_against_tables(own: list[Flow]) -> list[MethodItem]:
    tables = next((f for f in own if f.source == "tables"), None)
    text = next((f for f in own if f.source == "text"), None)
    if tables is None or text is None:
        return []
    return disagreements(text, tables, "text_vs_table")


def _review_checks(review: LoadResult, own: list[Flow], exports: Flow | None) -> list[MethodItem]:
    shares = [r for r in review.records if isinstance(r, ReportedShare)]
    notes = [r for r in review.records if isinstance(r, MethodNote)]
    entries = {w.key: w for w in review.works if not w.is_document}
    discussed_note = next((n for n in notes if n.kind == "discussed"), None)
    discussed = (
        [
            (entries[k], line)
            for k, line in zip(discussed_note.values, discussed_note.lines, strict=True)
            if k in entries
        ]
        if discussed_note
        else []
    )
    included = consensus(own, "included") or consensus(own, "included", "total")
    items = _percentages(review.path, shares, included)
    items += _share_text_against_tables(review.path, shares)
    items += _databases(review.path, notes, own, exports)
    if discussed_note is not None and included is not None and included.count != len(discussed):
        lines = discussed_note.lines
        message = (
            f"the review says {included.count} studies were selected ({included.where()}), "
            f"but its Results discuss {len(discussed)} works" + (_lines(lines) if lines else "")
        )
        items.append(
            MethodItem("selected_vs_discussed", message, review.path, (included.line, *lines))
        )
    items += _years(review.path, notes, shares, discussed, list(entries.values()))
    items += _languages(review.path, shares, list(entries.values()), discussed)
    for note in notes:
        if note.kind == "figure":
            label, title = note.values
            message = (
                f"{label} has a caption" + (f" ({title!r})" if title else "") + " but no figure"
            )
            items.append(MethodItem("figure", message, review.path, (note.source.line,)))
    return items


def _lines(lines: tuple[int, ...]) -> str:
    low, high = min(lines), max(lines)
    return f" (line {low})" if low == high else f" (lines {low}-{high})"


def _groups(shares: list[ReportedShare]) -> dict[str, list[ReportedShare]]:
    groups: dict[str, list[ReportedShare]] = defaultdict(list)
    for share in shares:
        if share.place != "text":
            groups[share.group].append(share)
    return groups


def _percentages(
    path: str, shares: list[ReportedShare], included: Count | None
) -> list[MethodItem]:
    """Each percentage against its count and its table's total; totals against the sum of
    their rows, and against the studies the review says it included."""
    items = []
    for group, rows in _groups(shares).items():
        parts = [r for r in rows if not r.total]
        totals = [r for r in rows if r.total and r.count is not None]
        counted = [r.count for r in parts if r.count is not None]
        base = totals[0].count if totals else (sum(counted) if len(counted) == len(parts) else None)
        if totals and counted and len(counted) == len(parts) and sum(counted) != base:
            message = f"{group}: the rows add up to {sum(counted)}, the total row says {base}"
            items.append(
                MethodItem("percentage", message, path, tuple(r.source.line for r in rows))
            )
        for row in parts:
            if row.count is None or row.percent is None or not base:
                continue
            exact = 100 * row.count / base
            if abs(exact - row.percent) >= PERCENT_TOLERANCE:
                message = (
                    f"{group}: {row.category} is {row.count} of {base}, {exact:.1f}%, "
                    f"but printed as {row.percent:g}%"
                )
                items.append(MethodItem("percentage", message, path, (row.source.line,)))
        facets = {r.facet for r in parts}
        if base and included and base != included.count and facets & {"year", "language"}:
            message = (
                f"{group}: the shares are of {base} works, but the review selected "
                f"{included.count} ({included.where()})"
            )
            lines = tuple(r.source.line for r in totals or parts)
            items.append(MethodItem("percentage", message, path, (*lines, included.line)))
    return items


def _share_text_against_tables(path: str, shares: list[ReportedShare]) -> list[MethodItem]:
    in_tables = {(s.facet, s.category.casefold()): s for s in shares if s.place != "text"}
    items = []
    for share in shares:
        table = in_tables.get((share.facet, share.category.casefold()))
        if share.place != "text" or table is None or share.percent is None:
            continue
        if table.percent is not None and abs(table.percent - share.percent) >= PERCENT_TOLERANCE:
            message = (
                f"the text gives {share.category} {share.percent:g}% (line {share.source.line}), "
                f"{table.place} {table.percent:g}% (line {table.source.line})"
            )
            items.append(
                MethodItem("text_vs_table", message, path, (share.source.line, table.source.line))
            )
    return items


def _databases(
    path: str, notes: list[MethodNote], own: list[Flow], exports: Flow | None
) -> list[MethodItem]:
    """The sources the method names against those the review counts and those ingested."""
    named_notes = [n for n in notes if n.kind == "databases"]
    named = list(dict.fromkeys(v for n in named_notes for v in n.values))
    counted_at = [c for f in own for c in f.details("identified") if c.detail != "Registers"]
    counted = list(dict.fromkeys(c.detail for c in counted_at if c.detail))
    items = []
    if named and counted and set(named) != set(counted):
        lines = tuple(n.source.line for n in named_notes) + tuple(c.line for c in counted_at)
        message = (
            f"the method names {len(named)} source(s) ({', '.join(named)}), "
            f"the counts cover {len(counted)} ({', '.join(counted)})"
        )
        items.append(MethodItem("databases", message, path, lines))
    if exports is not None and (named or counted):
        ingested = [c.detail for c in exports.details("identified") if c.detail]
        claimed = list(dict.fromkeys([*named, *counted]))
        missing = [d for d in claimed if d not in ingested]
        extra = [d for d in ingested if d not in claimed]
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"no export ingested from {', '.join(missing)}")
            if extra:
                parts.append(f"exports from {', '.join(extra)} the review does not name")
            lines = tuple(n.source.line for n in named_notes)
            items.append(MethodItem("databases", "; ".join(parts), path, lines))
    return items


def _cite(work: Work) -> str:
    family = (
        work.authors[0].family or work.authors[0].name if work.authors else work.title or work.key
    )
    more = (
        " et al."
        if len(work.authors) > 2
        else (f" & {work.authors[1].family}" if len(work.authors) == 2 else "")
    )
    return f"{family}{more} ({work.year or 'n.d.'}), line {work.source.line}"


def _in_bucket(year: int, label: str) -> bool:
    years = [int(y) for y in re.findall(r"(?:19|20)\d\d", label)]
    if len(years) == 1:
        return year == years[0]
    return bool(years) and min(years) <= year <= max(years)


def _years(
    path: str,
    notes: list[MethodNote],
    shares: list[ReportedShare],
    discussed: list[tuple[Work, int]],
    entries: list[Work],
) -> list[MethodItem]:
    """The years claimed (a range, "the last N years", a table of years) against the
    years of the works the Results discuss."""
    dated = [(w, line) for w, line in discussed if w.year]
    if not dated:
        return []
    newest = max((w.year for w in entries if w.year), default=None)
    items = []
    for note in (n for n in notes if n.kind == "years"):
        if note.values[0] == "last":
            if newest is None:
                continue
            span = int(note.values[1])
            first, last = newest - span + 1, newest
            claim = f"the last {span} years ({first}-{last}, the newest reference being {newest})"
        else:
            first, last = int(note.values[0]), int(note.values[1])
            claim = f"{first}-{last}"
        outside = [(w, line) for w, line in dated if not first <= (w.year or 0) <= last]
        if outside:
            shown = "; ".join(_cite(w) for w, _ in outside[:4])
            message = (
                f"the review claims {claim} (line {note.source.line}), but {len(outside)} "
                f"work(s) the Results discuss fall outside: {shown}"
            )
            lines = (note.source.line, *(line for _, line in outside))
            items.append(MethodItem("years", message, path, lines))
    buckets = [s for s in shares if s.facet == "year" and not s.total and s.place != "text"]
    if buckets:
        outside = [
            (w, line)
            for w, line in dated
            if not any(_in_bucket(w.year or 0, b.category) for b in buckets)
        ]
        found = Counter(str(w.year) for w, _ in dated)
        claimed = ", ".join(f"{b.category}: {b.count}" for b in buckets if b.count is not None)
        if outside:
            shown = "; ".join(_cite(w) for w, _ in outside[:4])
            years = ", ".join(f"{y}: {n}" for y, n in sorted(found.items()))
            verb = "falls" if len(outside) == 1 else "fall"
            message = (
                f"{buckets[0].place} counts works from {claimed}; the {len(dated)} works the "
                f"Results discuss are from {years}, and {shown} {verb} in no row"
            )
            lines = (*(b.source.line for b in buckets), *(line for _, line in outside))
            items.append(MethodItem("years", message, path, lines))
    return items


def _languages(
    path: str, shares: list[ReportedShare], entries: list[Work], discussed: list[tuple[Work, int]]
) -> list[MethodItem]:
    """The language shares claimed against the languages of the cited works' titles."""
    every = [s for s in shares if s.facet == "language" and not s.total]
    in_tables = [s for s in every if s.place != "text"]
    claims = in_tables or every  # a table's shares, else the text's
    if not claims or not entries:
        return []
    codes = {language_code(s.category) for s in claims} - {None}
    identifier = detector(c for c in codes if c)
    detected = {w.key: title_language(w.title, identifier) for w in entries}
    found = Counter(code for code in detected.values() if code)
    claimed_share = {language_code(s.category): s for s in claims}
    wrong = []
    for code in sorted(found):
        share = claimed_share.get(code)
        if share is None or (share.percent == 0 or share.count == 0):
            wrong.append(code)
    full = [
        s
        for s in claims
        if s.percent == 100 or (s.count and s.count == sum(c.count or 0 for c in claims))
    ]
    if full and len(found) > 1:
        wrong += [c for c in found if c != language_code(full[0].category) and c not in wrong]
    if not wrong:
        return []
    names = {code: _language_name(code) for code in found}
    examples = [w for w in entries if detected.get(w.key) in wrong][:3]
    in_results = {w.key for w, _ in discussed}
    shown_claims = ", ".join(
        f"{s.category} {s.percent:g}%" if s.percent is not None else f"{s.category} {s.count}"
        for s in claims
    )
    read_as = ", ".join(f"{names[c]} {n}" for c, n in found.most_common())
    message = (
        f"the review claims {shown_claims} ({claims[0].place}), but the titles of its "
        f"{sum(found.values())} cited works read as {read_as}: "
        + "; ".join(
            _cite(w) + (" (in the Results)" if w.key in in_results else "") for w in examples
        )
    )
    lines = (*{s.source.line for s in every}, *(w.source.line for w in examples))
    return [MethodItem("languages", message, path, lines)]


def _language_name(code: str) -> str:
    import pycountry

    language = pycountry.languages.get(alpha_2=code)
    return str(language.name) if language else code


def items_by_kind(reports: Iterable[ReviewFlows]) -> list[MethodItem]:
    """Every report's items, in the order of KINDS, then file and line."""
    order = {kind: index for index, kind in enumerate(KINDS)}
    found = [i for r in reports for i in r.items]
    return sorted(
        found, key=lambda i: (order.get(i.kind, len(order)), i.file, min(i.lines, default=0))
    )
