"""The store's own additions to the concept schemes: `<store>/extensions/*.ttl`.

Turtle files here are read beside the shipped schemes by every ingest and build of this
store (ontology/vocabulary.py `extended`), so a researcher extends the scheme without
code: `citegraph concepts --promote` writes `concepts.ttl`, and any other file dropped
here loads too.
"""

from __future__ import annotations

from pathlib import Path

FOLDER = "extensions"
PROMOTED = "concepts.ttl"


def extension_files(root: Path) -> list[Path]:
    """The store's extension Turtle files, in name order (none: the shipped schemes)."""
    return sorted((root / FOLDER).glob("*.ttl"))


def promoted_file(root: Path) -> Path:
    """Where promoted candidate concepts are written."""
    return root / FOLDER / PROMOTED
