"""The counting contract of the export loaders, kept in one place.

`Collector` enforces entries == loaded + rejected, unique keys and the `no_year` rule for
every format, so each loader only says what an entry is and how to read it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from citegraph.loaders.common import Rejected
from citegraph.loaders.records import (
    Citation,
    Issue,
    LoadResult,
    Record,
    Severity,
    Source,
    Work,
)
from citegraph.loaders.text import TextFile


@dataclass
class Parsed:
    """One entry read: its Work and the cited-only Works of its reference field."""

    work: Work
    cited: list[Work] = field(default_factory=list)


class Collector:
    """Gathers one file's records and issues and keeps the counting contract.

    Each entry goes through `entry()`: it is counted, and then either becomes a Work
    (key made unique, `no_year` flagged) or an ERROR issue holding its raw text. Cited
    works are shared by key, so two records citing the same DOI point at one Work, and
    a cited-only Work whose key a loaded entry also has is dropped in favour of it.
    """

    def __init__(self, text: TextFile, loader: str) -> None:
        self.text = text
        self.path = str(text.path)
        self.loader = loader
        self.result = LoadResult(self.path, loader, issues=list(text.issues))
        self._works: dict[str, Work] = {}
        self._cited: dict[str, Work] = {}
        self._citations: dict[tuple[str, str], Citation] = {}

    def source(self, line: int) -> Source:
        return Source(self.path, line, self.loader)

    def issue(self, line: int, severity: Severity, reason: str, text: str = "") -> None:
        self.result.issues.append(Issue(self.source(line), severity, reason, text))

    def warn(self, line: int, reason: str) -> None:
        self.issue(line, Severity.WARNING, reason)

    def reject(self, line: int, reason: str, raw: str) -> None:
        """Count an entry that cannot be read and keep its text for the rejects file."""
        self.result.entries += 1
        self.issue(line, Severity.ERROR, reason, raw)

    def entry(self, line: int, raw: str, read: Callable[[], Parsed]) -> None:
        """Count one entry and add what `read` makes of it, or reject it with the reason.

        Type and value errors are data errors here (a JSON author that is a number, a
        field that is a list): they reject the one entry instead of aborting the file.
        """
        try:
            parsed = read()
            self._check(parsed.work)
        except Rejected as error:
            self.reject(line, str(error), raw)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
            self.reject(line, f"unreadable entry ({type(error).__name__}: {error})", raw)
        else:
            self.result.entries += 1
            self.result.loaded += 1
            self._add(parsed, line)

    @staticmethod
    def _check(work: Work) -> None:
        if not (work.title or work.authors or work.doi):
            raise Rejected("entry has no title, authors or DOI")

    def _add(self, parsed: Parsed, line: int) -> None:
        work = parsed.work
        key = self._unique_key(work.key, line)
        if work.year is None:
            self.warn(line, f"{key}: no year")
            work = replace(work, flags=_year_flag(work))
        if key != work.key:
            work = replace(work, key=key)
        self._works[key] = work
        for cited in parsed.cited:
            self._cite(key, cited)

    def _unique_key(self, key: str, line: int) -> str:
        if key not in self._works:
            return key
        first = self._works[key].source.line
        n = 2
        while f"{key}-{n}" in self._works:
            n += 1
        new = f"{key}-{n}"
        self.warn(line, f"duplicate key {key!r} (first at line {first}); kept as {new!r}")
        return new

    def _cite(self, citing: str, cited: Work) -> None:
        if cited.key not in self._cited:
            if cited.year is None or not cited.cited_only:
                cited = replace(cited, cited_only=True, flags=_year_flag(cited))
            self._cited[cited.key] = cited
        pair = (citing, cited.key)
        if pair not in self._citations and citing != cited.key:
            self._citations[pair] = Citation(citing, cited.key, cited.source)

    def finish(self) -> LoadResult:
        """The LoadResult: loaded works, then cited-only works, then citations; issues by line."""
        if self.result.entries == 0:
            reason = "empty file" if not self.text.text.strip() else "no entries found"
            self.warn(1, reason)
        records: list[Record] = list(self._works.values())
        records += [w for k, w in self._cited.items() if k not in self._works]
        records += list(self._citations.values())
        self.result.records = records
        self.result.issues.sort(key=lambda issue: issue.source.line)
        return self.result


def _year_flag(work: Work) -> tuple[str, ...]:
    """The work's flags with `no_year` added when it has no year (once)."""
    if work.year is not None or "no_year" in work.flags:
        return work.flags
    return (*work.flags, "no_year")
