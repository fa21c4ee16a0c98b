"""Suggest which spreadsheet column fills which field, from the header names (NL and EN).

A header matches a field when, after folding case, accents and punctuation, it equals one
of the field's synonyms, or failing that contains one as a whole word. Each column is used
for at most one field; exact matches are placed before partial ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from kgraph.model import normalise_title

#: field -> header names that mean it, Dutch and English (already in normalised form)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("id", "identifier", "code", "nummer", "nr", "key", "sleutel"),
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
    "organisation": ("organisation", "organization", "organisatie", "partner", "org"),
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
    for field in wanted:
        for header, norm in normal.items():
            if header not in taken and norm in SYNONYMS[field]:
                out[field] = header
                taken.add(header)
                break
    for field in wanted:
        if field in out:
            continue
        for header, norm in normal.items():
            words = f" {norm} "
            if header not in taken and any(f" {s} " in words for s in SYNONYMS[field]):
                out[field] = header
                taken.add(header)
                break
    return out


def unmapped(headers: Sequence[str], mapping: Mapping[str, str]) -> list[str]:
    """Headers no field uses (their values are kept as extra properties, or ignored)."""
    used = set(mapping.values())
    return [h for h in headers if h not in used]
