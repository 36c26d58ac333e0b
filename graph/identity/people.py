"""Which author names name the same person: ORCID first, else family name and initials,
and how each author of a merged work is matched across its records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from citegraph.graph.identity.keys import family_tokens
from citegraph.graph.normalize import fold, initials
from citegraph.loaders.records import Agent, Work


def person_key(agent: Agent) -> str:
    """ORCID when known; else family name and all initials (`Clarke, R. V.` = `Ronald V. Clarke`).

    Two people sharing a surname and first initial stay apart unless their other
    initials agree: merging needs evidence.
    """
    if agent.orcid:
        return f"orcid:{agent.orcid}"
    return name_key(agent)


def name_key(agent: Agent) -> str:
    """The key an author's name alone gives (`person_key` without the ORCID): what a name
    seen with an ORCID is unified by."""
    if agent.kind == "organization":
        return f"org:{fold(agent.name)}"
    family = fold(agent.family or agent.name)
    return f"person:{family}|{initials(agent.given)}"


def unify_people(agents: Iterable[Agent]) -> dict[str, str]:
    """Map each name key to one canonical key: a name key seen with an ORCID takes the ORCID."""
    by_name: dict[str, set[str]] = defaultdict(set)
    for agent in agents:
        if agent.orcid and agent.kind == "person":
            by_name[name_key(agent)].add(f"orcid:{agent.orcid}")
    return {name: sorted(orcids)[0] for name, orcids in by_name.items() if len(orcids) == 1}


def same_person(a: Agent, b: Agent) -> bool:
    """Whether two author names can name one person: families agree (a double surname may
    lose its second part: `Pérez García, J.` = `Pérez, J.`) and one's initials begin the
    other's (`Clarke, R.` = `Clarke, R. V.`, but `Clarke, R. V.` != `Clarke, R. A.`)."""
    if a.kind != b.kind:
        return False
    if a.kind == "organization":
        return fold(a.name) == fold(b.name)
    if a.orcid and b.orcid:
        return a.orcid == b.orcid
    fa, fb = family_tokens(a.family or a.name), family_tokens(b.family or b.name)
    short_f, long_f = sorted((fa, fb), key=len)
    if not short_f or long_f[: len(short_f)] != short_f:
        return False
    ia, ib = initials(a.given), initials(b.given)
    short_i, long_i = sorted((ia, ib), key=len)
    return long_i.startswith(short_i)


def _specificity(agent: Agent) -> tuple[int, int]:
    return (len(family_tokens(agent.family or agent.name)), len(initials(agent.given)))


@dataclass(frozen=True)
class AuthorSlot:
    """One author of a merged work: the name every source gives them, and the key naming
    the person (ORCID, else the fullest name form that more sources use)."""

    key: str
    agent: Agent  # the form the work's author list was taken from
    forms: tuple[tuple[Agent, Work], ...]  # every full record's form, with its record


def align_authors(authored_by: Work, members: tuple[Work, ...]) -> list[AuthorSlot]:
    """Match each full record's authors to the author list of `authored_by`.

    A name goes to the one slot it can name; when it could name two (`Brantingham, P.`
    beside `P. L.` and `P. J.`) only the same position decides, else it is left out.
    Linear in the members' authors, so a classic cited ten thousand times stays cheap.
    """
    slots = list(authored_by.authors)
    forms: list[list[tuple[Agent, Work]]] = [[(a, authored_by)] for a in slots]
    for member in members:
        if member is authored_by or member.cited_only:
            continue
        for position, agent in enumerate(member.authors):
            fits = [p for p, slot in enumerate(slots) if same_person(slot, agent)]
            if len(fits) > 1:
                fits = [p for p in fits if p == position]
            if len(fits) == 1:
                forms[fits[0]].append((agent, member))
    return [
        AuthorSlot(_slot_key(slot, same), slot, tuple(same))
        for slot, same in zip(slots, forms, strict=True)
    ]


def _slot_key(slot: Agent, forms: list[tuple[Agent, Work]]) -> str:
    if len(forms) == 1:  # most authors: one record names them, the vote below is theirs
        return person_key(slot) if slot.kind == "person" else name_key(slot)
    orcids = sorted({a.orcid for a, _ in forms if a.orcid and a.kind == "person"})
    if len(orcids) == 1:
        return f"orcid:{orcids[0]}"
    if len(orcids) > 1:
        return person_key(slot)
    agents = [a for a, _ in forms]
    best = max(_specificity(a) for a in agents)
    # a bare first initial names nobody in particular once a fuller form is known
    usable = [a for a in agents if _specificity(a)[1] > 1 or best[1] <= 1]
    votes: dict[str, int] = defaultdict(int)
    by_key: dict[str, Agent] = {}
    for agent in usable:
        key = name_key(agent)
        votes[key] += 1
        by_key[key] = agent
    return min(votes, key=lambda k: (-votes[k], tuple(-x for x in _specificity(by_key[k])), k))
