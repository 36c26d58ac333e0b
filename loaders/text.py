"""Reading input files as text, the same way for every loader.

Researchers' exports arrive with BOMs, in Latin-1, or are not text at all; each loader
gets the decoded text plus issues saying what was done, instead of a UnicodeDecodeError.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from citegraph.loaders.records import Issue, Severity, Source


class NotText(ValueError):
    """The file is binary (or empty of text): nothing in it can be loaded."""


@dataclass
class TextFile:
    path: Path
    text: str
    issues: list[Issue] = field(default_factory=list)


def read_text(path: Path, loader: str) -> TextFile:
    """Decode a file: UTF-8 (BOM stripped), else Windows-1252/Latin-1 with a warning.

    NUL bytes mean binary. Windows-1252 before Latin-1: EndNote, JabRef and Excel on
    Windows write it, and its curly quotes and dashes (0x80-0x9F) are control
    characters in Latin-1.
    """
    data = path.read_bytes()
    where = Source(str(path), 1, loader)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16, e.g. WoS "Tab-delimited (Win)"
        return _utf16(path, data, loader)
    if b"\x00" in data[:8192]:
        raise NotText(f"{path}:1: not a text file (binary content)")
    issues: list[Issue] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        try:
            text, encoding = data.decode("cp1252"), "Windows-1252 (Latin-1)"
        except UnicodeDecodeError:  # a byte Windows-1252 leaves undefined
            text, encoding = data.decode("latin-1"), "Latin-1"
        issues.append(
            Issue(
                Source(str(path), line, loader),
                Severity.WARNING,
                f"not valid UTF-8; read as {encoding}",
            )
        )
    if data.startswith(b"\xef\xbb\xbf"):
        issues.append(Issue(where, Severity.INFO, "UTF-8 byte order mark removed"))
    return TextFile(path, text.replace("\r\n", "\n").replace("\r", "\n"), issues)


def _utf16(path: Path, data: bytes, loader: str) -> TextFile:
    """Decode UTF-16; a truncated file (odd byte count) keeps its text, with a warning."""
    issues = [Issue(Source(str(path), 1, loader), Severity.INFO, "UTF-16 file decoded")]
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError as error:
        text = data.decode("utf-16", errors="replace")
        line = text.count("\n", 0, error.start // 2) + 1
        reason = f"invalid UTF-16 ({error.reason}); the bytes were replaced"
        issues.append(Issue(Source(str(path), line, loader), Severity.WARNING, reason))
    return TextFile(path, text.replace("\r\n", "\n").replace("\r", "\n"), issues)
