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


def check_root(root: Any, name: str, tag: str, namespaces: tuple[str, ...], what: str) -> None:
    """Refuse a document whose root is not ``tag``, in no namespace or one starting with
    one of ``namespaces`` (an SVG or another format with a borrowed file name)."""
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    if local(root.tag) != tag or (namespace and not namespace.startswith(namespaces)):
        shown = f"{{{namespace}}}{local(root.tag)}" if namespace else local(root.tag)
        raise InputError(f"{name}: not {what}: the root element is <{shown}>, not <{tag}>")
