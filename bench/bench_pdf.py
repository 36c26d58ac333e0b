"""Pages per second of our PDF path beside bare pdfminer.six reading the same file.

Two synthetic documents rendered with reportlab (bench/documents.py) from generated
reviews: an article (default 20 pages) and a thesis (default 300 pages), both two-column
with running heads and a long reference list. `bare` is `pdfminer.high_level.extract_text`
with its default layout analysis; `ours` is `read_pages` + `compose` (reading order,
headings, hyphens, reference entries), the text the review loader is given; `loader` adds
the review loader itself (citations, mentions, findings).

    python bench/bench_pdf.py --pages 20 300
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, nargs="+", default=[20, 300])
    args = parser.parse_args()
    print(f"{'pages':>6} {'bare p/s':>9} {'ours p/s':>9} {'ratio':>6} {'loader p/s':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for wanted in args.pages:
            path, pages = make(wanted, Path(tmp))
            bare = timed(lambda path=path: extract_text(str(path)))
            ours = timed(lambda path=path: compose(path, read_pages(path)))
            whole = timed(lambda path=path: load(path))
            print(
                f"{pages:>6} {pages / bare:>9.1f} {pages / ours:>9.1f} {ours / bare:>5.2f}x"
                f" {pages / whole:>10.1f}"
            )


if __name__ == "__main__":
    main()
