"""Readable sources: every imported file keeps a title, and a node's ``source`` is shown
as "City Deal jaarverslag 2023, regel 154" instead of "000_4a3caf141793d018.txt:154".

The importers write provenance as ``FILE:LINE`` (a report), ``FILE, sheet S, row N`` or
``FILE, rows 3, 7`` (a table) and ``FOLDER/PATH`` (a Markdown register). A file's title is a
``source`` record (``GraphStore.add_record``; its ``ref`` is the file's name as the
provenance writes it), registered once when the file is first imported
(``register_source``) and changed like any record, in the history. ``describe`` turns a
provenance into words in the reader's language with the titles ``source_titles`` read;
a file without a title keeps its name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from kgraph.errors import ValidationError
from kgraph.store.base import GraphStore

COLLECTION = "source"
MAX_TITLE = 300
#: the City Deal report the seed is made from, and its title
SEED_REPORT = "000_4a3caf141793d018.txt"
SEED_TITLE = "City Deal jaarverslag 2023"

_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+)$")
_TABLE = re.compile(
    r"^(?P<file>.+?)(?:, sheet (?P<sheet>.+?))?, (?P<rows>rows?) (?P<numbers>\d+(?:, \d+)*)$"
)
_WORDS = {
    "nl": {"line": "regel", "sheet": "blad", "row": "rij", "rows": "rijen", "file": "bestand"},
    "en": {"line": "line", "sheet": "sheet", "row": "row", "rows": "rows", "file": "file"},
}


@dataclass(frozen=True)
class Provenance:
    """A ``source`` taken apart: the file (or register folder) and where in it."""

    file: str
    line: int | None = None
    sheet: str | None = None
    rows: tuple[int, ...] = ()
    path: str | None = None  # within a register folder


def parse(source: str) -> Provenance:
    """The parts of a provenance string as the importers write it (anything else is a
    file name on its own)."""
    text = source.strip()
    if found := _TABLE.match(text):
        numbers = tuple(int(n) for n in found["numbers"].split(", "))
        return Provenance(found["file"], sheet=found["sheet"], rows=numbers)
    if found := _LINE.match(text):
        return Provenance(found["file"], line=int(found["line"]))
    if "/" in text:
        folder, _, rest = text.partition("/")
        return Provenance(folder, path=rest)
    return Provenance(text)


def register_source(store: GraphStore, file: str, title: str, *, actor: str | None = None) -> bool:
    """Give the imported ``file`` (its name as the provenance writes it) a ``title``;
    an existing title is replaced. Returns whether anything changed."""
    name = file.strip()
    text = " ".join((title or "").split())
    if not name:
        raise ValidationError("file: a source needs the file's name")
    if not text:
        raise ValidationError(f"title: {name} needs a title")
    if len(text) > MAX_TITLE:
        raise ValidationError(f"title: at most {MAX_TITLE} characters")
    with store.transaction(actor):
        existing = store.records(COLLECTION, ref=name)
        if existing:
            if existing[0].data.get("title") == text:
                return False
            store.update_record(COLLECTION, existing[0].id, {"title": text}, actor=actor)
            return True
        store.add_record(COLLECTION, {"file": name, "title": text}, ref=name, actor=actor)
    return True


def source_titles(store: GraphStore) -> dict[str, str]:
    """Every registered file name and its title."""
    return {
        str(r.data.get("file") or r.ref): str(r.data["title"])
        for r in store.records(COLLECTION)
        if r.data.get("title")
    }


def describe(source: str | None, titles: Mapping[str, str], lang: str = "nl") -> str:
    """``source`` in words: the file's title (or its name) and where in it
    ("City Deal jaarverslag 2023, regel 154"; "Kennisagenda, blad Vragen, rij 12")."""
    if not source:
        return ""
    words = _WORDS.get(lang, _WORDS["en"])
    where = parse(source)
    parts = [titles.get(where.file, where.file)]
    if where.line is not None:
        parts.append(f"{words['line']} {where.line}")
    if where.sheet:
        parts.append(f"{words['sheet']} {where.sheet}")
    if where.rows:
        label = words["row"] if len(where.rows) == 1 else words["rows"]
        parts.append(f"{label} {', '.join(str(n) for n in where.rows)}")
    if where.path:
        parts.append(where.path)
    return ", ".join(parts)
