"""The plain record model every loader produces.

Loaders know nothing of RDF: they turn a file into these records, each carrying the
place it was read from, and graph/ turns records into RDF. Keeping one model for every
format is what lets a Scopus row, a BibTeX entry and an APA reference become one Work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

WorkType = Literal["article", "book", "chapter", "thesis", "report", "other"]
WORK_TYPES: tuple[WorkType, ...] = ("article", "book", "chapter", "thesis", "report", "other")


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record was read: the file, the 1-based line and the loader that read it.

    A PDF's records also name the page, and `line` is then the line on that page (a
    reader finds it in the printed document); for DOCX and ODT `line` is the paragraph.
    """

    path: str
    line: int
    loader: str
    page: int | None = None

    def __str__(self) -> str:
        if self.page is not None:
            return f"{self.path}:p{self.page}:{self.line}"
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class Agent:
    """An author: a person (family/given) or an organisation (name only)."""

    name: str
    kind: Literal["person", "organization"] = "person"
    family: str | None = None
    given: str | None = None
    orcid: str | None = None
    affiliation: str | None = None


@dataclass(frozen=True, slots=True)
class Work:
    """A bibliographic work as one source describes it.

    `key` identifies the work inside its LoadResult (a citation key, `ref12`, a row
    number); citations refer to works by that key. `flags` record what the loader was
    unsure of, so a low-confidence parse is kept and visible rather than dropped.
    `raw` is the text it was read from: a reference as printed, or, where
    `raw_is_record`, an export's record (a CSV row, a BibTeX or RIS entry), which the
    graph does not repeat as the work's `references` (its fields are the record).
    """

    key: str
    source: Source
    title: str | None = None
    year: int | None = None
    year_suffix: str = ""
    type: WorkType = "other"
    genre: str | None = None  # the kind within the type, as printed: `Master's thesis`
    authors: tuple[Agent, ...] = ()
    editors: tuple[Agent, ...] = ()
    doi: str | None = None
    url: str | None = None
    container: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    publisher: str | None = None
    issn: str | None = None
    isbn: str | None = None
    language: str | None = None
    abstract: str | None = None
    keywords: tuple[str, ...] = ()
    raw: str | None = None
    raw_is_record: bool = False
    is_document: bool = False
    cited_only: bool = False
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Citation:
    """`citing` cites `cited` (both Work keys of the same LoadResult).

    `contexts` are the sentences the citation occurs in (empty for a cited-references
    field); `count` counts the in-text pointers. `flags` say how the match was made when
    it was not exact (year_mismatch, spelling_mismatch, particle_dropped, order_swapped).
    """

    citing: str
    cited: str
    source: Source
    contexts: tuple[str, ...] = ()
    count: int = 1
    flags: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()  # the in-text pointers as printed: `Tonry (2015)`


@dataclass(frozen=True, slots=True)
class UnresolvedCitation:
    """An in-text citation with no entry in the reference list: reported, never dropped."""

    citing: str
    text: str
    authors: tuple[str, ...]
    year: str | None
    context: str
    source: Source


ConceptKind = Literal["theory", "strategy", "place"]


@dataclass(frozen=True, slots=True)
class Mention:
    """A work is linked to a theory, a strategy or a place (concept id from the ontology).

    For places the concept id is an ISO 3166 alpha-2 code or a region id. A `candidate`
    is a named concept the schemes lack, found by its shape (`X theory`, `an X approach`,
    an acronym introduced in parentheses): its id is minted from `label`, the name as
    discovery normalised it, while `text` stays the name as printed.
    """

    work: str
    kind: ConceptKind
    concept: str
    text: str
    source: Source
    candidate: bool = False
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """A claim a document attributes to a work, with the sentence it was read from.

    A sentence citing two works for one claim gives two records (one per work) and one
    Finding node, which both works report. `candidates` are candidate concept ids (see
    `Mention`), apart from `about` so that they are never taken for strategies.
    """

    work: str
    claim: str
    sentence: str
    source: Source
    about: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    direction: str | None = None
    notes: str | None = None
    candidates: tuple[str, ...] = ()


#: The PRISMA 2020 flow's stages, in the order records pass them. `identified` is per
#: source when `detail` names the database; `excluded` is the full-text exclusions, per
#: reason when `detail` names one; `screen_excluded` the title-and-abstract ones.
FLOW_STAGES: tuple[str, ...] = (
    "identified",
    "duplicates",
    "removed_other",
    "screened",
    "screen_excluded",
    "sought",
    "not_retrieved",
    "assessed",
    "excluded",
    "included",
    "included_reports",
)
#: The flow's arms: new studies via databases and registers, via other methods, the
#: studies of a previous version of the review, and the review's total.
FLOW_ARMS: tuple[str, ...] = ("databases", "other", "previous", "total")


@dataclass(frozen=True, slots=True)
class FlowCount:
    """One count of a review's PRISMA 2020 flow, where it is printed.

    Read from the review's tables and sentences (`work` is the review's key) or from a
    PRISMA2020 template filled in apart (`work` is None: the template names no review).
    `printed` keeps the row label or the words around the number, so a reader can see
    why the count was taken for this stage.
    """

    work: str | None
    stage: str  # one of FLOW_STAGES
    count: int
    source: Source
    printed: str
    place: str = "text"  # "Table 1", "text", "template"
    detail: str | None = None  # the database of `identified`, the reason of `excluded`
    arm: str = "databases"  # one of FLOW_ARMS


@dataclass(frozen=True, slots=True)
class ReportedShare:
    """A category's count and percentage as a review prints them: a row of a table of
    years or languages (`English 38 100%`) or a sentence (`English ... 100%`).

    Kept so the audit can recompute the percentage from the counts and compare the
    claimed shares with the works the review cites.
    """

    work: str
    facet: str  # "year", "language", "source", "other"
    category: str  # as printed: "2022", "2023-2024", "English", "Total"
    source: Source
    place: str  # "Table 4" or "text"
    count: int | None = None
    percent: float | None = None
    total: bool = False  # the row that totals its group
    group: str = ""  # rows of one table group share it ("Table 4/year")


@dataclass(frozen=True, slots=True)
class MethodNote:
    """What a review's method says beyond counts, read for the method audit.

    kinds: `databases` (the sources the method names), `years` (a claimed year range:
    `values` is (first, last), or ("last", N) for "the last N years"), `figure` (a figure
    caption with no figure under it: `values` is (label, caption)), `discussed` (the
    reference keys the Results prose cites, `lines` where each is first cited there).
    """

    work: str
    kind: str
    values: tuple[str, ...]
    source: Source
    text: str = ""
    lines: tuple[int, ...] = ()


Record = (
    Work
    | Citation
    | UnresolvedCitation
    | Mention
    | Finding
    | FlowCount
    | ReportedShare
    | MethodNote
)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Issue:
    """Something a loader wants the researcher to know, tied to a file and line.

    An ERROR issue means a record was rejected: `text` keeps the rejected input so it can
    be written to the store's rejects file and nothing is lost.
    """

    source: Source
    severity: Severity
    reason: str
    text: str = ""

    def __str__(self) -> str:
        return f"{self.source}: {self.severity.value}: {self.reason}"


@dataclass
class LoadResult:
    """What one file gave: records, and issues (rejections among them).

    `entries` counts what the file holds as the researcher would count it (references,
    rows, entries) and `loaded` how many of those became records; every other entry is
    an ERROR issue, so entries == loaded + len(rejected) always holds.
    """

    path: str
    format: str
    records: list[Record] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    entries: int = 0
    loaded: int = 0

    @property
    def rejected(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.WARNING]

    @property
    def works(self) -> list[Work]:
        return [r for r in self.records if isinstance(r, Work)]
