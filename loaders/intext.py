"""In-text citations: finding them in prose and matching them to reference entries.

Author-date prose cites in two shapes: narrative (`Tonry (2015)`, `Hagberg et al. (2023)`,
`Cohen and Felson's (1979)`) and parenthetical (`(Cohen & Felson, 1979; Clarke &
Weisburd, 1994)`). Matching is scored, never guessed silently: an inexact match (year,
spelling, author order) is linked and flagged; no candidate at all is reported.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from citegraph.loaders.letters import CAPITALS
from citegraph.loaders.parsing.folding import fold

NAME = rf"[{CAPITALS}][\w'’\-]*(?:\s+(?:[{CAPITALS}][\w'’\-]*))*"
PARTICLE = (  # a word of its own: the `le` ending `while` is no particle
    r"(?:(?<![\w'’\-])"
    r"(?:[Dd]e|[Dd]el|[Dd]e la|[Vv]an|[Vv]an der|[Vv]on|[Dd]a|[Dd]os|[Dd]i|[Ll]e|[Ll]a)\s+)"
)
SURNAME = rf"{PARTICLE}?{NAME}"
ORG_LINK = r"(?:\s+(?:of|for|de|the|and)\s+(?:the\s+)?)"
ORG_HEAD = (
    r"(?:Ministry|Ministerio|Department|Office|Institute|World|National|United|Organi[sz]ation)"
)
ORG = rf"{ORG_HEAD}(?:\s+[A-Z][\w\-]*|{ORG_LINK}[A-Z][\w\-]*)+"
YEAR = r"(?:1[5-9]\d\d|20\d\d)[a-z]?|n\.d\."

#: `and` between authors, in the languages reviews cite in (`Quispe y Arce`, `Silva e
#: Souza`, `Müller und Schmidt`, `Dupont et Martin`)
AND = r"(?:and|&|y|e|und|et)"
#: `et al.` and the words that stand for it: `Sampson and colleagues (1997)`, Spanish
#: `y colaboradores`, German `und Kollegen`
ET_AL = (
    r"(?:et\s+al\.?|and\s+(?:colleagues|co-?workers|associates)"
    r"|y\s+(?:colaboradores|cols?\.)|e\s+colaboradores|und\s+Kollegen)"
)
#: APA's secondary source, `(Sampson, 1997, as cited in Tyler, 2006)`: two citations
CITED_IN = re.compile(r",?\s*\b(?:as\s+)?(?:cited|quoted)\s+in\s+|,?\s*\bcitad[oa]\s+(?:en|por)\s+")

NARRATIVE = re.compile(
    # `A, B, and C` takes a comma before `and`, `A and B` none: `Western Australia, and
    # Eckblom (1995)` is a clause break before one author, not two authors
    rf"(?P<names>{ORG}|{SURNAME}(?:(?:\s*,\s*{SURNAME})+(?:\s*,?\s+{AND}\s+{SURNAME})?"
    rf"|\s+{AND}\s+{SURNAME})?"
    rf"(?P<etal>\s+{ET_AL})?)(?:'s|’s|')?\s*\((?P<year>{YEAR})"
    rf"(?P<more>(?:\s*,\s*(?:{YEAR})(?![\d–-]))*)(?:\s*[,;][^)]*)?\)"
)
PARENTHESIS = re.compile(r"\(([^()]*?(?:1[5-9]\d\d|20\d\d)[a-z]?[^()]*)\)")
#: A parenthesis left open at the end of a paragraph: `... responsibility (Emerson,`
UNCLOSED = re.compile(rf"\((?P<names>{SURNAME}(?:\s*(?:&|and)\s*{SURNAME})?(?:\s+et al\.)?),?\s*$")
#: One author's part of a parenthesis: `see Sampson et al., 1997a, 1997b, p. 920`; Chicago
#: and Harvard print the locator bare (`Sampson 1997, 920`, `Sampson 1997: 920`)
CITE_PART = re.compile(
    rf"^(?:(?:see|e\.g\.,?|cf\.|i\.e\.,?|also)\s+)*(?P<names>.+?),?\s+(?P<year>{YEAR})"
    rf"(?P<more>(?:\s*,\s*(?:{YEAR}))*)"
    r"(?:\s*[,:]\s*(?:(?:p|pp)\.?\s*)?\d+(?:\s*[-–]\s*\d+)?)?$"
)
PARTICLES = {
    "de",
    "del",
    "della",
    "la",
    "las",
    "los",
    "van",
    "der",
    "den",
    "von",
    "da",
    "di",
    "dos",
    "du",
    "le",
    "d",
    "al",
    "el",
    "ten",
    "ter",
}
LEADING_WORDS = {
    "in",
    "also",
    "finally",
    "likewise",
    "according",
    "on",
    "the",
    "a",
    "as",
    "by",
    "while",
    "however",
    "moreover",
    "thus",
    "for",
    "study",
    "regarding",
    "and",
    "both",
    "see",
    "similarly",
    "further",
    "furthermore",
    "notably",
    "indeed",
    "recently",
    "earlier",
    "later",
    "unlike",
    "like",
    "following",
    "although",
    "whereas",
    "but",
    "since",
    "when",
    "here",
}


@dataclass(frozen=True)
class InText:
    """One in-text citation as printed."""

    text: str
    authors: tuple[str, ...]
    year: str | None
    et_al: bool
    start: int
    number: int | None = None  # a numbered citation's `[3]`: the entry it names


@dataclass(frozen=True)
class Entry:
    """What matching needs of a reference entry."""

    key: str
    families: tuple[str, ...]  # folded family names (or organisation names), in order
    year: int | None
    year_suffix: str
    raw: str
    number: int | None = None  # the number a numbered list prints before it


@dataclass(frozen=True)
class Match:
    entry: Entry
    flags: tuple[str, ...]


def _split_names(names: str) -> tuple[list[str], bool]:
    et_al = bool(re.search(rf"\b{ET_AL}", names))
    names = re.sub(rf"\b{ET_AL}", "", names)
    parts = re.split(rf"\s*(?:,\s*{AND}\s+|\s+{AND}\s+|\s*&\s*|,\s*)\s*", names.strip(" ,"))
    cleaned = [re.sub(r"(?:'s|’s|')$", "", p.strip()) for p in parts]
    return [n for n in cleaned if n], et_al


def _strip_leading(name: str) -> str:
    """`In Australia Farrington` cannot happen (commas stop names), but `Finally Torres` can."""
    words = name.split()
    while len(words) > 1 and words[0].casefold() in LEADING_WORDS:
        words = words[1:]
    return " ".join(words)


def _narrative_names(text: str) -> str:
    """Drop a capitalised phrase before a comma: `In Australia, Farrington and Welsh`.

    Narrative citations of three or more authors use `et al.`, so a comma before the
    names almost always ends an introductory phrase; `A, B, and C` (Oxford comma) is kept.
    """
    head, sep, tail = text.rpartition(",")
    if not sep or re.match(rf"\s*{AND}\s", tail):
        return text
    return tail.strip()


#: The entries a numbered citation names: `3`, `3,4`, `1-3, 7`
NUMBER_LIST = r"\d{1,4}(?:\s*[,–-]\s*\d{1,4})*"
#: Vancouver and IEEE citations: `[3]`, `[3,4]`, `[1-3, 7]`
BRACKETED_NUMBERS = re.compile(rf"\[({NUMBER_LIST})\]")
#: A range wider than this is a typo or not a citation (`[1-2000]`)
WIDEST_RANGE = 50


def find_numbered_citations(sentence: str) -> list[InText]:
    """Every entry a numbered citation names, one InText per number, in order."""
    found = []
    for match in BRACKETED_NUMBERS.finditer(sentence):
        numbers: list[int] = []
        for part in re.split(r"\s*,\s*", match.group(1)):
            ends = [int(n) for n in re.split(r"\s*[–-]\s*", part)]
            first, last = ends[0], ends[-1]
            if last < first or last - first > WIDEST_RANGE:
                last = first
            numbers += range(first, last + 1)
        found += [InText(match.group(0), (), None, False, match.start(), n) for n in numbers]
    return found


def find_citations(sentence: str) -> list[InText]:
    """Every citation in a sentence, narrative and parenthetical, in order of appearance."""
    found: list[InText] = []
    taken: list[tuple[int, int]] = []
    for match in PARENTHESIS.finditer(sentence):
        for part in re.split(r"\s*;\s*", CITED_IN.sub("; ", match.group(1))):
            parsed = CITE_PART.match(part.strip())
            if not parsed:
                continue
            names, et_al = _split_names(parsed.group("names"))
            if not names or not all(n[:1].isupper() or n.split()[0] in PARTICLE for n in names):
                continue
            years = [parsed.group("year"), *re.findall(YEAR, parsed.group("more"))]
            found += [InText(part.strip(), tuple(names), y, et_al, match.start()) for y in years]
            taken.append(match.span())
    for match in NARRATIVE.finditer(sentence):
        if any(a <= match.start() < b for a, b in taken):
            continue
        names, et_al = _split_names(_narrative_names(match.group("names")))
        names = [_strip_leading(n) for n in names]
        if not names or names[0].casefold() in LEADING_WORDS:
            continue
        years = [match.group("year"), *re.findall(YEAR, match.group("more"))]
        found += [InText(match.group(0), tuple(names), y, et_al, match.start()) for y in years]
    unclosed = UNCLOSED.search(sentence)
    if unclosed:
        names, et_al = _split_names(unclosed.group("names"))
        found.append(InText(unclosed.group(0), tuple(names), None, et_al, unclosed.start()))
    return sorted(found, key=lambda c: c.start)


#: How a cited surname can name an entry's family, best first.
EXACT, PARTICLE_DROPPED, SPELLING = "exact", "particle_dropped", "spelling_mismatch"
QUALITIES = (EXACT, PARTICLE_DROPPED, SPELLING)


def _name_match(cited: str, family: str) -> str | None:
    """How a cited surname names a family: exactly (`Torres` for `Torres Hilario`, a double
    surname's first part), with particles on one side only (`Peña` in the text for
    `de la Peña` listed under d), with another spelling (`Ekblom` for `Eckblom`); None
    when it does not."""
    cited_f, family_f = fold(cited), fold(family)
    if not cited_f or not family_f:
        return None
    if cited_f == family_f:
        return EXACT
    if _core(cited_f) == _core(family_f):
        return PARTICLE_DROPPED  # or the list dropped the one the text prints
    if cited_f in family_f.split() or family_f in cited_f.split():
        return EXACT
    if family_f.startswith(cited_f + " ") or family_f.endswith(" " + cited_f):
        return EXACT
    if fuzz.ratio(cited_f, family_f) >= 80 or fuzz.ratio(cited_f, family_f.split()[0]) >= 85:
        return SPELLING
    return None


def _position(name: str, families: tuple[str, ...], used: set[int]) -> tuple[int, str] | None:
    """Where a cited surname stands among the entry's authors, and how well it names them."""
    for quality in QUALITIES:
        for index, family in enumerate(families):
            if index not in used and _name_match(name, family) == quality:
                used.add(index)
                return index, quality
    return None


def _score(citation: InText, entry: Entry) -> tuple[float, tuple[str, ...]] | None:
    """Score an entry for a citation; None when the cited authors are not all in the entry."""
    if not entry.families:
        return None
    used: set[int] = set()
    found = [_position(name, entry.families, used) for name in citation.authors]
    if any(f is None for f in found):
        return None
    positions = [f[0] for f in found if f is not None]
    flags: list[str] = []
    score = 3.0 if positions[0] == 0 else 1.0
    qualities = {f[1] for f in found if f is not None}
    if SPELLING in qualities:
        flags.append(SPELLING)
        score -= 1
    if PARTICLE_DROPPED in qualities:
        flags.append(PARTICLE_DROPPED)  # fewer flags win a tie: `Peña` prefers `Peña`
    if positions != sorted(positions) or positions[0] != 0:
        flags.append("order_swapped")
    if citation.et_al:
        score += 1 if len(entry.families) >= 3 else 0
    elif len(set(positions)) == len(entry.families):
        score += 2
    else:
        flags.append("authors_differ")
    year = citation.year or ""
    if not year:
        flags.append("incomplete_citation")
    elif entry.year and year.rstrip("abcdefgh") == str(entry.year):
        score += 3 if year[4:] == entry.year_suffix or not entry.year_suffix else 2
    else:
        flags.append("year_mismatch")
        if year[:4] in entry.raw:
            score += 1  # a reprint that prints the original year, e.g. `(1979)` in its title
    return score, tuple(flags)


def _core(name: str) -> str:
    tokens = fold(name).split()
    while len(tokens) > 1 and tokens[0] in PARTICLES:
        tokens = tokens[1:]
    return " ".join(tokens)


@dataclass
class EntryIndex:
    """Entries by their authors' names, so a citation is scored against a handful of entries.

    Whole family names (`Peña` finds `de la Peña`) and single name tokens (`Torres` finds
    `Torres Hilario de Miguel`), else close spellings (`Ekblom` finds `Eckblom`); among
    those, entries of the cited year are scored when there are any.
    """

    entries: list[Entry]
    #: (whole family name or single token, year or None for any year) -> entries: a
    #: common surname in a long list (thousands of Smiths) costs a citation its year's
    #: few entries, not all of them
    by_name: dict[tuple[str, str | None], list[int]] = field(
        default_factory=lambda: defaultdict(list)
    )
    by_token: dict[tuple[str, str | None], list[int]] = field(
        default_factory=lambda: defaultdict(list)
    )
    _names: list[str] = field(init=False, default_factory=list)  # for close spellings
    by_number: dict[int, Entry] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        for index, entry in enumerate(self.entries):
            if entry.number is not None:
                self.by_number.setdefault(entry.number, entry)
            for year in (None, str(entry.year)):
                for family in set(entry.families):
                    self.by_name[_core(family), year].append(index)
                    for token in set(family.split()) - PARTICLES:
                        self.by_token[token, year].append(index)
        self._names = [name for name, year in self.by_name if year is None]

    def _lookup(self, name: str, year: str | None = None) -> set[int]:
        """The entries of a cited name (of `year` only, when given): by whole name and by
        token, else, when neither knows the name at all, by close spelling."""
        core = _core(name)
        tokens = set(core.split()) - PARTICLES
        if (core, None) in self.by_name or any((t, None) in self.by_token for t in tokens):
            found = set(self.by_name.get((core, year), ()))
            for token in tokens:
                found.update(self.by_token.get((token, year), ()))
            return found
        if not core:
            return set()
        close = process.extract(core, self._names, scorer=fuzz.ratio, score_cutoff=75, limit=5)
        return {
            i
            for name_key, _score, _ in close
            for i in self.by_name[name_key, None]
            if year is None or str(self.entries[i].year) == year
        }

    def candidates(self, citation: InText) -> list[Entry]:
        year = (citation.year or "")[:4]
        found: set[int] = set()
        if year:
            for name in citation.authors[:2]:
                found |= self._lookup(name, year)
        if not found:  # none of the cited year: every entry of the names
            for name in citation.authors[:2]:
                found |= self._lookup(name)
        return [self.entries[i] for i in sorted(found)]


def match_citation(citation: InText, index: EntryIndex) -> Match | None:
    """The best-scoring entry, with flags saying how inexact the match is; None if none fits."""
    if citation.number is not None:
        entry = index.by_number.get(citation.number)
        return Match(entry, ()) if entry is not None else None
    scored = []
    for entry in index.candidates(citation):
        result = _score(citation, entry)
        if result is not None:
            scored.append((result[0], -len(result[1]), entry.key, entry, result[1]))
    if not scored:
        if len(citation.authors) > 1 and not citation.et_al:
            # `in Western Australia, and Eckblom (1995)`: the leading "name" was prose
            shorter = InText(
                citation.text, citation.authors[1:], citation.year, False, citation.start
            )
            return match_citation(shorter, index)
        return None
    scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
    best = scored[0]
    flags = list(best[4])
    if len(scored) > 1 and scored[1][0] == best[0] and scored[1][1] == best[1]:
        flags.append("ambiguous")
    return Match(best[3], tuple(flags))
