"""JSON and JSON Lines exports read item by item, each with the line it starts on, so a
broken item is rejected with its line and the rest still load."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from citegraph.loaders.collector import Collector, Parsed

_DECODER = json.JSONDecoder()
_WS = re.compile(r"[ \t\n\r]*")
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _without_surrogates(value: Any) -> Any:
    """The value with lone UTF-16 surrogates (from a broken `\\ud83d` escape) as U+FFFD.

    Python decodes such an escape into a string that cannot be written as UTF-8, so one
    mangled emoji in an abstract would otherwise fail the whole file at saving time.
    """
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    return value


def _skip(text: str, pos: int) -> int:
    """The offset of the first non-whitespace character at or after `pos`."""
    match = _WS.match(text, pos)
    return match.end() if match else pos


@dataclass(frozen=True)
class JsonItem:
    """One item of a JSON export: its 1-based start line, value and text.

    `error` is set (and `value` None) for the text from a syntax error to the end of
    the file, which cannot be split into items any more.
    """

    line: int
    value: Any
    raw: str
    error: str | None = None


def json_items(text: str, envelope: tuple[str, ...]) -> Iterator[JsonItem]:
    """The items of a JSON export, whatever shape it has, with their start lines.

    A file may hold a list of items, one item, an API envelope (`envelope` names the
    keys to descend: OpenAlex `results`, Crossref `message` then `items`), or several
    top-level values one after another (JSON Lines). Items are decoded one at a time
    so each keeps its line, and a syntax error loses only the text from there on.
    """
    walker = _JsonWalker(text)
    try:
        yield from walker.values(envelope)
    except json.JSONDecodeError as error:
        line = text.count("\n", 0, walker.resume) + 1
        reason = f"invalid JSON at line {error.lineno}: {error.msg}"
        yield JsonItem(line, None, text[walker.resume :].strip(), reason)


def read_json(
    out: Collector, envelope: tuple[str, ...], parse: Callable[[JsonItem], Parsed]
) -> None:
    """Feed each object of a JSON export to `parse`; broken JSON and non-objects are rejected.

    Leftover brackets after the last good item (a truncated file's missing `]`) hold
    no entry, so they are a warning rather than a rejected entry.
    """
    for item in json_items(out.text.text, envelope):
        if item.error and not item.raw.strip(" \t\n[]{},"):
            out.warn(item.line, item.error)
        elif item.error:
            out.reject(item.line, item.error, item.raw)
        elif not isinstance(item.value, dict):
            out.reject(item.line, "item is not a JSON object", item.raw)
        else:
            out.entry(item.line, item.raw, partial(parse, item))


class _JsonWalker:
    """Steps through JSON text value by value; `resume` is where unread text starts."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.resume = 0
        self._line = 1
        self._counted = 0

    def values(self, envelope: tuple[str, ...]) -> Iterator[JsonItem]:
        """Items of every top-level value in turn (one for JSON, many for JSON Lines)."""
        pos = _skip(self.text, 0)
        while pos < len(self.text):
            self.resume = pos
            pos = _skip(self.text, (yield from self._top_level(pos, envelope)))

    def _top_level(self, pos: int, envelope: tuple[str, ...]) -> Generator[JsonItem, None, int]:
        """Yield the items of the top-level value at `pos`; return where that value ends."""
        depth = 0
        for key in envelope:
            inner = self._member(pos, key) if self.text.startswith("{", pos) else None
            if inner is None:
                break
            pos, depth = inner, depth + 1
        if self.text.startswith("[", pos):
            end = yield from self._array(pos)
        else:
            yield self._item(pos)
            end = self.resume
        for _ in range(depth):
            end = self._close_object(end)
        return end

    def _item(self, pos: int) -> JsonItem:
        """Decode the value at `pos` as one item; `resume` moves past it."""
        self.resume = pos
        try:
            value, end = _DECODER.raw_decode(self.text, pos)
        except RecursionError:
            raise json.JSONDecodeError("nested too deeply to read", self.text, pos) from None
        self._line += self.text.count("\n", self._counted, pos)
        self._counted = pos
        self.resume = end
        raw = self.text[pos:end]
        if _ESCAPED_SURROGATE.search(raw):
            value = _without_surrogates(value)
        return JsonItem(self._line, value, raw)

    def _array(self, pos: int) -> Generator[JsonItem, None, int]:
        """Yield each element of the array opening at `pos`; return where it ends."""
        text = self.text
        pos = _skip(text, pos + 1)
        if text.startswith("]", pos):
            return pos + 1
        while True:
            yield self._item(pos)
            pos = _skip(text, self.resume)
            if text.startswith("]", pos):
                return pos + 1
            if not text.startswith(",", pos):
                raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
            pos = _skip(text, pos + 1)

    def _member(self, pos: int, key: str) -> int | None:
        """Offset of the value of `key` in the object opening at `pos`, or None."""
        text = self.text
        pos = _skip(text, pos + 1)
        while not text.startswith("}", pos):
            name, pos = self._key(pos)
            if name == key:
                return pos
            _, pos = _DECODER.raw_decode(text, pos)
            pos = _skip(text, pos)
            if text.startswith(",", pos):
                pos = _skip(text, pos + 1)
            elif not text.startswith("}", pos):
                raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
        return None

    def _key(self, pos: int) -> tuple[str, int]:
        """Read `"name":` at `pos`; return the name and the offset of its value."""
        name, pos = _DECODER.raw_decode(self.text, pos)
        pos = _skip(self.text, pos)
        if not isinstance(name, str) or not self.text.startswith(":", pos):
            raise json.JSONDecodeError("Expecting property name and ':'", self.text, pos)
        return name, _skip(self.text, pos + 1)

    def _close_object(self, pos: int) -> int:
        """Skip the members left after an envelope's items and its closing brace."""
        pos = _skip(self.text, pos)
        while self.text.startswith(",", pos):
            _, pos = self._key(_skip(self.text, pos + 1))
            _, pos = _DECODER.raw_decode(self.text, pos)
            pos = _skip(self.text, pos)
        if not self.text.startswith("}", pos):
            raise json.JSONDecodeError("Expecting '}'", self.text, pos)
        return pos + 1
