"""One import session: open a source, answer its questions, see the plan, apply it.

Every front end drives this one object and only answers its questions and shows its
plan: ``kgraph import table|markdown|graph|report`` and the Importeren page. The steps:

1. ``ImportSession(store, source, format=..., name=...)`` opens the source: a path (file
   or, for a Markdown register, folder) or a binary file object (an upload), with its
   display name (an upload's own name; by default the file's name). ``open_source`` is the
   one place a source is first seen; everything later names it by ``source.name``.
2. For a table: its sheets and the suggested one, the rows, the detected header row, the
   columns suggested for each field, each column's values, the registers the store knows
   and the one whose layout these headers are (``ImportSpec`` holds the answers: the same
   object the saved mapping file holds).
3. ``plan(spec)`` reads and checks the whole source (every problem with file, row and
   column) and holds it against the store: ``kgraph.importers.plan``. Nothing is written.
4. ``apply(plan, prune=..., progress=...)`` writes it in one transaction and records it as
   one import batch (``kgraph.importers.apply``), which ``kgraph.importers.undo`` reverts.

Which register: the name given (``spec.register``, kept in the mapping file), else the
file's stem. A file whose header row is a known register's but whose name is not that
register's is refused until the register is named (``register_recognised``): a renamed
file (``kennisagenda-v3.xlsx``) must not start a second copy of its register. The page
proposes the recognised register; the command line says which one to name.

Two registers holding the same question: each keeps its own (the second gets a suffixed id
and a note; see ``kgraph.importers.plan``), on the command line and the page alike.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import IO, Any

from kgraph.errors import InputError
from kgraph.importers import mapping, registers, tabular_source
from kgraph.importers import table as table_importer
from kgraph.importers.apply import AppliedImport, apply_plan
from kgraph.importers.base import ImportBatch
from kgraph.importers.mapping_file import ImportSpec
from kgraph.importers.messages import DEFAULT_LANG, render
from kgraph.importers.plan import ImportPlan, plan_batch
from kgraph.infile import check_file, check_folder
from kgraph.store.base import GraphStore

Progress = Callable[[int, int], None]
FORMATS = ("table", "markdown", "graph", "report")


@dataclass(frozen=True)
class Source:
    """What an import reads: its display ``name``, ``format``, and either the ``path`` it
    was read from or the uploaded ``data``; ``digest`` is the SHA-256 of a file's bytes."""

    name: str
    format: str
    path: Path | None = None
    data: bytes | None = None
    digest: str | None = None

    def opened(self) -> Path | IO[bytes]:
        """The path, or the upload as a file object, for the readers."""
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None
        return self.path

    def describe(self) -> dict[str, Any]:
        """What the import batch record keeps of the source."""
        return {"source": self.name, "format": self.format, "file": str(self.path or self.name)}


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def open_source(
    source: str | Path | IO[bytes] | bytes, *, format: str, name: str | None = None
) -> Source:
    """The one place a source is first seen: a file, a folder (``markdown``) or an upload
    (bytes or a binary file object, with ``name`` its own name)."""
    if format not in FORMATS:
        raise InputError(f"unknown import format {format!r}; one of {', '.join(FORMATS)}")
    if isinstance(source, bytes | bytearray) or hasattr(source, "read"):
        data = bytes(source) if isinstance(source, bytes | bytearray) else source.read()
        shown = name or str(getattr(source, "name", "") or "upload")
        return Source(shown, format, data=data, digest=hashlib.sha256(data).hexdigest())
    path = Path(source)
    if format == "markdown":
        return Source(name or check_folder(path).name, format, path=path)
    check_file(path)
    return Source(name or path.name, format, path=path, digest=_digest(path))


class ImportSession:
    """One import; see the module docstring. ``lang`` is the language of its messages,
    ``actor`` who the changes are recorded under."""

    def __init__(
        self,
        store: GraphStore,
        source: str | Path | IO[bytes] | bytes,
        *,
        format: str = "table",
        name: str | None = None,
        lang: str = DEFAULT_LANG,
        actor: str | None = None,
        delimiter: str | None = None,
        encoding: str | None = None,
    ) -> None:
        self.store = store
        self.source = open_source(source, format=format, name=name)
        self.lang = lang
        self.actor = actor
        self.delimiter = delimiter
        self.encoding = encoding
        self._rows: dict[str | None, tabular_source.SheetRows] = {}

    # --- a table's questions ----------------------------------------------------------

    @cached_property
    def sheets(self) -> list[str]:
        """The sheets of a workbook in order (``[]`` for a CSV file)."""
        return tabular_source.sheet_names(
            self.source.opened(), name=self.source.name, lang=self.lang
        )

    @cached_property
    def suggested_sheet(self) -> str | None:
        """The sheet with the most question-like rows (``None`` for a CSV file)."""
        return tabular_source.choose_sheet(
            self.source.opened(), name=self.source.name, lang=self.lang
        )

    def table(self, sheet: str | None = None) -> tabular_source.SheetRows:
        """The rows of ``sheet`` (default: the suggested one), read once."""
        if sheet not in self._rows:
            self._rows[sheet] = tabular_source.read_rows(
                self.source.opened(),
                sheet=sheet,
                delimiter=self.delimiter,
                encoding=self.encoding,
                name=self.source.name,
                lang=self.lang,
            )
        return self._rows[sheet]

    def rows(self, sheet: str | None = None) -> list[list[Any]]:
        return self.table(sheet).rows

    def header_row(self, sheet: str | None = None) -> int:
        """The detected header row (1-based; 1 when none stands out)."""
        return tabular_source.detect_header_row(self.rows(sheet)) or 1

    def headers(self, sheet: str | None, header_row: int) -> list[str]:
        """The names in ``header_row`` as the spreadsheet shows them."""
        rows = self.rows(sheet)
        if not 1 <= header_row <= len(rows):
            return []
        return [mapping.cell_text(v) for v in rows[header_row - 1]]

    @staticmethod
    def suggested_columns(headers: list[str]) -> dict[str, str]:
        """``{field: column}`` suggested from the header names (Dutch and English)."""
        return mapping.suggest_mapping([h for h in headers if h], table_importer.FIELDS)

    def column_values(
        self, sheet: str | None, header_row: int, column: int
    ) -> list[tuple[str, int]]:
        """The distinct values of ``column`` (0-based) below the header, most frequent first."""
        return mapping.distinct_values(self.rows(sheet)[header_row:], column)

    def known_registers(self) -> list[registers.Register]:
        return registers.known_registers(self.store)

    def recognised_register(self, headers: list[str]) -> registers.Register | None:
        """The known register whose layout ``headers`` is."""
        return registers.recognise(registers.known_registers(self.store, scan_items=False), headers)

    # --- plan and apply -----------------------------------------------------------------

    def plan(
        self,
        spec: ImportSpec | None = None,
        *,
        skip_invalid: bool = False,
        progress: Progress | None = None,
    ) -> ImportPlan:
        """Read and check the whole source and work out what applying it would do (see
        ``kgraph.importers.plan``); nothing is written. A table with problems (and not
        ``skip_invalid``) gives a plan with ``ok`` false and its ``problems``."""
        spec = spec or ImportSpec()
        if self.source.format == "table":
            return self._plan_table(spec, skip_invalid, progress)
        batch = self._read_other(spec)
        register, kind = None, spec.kind
        if self.source.format == "markdown":
            named = {n.props.get("register") for n in batch.nodes if n.kind == "knowledge_question"}
            register = next((r for r in named if isinstance(r, str)), None)
            kind = "knowledge_question"
        plan = plan_batch(
            self.store, batch, source=self.source.name, register=register, kind=kind, lang=self.lang
        )
        plan.details["name"] = register
        return plan

    def _read_other(self, spec: ImportSpec) -> ImportBatch:
        from kgraph.importers import graph, markdown_register, report

        path = self.source.path
        if path is None:
            raise InputError(f"{self.source.name}: only tables can be imported from an upload")
        if self.source.format == "markdown":
            return markdown_register.read(path, register=spec.register)
        if self.source.format == "graph":
            return graph.read(path, default_kind=spec.kind)
        return report.read(path)

    def _register_for(self, spec: ImportSpec, headers: list[str]) -> str:
        """The register's name: as given, else the file's stem unless these headers are
        another known register's (then refused until it is named)."""
        if spec.register:
            return spec.register
        stem = registers.register_id(None, self.source.name)
        if registers.get_register(self.store, stem) is None:
            known = self.recognised_register(headers)
            if known is not None and known.id != stem:
                raise InputError(
                    render(
                        "register_recognised",
                        self.lang,
                        file=self.source.name,
                        register=known.name,
                        source=known.source,
                        stem=stem,
                    )
                )
        return Path(self.source.name).stem

    def _plan_table(
        self, spec: ImportSpec, skip_invalid: bool, progress: Progress | None
    ) -> ImportPlan:
        options = spec.read_options()
        rows = self.table(spec.sheet)
        headers = table_importer.header_names(rows, spec.columns, spec.header_row, spec.by_name)
        name = self._register_for(spec, headers)
        options["register"] = name
        result = table_importer.read_table(
            self.source.opened(),
            **options,
            name=self.source.name,
            store=self.store,
            skip_invalid=skip_invalid,
            progress=progress,
            lang=self.lang,
            rows=rows,
        )
        used = replace(
            spec,
            sheet=result.sheet,
            header_row=result.header_row,
            register=name,
            columns=dict(result.columns),
            by_name=False,  # the columns are written out: the mapping says everything
        )
        if result.problems and not skip_invalid:
            plan = ImportPlan(
                source=self.source.name,
                batch=result.batch,
                register=result.register,
                kind=spec.kind,
            )
            plan.table, plan.ok = result, False
        else:
            plan = plan_batch(
                self.store,
                result.batch,
                source=self.source.name,
                register=result.register,
                kind=spec.kind,
                lang=self.lang,
            )
            plan.table = result
        plan.details.update(spec=used.to_dict(), headers=result.headers, name=name)
        return plan

    def apply(
        self, plan: ImportPlan, *, prune: bool = False, progress: Progress | None = None
    ) -> AppliedImport:
        """Write ``plan`` in one transaction, recorded as one import batch."""
        if not plan.ok:
            raise InputError(render("plan_has_problems", self.lang, count=len(plan.problems)))
        return apply_plan(
            self.store,
            plan,
            prune=prune,
            actor=self.actor,
            progress=progress,
            register_name=plan.details.get("name"),
            source={**self.source.describe(), "digest": self.source.digest},
        )
