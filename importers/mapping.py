"""Which column of a table fills which field: suggestions from the header names (Dutch and
English) and sample values per column, for the Importeren page and the CLI alike. (The
saved mapping file is ``kgraph.importers.mapping_file``.)

A header matches a field when, after folding case, accents and punctuation, it equals one
of the field's synonyms, or failing that contains one as a whole word. Each column is used
for at most one field; exact matches are placed before partial ones.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from kgraph.model import normalise_title

#: field -> header names that mean it, Dutch and English (already in normalised form)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("id", "identifier", "code", "nummer", "nr", "key", "sleutel", "vraagcode"),
    "title": (
        "title",
        "titel",
        "question",
        "vraag",
        "kennisvraag",
        "naam",
        "name",
        "onderwerp",
        "subject",
        "knowledge question",
    ),
    "text": (
        "text",
        "tekst",
        "description",
        "beschrijving",
        "omschrijving",
        "toelichting",
        "body",
        "details",
        "explanation",
        "uitleg",
        "body text",
    ),
    "status": ("status", "state", "stand", "fase", "phase"),
    "tags": ("tags", "tag", "labels", "label", "keywords", "trefwoorden", "trefwoord"),
    "owner": (
        "owner",
        "eigenaar",
        "trekker",
        "verantwoordelijke",
        "contact",
        "contactpersoon",
        "responsible",
        "lead",
        "assignee",
    ),
    "source": ("source", "bron", "herkomst", "origin", "reference", "referentie"),
    "kind": ("kind", "soort", "type", "categorie", "category"),
    "cop": ("cop", "community", "community of practice", "gemeenschap", "praktijkgemeenschap"),
    "theme": ("theme", "thema", "kennisthema", "themes", "themas", "topic"),
    "complex_question": (
        "complex question",
        "complexe vraag",
        "achterliggende vraag",
        "achterliggende complexe vraag",
        "parent question",
    ),
    "landing_place": ("landing place", "landingsplaats", "landing", "destination"),
    # "Waar belegd": a landing place or an organisation, whichever the name matches
    "placed_at": ("waar belegd", "belegd bij", "belegd", "placed at", "where placed", "placed"),
    "handover_status": (
        "status overdracht",
        "overdrachtstatus",
        "status borging",
        "handover status",
    ),
    "organisation": (
        "organisation",
        "organization",
        "organisatie",
        "partner",
        "org",
        "actiehouder",
        "action holder",
    ),
    "relates_to": (
        "relates to",
        "related",
        "related question",
        "gerelateerd",
        "gerelateerde vraag",
        "hangt samen met",
        "zie ook",
        "see also",
    ),
    "date": ("date", "datum", "created", "aangemaakt", "ingediend", "submitted"),
}


def _norm(header: str) -> str:
    return normalise_title(str(header))


def suggest_mapping(headers: Sequence[str], fields: Iterable[str] | None = None) -> dict[str, str]:
    """``{field: column}`` for the ``fields`` (default: all known) that a header names."""
    wanted = [f for f in (fields if fields is not None else SYNONYMS) if f in SYNONYMS]
    normal = {h: _norm(h) for h in headers if str(h).strip()}
    taken: set[str] = set()
    out: dict[str, str] = {}
    # exact matches first, so "Titel" goes to title before "Titel CoP" is looked at
    for name in wanted:
        for header, norm in normal.items():
            if header not in taken and norm in SYNONYMS[name]:
                out[name] = header
                taken.add(header)
                break
    for name in wanted:
        if name in out:
            continue
        for header, norm in normal.items():
            words = f" {norm} "
            if header not in taken and any(f" {s} " in words for s in SYNONYMS[name]):
                out[name] = header
                taken.add(header)
                break
    return out


def unmapped(headers: Sequence[str], mapping: Mapping[str, str]) -> list[str]:
    """Headers no field uses (their values are kept as extra properties, or ignored)."""
    used = set(mapping.values())
    return [h for h in headers if h not in used]


# --- what a column holds ------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as the spreadsheet shows it: ``2`` for ``2.0``, empty for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def distinct_values(
    rows: Iterable[Sequence[Any]], column: int, limit: int = 50
) -> list[tuple[str, int]]:
    """The distinct non-empty values of ``column`` (0-based) as written, with how often
    each occurs: most frequent first, then in order of appearance; at most ``limit``."""
    counts: Counter[str] = Counter()
    for row in rows:
        if column < len(row):
            text = cell_text(row[column])
            if text:
                counts[text] += 1
    return counts.most_common(limit)


def samples(rows: Iterable[Sequence[Any]], column: int, n: int = 3) -> list[str]:
    """The first ``n`` distinct non-empty values of ``column``, as written."""
    seen: dict[str, None] = {}
    for row in rows:
        if column < len(row):
            text = cell_text(row[column])
            if text and text not in seen:
                seen[text] = None
                if len(seen) == n:
                    break
    return list(seen)
