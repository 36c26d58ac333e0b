"""Which loader reads which file: a registry of format plugins.

A loader module registers itself with `@register(name, suffixes=..., sniff=...)`;
`loader_for(path)` asks each loader's sniffer about the file's first bytes first and falls
back on the suffix, so a `.txt` Web of Science export or a `.json` OpenAlex page is still
recognised. Adding a format is adding a module: nothing here changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from citegraph.loaders.records import LoadResult

LoadFunction = Callable[[Path], LoadResult]
Sniffer = Callable[[str, str], bool]  # (head text, lower-case suffix) -> is it mine?

SNIFF_BYTES = 64 * 1024

#: The formats whose loader reads a review (its text, its citations, its reference list),
#: not an export of records: Markdown or text, and the documents (loaders/documents/)
#: that hand their text to the same reader. The audits and the PRISMA flow read these.
REVIEW_FORMATS = frozenset({"review", "pdf", "docx", "odt", "html"})


class UnknownFormat(ValueError):
    """No loader claims the file, or the forced format does not exist."""


@dataclass(frozen=True)
class LoaderSpec:
    name: str
    load: LoadFunction
    suffixes: tuple[str, ...]
    sniff: Sniffer | None
    priority: int
    description: str


_LOADERS: dict[str, LoaderSpec] = {}


def register(
    name: str,
    *,
    suffixes: tuple[str, ...] = (),
    sniff: Sniffer | None = None,
    priority: int = 50,
    description: str = "",
) -> Callable[[LoadFunction], LoadFunction]:
    """Register a loader; lower `priority` sniffs first (specific formats before generic)."""

    def decorate(load: LoadFunction) -> LoadFunction:
        _LOADERS[name] = LoaderSpec(
            name,
            load,
            suffixes,
            sniff,
            priority,
            description or (load.__doc__ or "").strip().split("\n")[0],
        )
        return load

    return decorate


def _discover() -> None:
    """Import every loader module once so their @register lines run."""
    package = importlib.import_module("citegraph.loaders")
    for info in pkgutil.iter_modules(package.__path__):
        if info.name not in {"records", "registry"}:
            importlib.import_module(f"citegraph.loaders.{info.name}")


def specs() -> list[LoaderSpec]:
    _discover()
    return sorted(_LOADERS.values(), key=lambda s: (s.priority, s.name))


def available() -> list[str]:
    """Names of every registered format, for `--format` choices and parametrised tests."""
    return sorted(spec.name for spec in specs())


def get(name: str) -> LoaderSpec:
    _discover()
    try:
        return _LOADERS[name]
    except KeyError:
        raise UnknownFormat(
            f"unknown format {name!r}; choose one of: {', '.join(available())}"
        ) from None


def read_head(path: Path) -> str:
    """The start of a file as text, tolerant of BOMs and non-UTF-8 bytes (for sniffing only)."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 (WoS "Tab-delimited (Win)")
        text = head.decode("utf-16", errors="replace")
    else:
        text = head.decode("utf-8-sig", errors="replace")
    # Classic Mac `\r` line ends, as read_text turns them: sniffers look for `^TAG` lines.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def loader_for(path: Path) -> LoaderSpec:
    """The loader whose sniffer recognises the content, else the one owning the suffix."""
    head = read_head(path)
    suffix = path.suffix.lower()
    candidates = specs()
    for spec in candidates:
        if spec.sniff is not None and spec.sniff(head, suffix):
            return spec
    for spec in candidates:
        if suffix in spec.suffixes:
            return spec
    raise UnknownFormat(
        f"{path}: cannot tell the format from its content or suffix; "
        f"use --format with one of: {', '.join(available())}"
    )


def load(path: Path, format: str | None = None) -> LoadResult:
    spec = get(format) if format else loader_for(path)
    return spec.load(path)
