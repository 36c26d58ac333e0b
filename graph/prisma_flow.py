"""A PRISMA 2020 flow from each of its three places, and whether each one adds up.

The places: the review's tables and its sentences (two flows, so one can be held against
the other), a PRISMA2020 template filled in apart, and the ingested exports themselves,
whose records per file are the records identified per source and whose de-duplication
(the build's identity clusters, read from the store) gives the duplicates removed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from citegraph.loaders.parsing.databases import database_of_file
from citegraph.loaders.records import FLOW_STAGES, FlowCount, LoadResult
from citegraph.loaders.registry import REVIEW_FORMATS
from citegraph.ontology.vocabulary import databases

#: Formats that are not a database's export: their works are no records identified.
NOT_EXPORTS = REVIEW_FORMATS | {"extraction", "prisma-csv"}
#: The stages a record passes, each followed by what leaves the flow before the next.
CHAIN: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("identified", ("duplicates", "removed_other")),
    ("screened", ("screen_excluded",)),
    ("sought", ("not_retrieved",)),
    ("assessed", ("excluded",)),
    ("included", ()),
)
LABELS = {
    "identified": "records identified",
    "duplicates": "duplicates removed",
    "removed_other": "records removed for other reasons",
    "screened": "records screened",
    "screen_excluded": "records excluded on title and abstract",
    "sought": "reports sought for retrieval",
    "not_retrieved": "reports not retrieved",
    "assessed": "reports assessed for eligibility",
    "excluded": "reports excluded",
    "included": "studies included",
    "included_reports": "reports of included studies",
}


@dataclass(frozen=True)
class MethodItem:
    """One thing the method audit found: its kind, a one-line message, where."""

    kind: str
    message: str
    file: str
    lines: tuple[int, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", tuple(sorted(set(self.lines))))

    def __str__(self) -> str:
        return f"{self.file}:{','.join(map(str, self.lines)) or '0'}: {self.kind}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "lines": list(self.lines)}


@dataclass(frozen=True)
class Count:
    stage: str
    count: int
    file: str
    line: int
    place: str  # "Table 1", "text", "template", "exports"
    detail: str | None = None
    arm: str = "databases"
    printed: str = ""

    @property
    def key(self) -> tuple[str, str, str | None]:
        return (self.stage, self.arm, self.detail)

    def where(self) -> str:
        return f"line {self.line}" if self.place == "text" else f"{self.place} line {self.line}"


@dataclass
class Flow:
    """One place's counts (`source`: tables, text, template, exports)."""

    source: str
    file: str
    counts: list[Count] = field(default_factory=list)

    def get(self, stage: str, arm: str = "databases", detail: str | None = None) -> list[Count]:
        return [c for c in self.counts if c.key == (stage, arm, detail)]

    def first(self, stage: str, arm: str = "databases", detail: str | None = None) -> Count | None:
        found = self.get(stage, arm, detail)
        return found[0] if found else None

    def details(self, stage: str, arm: str = "databases") -> list[Count]:
        return [c for c in self.counts if c.stage == stage and c.arm == arm and c.detail]

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "file": self.file,
            "counts": [asdict(c) for c in self.counts],
        }


def count_of(record: FlowCount) -> Count:
    return Count(
        record.stage,
        record.count,
        record.source.path,
        record.source.line,
        record.place,
        record.detail,
        record.arm,
        record.printed,
    )


def review_flows(result: LoadResult) -> list[Flow]:
    """A review's flow as its tables print it, and as its sentences do."""
    tables = Flow("tables", result.path)
    text = Flow("text", result.path)
    for record in result.records:
        if isinstance(record, FlowCount) and record.work is not None:
            (text if record.place == "text" else tables).counts.append(count_of(record))
    return [f for f in (tables, text) if f.counts]


def template_flow(result: LoadResult) -> Flow | None:
    counts = [count_of(r) for r in result.records if isinstance(r, FlowCount) and r.work is None]
    return Flow("template", result.path, counts) if counts else None


def export_database(path: str, format: str) -> str:
    """The database an export came from: its format's, else its file name's, else the
    file name itself."""
    for database in databases():
        if database.export_format == format:
            return database.label
    named = database_of_file(Path(path).name)
    return named.label if named else Path(path).name


def exports_flow(
    listed: Iterable[tuple[str, str, int]], decisions: Iterable[dict[str, Any]]
) -> Flow | None:
    """The flow the exports give: (path, format, records loaded) per ingested file, and
    the build's identity decisions. Records merged into one work are duplicates but one;
    records the review's own reference list joins are counted as cited by the review."""
    files = {path: (fmt, loaded) for path, fmt, loaded in listed if fmt not in NOT_EXPORTS}
    reviews = {path for path, fmt, _ in listed if fmt in REVIEW_FORMATS}
    if not files:
        return None
    flow = Flow("exports", "")
    per_database: dict[str, int] = defaultdict(int)
    for path, (fmt, loaded) in sorted(files.items()):
        per_database[export_database(path, fmt)] += loaded
    for name, loaded in sorted(per_database.items()):
        flow.counts.append(Count("identified", loaded, "", 0, "exports", name))
    identified = sum(loaded for _, loaded in files.values())
    duplicates = cited = 0
    for decision in decisions:
        own = [
            m
            for m in decision["members"]
            if m["path"] in files and not m.get("cited_only", m["stub"])
        ]
        duplicates += max(0, len(own) - 1)
        if own and any(m["path"] in reviews for m in decision["members"]):
            cited += 1
    flow.counts += [
        Count("identified", identified, "", 0, "exports"),
        Count("duplicates", duplicates, "", 0, "exports"),
        Count("screened", identified - duplicates, "", 0, "exports"),
    ]
    if reviews:  # not the studies included: the exports' records the review cites
        flow.counts.append(Count("included", cited, "", 0, "exports", arm="cited"))
    return flow


def _item(kind: str, message: str, counts: Iterable[Count | None]) -> MethodItem:
    found = [c for c in counts if c is not None]
    file = next((c.file for c in found if c.file), "")
    return MethodItem(kind, message, file, tuple(c.line for c in found if c.line))


def _name(flow: Flow) -> str:
    return {"tables": "the tables", "text": "the text", "template": "the template"}.get(
        flow.source, f"the {flow.source}"
    )


def _says(flow: Flow) -> str:
    """The place as the subject of a sentence: `the text says`, `the tables say`."""
    plural = flow.source in ("tables", "exports")
    return f"{_name(flow)} {'say' if plural else 'says'}"


def _identified(flow: Flow, arm: str) -> Count | None:
    """The records identified in an arm: the total printed, else the sum of its sources."""
    total = flow.first("identified", arm)
    if total is not None:
        registers = flow.first("identified", arm, "Registers")
        if registers is None:
            return total
        return Count(
            "identified", total.count + registers.count, total.file, total.line, total.place
        )
    parts = flow.details("identified", arm)
    if not parts:
        return None
    return Count(
        "identified", sum(c.count for c in parts), parts[0].file, parts[0].line, parts[0].place
    )


def balance(flow: Flow) -> list[MethodItem]:
    """Where one place's flow does not add up: one stage printed with two counts, sources
    that do not sum to their total, or a stage that is not the one before it less what
    left the flow in between (or even more than the one before it)."""
    items: list[MethodItem] = []
    by_key: dict[tuple[str, str, str | None], list[Count]] = defaultdict(list)
    for count in flow.counts:
        by_key[count.key].append(count)
    for (stage, _, detail), counts in by_key.items():
        if len({c.count for c in counts}) > 1:
            shown = ", ".join(f"{c.count} ({c.where()})" for c in counts)
            what = LABELS[stage] + (f" from {detail}" if detail and stage == "identified" else "")
            items.append(
                _item(
                    "flow_unbalanced", f"{_name(flow)} give two counts of {what}: {shown}", counts
                )
            )
    for arm in sorted({c.arm for c in flow.counts}):
        items += _sources_sum(flow, arm)
        items += _reasons_sum(flow, arm)
        items += _chain(flow, arm)
    items += _arms(flow)
    return items


def _sources_sum(flow: Flow, arm: str) -> list[MethodItem]:
    total = flow.first("identified", arm)
    parts = [c for c in flow.details("identified", arm) if c.detail != "Registers"]
    if total is None or not parts or sum(c.count for c in parts) == total.count:
        return []
    listed = " + ".join(f"{c.count} {c.detail}" for c in parts)
    added = sum(c.count for c in parts)
    message = (
        f"records identified per source in {_name(flow)} add up to {added} ({listed}), "
        f"but the total is {total.count} ({total.where()})"
    )
    return [_item("flow_unbalanced", message, [total, *parts])]


def _chain(flow: Flow, arm: str) -> list[MethodItem]:
    items: list[MethodItem] = []
    previous: Count | None = None
    removed: list[Count] = []
    unknown: list[str] = []
    for stage, leaving in CHAIN:
        current = _identified(flow, arm) if stage == "identified" else flow.first(stage, arm)
        if current is not None and previous is not None:
            gone = sum(c.count for c in removed)
            expected = previous.count - gone
            words = f"{previous.count} {LABELS[previous.stage]}" + "".join(
                f" - {c.count} {LABELS[c.stage]}" for c in removed
            )
            if not unknown and expected != current.count:
                message = (
                    f"{_name(flow)}: {words} = {expected}, but {current.count} "
                    f"{LABELS[stage]} ({current.where()})"
                )
                items.append(_item("flow_unbalanced", message, [previous, *removed, current]))
            elif unknown and current.count > expected:
                before = words + (f" = {expected}" if removed else f" ({previous.where()})")
                message = (
                    f"{_name(flow)}: {current.count} {LABELS[stage]} ({current.where()}) "
                    f"are more than the {before} before them"
                )
                items.append(_item("flow_unbalanced", message, [previous, *removed, current]))
        if current is not None:
            previous, removed, unknown = current, [], []
        for stage_leaving in leaving:
            found = _removed(flow, stage_leaving, arm)
            if found is None:
                unknown.append(stage_leaving)
            else:
                removed.append(found)
    return items


def _removed(flow: Flow, stage: str, arm: str) -> Count | None:
    """What left the flow at a stage: its total, else the sum of its reasons."""
    total = flow.first(stage, arm)
    if total is not None:
        return total
    reasons = flow.details(stage, arm)
    if not reasons:
        return None
    first = reasons[0]
    return Count(stage, sum(c.count for c in reasons), first.file, first.line, first.place)


def _reasons_sum(flow: Flow, arm: str) -> list[MethodItem]:
    """Exclusions with reasons that do not add up to the exclusions counted."""
    total = flow.first("excluded", arm)
    reasons = flow.details("excluded", arm)
    added = sum(c.count for c in reasons)
    if total is None or not reasons or added == total.count:
        return []
    listed = " + ".join(f"{c.count} {c.detail}" for c in reasons)
    message = (
        f"the reasons for exclusion in {_name(flow)} add up to {added} ({listed}), "
        f"but {total.count} reports were excluded ({total.where()})"
    )
    return [_item("flow_unbalanced", message, [total, *reasons])]


def _arms(flow: Flow) -> list[MethodItem]:
    """Studies included in total: the new ones plus those of the previous version."""
    total = flow.first("included", "total")
    new = flow.first("included", "databases")
    if total is None or new is None:
        return []
    previous = flow.first("included", "previous")
    expected = new.count + (previous.count if previous else 0)
    if expected == total.count:
        return []
    message = (
        f"{_name(flow)}: {expected} studies included new and before, but {total.count} in total"
    )
    return [_item("flow_unbalanced", message, [new, previous, total])]


def disagreements(a: Flow, b: Flow, kind: str) -> list[MethodItem]:
    """Stages both places count, with different counts."""
    items = []
    for stage in FLOW_STAGES:
        keys = sorted({c.key for c in a.counts + b.counts if c.stage == stage}, key=str)
        for key in keys:
            left, right = a.first(*key), b.first(*key)
            if left is None or right is None or left.count == right.count:
                continue
            what = LABELS[stage] + (f" ({key[2]})" if key[2] else "")
            message = (
                f"{_says(a)} {left.count} {what} ({left.where()}), "
                f"{_says(b)} {right.count}" + (f" ({right.where()})" if right.line else "")
            )
            items.append(_item(kind, message, [left, right]))
    return items


def consensus(flows: list[Flow], stage: str, arm: str = "databases") -> Count | None:
    """The count a review stands by: its tables' if they print one, else its text's."""
    for flow in flows:
        found = flow.first(stage, arm)
        if found is not None:
            return found
    return None
