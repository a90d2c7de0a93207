"""A brand's catalogue as the agent sees it: product titles and their variants' names."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class CatalogueProduct:
    """One product by the names the brand gave it and its variants ("M / Navy")."""

    id: int
    title: str
    variants: tuple[str, ...] = ()


def catalogue_version(products: Sequence[CatalogueProduct], extra: Sequence[str] = ()) -> str:
    """A fingerprint that changes whenever a title, a variant name or a synonym changes."""
    digest = hashlib.sha256()
    for p in sorted(products, key=lambda p: p.id):
        digest.update(f"{p.id}\x1f{p.title}\x1f{'|'.join(p.variants)}\x1e".encode())
    for word in extra:
        digest.update(f"{word}\x1d".encode())
    return digest.hexdigest()[:16]
