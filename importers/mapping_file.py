"""A table mapping saved as YAML: the same file from the Importeren page and ``--mapping``.

```yaml
kgraph_mapping: 1
kind: knowledge_question
sheet: Database
header_row: 4
register: kennisagenda
duplicates: keep
by_name: false
placed_status: proposed
columns: {id: Code, title: Kennisvraag, status: Status, placed_at: Waar belegd}
values: {status: {"1": open, "2": in_progress, "3": answered}, placed_at: {Not included: ""}}
```

Every key but ``columns`` may be left out. ``register`` is the register's name, asked once
and kept here, so the next version of the file is compared with it whatever the file is
called. ``placed_status`` is the handover status a "Waar belegd" placement gets
(``proposed`` unless the register's keeper says its placements are decisions). A value
mapped to ``""`` means nothing: a placement "Not included" lands nowhere.

The file is data, read the same way from the command line and the Importeren page: by
``kgraph.importers.bounded_yaml`` (size, depth and count limits, no anchors or aliases),
then every value is checked, so a wrong key is a one-line error naming the file and the
key.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kgraph.atomic import PathLike, write_atomically
from kgraph.errors import InputError
from kgraph.importers import bounded_yaml
from kgraph.infile import open_regular
from kgraph.model import NODE_KINDS

VERSION = 1
_KEYS = (
    "kgraph_mapping",
    "kind",
    "sheet",
    "header_row",
    "register",
    "duplicates",
    "by_name",
    "placed_status",
    "columns",
    "values",
)
#: the handover status a placement ("Waar belegd") may be given on import
PLACED_STATUSES = ("proposed", "in_discussion", "accepted")


@dataclass
class ImportSpec:
    """How to read one register: the options of ``table.read_table`` that a person chose."""

    kind: str = "knowledge_question"
    sheet: str | None = None
    header_row: int | None = None
    register: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    duplicates: str = "refuse"
    by_name: bool = False
    placed_status: str = "proposed"

    def read_options(self) -> dict[str, Any]:
        """Keyword arguments for ``table.read_table``."""
        return {
            "kind": self.kind,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "register": self.register,
            "mapping": dict(self.columns),
            "values": {k: dict(v) for k, v in self.values.items()},
            "duplicates": self.duplicates,
            "by_name": self.by_name,
            "placed_status": self.placed_status,
        }

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kgraph_mapping": VERSION, "kind": self.kind}
        for key in ("sheet", "header_row", "register"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        data["duplicates"] = self.duplicates
        data["by_name"] = self.by_name
        data["placed_status"] = self.placed_status
        data["columns"] = dict(self.columns)
        if self.values:
            data["values"] = {k: dict(v) for k, v in self.values.items()}
        return data


def _text_map(value: Any, what: str, name: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(f"{name}: {what} must be a mapping of names to names")
    out: dict[str, str] = {}
    for key, item in value.items():
        if isinstance(item, dict | list) or item is None or isinstance(key, dict | list):
            raise InputError(f"{name}: {what}.{key} must be text")
        out[str(key)] = str(item)
    return out


def parse_spec(text: str | bytes, name: str) -> ImportSpec:
    """The ``ImportSpec`` in YAML ``text`` (or its UTF-8 bytes, as uploaded); ``InputError``
    naming ``name`` and the key. The YAML is read by ``bounded_yaml.load``."""
    return spec_from_dict(bounded_yaml.load(text, name), name)


def spec_from_dict(data: Any, name: str) -> ImportSpec:
    """The ``ImportSpec`` a mapping file's data (or a register record's ``spec``) holds,
    every value checked; ``InputError`` naming ``name`` and the key."""
    from kgraph.importers.table import DUPLICATES, FIELDS

    if not isinstance(data, dict):
        raise InputError(f"{name}: a mapping file holds keys such as columns: and values:")
    unknown = [str(k) for k in data if k not in _KEYS]
    if unknown:
        raise InputError(f"{name}: unknown key(s) {', '.join(unknown)}; keys: {', '.join(_KEYS)}")
    if data.get("kgraph_mapping", VERSION) != VERSION:
        raise InputError(
            f"{name}: kgraph_mapping {data['kgraph_mapping']!r}; this kgraph reads {VERSION}"
        )
    kind = str(data.get("kind") or "knowledge_question")
    if kind not in NODE_KINDS:
        raise InputError(f"{name}: kind {kind!r}; expected one of {', '.join(NODE_KINDS)}")
    header_row = data.get("header_row")
    if header_row is not None and (
        not isinstance(header_row, int) or isinstance(header_row, bool) or header_row < 1
    ):
        raise InputError(f"{name}: header_row must be a row number (1 or more)")
    duplicates = str(data.get("duplicates") or "refuse")
    if duplicates not in DUPLICATES:
        raise InputError(f"{name}: duplicates {duplicates!r}; expected refuse or keep")
    by_name = data.get("by_name", False)
    if not isinstance(by_name, bool):
        raise InputError(f"{name}: by_name must be true or false")
    placed_status = str(data.get("placed_status") or "proposed")
    if placed_status not in PLACED_STATUSES:
        raise InputError(
            f"{name}: placed_status {placed_status!r}; expected one of {', '.join(PLACED_STATUSES)}"
        )
    columns = _text_map(data.get("columns"), "columns", name)
    values_raw = data.get("values") or {}
    if not isinstance(values_raw, dict):
        raise InputError(f"{name}: values must map a field to {{from: to}}")
    values = {str(k): _text_map(v, f"values.{k}", name) for k, v in values_raw.items()}
    for key in (*columns, *values):
        if key not in FIELDS:
            raise InputError(f"{name}: unknown field {key!r}; fields: {', '.join(FIELDS)}")
    sheet = data.get("sheet")
    register = data.get("register")
    return ImportSpec(
        kind=kind,
        sheet=None if sheet is None else str(sheet),
        header_row=header_row,
        register=None if register is None else str(register),
        columns=columns,
        values=values,
        duplicates=duplicates,
        by_name=by_name,
        placed_status=placed_status,
    )


def load_spec(path: str | Path) -> ImportSpec:
    """Read a mapping file: a regular file (never waits on a FIFO) of at most
    ``bounded_yaml.MAX_BYTES``, then ``parse_spec``."""
    file = Path(path)
    with open_regular(file) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > bounded_yaml.MAX_BYTES:
            raise InputError(
                f"{file.name}: {size:,} bytes; a mapping file holds at most "
                f"{bounded_yaml.MAX_BYTES:,} bytes"
            )
        data = handle.read(bounded_yaml.MAX_BYTES + 1)
    return parse_spec(data, file.name)


def dump_spec(spec: ImportSpec) -> str:
    """The YAML text of ``spec`` (what ``save_spec`` writes and the UI offers to download)."""
    return yaml.safe_dump(spec.to_dict(), allow_unicode=True, sort_keys=False)


def save_spec(
    spec: ImportSpec,
    path: PathLike,
    *,
    overwrite: bool = False,
    inputs: Iterable[PathLike] = (),
    stores: Iterable[str] = (),
) -> None:
    """Write ``spec`` to ``path`` through ``kgraph.atomic`` (whole or not at all): never
    onto a store or its side files, one of the ``inputs``, a folder or FIFO, and onto an
    existing file only with ``overwrite``."""
    write_atomically(
        path, dump_spec(spec).encode("utf-8"), overwrite=overwrite, inputs=inputs, stores=stores
    )
