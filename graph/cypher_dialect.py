"""Cypher text, read as code, strings and comments: what both engines need done to it,
and the few places where the embedded engine (LadybugDB) spells Neo4j's Cypher otherwise.

The differences this layer covers, each rewritten in code only (never inside strings,
names in backticks or comments):

| Neo4j                 | LadybugDB                 |
|-----------------------|---------------------------|
| `type(r)`             | `label(r)`                |
| `labels(n)` (a list)  | `[label(n)]`              |
| `toString(x)`         | `string(x)`               |
| `toInteger(x)`        | `to_int64(x)`             |
| `toFloat(x)`          | `to_double(x)`            |
| `[:IN]` (a type name) | `` [:`IN`] `` (a keyword) |
| unaliased columns named as written (`count(*)`) | named by the engine (`COUNT_STAR()`) |

One difference is left as it is: comparing an integer property with a string
(`w.year = "1979"`) finds nothing on Neo4j, while LadybugDB casts the string and matches.

Neither engine takes a parameter as a path length (`*1..$depth`); both get the checked
integer written in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class DialectError(Exception):
    """Cypher text that cannot be prepared (an unterminated string, a bad path length)."""


_TOKEN = re.compile(
    r"""
    (?P<comment>//[^\n]*|/\*.*?\*/)
  | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<name>`[^`]*`)
  | (?P<code>[^"'`/]+|/)
""",
    re.VERBOSE | re.DOTALL,
)


@dataclass
class Segment:
    kind: str  # code | string | name | comment
    text: str


def scan(cypher: str) -> list[Segment]:
    segments, position = [], 0
    while position < len(cypher):
        match = _TOKEN.match(cypher, position)
        if match is None:
            raise DialectError(f"unterminated string or name at character {position + 1}")
        segments.append(Segment(match.lastgroup or "code", match.group()))
        position = match.end()
    return segments


def _join(segments: list[Segment]) -> str:
    return "".join(s.text for s in segments)


#: `-[name:TYPES*` then the bounds: only a relationship pattern, never a product like `2 * $x`
_HOP = re.compile(
    r"(-\s*\[\s*(?:[A-Za-z_]\w*)?\s*(?::[^\]*]*)?\*)"
    r"(\s*(?:\$\w+|\d+)?\s*(?:\.\.\s*(?:\$\w+|\d+)?)?)"
)


def inline_hop_bounds(cypher: str, params: Mapping[str, Any]) -> str:
    """Cypher takes no parameter in `*1..$depth`: write those (checked) integers in."""

    def bound(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in params:
            raise DialectError(f"missing parameter ${name} (pass --param {name}=VALUE)")
        value = params[name]
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise DialectError(f"parameter ${name} is a path length: it must be an integer >= 0")
        return str(value)

    segments = scan(cypher)
    for segment in segments:
        if segment.kind == "code":
            segment.text = _HOP.sub(
                lambda m: m.group(1) + re.sub(r"\$(\w+)", bound, m.group(2)), segment.text
            )
    return _join(segments)


_FUNCTIONS = (
    (re.compile(r"\btype\s*\(", re.IGNORECASE), "label("),
    (re.compile(r"\blabels\s*\(\s*([A-Za-z_]\w*)\s*\)", re.IGNORECASE), r"[label(\1)]"),
    (re.compile(r"\btoString\s*\(", re.IGNORECASE), "string("),
    (re.compile(r"\btoInteger\s*\(", re.IGNORECASE), "to_int64("),
    (re.compile(r"\btoFloat\s*\(", re.IGNORECASE), "to_double("),
)
#: a relationship type that is a keyword of the embedded engine: after `[:`, `[r:` or `|`
_KEYWORD_TYPE = re.compile(r"((?:\[\s*[A-Za-z_]\w*\s*:|\[\s*:|\|)\s*)(IN)\b(?=\s*[\]|*{])")


def to_embedded(cypher: str, params: Mapping[str, Any]) -> str:
    """Neo4j's Cypher as LadybugDB reads it (see the table above)."""
    segments = scan(inline_hop_bounds(cypher, params))
    for segment in segments:
        if segment.kind != "code":
            continue
        for pattern, replacement in _FUNCTIONS:
            segment.text = pattern.sub(replacement, segment.text)
        segment.text = _KEYWORD_TYPE.sub(r"\1`\2`", segment.text)
    return _join(segments)


_ALIAS = re.compile(r"\s+AS\s+(`[^`]*`|\w+)\s*$", re.IGNORECASE)
_CLAUSE_END = re.compile(r"\b(ORDER\s+BY|SKIP|LIMIT|UNION)\b", re.IGNORECASE)


def return_columns(cypher: str) -> list[str]:
    """The column names Neo4j gives the last RETURN clause: each item's alias, else the
    item as written."""
    segments = [s for s in scan(cypher) if s.kind != "comment"]
    text = _join(segments)
    mask = "".join(s.text if s.kind == "code" else "_" * len(s.text) for s in segments)
    depth, start = 0, -1
    for match in re.finditer(r"[()\[\]{}]|\bRETURN\b", mask, re.IGNORECASE):
        token = match.group()
        if token in "([{":
            depth += 1
        elif token in ")]}":
            depth -= 1
        elif depth == 0:
            start = match.end()
    if start < 0:
        return []
    distinct = re.match(r"\s*DISTINCT\b", mask[start:], re.IGNORECASE)
    if distinct:
        start += distinct.end()
    end_match = _CLAUSE_END.search(mask, start)
    end = end_match.start() if end_match else len(mask.rstrip().rstrip(";"))
    items, depth, item_start = [], 0, start
    for position in range(start, end):
        char = mask[position]
        depth += char in "([{"
        depth -= char in ")]}"
        if char == "," and depth == 0:
            items.append(text[item_start:position].strip())
            item_start = position + 1
    items.append(text[item_start:end].strip())
    columns = []
    for item in items:
        alias = _ALIAS.search(item)
        columns.append(alias.group(1).strip("`") if alias else item)
    return columns
