"""The reviewer's own word on identity: records to keep together, records to keep apart.

A decision names records, not works: a work's IRI moves as its records change, while a
record is the file it came from and its key in that file. Decisions are kept in each
store version beside the records they were built with (graph/store/), so a crash never
loses one and every later ingest honours them. Undoing one keeps it, marked undone, so
the history of what the reviewer decided stays readable.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from citegraph.loaders.records import Work

#: A record: the file it came from and its key in that file (`loaders/records.py` Work.key).
RecordRef = tuple[str, str]
Action = Literal["merge", "split"]


def number_of(decision_id: str) -> int:
    """Decisions are numbered in the order they were made: `d12` -> 12."""
    return int(decision_id.removeprefix("d"))


def record_ref(work: Work) -> RecordRef:
    return (work.source.path, work.key)


@dataclass(frozen=True)
class Decision:
    """`merge`: the records of `groups[0]` are one work, whatever the rules say. `split`:
    records in different groups are never one work (each may still join others)."""

    id: str
    action: Action
    groups: tuple[tuple[RecordRef, ...], ...]
    made: str
    note: str = ""
    undone: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "action": self.action,
            "groups": [[list(ref) for ref in group] for group in self.groups],
            "made": self.made,
            "note": self.note,
            "undone": self.undone,
        }

    @classmethod
    def from_json(cls, row: dict[str, Any]) -> Decision:
        return cls(
            id=str(row["id"]),
            action=row["action"],
            groups=tuple(tuple((str(p), str(k)) for p, k in group) for group in row["groups"]),
            made=str(row.get("made", "")),
            note=str(row.get("note", "")),
            undone=str(row.get("undone", "")),
        )

    @property
    def number(self) -> int:
        return number_of(self.id)

    def undo(self, when: str) -> Decision:
        return replace(self, undone=when)

    @property
    def records(self) -> set[RecordRef]:
        return {ref for group in self.groups for ref in group}


@dataclass
class Reviewer:
    """The decisions in force, indexed by the records they name."""

    decisions: tuple[Decision, ...] = ()
    _by_record: dict[RecordRef, list[tuple[Decision, int]]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.decisions = tuple(d for d in self.decisions if not d.undone)
        self._by_record = defaultdict(list)
        for decision in self.decisions:
            for number, group in enumerate(decision.groups):
                for ref in group:
                    self._by_record[ref].append((decision, number))

    def keys(self, work: Work) -> tuple[str, ...]:
        """The closure keys a record's merges give it: a merge connects the components
        of its records (a split only restricts joins inside one)."""
        return tuple(
            f"dec:{d.id}"
            for d, _ in self._by_record.get(record_ref(work), ())
            if d.action == "merge"
        )

    def named(self, work: Work) -> list[tuple[Decision, int]]:
        return self._by_record.get(record_ref(work), [])

    def merges(self) -> Iterable[Decision]:
        return (d for d in self.decisions if d.action == "merge")


NO_DECISIONS = Reviewer()


def changed_records(before: Reviewer, after: Reviewer) -> set[RecordRef]:
    """The records named by the decisions made or undone between two versions: the
    components they are in are decided again."""
    old = {d.id: d for d in before.decisions}
    new = {d.id: d for d in after.decisions}
    changed = [old[i] for i in old.keys() - new.keys()] + [new[i] for i in new.keys() - old.keys()]
    changed += [d for i in old.keys() & new.keys() if (d := new[i]) != old[i]] + [
        old[i] for i in old.keys() & new.keys() if new[i] != old[i]
    ]
    return {ref for d in changed for ref in d.records}
