"""Score the reference-string parser on title, year, first author and author list per
style group.

    python bench/bench_references.py
    python bench/bench_references.py --anystyle ../shared/training/anystyle --json out.json
    python bench/bench_references.py --misses "author (year)" --field title

Two sources of gold:

- AnyStyle's tagged references (BSD-2, `core.xml` and `good.xml`), the fifth held out from
  the CRF's training by `loaders.reference_training.split`. They are grouped by the shape
  of their head: `author (year)` (APA, Harvard with brackets), `author. year.` (Chicago
  author-date, Harvard without brackets), `year later` (MLA, ISO 690, Vancouver,
  numbered styles) and `no author`. `author-date` is the first two together.
- `tests/fixtures/references/european.tsv`: strings shaped like the lists of European
  social-science papers (`Name, Given (2013), Title, in: Journal, 38, 1&2, 191-226.`,
  `Name, I. (1995): Title. Subtitle. London.`, `(1976 [1969])`, `Ders.`, `——`), parsed
  as one list so that a repeated-author mark takes the author of the entry before it.
  The rules were tuned on it; `european_unseen.tsv`, written after that and never
  tuned on, is scored as `european (unseen)`.

Matching: titles compare after folding case, accents and punctuation, and with or without
a bracketed part (`[Professional socialization ...]`); a first author matches when the
parsed family name (or organisation) is the gold one's, read from the first name of the
author segment with its initials dropped. An author list is right when every parsed name's
family lies inside the gold author segment (no title words ran into it) and the last one
is the segment's last name (none was dropped); it is scored where both have names. A
repeated-author mark in AnyStyle counts as
right when the parse flags it. Speed is references per second over the whole test set,
best of three runs, on one core.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from citegraph.graph.normalize import fold
from citegraph.loaders.reference_string import ParsedReference, parse_reference_list
from citegraph.loaders.reference_training import Tagged, read, split

ROOT = Path(__file__).resolve().parent.parent
EUROPEAN = ROOT / "tests" / "fixtures" / "references" / "european.tsv"
UNSEEN = EUROPEAN.with_name("european_unseen.tsv")
ANYSTYLE = ROOT.parent / "shared" / "training" / "anystyle"
FIELDS = ("title", "year", "first author", "author list")
REPEAT = "(repeated)"
_REPEAT_MARK = re.compile(r"^[\s—–_‐-]+\.?$")
_INITIAL = re.compile(r"^(?:[A-ZÀ-Þ][a-z]?[.-])+$|^[A-Z]{1,3}$")
_FIRST_NAME = re.compile(r"\s*(?:;|&|/|,|\band\b|\bet\b|\bund\b|\by\b)\s*")


@dataclass(frozen=True)
class Gold:
    group: str
    text: str
    title: str | None
    year: int | None
    family: str | None


ANYSTYLE_GROUPS = ("author (year)", "author. year.", "year later", "no author")


def group_of(tagged: Tagged) -> str:
    labels = tagged.labels
    if not labels or labels[0] not in ("author", "editor"):
        return "no author"
    if len(labels) > 1 and labels[1] == "date":
        date = next(text for label, text in tagged.segments if label == "date")
        return "author (year)" if date.startswith(("(", "[")) else "author. year."
    return "year later"


def anystyle_gold(items: Iterable[Tagged]) -> list[Gold]:
    out = []
    for t in items:
        creators = t.creators
        family = REPEAT if creators and _REPEAT_MARK.match(creators) else creators
        titles = [text for label, text in t.segments if label == "title"]
        out.append(Gold(group_of(t), t.text, " ".join(titles) or None, t.year, family))
    return out


def european_gold(path: Path, group: str = "european") -> list[Gold]:
    lines = [line for line in path.read_text().splitlines() if not line.startswith("#")]
    rows = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [Gold(group, r["text"], r["title"], int(r["year"]), r["first_author"]) for r in rows]


def _norm_title(title: str | None) -> set[str]:
    if not title:
        return {""}
    return {fold(title), fold(re.sub(r"\[[^\]]*\]", " ", title))}


def title_ok(gold: str | None, got: str | None) -> bool:
    return bool(_norm_title(gold) & _norm_title(got))


def accepted_families(author: str) -> set[str]:
    """What a correct first family name may fold to, read from an author segment."""
    author = re.sub(r"^(?:In|By|Ed\.|Eds\.)\s+", "", author.strip())
    first = _FIRST_NAME.split(author, maxsplit=1)[0]
    words = [w for w in first.split() if not _INITIAL.match(w.strip(",."))]
    if not words:
        return {fold(first)}
    return {fold(" ".join(words)), fold(words[-1]), fold(words[0])}


def family_ok(gold: str | None, ref: ParsedReference) -> bool:
    if gold == REPEAT:
        return "author_repeated" in ref.flags
    got = ref.authors[0] if ref.authors else None
    if gold is None or got is None:
        return gold is None and got is None
    name = fold(got.family or got.name)
    accepted = accepted_families(gold)
    return name in accepted or (got.kind == "organization" and name.startswith(fold(gold)))


#: between names, not inside `Family, Given`
_NAME_SEP = re.compile(r"\s*(?:;|&|\band\b|\bet\b|\bund\b|\by\b)\s*")


def _last_name(creators: str) -> set[str]:
    """What the gold segment's last name may fold to: its comma pieces and longer words."""
    creators = re.sub(r"\(?\b(?:eds?|editors?|hrsg|trans)\b\.?\)?|\bet al\b\.?|…", " ", creators)
    pieces = [p for p in _NAME_SEP.split(creators) if p.strip(" ,.")]
    last = pieces[-1] if pieces else creators
    parts = [p for p in re.split(r",\s*", last) if p.strip(" .")]
    return {fold(p) for p in parts} | {fold(w) for p in parts for w in p.split() if len(w) > 3}


def list_scored(gold: Gold, ref: ParsedReference) -> bool:
    """Both have names, and the gold is AnyStyle's whole segment (the European gold names
    the first author only)."""
    return gold.family not in (None, REPEAT) and bool(ref.authors) and gold.group in ANYSTYLE_GROUPS


def author_list_ok(gold: str, ref: ParsedReference) -> bool:
    segment = fold(gold)
    families = [fold(a.family or a.name) for a in ref.authors]
    if not all(f and f in segment for f in families):
        return False
    return any(families[-1] in c for c in _last_name(gold))


def score(golds: list[Gold], parsed: list[ParsedReference]) -> dict[str, dict[str, float]]:
    hits: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    for gold, ref in zip(golds, parsed, strict=True):
        for group in _groups(gold.group):
            if gold.title is not None:
                hits[group]["title"].append(title_ok(gold.title, ref.title))
            if gold.year is not None:
                hits[group]["year"].append(ref.year == gold.year)
            hits[group]["first author"].append(family_ok(gold.family, ref))
            if list_scored(gold, ref):
                hits[group]["author list"].append(author_list_ok(str(gold.family), ref))
    return {
        group: {
            "n": len(fields["first author"]),
            **{f: round(sum(fields[f]) / len(fields[f]), 3) for f in FIELDS if fields[f]},
        }
        for group, fields in sorted(hits.items())
    }


def _groups(group: str) -> list[str]:
    if group in ("author (year)", "author. year."):
        return [group, "author-date", "all anystyle"]
    return [group] if group.startswith("european") else [group, "all anystyle"]


def speed(texts: list[str], parse: Callable[[list[str]], list[ParsedReference]]) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        parse(texts)
        best = min(best, time.process_time() - start)
    return round(len(texts) / best)


def _right(gold: Gold, ref: ParsedReference, field: str) -> bool:
    if field == "title":
        return gold.title is None or title_ok(gold.title, ref.title)
    if field == "year":
        return gold.year is None or gold.year == ref.year
    if field == "author list":
        return not list_scored(gold, ref) or author_list_ok(str(gold.family), ref)
    return family_ok(gold.family, ref)


def misses(golds: list[Gold], parsed: list[ParsedReference], group: str, field: str) -> None:
    for gold, ref in zip(golds, parsed, strict=True):
        if group in _groups(gold.group) and not _right(gold, ref, field):
            got = ref.authors[0].family or ref.authors[0].name if ref.authors else None
            print(f"{gold.text}\n   want {gold.title!r} {gold.year} {gold.family!r}")
            print(f"   got  {ref.title!r} {ref.year} {got!r} {ref.flags}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--anystyle", type=Path, default=ANYSTYLE)
    parser.add_argument("--json", type=Path, help="also write the scores here")
    parser.add_argument("--misses", help="print the misses of this group")
    parser.add_argument("--field", default="title", choices=FIELDS)
    args = parser.parse_args()

    _, test = split(read(args.anystyle))
    golds = anystyle_gold(test)
    anystyle = [g.text for g in golds]
    parsed = [r for t in anystyle for r in parse_reference_list([t])]
    for path, group in ((EUROPEAN, "european"), (UNSEEN, "european (unseen)")):
        listed = european_gold(path, group)
        golds += listed
        parsed += parse_reference_list([g.text for g in listed])
    scores = score(golds, parsed)
    print(f"{'group':<20}{'n':>6}" + "".join(f"{f:>14}" for f in FIELDS))
    for group, row in scores.items():
        cells = "".join(f"{row.get(f, float('nan')):>14.3f}" for f in FIELDS)
        print(f"{group:<20}{row['n']:>6}{cells}")
    rate = speed(anystyle, lambda texts: [r for t in texts for r in parse_reference_list([t])])
    print(f"speed: {rate} references/s ({len(anystyle)} AnyStyle test strings, one core)")
    if args.misses:
        misses(golds, parsed, args.misses, args.field)
    if args.json:
        args.json.write_text(json.dumps({"scores": scores, "per_second": rate}, indent=2))


if __name__ == "__main__":
    main()
