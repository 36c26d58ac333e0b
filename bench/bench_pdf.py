"""Pages per second of our PDF path beside bare pdfminer.six reading the same file.

Two synthetic documents rendered with reportlab (bench/documents.py) from generated
reviews: an article (default 20 pages) and a thesis (default 300 pages), both two-column
with running heads and a long reference list. `bare` is `pdfminer.high_level.extract_text`
with its default layout analysis; `ours` is `read_pages` + `compose` (reading order,
headings, hyphens, reference entries), the text the review loader is given; `loader` adds
the review loader itself (citations, mentions, findings).

    python bench/bench_pdf.py --pages 20 300 --repeat 3

Each size is timed `--repeat` times, the three steps taking turns, and the best is
reported with the spread (best-worst), since the machine may be shared.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from pdfminer.high_level import extract_text

sys.path.insert(0, str(Path(__file__).parent))
import documents  # noqa: E402
from generate import review  # noqa: E402

from citegraph.loaders.documents.pdf import compose, read_pages  # noqa: E402
from citegraph.loaders.registry import load  # noqa: E402


def make(pages: int, folder: Path) -> tuple[Path, int]:
    """A generated review long enough for about `pages` pages."""
    references = 20
    while True:
        path = documents.review_pdf(review(references), folder / f"doc{pages}.pdf")
        count = _count(path)
        if count >= pages:
            return path, count
        references = int(references * max(1.2, pages / max(count, 1)))


def _count(path: Path) -> int:
    from pdfminer.pdfpage import PDFPage

    with path.open("rb") as handle:
        return sum(1 for _ in PDFPage.get_pages(handle))


def timed(step: object) -> float:
    start = time.perf_counter()
    step()  # type: ignore[operator]
    return time.perf_counter() - start


def best(steps: dict[str, object], repeat: int) -> dict[str, tuple[float, float]]:
    """Each step's best and worst time over `repeat` rounds, the steps taking turns in
    every round so that a shared machine's load falls on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(repeat):
        for name, step in steps.items():
            times[name].append(timed(step))
    return {name: (min(t), max(t)) for name, t in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, nargs="+", default=[20, 300])
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the best is reported")
    args = parser.parse_args()
    print(
        f"{'pages':>6} {'bare p/s':>9} {'ours p/s':>9} {'ratio':>6} {'loader p/s':>10}"
        "   seconds best-worst: bare, ours, loader"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for wanted in args.pages:
            path, pages = make(wanted, Path(tmp))
            t = best(
                {
                    "bare": lambda path=path: extract_text(str(path)),
                    "ours": lambda path=path: compose(path, read_pages(path)),
                    "loader": lambda path=path: load(path),
                },
                args.repeat,
            )
            bare, ours, whole = (t[k][0] for k in ("bare", "ours", "loader"))
            spread = ", ".join(f"{lo:.1f}-{hi:.1f}" for lo, hi in t.values())
            print(
                f"{pages:>6} {pages / bare:>9.1f} {pages / ours:>9.1f} {ours / bare:>5.2f}x"
                f" {pages / whole:>10.1f}   {spread}"
            )


if __name__ == "__main__":
    main()
