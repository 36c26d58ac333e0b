"""A CRF sequence labeller for reference strings, the learned half beside the rules.

The rules in `reference_string` are exact on the shapes they know (APA, the seed) and
lose titles on shapes they do not (`Name (2013), Title, in: Journal, 38, 1&2, 191-226.`).
A linear-chain CRF labels each whitespace token (author, date, title, container, ...)
from its own shape and its neighbours', as AnyStyle does, and generalises over
punctuation conventions instead of enumerating them. Its model is trained from AnyStyle's
tagged references by `scripts/train_reference_crf.py` and ships in the package
(`loaders/models/`); nothing is downloaded at run time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import pycrfsuite

MODEL = "reference_crf.crfsuite"
# AnyStyle's labels folded into the slots the parser fills; the rest is "other"
LABELS = {
    "author": "author",
    "editor": "editor",
    "translator": "editor",
    "date": "date",
    "title": "title",
    "container-title": "container",
    "journal": "container",
    "collection-title": "container",
    "volume": "volume",
    "pages": "pages",
    "location": "location",
    "publisher": "publisher",
    "citation-number": "number",
}
_YEAR = re.compile(r"1[5-9]\d\d|20\d\d")
_MONTHS = frozenset(
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june"
    " july august september october november december".split()
)
_LEXICON = {
    "in": "in",
    "en": "in",
    "eds": "ed",
    "ed": "ed",
    "hrsg": "ed",
    "hg": "ed",
    "editor": "ed",
    "editors": "ed",
    "dir": "ed",
    "coord": "ed",
    "trans": "ed",
    "press": "pub",
    "verlag": "pub",
    "university": "pub",
    "universitetsforlag": "pub",
    "publishers": "pub",
    "publishing": "pub",
    "books": "pub",
    "journal": "journal",
    "review": "journal",
    "quarterly": "journal",
    "zeitschrift": "journal",
    "revue": "journal",
    "revista": "journal",
    "proceedings": "journal",
    "studies": "journal",
    "vol": "vol",
    "volume": "vol",
    "no": "vol",
    "nr": "vol",
    "issue": "vol",
    "pp": "pp",
    "p": "pp",
    "s": "pp",
    "and": "and",
    "und": "and",
    "et": "and",
    "y": "and",
    "al": "al",
    "ders": "repeat",
    "dies": "repeat",
    "doi": "id",
    "retrieved": "note",
    "available": "note",
    "accessed": "note",
}
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


@dataclass(frozen=True)
class Labelled:
    """The tokens of a string, each with its label and the CRF's probability of it."""

    tokens: tuple[str, ...]
    labels: tuple[str, ...]
    marginals: tuple[float, ...]

    def span(self, label: str) -> tuple[str | None, float]:
        """The first run of tokens with `label`, and how sure the CRF is of it: the lowest
        probability in the run and at the tokens either side, which decide where it
        ends (`matter? The Philadelphia ...` is a sure title word beside an unsure one)."""
        start = next((i for i, lab in enumerate(self.labels) if lab == label), None)
        if start is None:
            return None, 0.0
        end = start
        while end < len(self.labels) and self.labels[end] == label:
            end += 1
        return " ".join(self.tokens[start:end]), min(self.marginals[max(0, start - 1) : end + 1])


def tokens(text: str) -> list[str]:
    """Whitespace tokens, as AnyStyle segments its strings."""
    return text.split()


def _shape(word: str) -> str:
    shape = re.sub(r"[A-ZÀ-Þ]", "A", word)
    shape = re.sub(r"[a-zß-ÿ]", "a", shape)
    shape = re.sub(r"\d", "0", shape)
    return re.sub(r"(.)\1+", r"\1\1", shape)[:8]


@lru_cache(maxsize=1 << 16)
def _token_features(token: str) -> tuple[str, ...]:
    """A token's own features; cached, since words, initials and years repeat across a
    list (about half the cost of labelling is here)."""
    core = _WORD.search(token)
    word = core.group(0) if core else ""
    low = word.casefold()
    lead, trail = token[: core.start()] if core else token, token[core.end() :] if core else ""
    feats = [
        f"w={low}" if len(low) > 1 else f"c={low}",
        f"sh={_shape(token)}",
        f"lead={lead[-2:]}",
        f"trail={trail[:3]}",
        f"len={min(len(word), 8)}",
    ]
    if word:
        feats.append("cap" if word[0].isupper() else "low" if word[0].islower() else "num")
        if word.isupper() and len(word) > 1:
            feats.append("caps")
        if re.fullmatch(r"[A-ZÀ-Þ]", word) or re.fullmatch(r"(?:[A-Z]\.)+-?[A-Z]?\.?", token):
            feats.append("initial")
        if low[-3:]:
            feats.append(f"suf={low[-3:]}")
    if _YEAR.fullmatch(word):
        feats.append("year")
    elif word.isdigit():
        feats.append(f"digits={min(len(word), 5)}")
    if re.search(r"\d[-–]\d", token):
        feats.append("range")
    if low in _MONTHS:
        feats.append("month")
    if kind := _LEXICON.get(low):
        feats.append(f"lex={kind}")
    if token.startswith(("http", "www.", "doi:", "10.")):
        feats.append("url")
    if re.fullmatch(r"[—–_-]{2,}\.?,?", token):
        feats.append("dashes")
    return tuple(feats)


def features(toks: list[str]) -> list[list[str]]:
    """Each token's own features, its neighbours' (±2) and its place in the string."""
    n = len(toks)
    out = []
    depth, quoted, seen_year = 0, False, False
    for i, token in enumerate(toks):
        row = ["bias", f"pos={10 * i // n}", f"first={min(i, 4)}", *_token_features(token)]
        row += _neighbour(toks[i - 2], -2) if i > 1 else ("-2:edge",)
        row += _neighbour(toks[i - 1], -1) if i > 0 else ("-1:edge",)
        row += _neighbour(toks[i + 1], 1) if i + 1 < n else ("1:edge",)
        row += _neighbour(toks[i + 2], 2) if i + 2 < n else ("2:edge",)
        if depth > 0:
            row.append("in_paren")
        if quoted:
            row.append("in_quote")
        if seen_year:
            row.append("after_year")
        out.append(row)
        nesting, opens, closes, year = _marks(token)
        seen_year = seen_year or year
        depth = max(0, depth + nesting)
        quoted = opens > closes or (quoted and closes <= opens)
    return out


@lru_cache(maxsize=1 << 16)
def _marks(token: str) -> tuple[int, int, int, bool]:
    """What a token opens and closes (brackets, quotes), and whether it holds a year."""
    nesting = sum(map(token.count, "([")) - sum(map(token.count, ")]"))
    opens = sum(map(token.count, "“«‘")) + token.startswith(('"', "'"))
    closes = sum(map(token.count, "”»’")) + bool(re.search(r"[\"'][.,;:]?$", token))
    return nesting, opens, closes, bool(_YEAR.search(token))


@lru_cache(maxsize=1 << 16)
def _neighbour(token: str, offset: int) -> tuple[str, ...]:
    """The first features of a token as seen from `offset` places away."""
    return tuple(f"{offset}:{f}" for f in _token_features(token)[:4])


@cache
def _tagger() -> pycrfsuite.Tagger:
    """The packaged model, opened once per process and only when first needed."""
    tagger = pycrfsuite.Tagger()
    path = resources.files("citegraph.loaders").joinpath("models", MODEL)
    with resources.as_file(path) as file:
        tagger.open(str(file))
    return tagger


def label(text: str) -> Labelled:
    """Label every token of `text` with the packaged model."""
    toks = tokens(text)
    if not toks:
        return Labelled((), (), ())
    tagger = _tagger()
    labels = tagger.tag(features(toks))
    marginals = tuple(tagger.marginal(lab, i) for i, lab in enumerate(labels))
    return Labelled(tuple(toks), tuple(labels), marginals)
