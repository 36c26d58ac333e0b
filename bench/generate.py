"""Synthetic reviews of any size: an APA reference list and a body that cites it.

Names, titles and venues are drawn from small pools with a fixed seed, so a run is
repeatable and the text looks like the seed corpus (diacritics, particles, DOIs).
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

FAMILIES = [
    "Cohen",
    "Felson",
    "Clarke",
    "Cornish",
    "Ipanaqué",
    "de la Peña",
    "Van Dijk",
    "Školník",
    "Gómez-Mera",
    "Farrington",
    "Welsh",
    "Tilley",
    "Sidebottom",
    "Crawford",
    "Evans",
    "Torres",
    "Quintero",
    "Sánchez",
    "Brantingham",
    "Weisburd",
    "Eck",
    "Sherman",
]
WORDS = [
    "crime",
    "prevention",
    "community",
    "policing",
    "security",
    "citizen",
    "urban",
    "design",
    "routine",
    "activity",
    "situational",
    "youth",
    "programs",
    "evidence",
    "patrols",
    "surveillance",
    "displacement",
    "neighbourhood",
    "councils",
    "trust",
    "violence",
    "Peru",
    "Mexico",
    "Latin",
    "America",
    "rational",
    "choice",
    "theory",
    "policy",
    "budget",
]
VENUES = [
    "Crime Prevention Studies",
    "Security Journal",
    "Latin American Policy",
    "Criminology & Public Policy",
    "Journal of Quantitative Criminology",
    "Novum Jus",
]


def reference(rng: random.Random, index: int) -> tuple[str, str, int]:
    """One APA reference and the in-text citation that points at it."""
    authors = rng.sample(FAMILIES, rng.randint(1, 3))
    year = 1960 + index % 64
    initials = [
        f"{rng.choice('ABCDEFGHJKLMNPRST')}. {rng.choice('ABCDEFGHJKLMNPRST')}." for _ in authors
    ]
    names = [f"{family}{index}, {given}" for family, given in zip(authors, initials, strict=True)]
    byline = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1]
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 11))).capitalize()
    venue = rng.choice(VENUES)
    volume, issue = rng.randint(1, 60), rng.randint(1, 12)
    start = rng.randint(1, 900)
    doi = f"10.{rng.randint(1000, 99999)}/cg.{index}"
    ref = (
        f"- {byline} ({year}). {title}. *{venue}*, {volume}({issue}), {start}-{start + 20}. "
        f"<https://doi.org/{doi}>"
    )
    if len(authors) == 1:
        cite = f"{authors[0]}{index} ({year})"
    elif len(authors) == 2:
        cite = f"({authors[0]}{index} & {authors[1]}{index}, {year})"
    else:
        cite = f"{authors[0]}{index} et al. ({year})"
    return ref, cite, year


def review(n: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    refs, body = [], []
    for index in range(n):
        ref, cite, _ = reference(rng, index)
        refs.append(ref)
        place = rng.choice(["Peru", "Mexico", "the United Kingdom", "Scandinavian countries"])
        body.append(
            f"In {place}, {cite} showed that community participation and "
            f"situational crime prevention reduce crime."
        )
    paragraphs = [" ".join(body[i : i + 5]) for i in range(0, len(body), 5)]
    return (
        "## A synthetic review of citizen security\n\n**Ana Pérez<sup>1</sup>**\n\n"
        "1(0000-0002-1825-0097), ana@example.org, Universidad de Lima\n\n"
        "## Introduction\n\n"
        + "\n\n".join(paragraphs)
        + "\n\n## References\n\n"
        + "\n".join(refs)
        + "\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int, help="number of references")
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    args.out.write_text(review(args.n))


if __name__ == "__main__":
    main()
