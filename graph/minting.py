"""How citegraph mints the IRIs of data: a short, stable digest of what a node is."""

from __future__ import annotations

import hashlib


def digest(*parts: str) -> str:
    """Twenty hex digits of the parts, which stay the same from one build to the next.

    Its own module so an export, which names each relationship by one, need not import
    identity (rapidfuzz and the clustering) to start."""
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=10).hexdigest()
