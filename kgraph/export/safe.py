"""Keeping user text inert in exports: spreadsheet formulas, HTML, XML and script data.

Spreadsheet programs run a cell that starts with ``= + - @`` (and, after a tab or carriage
return, whatever follows) as a formula. ``neutralise_cell`` puts a ``'`` in front of such a
cell; ``restore_cell`` takes it off again, so an export read back by kgraph is lossless.
The rule is a bijection: one ``'`` is added to every text matching ``'*[=+\\-@\\t\\r]...``
and removed from every text matching ``'+[=+\\-@\\t\\r]...``; all other text is untouched
(``'s-Hertogenbosch`` stays as it is).
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")
_QUOTED = re.compile(r"'+[=+\-@\t\r]")

# Characters XML 1.0 cannot hold (C0 controls except tab/newline/CR, lone surrogates,
# U+FFFE/U+FFFF). GraphML, GEXF and XLSX exports drop them; JSON, CSV and Cypher keep them.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def neutralise_cell(value: Any) -> Any:
    """``value`` made safe for a CSV/XLSX cell: text that a spreadsheet would run as a
    formula gets a leading ``'``; anything that is not text is returned unchanged."""
    if isinstance(value, str) and _NEEDS_QUOTE.match(value):
        return "'" + value
    return value


def restore_cell(value: Any) -> Any:
    """Inverse of ``neutralise_cell`` (for reading kgraph's own CSV/XLSX exports)."""
    if isinstance(value, str) and _QUOTED.match(value):
        return value[1:]
    return value


def xml_text(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot hold."""
    return XML_INVALID.sub("", value)


def escape_xml_text(value: str) -> str:
    """Element content: ``& < >`` escaped and CR kept as ``&#13;`` (a parser would turn a
    bare CR into a newline)."""
    text = xml_text(value)
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def escape_xml_attr(value: str) -> str:
    """Attribute value in double quotes: tab, newline and CR kept as character references
    (a parser would turn them into spaces)."""
    return (
        escape_xml_text(value).replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")
    )


def escape_html(value: object) -> str:
    """Text for HTML element content or a quoted attribute."""
    return html.escape(str(value), quote=True)


def script_json(data: Any) -> str:
    """``data`` as JSON that is safe inside ``<script>``: ``< > & /`` and U+2028/U+2029
    are written as escapes, so no user text can close the script or open a comment."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("/", "\\/")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
