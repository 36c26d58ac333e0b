"""What every part of the store agrees on about its directory: version names, the manifest
format, what a version's content depends on, and how a folder is made durable or
cleaned of what no reader holds."""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
from pathlib import Path

#: The manifest.json layout written by this citegraph.
MANIFEST_FORMAT = 1
#: A version directory's name: v and six digits, numbered in publishing order.
VERSION_NAME = re.compile(r"v(\d{6})")


def mapping_digest() -> str:
    """Which property-graph schema this citegraph builds (graph/store/graphdb.py)."""
    from citegraph.graph.store.graphdb import schema_digest

    return schema_digest()


def build_digest(extensions: tuple[Path, ...] = ()) -> str:
    """What a version's triples depend on besides its records: this citegraph, its
    ontology files and the store's own extensions. A version built otherwise is the base
    of a full build only."""
    from citegraph import __version__
    from citegraph.ontology.vocabulary import ontology_path

    digest = hashlib.sha256(__version__.encode())
    for file in [*sorted(Path(ontology_path("theories.ttl")).parent.glob("*.ttl")), *extensions]:
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def remove_unread(folder: Path) -> None:
    """Remove a version unless a reader holds its lease (readers take it shared). It is
    renamed away while the lease is held exclusively, so a reader arriving meanwhile
    finds it gone and reads CURRENT again."""
    lease = folder / "lease"
    with lease.open("a", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return
        trash = folder.with_name(f".retired-{folder.name}")
        folder.replace(trash)
    shutil.rmtree(trash, ignore_errors=True)


def sync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
