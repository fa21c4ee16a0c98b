"""Parsing XML from files people send: ``defusedxml`` only, DTDs refused."""

from __future__ import annotations

from typing import IO, Any

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from kgraph.errors import InputError


def parse_xml(handle: IO[bytes], name: str) -> Any:
    """The root element of the XML in ``handle``; ``InputError`` naming ``name`` when the
    file is not well-formed XML or declares a DTD or entities."""
    try:
        return SafeET.parse(
            handle, forbid_dtd=True, forbid_entities=True, forbid_external=True
        ).getroot()
    except DefusedXmlException as exc:
        raise InputError(
            f"{name}: refused: {exc.__class__.__name__} (DTDs and entities are not allowed)"
        ) from exc
    except SafeET.ParseError as exc:
        raise InputError(f"{name}: not well-formed XML: {exc}") from exc


def local(tag: Any) -> str:
    """An element's name without its namespace."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]
