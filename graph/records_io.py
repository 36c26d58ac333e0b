"""Records to JSON and back, so a store can rebuild its graph from what was loaded."""

from __future__ import annotations

import dataclasses
from typing import Any

from citegraph.loaders.records import (
    Agent,
    Citation,
    Finding,
    FlowCount,
    Issue,
    Mention,
    MethodNote,
    Record,
    ReportedShare,
    Severity,
    Source,
    UnresolvedCitation,
    Work,
)

RECORD_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        Work,
        Citation,
        UnresolvedCitation,
        Mention,
        Finding,
        FlowCount,
        ReportedShare,
        MethodNote,
    )
}


def _shallow(record: Any) -> dict[str, Any]:
    return {name: getattr(record, name) for name in record.__slots__}


def record_to_json(record: Record) -> dict[str, Any]:
    """A shallow conversion: records are frozen, so nothing needs the deep copy `asdict`
    makes (which was the slowest step of saving 50k records)."""
    data = _shallow(record)
    data["source"] = _shallow(record.source)
    for key in ("authors", "editors"):
        if key in data:
            data[key] = [_shallow(a) if isinstance(a, Agent) else a for a in data[key]]
    data["_type"] = type(record).__name__
    return data


_TUPLES = {
    cls: frozenset(f.name for f in dataclasses.fields(cls) if str(f.type).startswith("tuple"))
    for cls in RECORD_TYPES.values()
}
_FIELDS = {cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in RECORD_TYPES.values()}
_AGENTS = {
    cls: frozenset(f.name for f in dataclasses.fields(cls) if "Agent" in str(f.type))
    for cls in RECORD_TYPES.values()
}


def _revive(cls: type, data: dict[str, Any]) -> Any:
    """The record back from its JSON: lists become the tuples the record holds, dicts
    its Source and Agents; fields a newer citegraph wrote and this one lacks are left."""
    values = {name: data[name] for name in _FIELDS[cls] if name in data}
    values["source"] = Source(**values["source"])
    for name in _TUPLES[cls]:
        if name not in values:
            continue
        if name in _AGENTS[cls]:
            values[name] = tuple(Agent(**a) for a in values[name])
        else:
            values[name] = tuple(values[name])
    return cls(**values)


def record_from_json(data: dict[str, Any]) -> Record:
    cls = RECORD_TYPES[data.pop("_type")]
    return _revive(cls, data)


def issue_to_json(issue: Issue) -> dict[str, Any]:
    return {
        "source": dataclasses.asdict(issue.source),
        "severity": issue.severity.value,
        "reason": issue.reason,
        "text": issue.text,
    }


def issue_from_json(data: dict[str, Any]) -> Issue:
    return Issue(
        Source(**data["source"]), Severity(data["severity"]), data["reason"], data.get("text", "")
    )
