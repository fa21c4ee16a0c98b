"""Typed attributes for the XML graph formats (GraphML and GEXF).

Each attribute name gets one declared type over the whole file: ``string``, ``boolean``,
``long`` or ``double`` when every value has that type, otherwise ``json`` — written as a
string attribute whose declared id starts with ``j_`` and whose values are JSON, so lists,
``null`` and mixed types come back exactly. Tags are written as ``a; b`` unless a tag holds
``;``, ``,`` or a newline, in which case the tags attribute is JSON too. Foreign files
declare their own types; unknown types are read as text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from kgraph.export.safe import xml_text

_TAG_SPLIT = re.compile(r"[;,\n]")
#: the type an attribute of each kind is declared with in GraphML and GEXF (JSON is text)
XML_TYPES: dict[str, str] = {
    "string": "string",
    "boolean": "boolean",
    "long": "long",
    "double": "double",
    "json": "string",
}


def value_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    return "json"


def plain_tags(tags: Iterable[str]) -> bool:
    """Whether ``tags`` can be written as ``a; b`` and split back the same."""
    return all(not _TAG_SPLIT.search(tag) for tag in tags)


def attr_types(items: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Name -> declared type for every attribute in ``items`` (first-seen order)."""
    types: dict[str, str] = {}
    for attrs in items:
        for name, value in attrs.items():
            if name == "tags":
                kind = "string" if plain_tags(value) else "json"
            else:
                kind = value_type(value)
            if types.get(name, kind) != kind:
                kind = "json"
            types[name] = kind
    return types


def attr_id(prefix: str, name: str, kind: str) -> str:
    """The declared id of an attribute: ``n_title``, ``e_status``, ``j_n_score`` (JSON)."""
    return f"j_{prefix}_{name}" if kind == "json" else f"{prefix}_{name}"


def encode(name: str, value: Any, kind: str) -> str:
    """One value as attribute text (XML-invalid characters dropped)."""
    if name == "tags" and kind != "json":
        return xml_text("; ".join(value))
    if kind == "json":
        return xml_text(json.dumps(value, ensure_ascii=False, allow_nan=False))
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    return xml_text(str(value))


def decode(text: str, declared: str, is_json: bool) -> Any:
    """Attribute text back to a value; falls back to the text when it does not parse."""
    try:
        if is_json:
            return json.loads(text)
        if declared == "boolean":
            return text.strip().lower() in ("true", "1", "yes")
        if declared in ("int", "long", "integer", "short", "byte"):
            return int(text.strip())
        if declared in ("float", "double"):
            return float(text.strip())
    except ValueError:
        return text
    return text
