"""Time ingest of generated exports beside the bare library parse of the same file.

    python bench/bench_loaders.py --n 1000
    python bench/bench_loaders.py --n 1000 10000 50000 --formats bibtex ris

For each size N and format (BibTeX, RIS, Scopus CSV, CSL-JSON, an OpenAlex API page,
Web of Science tab-delimited; the last three carry five cited references a record, as
the Scopus rows do) an export is written and read by:

- `bare`: the library alone (bibtexparser.parse_file, rispy.load, csv.DictReader,
  json.loads), records kept in memory;
- `loader`: our loader (decoding, records, issues, cited references parsed);
- `ingest`: the whole `citegraph ingest` into a fresh store (loader, records saved,
  de-duplication, RDF build, Oxigraph bulk load, SHACL validation), in a child process
  so its peak RSS is its own;
- `floor`: Oxigraph's bulk loader alone loading the graph that ingest produced. No
  ingest that stores this graph can be faster, so `floor x` is the bound the RDF store
  puts under `ingest x`.

`x` columns are ratios to `bare`. Times are CPU seconds (best of --repeat runs for bare
and loader): CPU time stays comparable on a busy machine where wall time does not; the
ingest's wall time is shown too (validation runs on several threads).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import bibtexparser
import rispy

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


SYLLABLES = ["ka", "lo", "ber", "mi", "san", "tor", "ve", "lin", "do", "ru", "ga", "nez"]
# a pool the size of a real field's: a few thousand surnames, the seed's among them
SURNAMES = FAMILIES + sorted(
    {
        "".join(random.Random(i).choices(SYLLABLES, k=random.Random(-i).randint(2, 4))).title()
        for i in range(3000)
    }
)


def _people(rng: random.Random) -> list[tuple[str, str]]:
    return [(rng.choice(SURNAMES), rng.choice(GIVEN)) for _ in range(rng.randint(1, 4))]


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


# every row cites one of the field's classics, in the same words, as real exports do
SCOPUS_CLASSICS = [
    "Cohen L.E., Felson M., Social change and crime rate trends: A routine activity approach, "
    "American Sociological Review, 44, 4, pp. 588-608, (1979)",
    "Clarke R.V., Situational crime prevention, Crime and Justice, 19, pp. 91-150, (1995)",
    "Cornish D.B., Clarke R.V., The reasoning criminal, (1986)",
]
WOS_CLASSICS = [
    "Cohen LE, 1979, AM SOCIOL REV, V44, P588, DOI 10.2307/2094589",
    "Clarke RV, 1995, CRIME JUSTICE, V19, P91",
    "Cornish DB, 1986, REASONING CRIMINAL",
]


def _scopus_reference(rng: random.Random) -> str:
    authors = ", ".join(f"{f} {g[0]}." for f, g in _people(rng))
    return (
        f"{authors}, {_title(rng)}, {rng.choice(JOURNALS)}, {rng.randint(1, 60)}, "
        f"{rng.randint(1, 6)}, pp. {rng.randint(1, 400)}-{rng.randint(401, 800)}, "
        f"({rng.randint(1950, 2023)})"
    )


def write_scopus(n: int, path: Path, rng: random.Random, refs: int = 5) -> None:
    """`n` rows, each citing one of the classics and `refs - 1` generated references
    (real exports carry 30-60)."""
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
                "References": "; ".join(
                    [
                        rng.choice(SCOPUS_CLASSICS),
                        *(_scopus_reference(rng) for _ in range(refs - 1)),
                    ]
                ),
                "ISSN": "00111287",
                "Language of Original Document": "English",
                "Document Type": "Article",
                "Source": "Scopus",
                "EID": f"2-s2.0-{850000000 + i}",
            }
        )
    path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")


def _csl_item(rng: random.Random, i: int) -> dict[str, object]:
    return {
        "id": f"item{i}",
        "type": "article-journal",
        "title": _title(rng),
        "author": [{"family": f, "given": g} for f, g in _people(rng)],
        "issued": {"date-parts": [[rng.randint(1960, 2024), rng.randint(1, 12)]]},
        "container-title": rng.choice(JOURNALS),
        "volume": str(rng.randint(1, 60)),
        "issue": str(rng.randint(1, 6)),
        "page": f"{rng.randint(1, 400)}-{rng.randint(401, 800)}",
        "DOI": f"10.5555/bench.{i}",
        "abstract": _abstract(rng),
    }


def write_csl_json(n: int, path: Path, rng: random.Random) -> None:
    items = [_csl_item(rng, i) for i in range(n)]
    path.write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")


def write_openalex(n: int, path: Path, rng: random.Random) -> None:
    """An OpenAlex API page; every work cites five others of the page or outside it."""
    results = []
    for i in range(n):
        results.append(
            {
                "id": f"https://openalex.org/W{100000 + i}",
                "doi": f"https://doi.org/10.5555/bench.{i}",
                "title": _title(rng),
                "publication_year": rng.randint(1960, 2024),
                "type": "article",
                "primary_location": {"source": {"display_name": rng.choice(JOURNALS)}},
                "authorships": [
                    {"author": {"display_name": f"{g} {f}"}, "institutions": []}
                    for f, g in _people(rng)
                ],
                "biblio": {"volume": str(rng.randint(1, 60)), "first_page": "1"},
                "referenced_works": [
                    f"https://openalex.org/W{100000 + rng.randint(0, 2 * n)}" for _ in range(5)
                ],
            }
        )
    page = {"meta": {"count": n, "page": 1, "per_page": n}, "results": results}
    path.write_text(json.dumps(page, ensure_ascii=False, indent=1), encoding="utf-8")


WOS_COLUMNS = "PT AU AF TI SO LA DT DE AB CR NR PY VL IS BP EP DI UT".split()


def _wos_reference(rng: random.Random) -> str:
    family, given = _people(rng)[0]
    return (
        f"{family} {given[0]}, {rng.randint(1950, 2023)}, {rng.choice(JOURNALS).upper()[:20]}, "
        f"V{rng.randint(1, 60)}, P{rng.randint(1, 400)}"
    )


def write_wos_tab(n: int, path: Path, rng: random.Random) -> None:
    """Web of Science "Tab-delimited (UTF-8)": a BOM, a header of field tags, one row each."""
    lines = ["\t".join(WOS_COLUMNS)]
    for i in range(n):
        people = _people(rng)
        row = {
            "PT": "J",
            "AU": "; ".join(f"{f}, {g[0]}" for f, g in people),
            "AF": "; ".join(f"{f}, {g}" for f, g in people),
            "TI": _title(rng),
            "SO": rng.choice(JOURNALS).upper(),
            "LA": "English",
            "DT": "Article",
            "DE": "crime; prevention",
            "AB": _abstract(rng),
            "CR": "; ".join([rng.choice(WOS_CLASSICS), *(_wos_reference(rng) for _ in range(4))]),
            "NR": "5",
            "PY": str(rng.randint(1960, 2024)),
            "VL": str(rng.randint(1, 60)),
            "IS": str(rng.randint(1, 6)),
            "BP": str(rng.randint(1, 400)),
            "EP": str(rng.randint(401, 800)),
            "DI": f"10.5555/bench.{i}",
            "UT": f"WOS:{i:015d}",
        }
        lines.append("\t".join(row[c] for c in WOS_COLUMNS))
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")


def bare_json(path: Path, envelope: str | None = None) -> int:
    data = json.loads(path.read_text(encoding="utf-8"))
    return len(data[envelope] if envelope else data)


def bare_tsv(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return len(list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)))


def bare_csv(path: Path) -> int:
    """Rows as dicts, kept in memory as a loader must keep its records."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return len(list(csv.DictReader(handle)))


# format -> (write the export, suffix, bare library read returning the record count)
CASES: dict[str, tuple[Callable[[int, Path, random.Random], None], str, Callable[[Path], int]]] = {
    "bibtex": (write_bibtex, ".bib", lambda p: len(bibtexparser.parse_file(str(p)).entries)),
    "ris": (write_ris, ".ris", lambda p: len(rispy.load(p, encoding="utf-8"))),
    "scopus-csv": (write_scopus, ".csv", bare_csv),
    "csl-json": (write_csl_json, ".json", bare_json),
    "openalex": (write_openalex, ".json", lambda p: bare_json(p, "results")),
    "wos": (write_wos_tab, ".txt", bare_tsv),
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


INGEST_CHILD = """
import sys, time
from pathlib import Path
from citegraph.graph.ingest import ingest
from citegraph.graph.store import Store
start, wall = time.process_time(), time.perf_counter()
report = ingest(Store(Path(sys.argv[1])), [Path(sys.argv[2])], sys.argv[3])
print(time.process_time() - start, time.perf_counter() - wall, report.files[0].loaded,
      report.validation.conforms)
"""

FLOOR_CHILD = """
import sys, time, pyoxigraph
source = pyoxigraph.Store.read_only(sys.argv[1])
lines = source.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
target = pyoxigraph.Store(sys.argv[2])
start = time.process_time()
target.bulk_load(lines, format=pyoxigraph.RdfFormat.N_TRIPLES)
target.flush()
print(time.process_time() - start, len(target))
"""


def child(code: str, *args: str) -> tuple[list[str], float]:
    """Run `code` in a fresh interpreter: its printed words and its peak RSS in MiB.

    A child of its own gives each ingest a clean heap, so the peak is that run's alone.
    """
    process = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    output = process.stdout.read().split()
    _, status, usage = os.wait4(process.pid, 0)
    if status:
        raise SystemExit(f"child failed ({status}): {code.strip().splitlines()[-1]}")
    return output, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000], help="records per export")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (best is kept)")
    parser.add_argument(
        "--formats", nargs="+", default=list(CASES), choices=list(CASES), help="formats to run"
    )
    args = parser.parse_args()
    header = (
        f"{'format':<11}{'N':>7}{'MB':>6}{'bare s':>8}{'loader s':>9}{'x':>6}"
        f"{'ingest s':>9}{'x':>7}{'wall s':>7}{'floor s':>8}{'x':>6}{'triples':>12}{'peak MiB':>9}"
        f"{'KiB/rec':>8}"
    )
    print(header)
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.n:
            for fmt in args.formats:
                write, suffix, bare = CASES[fmt]
                path = Path(tmp) / f"export-{n}-{fmt}{suffix}"
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
                store = Path(tmp) / f"store-{fmt}-{n}"
                (ingest_s, wall_s, ingested, valid), peak = child(
                    INGEST_CHILD, str(store), str(path), fmt
                )
                if int(ingested) != n or valid != "True":
                    raise SystemExit(f"{fmt}: ingest loaded {ingested} of {n}, valid {valid}")
                floor = Path(tmp) / f"floor-{fmt}-{n}"
                published = (store / "CURRENT").read_text().strip()
                rdf = store / "versions" / published / "oxigraph"
                (floor_s, triples), _ = child(FLOOR_CHILD, str(rdf), str(floor))
                shutil.rmtree(store)
                shutil.rmtree(floor)
                print(
                    f"{fmt:<11}{n:>7}{path.stat().st_size / 1e6:>6.0f}{bare_s:>8.2f}{ours_s:>9.2f}"
                    f"{ours_s / bare_s:>6.1f}{float(ingest_s):>9.2f}"
                    f"{float(ingest_s) / bare_s:>7.1f}{float(wall_s):>7.2f}{float(floor_s):>8.2f}"
                    f"{float(floor_s) / bare_s:>6.1f}{int(triples):>12,}{peak:>9.0f}"
                    f"{peak * 1024 / n:>8.1f}",
                    flush=True,
                )
                path.unlink()


if __name__ == "__main__":
    main()
