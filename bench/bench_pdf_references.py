"""Title, year and first author of every reference, per paper, read from realistic PDFs.

The held-out bar of issue 10 is at least 0.90 each, per paper, on real social-science
PDFs. This is its proxy: papers whose lists are AnyStyle's held-out tagged strings
(`bench/papers.py`: reportlab and LibreOffice, one and two columns, several fonts, running
heads, hyphenation, `[12]`, `12.` and author-date lists). Each PDF goes through the loader
`citegraph ingest` runs (`graph.ingest.load_file`), and its works are matched to the gold
entries by their printed text. `string` scores the parser on the entries as the PDF path
should hand them over (the Markdown of their printed text, italics included), so a gap
between `pdf` and `string` is the PDF path's and a low `string` score is the parser's;
`plain` is the parser on the same strings without their italics.

    python bench/bench_pdf_references.py [--only rl-2col-apa] [--keep /tmp/pdf/papers] [--misses]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import bench_references as scoring  # noqa: E402
import papers  # noqa: E402

from citegraph.graph.ingest import load_file  # noqa: E402
from citegraph.graph.normalize import fold  # noqa: E402
from citegraph.loaders.records import Work  # noqa: E402
from citegraph.loaders.reference_string import parse_reference_list  # noqa: E402
from citegraph.loaders.reference_training import Tagged, read, split  # noqa: E402

FIELDS = scoring.FIELDS
#: Beyond Latin-1, what every font of the layouts prints (the base-14 fonts' WinAnsi).
PRINTABLE = "‘’“”–—…•€"


def pools(anystyle: Path) -> dict[str, list[Tagged]]:
    """Held-out strings an author-date list and a numbered list would print."""
    _, test = split(read(anystyle))
    numbers = (Tagged(tuple(s for s in t.segments if s[0] != "citation-number")) for t in test)
    usable = [
        t
        for t in numbers
        if t.creators
        and not scoring._REPEAT_MARK.match(t.creators)
        and len(t.text) < 400
        and all(ord(c) < 256 or c in PRINTABLE for c in t.text)
    ]
    author_date = [t for t in usable if scoring.group_of(t) in ("author (year)", "author. year.")]
    return {"author-date": author_date, "numbered": usable}


def _words(text: str) -> set[str]:
    return set(fold(re.sub(r"[*\\]", "", text)).split())


def match(golds: list[Tagged], works: list[Work]) -> list[Work | None]:
    """The work printed from each gold entry: the one whose raw text shares most words."""
    found: list[Work | None] = []
    texts = [_words(w.raw or "") for w in works]
    for gold in golds:
        want = _words(gold.text)
        best, share = None, 0.5
        for work, have in zip(works, texts, strict=True):
            jaccard = len(want & have) / max(1, len(want | have))
            if jaccard > share:
                best, share = work, jaccard
        found.append(best)
    return found


def right(gold: scoring.Gold, got: object | None) -> dict[str, bool | None]:
    """Each field right, wrong, or not scored (no gold for it)."""
    if got is None:
        return {
            f: None
            if (f == "title" and gold.title is None) or (f == "year" and gold.year is None)
            else False
            for f in FIELDS
        }
    return {
        "title": None if gold.title is None else scoring.title_ok(gold.title, got.title),  # type: ignore[attr-defined]
        "year": None if gold.year is None else got.year == gold.year,  # type: ignore[attr-defined]
        "first author": scoring.family_ok(gold.family, got),  # type: ignore[arg-type]
    }


def rates(rows: list[dict[str, bool | None]]) -> dict[str, float]:
    out = {}
    for field in FIELDS:
        scored = [r[field] for r in rows if r[field] is not None]
        out[field] = sum(bool(x) for x in scored) / len(scored) if scored else float("nan")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--anystyle", type=Path, default=scoring.ANYSTYLE)
    parser.add_argument("--only", nargs="*", help="layout names")
    parser.add_argument("--keep", type=Path, help="write the PDFs here")
    parser.add_argument("--misses", action="store_true", help="print what the PDF path missed")
    args = parser.parse_args()
    pool = pools(args.anystyle)
    layouts = [lay for lay in papers.LAYOUTS if not args.only or lay.name in args.only]
    folder = args.keep or Path(tempfile.mkdtemp(prefix="papers-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(
        f"{'paper':<24}{'pages':>6}{'refs':>5}{'works':>6}   pdf: title  year author"
        "   string: title  year author"
        "   plain: title  year author"
    )
    below = 0
    for layout in layouts:
        seed = papers.LAYOUTS.index(layout) + 1  # the same paper whichever are asked for
        p = papers.paper(layout, pool["numbered" if layout.numbering else "author-date"], seed)
        path = papers.render(p, folder / f"{layout.name}.pdf")
        result = load_file(path, None)
        works = [w for w in result.works if not w.is_document]
        golds = scoring.anystyle_gold(p.references)
        got = match(p.references, works)
        parsed = parse_reference_list([p.markdown(i) for i in range(len(p.references))])
        plain = parse_reference_list([t.text for t in p.references])
        pdf = rates([right(g, w) for g, w in zip(golds, got, strict=True)])
        text = rates([right(g, r) for g, r in zip(golds, parsed, strict=True)])
        bare = rates([right(g, r) for g, r in zip(golds, plain, strict=True)])
        pages = max((w.source.page or 0 for w in works), default=0)
        below += any(v < 0.9 for v in pdf.values())
        print(
            f"{layout.name:<24}{pages:>6}{len(golds):>5}{len(works):>6}       "
            + "  ".join(f"{pdf[f]:.2f}" for f in FIELDS)
            + "          "
            + "  ".join(f"{text[f]:.2f}" for f in FIELDS)
            + "         "
            + "  ".join(f"{bare[f]:.2f}" for f in FIELDS)
        )
        if args.misses:
            for gold, work, ref in zip(golds, got, parsed, strict=True):
                mine, theirs = right(gold, work), right(gold, ref)
                if any(mine[f] is False for f in FIELDS):
                    print(f"    gold  {gold.text}")
                    print(f"    pdf   {work.raw if work else None!r}")
                    print(
                        f"    want  {p.markdown(golds.index(gold))!r}"
                        if not theirs["title"]
                        else ""
                    )
                    if work:
                        first = work.authors[0].family if work.authors else None
                        print(f"    got   {work.title!r} {work.year} {first!r}")
    print(f"{below} of {len(layouts)} papers below 0.90 on a field; PDFs in {folder}")


if __name__ == "__main__":
    main()
