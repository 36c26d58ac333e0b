"""A document as the review loader reads it: Markdown lines, each with where it was printed.

Every document format (PDF, DOCX, ODT, HTML) is turned into the same thing: lines of
Markdown (`## ` headings, `*italic*` and `**bold**` emphasis, `<sup>` for superscripts,
tab-separated table rows, blank lines between paragraphs) and, for each line, the place a
reader finds it (page and line, paragraph, source line). The review loader then reads those
lines exactly as it reads a Markdown review, so a PDF, a DOCX and the text give the same
records, and only their Source positions differ.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from citegraph.loaders.records import Issue, LoadResult, Severity, Source
from citegraph.loaders.review import read_review


@dataclass(frozen=True, slots=True)
class Place:
    """Where a line is in the original: `line` is the line on `page` for a PDF, the
    paragraph for DOCX and ODT, the source line for HTML."""

    line: int
    page: int | None = None


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of text with one style, as the document marks it."""

    text: str
    italic: bool = False
    bold: bool = False
    sup: bool = False


_ESCAPE = re.compile(r"([*\\])")


def markdown(runs: Iterable[Run]) -> str:
    """Runs as Markdown emphasis, spaces kept outside the markers (`*a title* and`).

    Neighbouring runs of one emphasis are one span (a title set in two italic pieces, or
    across a line break, becomes one `*...*` the reference parser can use); a superscript
    stays inside its span, as `**Name<sup>1</sup>**` in a byline.
    """
    spans: list[tuple[bool, bool, list[Run]]] = []
    for run in runs:
        if not run.text:
            continue
        if spans and (
            (spans[-1][0], spans[-1][1]) == (run.italic, run.bold) or not run.text.strip()
        ):
            spans[-1][2].append(run)
        else:
            spans.append((run.italic, run.bold, [run]))
    out: list[str] = []
    for italic, bold, pieces in spans:
        body = "".join(
            f"<sup>{p.text.strip()}</sup>"
            if p.sup and p.text.strip()
            else _ESCAPE.sub(r"\\\1", p.text)
            for p in pieces
        )
        core = body.strip()
        if not core or not (italic or bold):
            out.append(body)
            continue
        marker = ("**" if bold else "") + ("*" if italic else "")
        lead = body[: len(body) - len(body.lstrip())]
        trail = body[len(body.rstrip()) :]
        out.append(f"{lead}{marker}{core}{marker[::-1]}{trail}")
    return "".join(out)


@dataclass
class DocumentText:
    """The lines handed to the review loader, their places, and what extraction noticed."""

    path: str
    format: str
    lines: list[str] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def add(self, text: str, place: Place) -> None:
        """One line; a line holding a newline is kept as one (the loader counts lines)."""
        self.lines.append(text.replace("\n", " "))
        self.places.append(place)

    def blank(self) -> None:
        """A paragraph break (placed where the line before it was)."""
        if self.lines and self.lines[-1]:
            self.lines.append("")
            self.places.append(self.places[-1])

    def note(self, severity: Severity, reason: str, place: Place | None = None) -> None:
        self.issues.append(Issue(self.source(place or Place(1)), severity, reason))

    def source(self, place: Place) -> Source:
        return Source(self.path, place.line, self.format, place.page)

    def locate(self, line: int) -> Source:
        """The Source of a 1-based line of `lines`."""
        if not self.places:
            return self.source(Place(1))
        return self.source(self.places[min(max(line, 1), len(self.places)) - 1])

    def to_review(self) -> LoadResult:
        """The review loader's records for these lines, placed in the original."""
        if not any(line.strip() for line in self.lines):
            self.note(Severity.WARNING, "no text found in the document (empty)")
            return LoadResult(self.path, self.format, [], self.issues)
        return read_review(self.path, self.lines, self.locate, self.format, tuple(self.issues))


class DocumentError(ValueError):
    """The document cannot be read at all (encrypted, corrupted, no text layer)."""


def empty(path: Path, format: str) -> LoadResult | None:
    """A file of nothing (or only whitespace) holds no entries: a warning, as for text."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head.strip() or path.stat().st_size > len(head):
        return None
    issue = Issue(Source(str(path), 1, format), Severity.WARNING, "empty file")
    return LoadResult(str(path), format, [], [issue])


def unreadable(path: Path, format: str, reason: str) -> LoadResult:
    """One rejected entry naming the file, as ingest reports any file it cannot read."""
    issue = Issue(Source(str(path), 1, format), Severity.ERROR, reason)
    return LoadResult(str(path), format, [], [issue], entries=1, loaded=0)
