"""Registers have an identity: a name asked once and remembered with its mapping.

A register (a knowledge agenda kept as a spreadsheet, a Markdown register) is named once;
its id is the name as a slug (``Kennisagenda WVL`` -> ``kennisagenda-wvl``), which namespaces
ids made from its codes and is recorded on every item as ``register``. Each import of it
keeps, in a ``register`` record (id: the slug), its name, the mapping used (the same dict
as the saved mapping file), the header row it had and the file it came from. So:

- the next version is compared with the register it names, whatever the file is called;
- a file whose header row is that of a known register is *recognised*: the Importeren page
  proposes that register and its mapping, and the command line refuses to start a new
  register under the file's name until it is told which one is meant;
- the page offers the registers the store already holds (also those imported before
  registers were recorded: found by the ``register`` of their items).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kgraph.model import QUESTION_KINDS, fold, slugify
from kgraph.store.base import GraphStore

COLLECTION = "register"
#: how alike two header rows must be (shared names / all names) to be the same layout
SAME_LAYOUT = 0.8
#: a header row of fewer names is too plain to tell one register from another
MIN_COLUMNS = 3


@dataclass(frozen=True)
class Register:
    """A register the store knows: ``id`` (the slug in ids), ``name`` as written, the
    ``kind`` of its items, and from its last import the mapping (``spec``, the mapping
    file's dict), the ``headers`` of its header row and the ``source`` file name."""

    id: str
    name: str
    kind: str = "knowledge_question"
    spec: Mapping[str, Any] = field(default_factory=dict)
    headers: tuple[str, ...] = ()
    source: str = ""


def register_id(name: str | None, file_name: str) -> str:
    """The register's id: ``name`` (else the file's stem) as a slug of at most 40."""
    return slugify(name or Path(file_name).stem)[:40].rstrip("-") or "x"


def _norm(header: str) -> str:
    return " ".join(fold(str(header)).split())


def _record_register(record: Any) -> Register:
    data = record.data
    return Register(
        id=record.id,
        name=str(data.get("name") or record.id),
        kind=str(data.get("kind") or "knowledge_question"),
        spec=dict(data.get("spec") or {}),
        headers=tuple(str(h) for h in data.get("headers") or ()),
        source=str(data.get("source") or ""),
    )


def known_registers(store: GraphStore, *, scan_items: bool = True) -> list[Register]:
    """The registers the store knows, by name: those with a record, and (``scan_items``)
    those only their questions name (imported before registers were recorded)."""
    found = {r.id: _record_register(r) for r in store.records(COLLECTION)}
    if scan_items:
        for node in store.nodes(sorted(QUESTION_KINDS)):
            name = node.props.get("register")
            if isinstance(name, str) and name and name not in found:
                found[name] = Register(id=name, name=name, kind=node.kind)
    return sorted(found.values(), key=lambda r: fold(r.name))


def get_register(store: GraphStore, register: str) -> Register | None:
    record = store.get_record(COLLECTION, register)
    return _record_register(record) if record is not None else None


def layout_score(known: Sequence[str], headers: Iterable[str]) -> float:
    """Shared header names over all header names (0..1), empty names left out."""
    a = {_norm(h) for h in known if str(h).strip()}
    b = {_norm(h) for h in headers if str(h).strip()}
    return len(a & b) / len(a | b) if a and b else 0.0


def recognise(registers: Iterable[Register], headers: Sequence[str]) -> Register | None:
    """The known register whose header row ``headers`` is (every column its mapping names
    is there, and ``layout_score`` at least ``SAME_LAYOUT``; a register of fewer than
    ``MIN_COLUMNS`` named columns is never recognised); the closest if several."""
    present = {_norm(h) for h in headers if str(h).strip()}
    best: tuple[float, Register] | None = None
    for register in registers:
        if len({_norm(h) for h in register.headers if str(h).strip()}) < MIN_COLUMNS:
            continue
        columns = dict(register.spec.get("columns") or {})
        named = {_norm(c) for c in columns.values() if not _is_letter(c)}
        if not named <= present:
            continue
        score = layout_score(register.headers, headers)
        if score >= SAME_LAYOUT and (best is None or score > best[0]):
            best = (score, register)
    return best[1] if best else None


def _is_letter(column: str) -> bool:
    return column.isalpha() and column.isupper() and len(column) <= 3


def remember(
    store: GraphStore,
    register: str,
    *,
    name: str,
    kind: str,
    spec: Mapping[str, Any] | None,
    headers: Sequence[str],
    source: str,
    batch: str,
    actor: str | None = None,
) -> None:
    """Keep what this import of ``register`` used (call it inside the import's
    transaction, so undoing the import restores the register's record too)."""
    data: dict[str, Any] = {
        "name": name,
        "kind": kind,
        "source": source,
        "batch": batch,
        "headers": [str(h) for h in headers],
    }
    data["spec"] = dict(spec) if spec else None  # None: a register without a table mapping
    if store.get_record(COLLECTION, register) is None:
        kept = {k: v for k, v in data.items() if v is not None}
        store.add_record(COLLECTION, kept, id=register, actor=actor)
    else:
        store.update_record(COLLECTION, register, data, actor=actor)
