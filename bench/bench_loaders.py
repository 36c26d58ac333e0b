"""Time the export loaders against a bare parse of the same file by their library.

    python bench/bench_loaders.py --n 1000
    python bench/bench_loaders.py --n 1000 10000 50000

For each size, exports of N generated records are written (BibTeX, RIS, Scopus CSV) and
read twice: by our loader (decoding, records, issues, cited references) and by the bare
library call (bibtexparser.parse_file, rispy.load, csv.DictReader). The ratio says what
our work on top of the library costs. Then the whole `ingest` (loader, de-duplication,
RDF build, Oxigraph bulk load, SHACL validation, records saved) runs once into a fresh
store: `ingest x` is its time over the bare parse's. Times are CPU seconds (best of
--repeat runs): both sides are single-threaded, and CPU time stays comparable on a busy
machine where wall time does not. Peak memory is measured in a separate pass under
tracemalloc, which would distort the timings.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import bibtexparser
import rispy

from citegraph.graph.ingest import ingest
from citegraph.graph.store import Store
from citegraph.loaders.registry import get

FAMILIES = [
    "Cohen", "Felson", "Clarke", "Cornish", "Weisburd", "Braga", "Sampson", "Farrington",
    "Welsh", "Eck", "Sherman", "Tilley", "Brantingham", "Quintero Cordero", "de la Peña",
    "Gómez-Mera", "Školník", "Ríos", "Müller", "Vásquez", "Stoesslé", "Kaboré",
]  # fmt: skip
GIVEN = ["Lawrence E.", "Marcus", "Ronald V.", "David", "Anthony A.", "Robert J.", "Ana María"]
WORDS = (
    "crime prevention citizen security routine activity situational displacement policing "
    "hot spots community participation collective efficacy environmental design evaluation "
    "violence youth programmes Latin America Peru Mexico surveillance trust deterrence"
).split()
JOURNALS = ["Criminology", "Justice Quarterly", "Latin American Policy", "Security Journal"]
LATEX = {"é": "{\\'e}", "á": "{\\'a}", "í": "{\\'\\i}", "ñ": "{\\~n}", "ü": '{\\"u}'}


def _title(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 12))).capitalize()


def _people(rng: random.Random) -> list[tuple[str, str]]:
    return [(rng.choice(FAMILIES), rng.choice(GIVEN)) for _ in range(rng.randint(1, 4))]


def _abstract(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(60))


def _latex(text: str) -> str:
    for char, macro in LATEX.items():
        text = text.replace(char, macro)
    return text


def write_bibtex(n: int, path: Path, rng: random.Random) -> None:
    entries = []
    for i in range(n):
        authors = " and ".join(f"{_latex(f)}, {g}" for f, g in _people(rng))
        entries.append(
            f"@article{{key{i},\n  author = {{{authors}}},\n  title = {{{_title(rng)}}},\n"
            f"  journal = {{{rng.choice(JOURNALS)}}},\n  year = {{{rng.randint(1960, 2024)}}},\n"
            f"  volume = {{{rng.randint(1, 60)}}},\n  number = {{{rng.randint(1, 6)}}},\n"
            f"  pages = {{{rng.randint(1, 400)}--{rng.randint(401, 800)}}},\n"
            f"  doi = {{10.5555/bench.{i}}},\n  keywords = {{crime; prevention}},\n"
            f"  abstract = {{{_abstract(rng)}}}\n}}\n"
        )
    path.write_text("\n".join(entries), encoding="utf-8")


def write_ris(n: int, path: Path, rng: random.Random) -> None:
    records = []
    for i in range(n):
        lines = ["TY  - JOUR", *(f"AU  - {f}, {g}" for f, g in _people(rng))]
        lines += [
            f"TI  - {_title(rng)}",
            f"T2  - {rng.choice(JOURNALS)}",
            f"PY  - {rng.randint(1960, 2024)}",
            f"VL  - {rng.randint(1, 60)}",
            f"IS  - {rng.randint(1, 6)}",
            f"SP  - {rng.randint(1, 400)}",
            f"EP  - {rng.randint(401, 800)}",
            f"DO  - 10.5555/bench.{i}",
            "KW  - crime",
            "KW  - prevention",
            f"AB  - {_abstract(rng)}",
            "ER  - ",
        ]
        records.append("\n".join(lines))
    path.write_text("\n\n".join(records) + "\n", encoding="utf-8")


SCOPUS_COLUMNS = [
    "Authors", "Author full names", "Author(s) ID", "Title", "Year", "Source title", "Volume",
    "Issue", "Art. No.", "Page start", "Page end", "Page count", "Cited by", "DOI", "Link",
    "Affiliations", "Authors with affiliations", "Abstract", "Author Keywords",
    "Index Keywords", "References", "Publisher", "ISSN", "ISBN",
    "Language of Original Document", "Document Type", "Source", "EID",
]  # fmt: skip


def _scopus_reference(rng: random.Random) -> str:
    authors = ", ".join(f"{f} {g[0]}." for f, g in _people(rng))
    return (
        f"{authors}, {_title(rng)}, {rng.choice(JOURNALS)}, {rng.randint(1, 60)}, "
        f"{rng.randint(1, 6)}, pp. {rng.randint(1, 400)}-{rng.randint(401, 800)}, "
        f"({rng.randint(1950, 2023)})"
    )


def write_scopus(n: int, path: Path, rng: random.Random) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, SCOPUS_COLUMNS, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writeheader()
    for i in range(n):
        people = _people(rng)
        writer.writerow(
            {
                "Authors": "; ".join(f"{f} {g[0]}." for f, g in people),
                "Author full names": "; ".join(
                    f"{f}, {g} ({5700 + k})" for k, (f, g) in enumerate(people)
                ),
                "Title": _title(rng),
                "Year": rng.randint(1960, 2024),
                "Source title": rng.choice(JOURNALS),
                "Volume": rng.randint(1, 60),
                "Issue": rng.randint(1, 6),
                "Page start": rng.randint(1, 400),
                "Page end": rng.randint(401, 800),
                "DOI": f"10.5555/bench.{i}",
                "Abstract": _abstract(rng),
                "Author Keywords": "crime; prevention",
                "References": "; ".join(_scopus_reference(rng) for _ in range(5)),
                "ISSN": "00111287",
                "Language of Original Document": "English",
                "Document Type": "Article",
                "Source": "Scopus",
                "EID": f"2-s2.0-{850000000 + i}",
            }
        )
    path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")


def bare_csv(path: Path) -> int:
    """Rows as dicts, kept in memory as a loader must keep its records."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return len(list(csv.DictReader(handle)))


# format -> (write the export, suffix, bare library read returning the record count)
CASES: dict[str, tuple[Callable[[int, Path, random.Random], None], str, Callable[[Path], int]]] = {
    "bibtex": (write_bibtex, ".bib", lambda p: len(bibtexparser.parse_file(str(p)).entries)),
    "ris": (write_ris, ".ris", lambda p: len(rispy.load(p, encoding="utf-8"))),
    "scopus-csv": (write_scopus, ".csv", bare_csv),
}


def best_time(read: Callable[[], int], repeat: int) -> tuple[float, int]:
    """Fastest of `repeat` runs (CPU seconds) and the record count the read returned."""
    best, count = float("inf"), 0
    for _ in range(repeat):
        start = time.process_time()
        count = read()
        best = min(best, time.process_time() - start)
    return best, count


def peak_mib(read: Callable[[], int]) -> float:
    tracemalloc.start()
    read()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000], help="records per export")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (best is kept)")
    args = parser.parse_args()
    header = (
        f"{'format':<11}{'N':>7}{'ours cpu s':>11}{'bare cpu s':>11}{'ours rec/s':>12}"
        f"{'bare rec/s':>12}{'ratio':>7}{'ours MiB':>10}{'bare MiB':>10}"
        f"{'ingest s':>10}{'ingest x':>9}"
    )
    print(header)
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.n:
            for fmt, (write, suffix, bare) in CASES.items():
                path = Path(tmp) / f"export-{n}{suffix}"
                write(n, path, random.Random(n))
                loader = get(fmt).load

                def ours(path: Path = path, loader: Callable = loader) -> int:
                    return loader(path).loaded

                def library(path: Path = path, bare: Callable[[Path], int] = bare) -> int:
                    return bare(path)

                ours_s, loaded = best_time(ours, args.repeat)
                bare_s, parsed = best_time(library, args.repeat)
                if loaded != n or parsed != n:
                    raise SystemExit(f"{fmt}: expected {n} records, loaded {loaded}, bare {parsed}")
                start = time.process_time()
                ingest(Store(Path(tmp) / f"store-{fmt}-{n}"), [path], fmt)
                ingest_s = time.process_time() - start
                print(
                    f"{fmt:<11}{n:>7}{ours_s:>11.3f}{bare_s:>11.3f}{n / ours_s:>12,.0f}"
                    f"{n / bare_s:>12,.0f}{ours_s / bare_s:>7.2f}"
                    f"{peak_mib(ours):>10.1f}{peak_mib(library):>10.1f}"
                    f"{ingest_s:>10.2f}{ingest_s / bare_s:>9.1f}"
                )


if __name__ == "__main__":
    main()
