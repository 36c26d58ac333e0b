"""Duplicate sets with known clusters, written the way the databases export them.

    python bench/dedup_generate.py 10000 /tmp/dedup/10k [--seed 11]

A seeded random source makes true works; each is copied into one to four of five
exports (Web of Science plain text, Scopus CSV, PubMed MEDLINE, Zotero RIS and Zotero
BibTeX), each copy varied as those sources vary it: titles in capitals (WoS), cut short
or without their subtitle, sentence case, DOIs missing, given names reduced to initials,
pages as `123-130`, `123-30` or `e0123`, diacritics stripped, journals abbreviated, and
now and then the online-first year instead of the print year.

Beside them are the traps, works that share title, authors or venue and must stay
apart: generic editorials (`Editor's Comments`) by one editor in one journal and year,
proceedings volumes (`..., ICIS 2013, Volume 1` against `Volume 4`), a conference paper
and its journal version, a preprint and its published article.

Every record is traced back to its true work by its file and start line, which every
loader keeps (`Source.path`, `Source.line`); `truth.jsonl` lists them.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from dedup_exports import DOC_TYPES, FILES, WRITERS, Copy, strip_diacritics

#: The trap kinds: true works, each of its own cluster, that a deduplicator must not join.
TRAPS: tuple[str, ...] = ("editorial", "proceedings", "conference-journal", "preprint")

COMMON_FAMILIES = [
    "Wang", "Li", "Zhang", "Chen", "Liu", "Kim", "Lee", "Park", "Nguyen", "Smith",
    "Johnson", "Brown", "Garcia", "Martinez", "Rodriguez", "Müller", "Schmidt", "Rossi",
    "Silva", "Santos", "Gómez", "Pérez", "Sánchez", "Hernández", "Jiménez", "Ibáñez",
    "Núñez", "González", "Gonçalves", "Lefèvre", "Dvořák", "Nováková", "Šimić", "Öztürk",
    "Çelik", "Björk", "Søndergaard", "Łukasik", "Weiß", "Ødegård", "de la Peña", "van Dijk",
    "Quintero Cordero", "O'Brien", "Kowalski", "Yilmaz", "Tanaka", "Sato", "Singh", "Kumar",
]  # fmt: skip
GIVEN = [
    "José", "María", "Zoë", "Łukasz", "Søren", "François", "Jürgen", "Ana María", "Jean-Paul",
    "Wei", "Min-jun", "Hiroshi", "Priya", "Olúwásẹ̀gun", "Anna", "John", "Mary", "Robert J.",
    "Lawrence E.", "Ronald V.", "Sarah", "David", "Michael", "Elena", "Chiara", "Ingrid",
    "Thomas", "Laura", "Ahmed", "Fatma", "Lucía", "Mateus", "Kateřina", "Bjørn", "Noémie",
]  # fmt: skip
SYLLABLES = "ka lo ber mi san tor ve lin do ru ga nez hal bro fen mar sto quin dal rek".split()
WORDS = (
    "crime prevention citizen security routine activity situational displacement policing "
    "hot spots community participation collective efficacy environmental design evaluation "
    "violence youth programmes surveillance trust deterrence adolescent health outcomes "
    "randomised trial cohort mortality depression anxiety intervention primary care "
    "information systems adoption digital platforms governance knowledge management "
    "enterprise software agile teams open innovation social media privacy blockchain "
    "machine learning prediction network analysis meta-analysis systematic review urban "
    "rural schools teachers learning mathematics reading literacy climate adaptation water "
    "energy households migration labour markets wages inequality gender differences "
    "longitudinal evidence experimental survey qualitative mixed methods framework model "
    "effects determinants barriers facilitators implementation outcomes risk factors "
    "prevalence incidence screening diagnosis treatment adherence costs efficiency "
    "decision support trust calibration performance wellbeing resilience neighbourhood"
).split()
SUBTITLE_OPENERS = [
    "A systematic review", "Evidence from a national cohort", "A randomised controlled trial",
    "A mixed-methods study", "Lessons from Latin America", "A meta-analysis",
    "Results of a field experiment", "A qualitative study", "A longitudinal analysis",
    "Theory and evidence",
]  # fmt: skip
JOURNALS = [
    ("MIS Quarterly", "MIS Q."),
    ("Information Systems Research", "Inf. Syst. Res."),
    ("Journal of Quantitative Criminology", "J. Quant. Criminol."),
    ("Criminology & Public Policy", "Criminol. Public Policy"),
    ("American Journal of Public Health", "Am. J. Public Health"),
    ("BMJ Open", "BMJ Open"),
    ("PLoS ONE", "PLoS One"),
    ("Social Science & Medicine", "Soc. Sci. Med."),
    ("Journal of Management Information Systems", "J. Manag. Inf. Syst."),
    ("Computers in Human Behavior", "Comput. Hum. Behav."),
    ("Revista de Saúde Pública", "Rev. Saúde Pública"),
    ("Journal of Clinical Epidemiology", "J. Clin. Epidemiol."),
    ("European Journal of Criminology", "Eur. J. Criminol."),
    ("Learning and Instruction", "Learn. Instr."),
    ("Global Environmental Change", "Glob. Environ. Change"),
    ("World Development", "World Dev."),
]
#: Journals that number articles (`e0123456`) instead of printing pages.
ARTICLE_NUMBERED = {"PLoS ONE", "BMJ Open"}
CONFERENCES = [
    ("International Conference on Information Systems", "ICIS"),
    ("European Conference on Information Systems", "ECIS"),
    ("Hawaii International Conference on System Sciences", "HICSS"),
    ("Americas Conference on Information Systems", "AMCIS"),
    ("ACM Conference on Human Factors in Computing Systems", "CHI"),
]
PREPRINT_SERVERS = [
    ("arXiv", "10.48550/arXiv"),
    ("SSRN Electronic Journal", "10.2139/ssrn"),
    ("medRxiv", "10.1101"),
]
GENERIC_TITLES = [
    "Editor's Comments", "Editorial", "Erratum", "Introduction", "Book Reviews",
    "Reply to the commentaries", "Editor's Introduction", "Correction",
]  # fmt: skip
#: The exports a kind of work can be found in (PubMed indexes no IS conference).
SOURCES_OF: dict[str, tuple[str, ...]] = {
    kind: tuple(s for s in FILES if kind in DOC_TYPES[s]) for kind in DOC_TYPES["wos"]
}


@dataclass(frozen=True)
class TrueWork:
    """One work as it really is; every record generated from it is a copy of it."""

    cluster: str
    kind: str  # "article", "editorial", "conference", "proceedings", "preprint"
    title: str
    authors: tuple[tuple[str, str], ...]  # (family, given)
    year: int
    venue: str
    venue_abbrev: str
    volume: str | None = None
    issue: str | None = None
    pages: tuple[str, str] | None = None  # (first, last), or (article number, "")
    doi: str | None = None
    trap: str | None = None  # the trap group of works that must stay apart
    trap_kind: str | None = None


@dataclass(frozen=True)
class Truth:
    """Where a generated record starts, and the true work it is a copy of."""

    file: str
    line: int
    cluster: str
    kind: str
    trap: str | None
    trap_kind: str | None
    variations: tuple[str, ...] = ()  # how this copy differs from its work (`_vary`)


@dataclass
class _Draw:
    """The seeded random source and the counters that keep IDs unique."""

    rng: random.Random
    clusters: int = 0
    dois: int = 0
    surnames: list[str] = field(default_factory=list)
    generic: set[tuple[str, ...]] = field(default_factory=set)  # trap groups made so far

    def unused(self, *what: object) -> bool:
        """Whether no trap group had these generic looks yet: two groups of one editor's
        `Editorial` in one journal and year, or two sets of one conference's volumes,
        would be the same works under two truths."""
        key = tuple(map(str, what))
        if key in self.generic:
            return False
        self.generic.add(key)
        return True

    def cluster(self) -> str:
        self.clusters += 1
        return f"c{self.clusters:07d}"

    def doi(self, prefix: str = "10.5555/dd") -> str:
        self.dois += 1
        return f"{prefix}.{self.dois:07d}"

    def family(self) -> str:
        rng = self.rng
        return rng.choice(COMMON_FAMILIES) if rng.random() < 0.3 else rng.choice(self.surnames)

    def authors(self, low: int = 1, high: int = 6) -> tuple[tuple[str, str], ...]:
        return tuple(
            (self.family(), self.rng.choice(GIVEN)) for _ in range(self.rng.randint(low, high))
        )

    def title(self) -> str:
        rng = self.rng
        words = [rng.choice(WORDS) for _ in range(rng.randint(5, 13))]
        title = " ".join(words).capitalize()
        if rng.random() < 0.4:
            title += f": {rng.choice(SUBTITLE_OPENERS)}"
        return title

    def year(self) -> int:
        return min(2024, int(1990 + 35 * self.rng.random() ** 0.6))

    def journal_pages(self, venue: str) -> tuple[str, str]:
        if venue in ARTICLE_NUMBERED:
            return (f"e0{self.rng.randint(100000, 299999)}", "")
        first = self.rng.randint(1, 1800)
        return (str(first), str(first + self.rng.randint(4, 30)))


def _surnames(rng: random.Random, count: int) -> list[str]:
    """A field's worth of surnames: a few thousand, made of syllables."""
    names = {"".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))).title() for _ in range(count)}
    return sorted(names)


def true_works(n_records: int, seed: int) -> tuple[list[TrueWork], list[int]]:
    """True works and how many copies each has, `n_records` copies in all.

    Most works are singletons, many have two to four copies (0.55/0.25/0.13/0.07); about
    one in sixteen draws makes a trap group instead. Each trap group's works are distinct clusters,
    each with copies of its own, so the trap tests both that copies join and that the
    group's works stay apart.
    """
    draw = _Draw(random.Random(seed))
    draw.surnames = _surnames(draw.rng, max(2000, n_records // 4))
    works: list[TrueWork] = []
    sizes: list[int] = []
    total = 0
    makers: list[tuple[float, Callable[[_Draw], list[TrueWork]]]] = [
        (0.012, _editorials),
        (0.004, _proceedings),
        (0.02, _conference_journal),
        (0.02, _preprint_published),
    ]
    trap_id = 0
    while total < n_records:
        roll = draw.rng.random()
        group = [_article(draw)]
        for share, make in makers:
            if roll < share:
                made = make(draw)
                if made:
                    trap_id += 1
                    group = [replace(w, trap=f"t{trap_id:06d}") for w in made]
                break
            roll -= share
        counts = [_copies(draw.rng, len(SOURCES_OF[w.kind])) for w in group]
        if total + sum(counts) > n_records:  # near the end: one work, never half a trap
            group = [replace(group[0], trap=None, trap_kind=None)]
            counts = [min(counts[0], n_records - total)]
        works += group
        sizes += counts
        total += sum(counts)
    return works, sizes


def _copies(rng: random.Random, sources: int) -> int:
    roll = rng.random()
    size = 1 if roll < 0.55 else 2 if roll < 0.80 else 3 if roll < 0.93 else 4
    return min(size, sources)


def _article(draw: _Draw) -> TrueWork:
    venue, abbrev = draw.rng.choice(JOURNALS)
    return TrueWork(
        cluster=draw.cluster(),
        kind="article",
        title=draw.title(),
        authors=draw.authors(),
        year=draw.year(),
        venue=venue,
        venue_abbrev=abbrev,
        volume=str(draw.rng.randint(1, 60)),
        issue=str(draw.rng.randint(1, 12)),
        pages=draw.journal_pages(venue),
        doi=draw.doi(),
    )


def _editorials(draw: _Draw) -> list[TrueWork]:
    """Two to four items with one generic title by one editor, one journal, one year,
    in different issues (or volumes) with different pages."""
    rng = draw.rng
    venue, abbrev = rng.choice(JOURNALS)
    editor = draw.authors(1, 1)
    title, year, volume = rng.choice(GENERIC_TITLES), draw.year(), rng.randint(1, 60)
    if not draw.unused(venue, editor, title, year):
        return []
    issues = rng.sample(range(1, 13), rng.randint(2, 4))
    items = []
    for issue in issues:
        first = rng.randint(1, 20)
        items.append(
            TrueWork(
                cluster=draw.cluster(),
                kind="editorial",
                title=title,
                authors=editor,
                year=year,
                venue=venue,
                venue_abbrev=abbrev,
                volume=str(volume + (1 if rng.random() < 0.2 else 0)),
                issue=str(issue),
                pages=(str(first), str(first + rng.randint(0, 3))),
                doi=draw.doi() if rng.random() < 0.6 else None,
                trap_kind="editorial",
            )
        )
    return items


def _proceedings(draw: _Draw) -> list[TrueWork]:
    """Volumes of one conference's proceedings: the same title but for `Volume k`."""
    rng = draw.rng
    name, acronym = rng.choice(CONFERENCES)
    year = draw.year()
    if not draw.unused(acronym, year):
        return []
    volumes = sorted(rng.sample(range(1, 7), rng.randint(2, 4)))
    return [
        TrueWork(
            cluster=draw.cluster(),
            kind="proceedings",
            title=f"{name}, {acronym} {year}, Volume {k}",
            authors=(),
            year=year,
            venue=f"{name}, {acronym} {year}",
            venue_abbrev=f"{acronym} {year}",
            volume=str(k),
            doi=None,
            trap_kind="proceedings",
        )
        for k in volumes
    ]


def _earlier_version(
    draw: _Draw, paper: TrueWork, kind: str, earlier: float, venue: str, doi: str | None
) -> TrueWork:
    """The version of `paper` that came before it (a conference paper, a preprint), a
    year earlier with probability `earlier`: the same authors and title, its own work."""
    year = paper.year - (1 if draw.rng.random() < earlier else 0)
    return replace(
        paper,
        cluster=draw.cluster(),
        kind=kind,
        year=year,
        venue=venue.format(year=year),
        venue_abbrev=venue.format(year=year).removeprefix("Proceedings of the "),
        volume=None,
        issue=None,
        pages=None,
        doi=doi,
    )


def _conference_journal(draw: _Draw) -> list[TrueWork]:
    """A conference paper and the journal article that extends it, usually a year later,
    with the same authors and title (or the title with a subtitle added)."""
    rng = draw.rng
    name, acronym = rng.choice(CONFERENCES)
    paper = replace(_article(draw), trap_kind="conference-journal")
    doi = draw.doi("10.5556/conf") if rng.random() < 0.3 else None
    venue = f"Proceedings of the {name}, {acronym} {{year}}"
    conference = _earlier_version(draw, paper, "conference", 0.7, venue, doi)
    if ":" not in paper.title and rng.random() < 0.3:
        paper = replace(paper, title=f"{paper.title}: {rng.choice(SUBTITLE_OPENERS)}")
    return [conference, paper]


def _preprint_published(draw: _Draw) -> list[TrueWork]:
    """A preprint and the article it became, the same year or the next."""
    server, prefix = draw.rng.choice(PREPRINT_SERVERS)
    paper = replace(_article(draw), trap_kind="preprint")
    return [_earlier_version(draw, paper, "preprint", 0.5, server, draw.doi(prefix)), paper]


def _vary(rng: random.Random, work: TrueWork, export: str) -> Copy:
    """One export's copy of a work, with the variations that export is known for, each
    named in `Copy.variations` so the misses can be told apart by what caused them."""
    title, varied = work.title, []
    if ":" in title and rng.random() < 0.15:
        title = title.split(":")[0]
        varied.append("subtitle-dropped")
    words = title.split()
    if len(words) > 8 and rng.random() < 0.05:
        title = " ".join(words[: rng.randint(6, len(words) - 1)])
        varied.append("title-cut-short")
    if export == "wos" and work.year < 2012 and rng.random() < 0.8:
        title = title.upper()
        varied.append("title-capitals")
    elif export in ("ris", "bibtex") and rng.random() < 0.3:
        title = " ".join(w[:1].upper() + w[1:] for w in title.split(" "))
        varied.append("title-case")
    ascii_names = export in ("wos", "scopus") and rng.random() < 0.4
    authors = tuple(
        (strip_diacritics(f), strip_diacritics(g)) if ascii_names else (f, g)
        for f, g in work.authors
    )
    if authors != work.authors:
        varied.append("diacritics-stripped")
    full_names = rng.random() < {"wos": 0.7, "scopus": 0.6, "medline": 0.9}.get(export, 0.75)
    if not full_names and authors:
        varied.append("initials")
    pages = None
    if work.pages:
        first, last = work.pages
        pages = _pages(rng, first, last, export)
    doi = work.doi if rng.random() > (0.35 if export == "medline" else 0.2) else None
    if work.doi and not doi:
        varied.append("doi-missing")
    venue = work.venue
    if work.kind in ("article", "editorial") and export in ("bibtex", "ris") and rng.random() < 0.3:
        venue = work.venue_abbrev
        varied.append("journal-abbreviated")
    online_first = work.kind == "article" and rng.random() < 0.03
    if online_first:
        varied.append("online-first-year")
    return Copy(
        export=export,
        kind=work.kind,
        title=title,
        authors=authors,
        full_names=full_names,
        year=work.year - 1 if online_first else work.year,
        venue=venue,
        venue_abbrev=work.venue_abbrev,
        volume=work.volume,
        issue=work.issue,
        pages=pages,
        doi=doi,
        variations=tuple(varied),
    )


def _pages(rng: random.Random, first: str, last: str, export: str) -> str:
    """`123-130` in most exports, `123-30` in MEDLINE, `123--130` or `123–130` in BibTeX."""
    if not last or last == first:
        return first
    if export == "medline":
        keep = len(last) - next(
            (i for i, (a, b) in enumerate(zip(first, last, strict=False)) if a != b), 0
        )
        return f"{first}-{last[-max(keep, 1) :]}"
    if export == "bibtex":
        return f"{first}{rng.choice(['--', '–', '-'])}{last}"
    return f"{first}-{last}"


def generate(n_records: int, seed: int) -> dict[str, list[tuple[TrueWork, Copy]]]:
    """`n_records` copies with their true works, by export, in the order each file
    lists them (shuffled: an export is in no order a deduplicator could lean on)."""
    rng = random.Random(seed * 7919 + 1)
    works, sizes = true_works(n_records, seed)
    by_export: dict[str, list[tuple[TrueWork, Copy]]] = {name: [] for name in FILES}
    for work, size in zip(works, sizes, strict=True):
        for export in rng.sample(SOURCES_OF[work.kind], size):
            by_export[export].append((work, _vary(rng, work, export)))
    for copies in by_export.values():
        rng.shuffle(copies)
    return by_export


def write(n_records: int, out: Path, seed: int = 11) -> list[Truth]:
    """Write the five exports and `truth.jsonl` under `out`; return the truth."""
    out.mkdir(parents=True, exist_ok=True)
    truth: list[Truth] = []
    for export, pairs in generate(n_records, seed).items():
        name = FILES[export]
        text, lines = WRITERS[export]([copy for _, copy in pairs])
        (out / name).write_text(text, encoding="utf-8")
        for (w, copy), line in zip(pairs, lines, strict=True):
            truth.append(Truth(name, line, w.cluster, w.kind, w.trap, w.trap_kind, copy.variations))
    with (out / "truth.jsonl").open("w", encoding="utf-8") as handle:
        for t in truth:
            handle.write(json.dumps(asdict(t)) + "\n")
    return truth


def read_truth(out: Path) -> list[Truth]:
    with (out / "truth.jsonl").open(encoding="utf-8") as handle:
        rows = (json.loads(line) for line in handle)
        return [Truth(**{**row, "variations": tuple(row["variations"])}) for row in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="records in all")
    parser.add_argument("out", type=Path, help="directory for the exports and truth.jsonl")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    truth = write(args.n, args.out, args.seed)
    clusters = len({t.cluster for t in truth})
    print(f"{len(truth)} records of {clusters} true works written to {args.out}")


if __name__ == "__main__":
    main()
