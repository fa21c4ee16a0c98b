"""Importers: one module per source format, and the import session every front end drives.

Each format module offers ``read(source, **options) -> ImportBatch``: it parses and
validates the whole input and either returns every node and edge to add or raises
``InputError`` listing every problem (file, row, field). Nothing touches a store until the
batch is complete.

``ImportSession`` (``session``) is the one use case: open a source with its display name,
answer its questions, ``plan`` (``plan``: what would be added, changed, unchanged and is no
longer in the source, with every problem) and ``apply`` (``apply``: one transaction,
recorded as an import batch that ``undo`` reverts). ``apply_batch`` writes a batch through
the same path. This folder is ``importers/`` at the top of the repository, installed as
``kgraph.importers``.
"""

from kgraph.importers.base import ImportBatch, ImportResult, apply_batch
from kgraph.importers.plan import ImportPlan
from kgraph.importers.session import ImportSession
from kgraph.importers.undo import import_batches, undo_import

__all__ = [
    "ImportBatch",
    "ImportPlan",
    "ImportResult",
    "ImportSession",
    "apply_batch",
    "import_batches",
    "undo_import",
]
