"""AnyStyle's tagged reference strings, read and split for training and scoring.

AnyStyle (BSD-2) publishes its training sets as XML: each `<sequence>` is one reference
string cut into labelled segments (`<author>`, `<date>`, `<title>`, ...). The CRF beside
the rules in `reference_string` is trained on them (`scripts/train_reference_crf.py`) and
`bench/bench_references.py` scores both on the part held out from training. One module
reads and splits them so that the two can never disagree about which strings were seen.
"""

from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pycrfsuite

from citegraph.loaders.reference_crf import LABELS, features

SEED = 14  # the issue number: a fixed seed, so the held-out set never changes
TEST_SHARE = 0.2
FILES = ("core.xml", "good.xml")
_YEAR = re.compile(r"1[5-9]\d\d|20\d\d")


@dataclass(frozen=True)
class Tagged:
    """One reference string as (label, text) segments in reading order."""

    segments: tuple[tuple[str, str], ...]

    @property
    def text(self) -> str:
        return " ".join(text for _, text in self.segments)

    def first(self, label: str) -> str | None:
        return next((text for lab, text in self.segments if lab == label), None)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(label for label, _ in self.segments if label != "citation-number")

    @property
    def year(self) -> int | None:
        for label, text in self.segments:
            if label == "date" and (m := _YEAR.search(text)):
                return int(m.group(0))
        return None

    @property
    def creators(self) -> str | None:
        """The author segment, wherever it is printed, or else an editor segment printed
        before the title (an edited book, whose editors stand in as its authors)."""
        if author := self.first("author"):
            return author
        for label in self.labels:
            if label == "editor":
                return self.first("editor")
            if label == "title":
                return None
        return None


def read(folder: Path) -> list[Tagged]:
    """Every sequence of the AnyStyle files in `folder`, identical strings once."""
    seen: dict[str, Tagged] = {}
    for name in FILES:
        for sequence in ET.parse(folder / name).getroot():
            segments = tuple(
                (element.tag, " ".join((element.text or "").split())) for element in sequence
            )
            tagged = Tagged(tuple((lab, text) for lab, text in segments if text))
            seen.setdefault(tagged.text, tagged)
    return list(seen.values())


def split(items: list[Tagged]) -> tuple[list[Tagged], list[Tagged]]:
    """(train, test): a shuffle by the fixed seed, the last fifth held out."""
    order = list(items)
    random.Random(SEED).shuffle(order)
    cut = int(len(order) * (1 - TEST_SHARE))
    return order[:cut], order[cut:]


def sequence(tagged: Tagged) -> tuple[list[str], list[str]]:
    """Tokens and their folded labels (`reference_crf.LABELS`), one label per token."""
    toks: list[str] = []
    labels: list[str] = []
    for lab, text in tagged.segments:
        words = text.split()
        toks += words
        labels += [LABELS.get(lab, "other")] * len(words)
    return toks, labels


def train(items: list[Tagged], out: Path, iterations: int = 200) -> None:
    """Fit the CRF on `items` and write the model file to `out`."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for tagged in items:
        toks, labels = sequence(tagged)
        trainer.append(features(toks), labels)
    trainer.set_params(
        {
            "c1": 0.05,
            "c2": 0.01,
            "max_iterations": iterations,
            "feature.minfreq": 2,
            "feature.possible_transitions": True,
        }
    )
    trainer.train(str(out))
