"""Reading a small YAML file someone handed us (a saved mapping) in bounded time and memory.

``yaml.safe_load`` builds whatever the text describes: anchors and aliases let a few hundred
bytes describe billions of strings (a "billion laughs"), and deep nesting recurses without
end. Here the text is first checked event by event, which costs one pass over the text and
never expands an alias: a file larger than ``MAX_BYTES``, any anchor or alias, nesting deeper
than ``MAX_DEPTH`` or more than ``MAX_NODES`` values is refused with one line naming the file
(and the line) before anything is built. What passes is plain data for ``safe_load``.
"""

from __future__ import annotations

from typing import Any

import yaml

from kgraph.errors import InputError

#: a saved mapping is a few kilobytes; value mappings of a big register stay far below this
MAX_BYTES = 256 * 1024
#: keys inside keys: a mapping file needs four (values: status: "1": open)
MAX_DEPTH = 8
#: scalars, mappings and sequences together
MAX_NODES = 50_000


def _decode(data: str | bytes, name: str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None


def load(data: str | bytes, name: str) -> Any:
    """The YAML document in ``data`` (text or UTF-8 bytes) as plain data; ``InputError``
    naming ``name`` when it is too large, uses anchors or aliases, nests too deep, holds
    too many values or is not YAML."""
    size = len(data.encode("utf-8") if isinstance(data, str) else data)
    if size > MAX_BYTES:
        raise InputError(
            f"{name}: {size:,} bytes; a mapping file holds at most {MAX_BYTES:,} bytes"
        )
    text = _decode(data, name)
    depth = nodes = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            line = event.start_mark.line + 1 if event.start_mark else 0
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise InputError(
                    f"{name}, line {line}: anchors and aliases (&name, *name) are not "
                    "allowed in a mapping file; write the values out"
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise InputError(f"{name}, line {line}: nested deeper than {MAX_DEPTH} levels")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            if isinstance(event, yaml.NodeEvent):
                nodes += 1
                if nodes > MAX_NODES:
                    raise InputError(f"{name}, line {line}: more than {MAX_NODES:,} values")
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"{name}{at}: not YAML: {problem}") from None
