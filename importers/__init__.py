"""Importers: one module per source format, all with the same shape.

Each module offers ``read(source, **options) -> ImportBatch``: it parses and validates
the whole input and either returns every node and edge to add or raises ``InputError``
listing every problem (file, row, field). Nothing touches a store until the batch is
complete; ``apply_batch`` then writes it in one transaction.
"""

from kgraph.importers.base import ImportBatch, ImportResult, apply_batch

__all__ = ["ImportBatch", "ImportResult", "apply_batch"]
