"""The author and editor blocks of a reference string, read into Agents.

Shared by the rules and the CRF path of the reference parser: whichever finds where the
author block ends, the names in it are read the same way (`Family, I.`, Vancouver
`Family AB` or `Family A. B.`, `Given Family`, particles, organisations, `——` for a
repeated author).
"""

from __future__ import annotations

import re
from typing import Protocol

from citegraph.loaders.common import ORG_WORDS
from citegraph.loaders.letters import alphabets
from citegraph.loaders.records import Agent

_ED_MARK = re.compile(
    r"\(\s*(?:eds?|editors?|coords?|comps?|dirs?|hrsg|hg)\.?\s*\)|,\s*(?:eds?|editors)\.?\s*$", re.I
)
_REPEATED = re.compile(r"(?:[—–_‐-]{2,}|—|Ders|Dies|Idem|Eadem|Id)\.?", re.I)
_TRUNC = re.compile(r"\s*(?:…|\bet al\b\.?)\s*")
#: between names: `;`, `&`, `and`, a comma, `et`/`y`/`und` after initials or before a
#: family in capitals (`GOULLET Monique et PARISSE Michel`)
_SEP = re.compile(
    alphabets(
        r"\s*(;|,?\s*&|,?\s+and\s+|(?<=\.),?\s+(?:[ye]|et|und)\s+"
        r"|\s+(?:[ye]|et|und)\s+(?=[A-ZÀ-Þ]{4,}\s)|,)\s*"
    )
)
_INITIALS = re.compile(alphabets(r"(?:[A-ZÀ-Þ][a-z]?\.\s*(?:-\s*)?)+|[A-ZÀ-Þ]"))
_GIVEN = re.compile(alphabets(r"[A-ZÀ-Þ][^\s,;&]*(?:[\s-]+[A-ZÀ-Þ][^\s,;&]*){0,3}"))
#: `Jones AB` and, closing an author block, `Jones AB.` (a lone `J.` is `_DOTTED`'s)
_VANCOUVER = re.compile(alphabets(r"(.*[a-zà-ÿ].*?)\s+([A-Z]{2,4}(?=\.)|[A-Z]{1,4}(?!\.))\.?"))
#: `Darbre P. D.`, `Landau L.D.`, `MAGUIRE J. M.`: a family name (in capitals when it
#: has two letters or more), then its initials with their periods
_DOTTED = re.compile(
    alphabets(
        r"((?:[^\W\d_][^\s.,]*[a-zà-ÿ][^\s.,]*|[A-ZÀ-Þ]{2,}[A-ZÀ-Þ'’-]*)"
        r"(?:\s+[^\W\d_][^\s.,]*){0,3}?)\s+((?:[A-ZÀ-Þ]\.\s*-?\s*)+)"
    )
)
#: `AYKUT Stefan C.`: a family name in capitals, then the given names (French usage); a
#: shorter capital word is an acronym (`CBC News`, `ARS Ile de France`)
_CAPS_FAMILY = re.compile(
    alphabets(
        r"((?:[A-ZÀ-Þ]{2,}[A-ZÀ-Þ'’-]*\s+)*[A-ZÀ-Þ][A-ZÀ-Þ'’-]{3,})\s+([A-ZÀ-Þ][a-zà-ÿ][^,;&]*)"
    )
)
#: `Gunther E. Rothenberg`: a middle initial between two names is a person's, never a
#: group's, even given-first where author-position persons are inverted
_GIVEN_INITIAL_FAMILY = re.compile(
    alphabets(
        r"[A-ZÀ-Þ][a-zà-ÿ]+(?:-[A-ZÀ-Þ][a-zà-ÿ]+)?\s(?:[A-ZÀ-Þ]\.\s?)+[A-ZÀ-Þ][^\W\d_]+(?:[-'’][^\W\d_]+)*"
    )
)
#: `J.` opening a name: an initial
_INITIAL = re.compile(alphabets(r"[A-ZÀ-Þ]\."))
#: a given name that is one initial, with or without its period
_LONE_INITIAL = re.compile(alphabets(r"[A-ZÀ-Þ]\.?"))
#: a period closing a word, not an initial's
_ENDS_IN_PERIOD = re.compile(alphabets(r"(?<![A-ZÀ-Þ])\.$"))
_TWO_NAMES = re.compile(alphabets(r"[A-ZÀ-Þ][^\s-]+ [A-ZÀ-Þ][^\s-]+"))
_PARTICLES = frozenset("de del della der di da das do dos du la le van von ten ter den y".split())


class Notes(Protocol):
    """Where a name reading leaves its doubts (flags) and what it learnt (hints)."""

    flags: list[str]
    hints: set[str]


def agents(head: str, d: Notes, given_first: bool = False) -> tuple[Agent, ...]:
    """Turn an author (or editor) block into Agents, marking editors and truncation."""
    if _ED_MARK.search(head):
        d.hints.add("edited")
        head = _ED_MARK.sub("", head)
    if _REPEATED.fullmatch(head.strip(" ,;:")):
        d.flags.append("author_repeated")
        return ()
    if ("…" in head or "et al" in head) and _TRUNC.search(head):
        d.flags.append("authors_truncated")
        head = _TRUNC.sub(", ", head)
    head = re.sub(r"\[[^\]]*\]|,?\s*\b(?:Jr|Sr|III|II)\b\.?", "", head).strip(" ,;:")
    while _ENDS_IN_PERIOD.search(head):
        head = head[:-1].rstrip(" ,;:")
    if not head:
        return ()
    if _is_org(head, given_first):
        lower = [w for w in head.split() if w.islower() and w not in _PARTICLES]
        if len(lower) > 1 and not ORG_WORDS.search(head):
            d.flags.append("authors_uncertain")
        return (Agent(name=head.rstrip("."), kind="organization"),)
    bits = _SEP.split(head)
    items = [
        (bits[k].strip(), "^" if k == 0 else bits[k - 1].strip(" ,") or ",")
        for k in range(0, len(bits), 2)
        if bits[k].strip()
    ]
    return tuple(_pair_names(items, d, given_first))


def capitalised_name(piece: str) -> bool:
    """`AYKUT Stefan C.`: a family in capitals before given names, a shape no title has."""
    return bool(_CAPS_FAMILY.fullmatch(piece))


def _is_org(head: str, given_first: bool) -> bool:
    """An author block is an organisation if it says so or has no person-list shape.

    Author-position persons are always inverted (`Family, Given` or `Family AB`), so a
    block without separators or leading initials is a group author (`Insight Crime`).
    """
    if ORG_WORDS.search(head):
        return not _person_list(head)
    if (
        re.search(r"[,;&]|\sand\s", head)
        or _family_first(head)
        or _GIVEN_INITIAL_FAMILY.fullmatch(head)
    ):
        return False
    return not given_first and not _INITIAL.match(head)


def _person_list(head: str) -> bool:
    """Two or more pieces shaped like persons (initials, `Family AB`, `Family A. B.`): a
    list of authors, one of them perhaps a group, not one institution's name."""
    pieces = [p.strip() for p in _SEP.split(head)[::2] if p.strip()]
    persons = [p for p in pieces if _INITIALS.fullmatch(p) or _family_first(p)]
    return len(persons) >= 2


def _pair_names(items: list[tuple[str, str]], d: Notes, given_first: bool) -> list[Agent]:
    """Walk the comma-separated pieces, pairing `Family, Given` and reading the rest.

    A piece pairs with the next when that one is initials, or a given name right
    after the first piece or after `;`/`and` (Chicago, ISO 690); otherwise it is a
    whole `Given Family` or Vancouver `Family AB` name.
    """
    out: list[Agent] = []
    i = 0
    while i < len(items):
        (part, sep), (nxt, nxt_sep) = items[i], items[i + 1] if i + 1 < len(items) else ("", "")
        inverted = nxt_sep == "," and not given_first and not _whole_name(part)
        if ORG_WORDS.search(part):  # a group among the persons: `...; the SMIRA Study Group`
            out.append(Agent(name=part, kind="organization"))
            i += 1
        elif inverted and (_INITIALS.fullmatch(nxt) or (_GIVEN.fullmatch(nxt) and sep != ",")):
            out.append(_person(part, nxt, d))
            i += 2
        else:
            out.append(_person(*_split_single(part), d))
            i += 1
    return out


def _whole_name(part: str) -> bool:
    """A Vancouver `Family AB`, a `FAMILY Given` or a given-first `A. Family` piece needs
    no partner."""
    return _family_first(part) or bool(_INITIAL.match(part))


def _family_first(part: str) -> bool:
    """`Family AB`, `Family A. B.` or `FAMILY Given`: one person, family first."""
    return bool(
        _VANCOUVER.fullmatch(part) or _DOTTED.fullmatch(part) or _CAPS_FAMILY.fullmatch(part)
    )


def _split_single(part: str) -> tuple[str, str | None]:
    """Read one piece as `Family AB` (Vancouver) or `Given [particles] Family`."""
    v = None if _INITIAL.match(part) else _VANCOUVER.fullmatch(part)
    if v:
        return v.group(1), v.group(2)
    family_first = _CAPS_FAMILY.fullmatch(part) or _DOTTED.fullmatch(part)
    if family_first:
        return family_first.group(1), family_first.group(2).strip()
    toks = part.split()
    k = len(toks) - 1
    while k > 1 and toks[k - 1].lower() in _PARTICLES:
        k -= 1
    return (" ".join(toks[k:]), " ".join(toks[:k])) if k > 0 else (part, None)


def _person(family: str, given: str | None, d: Notes) -> Agent:
    """Build a person Agent, flagging a shape whose family/given split is a guess.

    `Cornish Derek, B.` and `Gaona Lobato, D.` share one shape; without a name
    lexicon the two-word family is kept and the author list marked uncertain.
    """
    two_names = _TWO_NAMES.fullmatch(family) and family.split()[0].lower() not in _PARTICLES
    if not given or (two_names and _LONE_INITIAL.fullmatch(given)):
        d.flags.append("authors_uncertain")
    return Agent(name=f"{family}, {given}" if given else family, family=family, given=given)
