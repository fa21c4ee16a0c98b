"""Derived vectors kept beside the graph: one per question, with the model that made it.

A question's sentence vector costs milliseconds to compute and is needed by every
similarity analysis, so it is computed once and kept in the store (both backends), with
the model's id and a digest of the text it was computed from. A vector whose digest or
model no longer matches is stale and is computed again; nothing else invalidates it.

Vectors are derived data, like an index: they are not in the history, do not move the
store's change marker, and any reader may (re)compute them. ``GraphStore.vector_cache()``
returns the backend's ``VectorCache``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # numpy is loaded by the functions that need it, not by the store
    import numpy as np

#: stored as float16 (numpy's name): half the bytes of float32, and a cosine changes by
#: < 0.001
STORED_DTYPE = "float16"


@dataclass(frozen=True)
class VectorRow:
    """One stored vector: the node it belongs to, the digest of the text it was computed
    from, the text's language (``""``: unknown) and the vector's bytes (``STORED_DTYPE``)."""

    id: str
    digest: str
    lang: str
    vector: bytes


def pack(vector: np.ndarray) -> bytes:
    """A vector as stored."""
    import numpy as np

    return np.asarray(vector, dtype=STORED_DTYPE).tobytes()


def unpack_all(rows: Sequence[VectorRow], dims: int) -> np.ndarray:
    """The vectors of ``rows`` as one float32 matrix; a row of another length is zeros
    (the caller treats it as stale)."""
    import numpy as np

    width = dims * np.dtype(STORED_DTYPE).itemsize
    blank = bytes(width)
    joined = b"".join(r.vector if len(r.vector) == width else blank for r in rows)
    flat = np.frombuffer(joined, dtype=STORED_DTYPE).astype(np.float32)
    return flat.reshape(len(rows), dims)


class VectorCache(Protocol):
    """A backend's table of vectors (see the module docstring)."""

    def read(self, model: str) -> list[VectorRow]:
        """Every vector stored for ``model``."""
        ...

    def write(self, model: str, rows: Sequence[VectorRow]) -> None:
        """Store ``rows`` for ``model``, replacing what the same ids had (any model)."""
        ...

    def prune(self, model: str, keep: Collection[str]) -> int:
        """Delete the vectors of other models and of ids not in ``keep``; how many went."""
        ...

    def count(self, model: str) -> int:
        """How many vectors are stored for ``model``."""
        ...
