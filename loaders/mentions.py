"""Finding theories, strategies and places named in a sentence.

Theory and strategy labels come from the SKOS schemes in ontology/ (a researcher extends
them there); country names come from ISO 3166 via pycountry, plus the demonyms prose
uses (`Peruvian district`, `Colombian jurisprudence`) and the regions of places.ttl.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pycountry

from citegraph.ontology.vocabulary import concepts

#: Adjectives that name a country in prose; pycountry has names, not demonyms.
DEMONYMS: dict[str, str] = {
    "Peruvian": "PE",
    "Colombian": "CO",
    "Mexican": "MX",
    "Argentine": "AR",
    "Argentinian": "AR",
    "Brazilian": "BR",
    "Chilean": "CL",
    "Ecuadorian": "EC",
    "Venezuelan": "VE",
    "Bolivian": "BO",
    "Uruguayan": "UY",
    "Paraguayan": "PY",
    "Salvadoran": "SV",
    "Guatemalan": "GT",
    "Honduran": "HN",
    "Costa Rican": "CR",
    "Pakistani": "PK",
    "Indian": "IN",
    "Bangladeshi": "BD",
    "American": "US",
    "British": "GB",
    "English": "GB",
    "Australian": "AU",
    "Canadian": "CA",
    "Spanish": "ES",
    "Swedish": "SE",
    "Norwegian": "NO",
    "Danish": "DK",
    "Finnish": "FI",
    "Dutch": "NL",
    "German": "DE",
    "French": "FR",
    "Italian": "IT",
    "Portuguese": "PT",
    "Burkinabe": "BF",
    "Nigerian": "NG",
    "South African": "ZA",
    "Chinese": "CN",
    "Japanese": "JP",
}
#: Everyday names that ISO's official and common names miss.
EXTRA_NAMES: dict[str, str] = {
    "United States": "US",
    "USA": "US",
    "U.S.": "US",
    "United Kingdom": "GB",
    "UK": "GB",
    "England": "GB",
    "Scotland": "GB",
    "Wales": "GB",
    "Britain": "GB",
    "Great Britain": "GB",
    "Bolivia": "BO",
    "Venezuela": "VE",
    "Russia": "RU",
    "South Korea": "KR",
    "Iran": "IR",
    "Vietnam": "VN",
    "Tanzania": "TZ",
    "Syria": "SY",
    "Czech Republic": "CZ",
    "Ivory Coast": "CI",
    "Turkey": "TR",
    "Moldova": "MD",
    "Laos": "LA",
}
#: ISO short names that are also common words or personal names in English prose.
AMBIGUOUS = {"Jordan", "Georgia", "Chad", "Guinea", "Niger", "Dominica", "Jersey", "Man"}
#: Language names that would read as demonyms in "English language" or "Spanish".
LANGUAGE_CONTEXT = re.compile(r"^\s+(?:language|version|translation)\b", re.I)


@dataclass(frozen=True)
class Found:
    kind: str  # theory | strategy | place
    concept: str
    text: str
    start: int


@cache
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "common_name"):
            value = getattr(country, attribute, None)
            if value and "," not in value and value not in AMBIGUOUS:
                names[value] = country.alpha_2
    names.update(EXTRA_NAMES)
    names.update(DEMONYMS)
    return names


def _alternation(labels: list[str]) -> str:
    return "|".join(re.escape(label) for label in sorted(set(labels), key=len, reverse=True))


@cache
def _patterns() -> list[tuple[str, re.Pattern[str], dict[str, str]]]:
    """One compiled regex per kind; acronyms (all capitals) match case-sensitively."""
    result: list[tuple[str, re.Pattern[str], dict[str, str]]] = []
    for kind in ("theory", "strategy"):
        lookup: dict[str, str] = {}
        acronyms: dict[str, str] = {}
        for concept in concepts():
            if concept.kind != kind:
                continue
            for label in concept.labels:
                (acronyms if label.isupper() else lookup)[
                    label if label.isupper() else label.casefold()
                ] = concept.id
        pattern = rf"\b(?:(?i:{_alternation(list(lookup))})|{_alternation(list(acronyms))})\b"
        result.append((kind, re.compile(pattern), {**lookup, **acronyms}))
    places = dict(_country_names())
    for concept in concepts():
        if concept.kind == "place":
            for label in concept.labels:
                places[label] = concept.id
    result.append(("place", re.compile(rf"\b(?:{_alternation(list(places))})(?!\w)"), places))
    return result


def find_mentions(sentence: str) -> list[Found]:
    """Every concept named in the sentence, longest label first, each concept once."""
    found: dict[tuple[str, str], Found] = {}
    for kind, pattern, lookup in _patterns():
        for match in pattern.finditer(sentence):
            text = match.group(0)
            concept_id = lookup.get(text) or lookup.get(text.casefold())
            if concept_id is None:
                continue
            if (
                kind == "place"
                and text in DEMONYMS
                and LANGUAGE_CONTEXT.match(sentence[match.end() :])
            ):
                continue
            found.setdefault((kind, concept_id), Found(kind, concept_id, text, match.start()))
    return sorted(found.values(), key=lambda f: f.start)
