"""CSV rows with the lines they came from, whatever the delimiter a spreadsheet chose.

Shared by the Scopus loader and the generic bibliographic CSV loader: both must report a
broken row by its line and keep reading after it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from itertools import islice

# A References or Abstract cell can pass csv's default 128 KiB limit (a review citing
# a thousand works), which would reject the row as broken.
csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))


def guess_delimiter(header: str) -> str:
    """`,` as Scopus writes it; `;` or a tab when a spreadsheet re-saved the file (Excel
    in a Spanish, Portuguese, French or German locale writes `;`)."""
    return max((",", ";", "\t"), key=lambda d: (header.count(d), d == ","))


def csv_rows(
    lines: list[str], width: int, delimiter: str = ","
) -> Iterator[tuple[int, list[str] | None, str]]:
    """(start line, fields or None if broken, raw text) for each non-blank row after the header.

    A broken row spanning several lines is cut back to its first line and reading restarts
    right after it, so a stray quote costs one row, not the rest of the file.
    """
    start = 1
    while start < len(lines):
        reader = csv.reader(islice(lines, start, None), delimiter=delimiter)
        consumed = 0
        try:
            for fields in reader:
                first, consumed = start + consumed + 1, reader.line_num
                last = start + consumed
                raw = "".join(lines[first - 1 : last]).rstrip("\n")
                if not fields or not any(f.strip() for f in fields):
                    continue
                if len(fields) == width:
                    yield first, fields, raw
                elif last > first:
                    break
                else:
                    yield first, None, raw
            else:
                return
        except csv.Error:  # e.g. a swallowed rest of file over the field size limit
            first = start + consumed + 1
        yield first, None, lines[first - 1].rstrip("\n")
        start = first
