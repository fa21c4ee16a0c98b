"""The domain model: node and edge kinds, statuses, which edges may join which nodes, ids.

Everything a store accepts passes ``validate_node`` / ``validate_edge`` first, so both
backends refuse the same things with the same messages. Kinds double as the only labels
and relationship types the Neo4j backend will ever put into a query.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any

import yaml

from kgraph.errors import ValidationError

# --- kinds --------------------------------------------------------------------------------

NODE_KINDS: tuple[str, ...] = (
    "knowledge_question",
    "complex_question",
    "cop",
    "theme",
    "landing_place",
    "organisation",
    "showcase",
    "value",
)


def _labels(group: str) -> dict[str, dict[str, str]]:
    """``{key: {"nl": ..., "en": ...}}`` for the catalogue's ``label.<group>.<key>``
    entries. Read from the files directly: ``kgraph.texts`` itself imports this module."""
    prefix = f"label.{group}."
    labels: dict[str, dict[str, str]] = {}
    for lang in ("nl", "en"):
        for key, text in _catalogue_file(lang).items():
            if key.startswith(prefix):
                labels.setdefault(key[len(prefix) :], {})[lang] = text
    return labels


@cache
def _catalogue_file(lang: str) -> dict[str, str]:
    raw = resources.files("kgraph").joinpath("texts", f"{lang}.yaml").read_text("utf-8")
    return dict(yaml.safe_load(raw))


QUESTION_KINDS: frozenset[str] = frozenset({"knowledge_question", "complex_question"})

#: Dutch and English labels for the UI, from the text catalogue (``kgraph/texts``).
NODE_LABELS: dict[str, dict[str, str]] = _labels("kind")

#: Short prefixes used in generated ids (``kq:hoe-valideer-je-een-model``).
ID_PREFIX: dict[str, str] = {
    "knowledge_question": "kq",
    "complex_question": "cq",
    "cop": "cop",
    "theme": "theme",
    "landing_place": "lp",
    "organisation": "org",
    "showcase": "showcase",
    "value": "value",
}

_Q = QUESTION_KINDS
#: edge kind -> (allowed source kinds, allowed target kinds); direction matters.
EDGE_RULES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "RAISED_IN": (_Q, frozenset({"cop", "theme"})),
    "FEEDS": (frozenset({"knowledge_question"}), frozenset({"complex_question"})),
    # A knowledge question lands or involves an organisation directly when a register
    # says where it is placed ("Waar belegd") or who holds the action.
    "LANDS_IN": (
        frozenset({"knowledge_question", "complex_question", "cop", "showcase"}),
        frozenset({"landing_place"}),
    ),
    "PART_OF": (frozenset({"landing_place"}), frozenset({"landing_place"})),
    "CONTINUES_AS": (frozenset({"cop"}), frozenset({"theme"})),
    "INVOLVES": (
        frozenset({"knowledge_question", "landing_place", "cop", "theme", "showcase"}),
        frozenset({"organisation"}),
    ),
    "RELATES_TO": (_Q, _Q),
    "CONCERNS": (_Q, frozenset({"value"})),
}
EDGE_KINDS: tuple[str, ...] = tuple(EDGE_RULES)

#: Which edge kind an importer uses when the model allows several between two kinds
#: (question -> question: FEEDS before RELATES_TO).
EDGE_PREFERENCE: tuple[str, ...] = (
    "FEEDS",
    "RAISED_IN",
    "LANDS_IN",
    "PART_OF",
    "CONTINUES_AS",
    "INVOLVES",
    "CONCERNS",
    "RELATES_TO",
)


def preferred_edge_kind(src_kind: str, dst_kind: str) -> str | None:
    """The preferred edge kind from ``src_kind`` to ``dst_kind``, or ``None`` if none fits."""
    for kind in EDGE_PREFERENCE:
        sources, targets = EDGE_RULES[kind]
        if src_kind in sources and dst_kind in targets:
            return kind
    return None


EDGE_LABELS: dict[str, dict[str, str]] = _labels("edge")

# --- statuses -----------------------------------------------------------------------------

QUESTION_STATUSES: tuple[str, ...] = ("open", "in_progress", "answered", "parked")
HANDOVER_STATUSES: tuple[str, ...] = ("proposed", "in_discussion", "accepted", "declined")

STATUS_LABELS: dict[str, dict[str, str]] = _labels("status")

#: Properties a node carries as first-class fields; anything else lives in ``props``.
NODE_FIELDS: tuple[str, ...] = ("id", "kind", "title", "text", "status", "tags", "source")
#: Handover properties of a LANDS_IN edge.
HANDOVER_FIELDS: tuple[str, ...] = ("status", "decided_on", "decided_by", "note")
#: Properties set by the store, never by a caller.
SYSTEM_FIELDS: frozenset[str] = frozenset({"created_at", "updated_at", "updated_by", "version"})

# --- records -------------------------------------------------------------------------------

#: What a store keeps beside the graph (``GraphStore.add_record``): handover actions,
#: meetings of the steering group, saved views, a view's layout, import batches and the
#: titles of imported source files. Collection names reach Cypher only as parameters, but
#: an allow-list keeps typos and user text out of the store's own namespace.
RECORD_COLLECTIONS: tuple[str, ...] = (
    "action",
    "meeting",
    "view",
    "layout",
    "import_batch",
    "source",
)
#: Collections that are presentation state, not data: their writes leave no history
#: entry and do not move the change marker (``GraphStore.last_change``), so dragging a
#: node does not make every analysis recompute.
UNTRACKED_COLLECTIONS: frozenset[str] = frozenset({"layout"})
#: The most characters a record's data may take as JSON (a 5,000-node layout is ~250 KB).
RECORD_MAX_CHARS = 8_000_000


def record_target(collection: str, record_id: str) -> str:
    """A record's name in the history (``@action/a1b2``): ``@`` and ``/`` never occur in
    node ids or edge keys, so a record can never be mistaken for a graph item."""
    return f"@{collection}/{record_id}"


def parse_record_target(target: str) -> tuple[str, str] | None:
    """``(collection, id)`` of a history target that names a record, else ``None``."""
    if not target.startswith("@") or "/" not in target:
        return None
    collection, _, record_id = target[1:].partition("/")
    return collection, record_id


def check_collection(collection: object) -> str:
    """``collection`` if it is one of ``RECORD_COLLECTIONS``, else ``ValidationError``."""
    return _check_member(collection, RECORD_COLLECTIONS, "record collection")


def check_record_data(collection: str, data: object) -> dict[str, Any]:
    """``data`` as a record keeps it: a JSON object (text keys; values text, numbers,
    true/false, null, lists and objects), at most ``RECORD_MAX_CHARS`` as JSON."""
    import json
    import math

    if not isinstance(data, Mapping):
        raise ValidationError(
            f"{collection} record: data must be a mapping, not {type(data).__name__}"
        )

    def plain(value: object, where: str) -> Any:
        if value is None or isinstance(value, str | bool | int):
            return value
        if isinstance(value, float):
            if not math.isfinite(value):
                raise ValidationError(f"{collection} record: {where} is not a finite number")
            return value
        if isinstance(value, list | tuple):
            return [plain(v, f"{where}[{i}]") for i, v in enumerate(value)]
        if isinstance(value, Mapping):
            out: dict[str, Any] = {}
            for k, v in value.items():
                if not isinstance(k, str):
                    raise ValidationError(
                        f"{collection} record: {where} has a key that is not text"
                    )
                out[k] = plain(v, f"{where}.{k}")
            return out
        raise ValidationError(
            f"{collection} record: {where} must be text, a number, true/false, a list or a "
            f"mapping, not {type(value).__name__}"
        )

    clean = plain(data, "data")
    size = len(json.dumps(clean, ensure_ascii=False, separators=(",", ":")))
    if size > RECORD_MAX_CHARS:
        raise ValidationError(
            f"{collection} record: its data takes {size:,} characters; at most "
            f"{RECORD_MAX_CHARS:,} are kept"
        )
    return clean


# --- ids ----------------------------------------------------------------------------------

# ``\Z``, not ``$``: ``$`` also matches before a final newline, which let "kq:a\n" in.
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,127}\Z")
_PROP_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}\Z")
_SLUG_MAX = 60
#: hex digits of the hash in an id made from a title in another script: 48 bits keep
#: a register of a million such titles free of collisions (p < 0.002)
_SCRIPT_HASH = 12

#: Greek and Cyrillic letters (after ``fold``: lower case, accents stripped) in Latin
#: letters, so ids of such titles stay readable (``kq:kak-proverit-model-…``)
_TRANSLIT: dict[str, str] = {
    **dict(
        zip(
            "αβγδεζηθικλμνξοπρσςτυφχψω",
            [
                "a",
                "v",
                "g",
                "d",
                "e",
                "z",
                "i",
                "th",
                "i",
                "k",
                "l",
                "m",
                "n",
                "x",
                "o",
                "p",
                "r",
                "s",
                "s",
                "t",
                "y",
                "f",
                "ch",
                "ps",
                "o",
            ],
            strict=True,
        )
    ),
    **dict(
        zip(
            "абвгдежзийклмнопрстуфхцчшщъыьэюя",
            [
                "a",
                "b",
                "v",
                "g",
                "d",
                "e",
                "zh",
                "z",
                "i",
                "i",
                "k",
                "l",
                "m",
                "n",
                "o",
                "p",
                "r",
                "s",
                "t",
                "u",
                "f",
                "kh",
                "ts",
                "ch",
                "sh",
                "shch",
                "",
                "y",
                "",
                "e",
                "yu",
                "ya",
            ],
            strict=True,
        )
    ),
    **dict(
        zip(
            "єіїґђјљњћџўѣѳѵ",
            [
                "ye",
                "i",
                "i",
                "g",
                "dj",
                "j",
                "lj",
                "nj",
                "c",
                "dz",
                "u",
                "e",
                "f",
                "i",
            ],
            strict=True,
        )
    ),
}


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text`` (``Geïnteresseerd`` -> ``geinteresseerd``)."""
    if text.isascii():  # nothing to decompose: the same result, ten times faster
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def normalise_title(text: str) -> str:
    """The form two titles are compared in: folded, punctuation dropped, spaces collapsed."""
    return " ".join(re.findall(r"[0-9a-z]+", fold(text)))


def _other_script(text: str) -> bool:
    """Whether ``text`` holds a letter or digit outside the Latin script (Greek, Cyrillic,
    CJK, Arabic, ...), which the Latin slug would drop. Latin-1 signs such as ``µ`` and
    forms that fold to Latin (fullwidth letters, Roman numerals) count as Latin."""
    for ch in text:
        if ord(ch) < 0x250 or unicodedata.category(ch)[0] not in "LN":
            continue
        if "LATIN" in unicodedata.name(ch, "") or fold(ch).isascii():
            continue
        return True
    return False


def script_key(text: str) -> str:
    """The normalised title a hash is taken of: folded, and every run of letters, digits,
    marks and symbols (emoji) kept, separated by one space; punctuation and spacing
    dropped. Titles that differ only in case, accents, punctuation or spacing agree."""
    runs: list[str] = []
    current: list[str] = []
    for ch in fold(text):
        if unicodedata.category(ch)[0] in "LNMS":
            current.append(ch)
        elif current:
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    return " ".join(runs) or " ".join(text.split())


def _cut(slug: str, digest: str) -> str:
    return slug[:_SLUG_MAX].rstrip("-") + "-" + digest


def slugify(text: str) -> str:
    """A readable, id-safe slug; long texts are cut and get a short hash for uniqueness.

    Latin titles give the same slug as ever (``hoe-valideer-je-een-model``). Titles with
    letters of other scripts are transliterated where a table exists (Greek, Cyrillic)
    and always end in a hash of ``script_key``, so two different titles never share an
    id; a title with nothing Latin to show (Chinese, Arabic, emoji only) is just the hash.
    """
    folded = fold(text)
    if _other_script(text) or not normalise_title(text):
        latin = "".join(_TRANSLIT.get(ch, ch) for ch in folded)
        words = re.findall(r"[0-9a-z]+", latin)
        digest = hashlib.sha1(script_key(text).encode("utf-8", "surrogatepass")).hexdigest()
        return _cut("-".join(words), digest[:_SCRIPT_HASH]) if words else digest[:_SCRIPT_HASH]
    words = normalise_title(text).split()
    slug = "-".join(words)
    if len(slug) <= _SLUG_MAX:
        return slug
    return _cut(slug, hashlib.sha1(normalise_title(text).encode()).hexdigest()[:8])


def make_id(kind: str, *parts: str) -> str:
    """Deterministic id for an imported item: the kind's prefix and a slug of ``parts``.

    The same kind and parts always give the same id, so a re-import adds nothing;
    different titles get different ids in any script (see ``slugify``).
    """
    check_node_kind(kind)
    return f"{ID_PREFIX[kind]}:{slugify(' '.join(parts))}"


def _unsafe_chars(value: str) -> str | None:
    """How ``value`` breaks the rules in a way worth naming, or ``None``."""
    if value != value.strip() or any(not ch.isprintable() for ch in value):
        return "it holds spaces, a newline or control characters"
    return None


def check_id(node_id: object) -> str:
    """``node_id`` if it is a valid id, else ``ValidationError`` saying why."""
    if not isinstance(node_id, str) or not ID_PATTERN.match(node_id):
        why = _unsafe_chars(node_id) if isinstance(node_id, str) else None
        raise ValidationError(
            f"invalid id {node_id!r}: "
            + (f"{why}; " if why else "")
            + "use 1-128 letters, digits or . _ : - (starting with a letter or digit)"
        )
    return node_id


# --- checks -------------------------------------------------------------------------------


def _check_member(value: object, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise ValidationError(f"unknown {what} {value!r}; expected one of {', '.join(allowed)}")
    return str(value)


def check_node_kind(kind: object) -> str:
    return _check_member(kind, NODE_KINDS, "node kind")


def check_edge_kind(kind: object) -> str:
    return _check_member(kind, EDGE_KINDS, "edge kind")


def check_question_status(status: object) -> str:
    return _check_member(status, QUESTION_STATUSES, "question status")


def check_handover_status(status: object) -> str:
    return _check_member(status, HANDOVER_STATUSES, "handover status")


def check_edge_ends(kind: str, src_kind: str, dst_kind: str) -> None:
    """Refuse an edge whose ends are not of the kinds the edge kind allows."""
    sources, targets = EDGE_RULES[check_edge_kind(kind)]
    if src_kind not in sources or dst_kind not in targets:
        raise ValidationError(
            f"{kind} cannot join {src_kind} -> {dst_kind}; it goes from "
            f"{'/'.join(sorted(sources))} to {'/'.join(sorted(targets))}"
        )


def _check_props(props: Mapping[str, Any], what: str) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in props.items():
        if not isinstance(key, str) or not _PROP_KEY.match(key):
            why = _unsafe_chars(key) if isinstance(key, str) else None
            raise ValidationError(
                f"{what}: invalid property name {key!r}: "
                + (f"{why}; " if why else "")
                + "use 1-64 letters, digits or _ (starting with a letter or _)"
            )
        if key in SYSTEM_FIELDS:
            raise ValidationError(f"{what}: {key!r} is set by the store")
        if not _is_plain(value):
            raise ValidationError(
                f"{what}: property {key!r} must be text, a number, true/false or a list of text"
            )
        clean[key] = list(value) if isinstance(value, tuple) else value
    return clean


def _is_plain(value: object) -> bool:
    if value is None or isinstance(value, str | bool | int | float):
        return True
    if isinstance(value, list | tuple):
        return all(isinstance(v, str | int | float | bool) for v in value)
    return False


# --- values -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """One item of the graph.

    ``props`` holds everything beyond the common fields (``owner``, imported columns,
    ``curated``); ``created_at``/``updated_at``/``updated_by``/``version`` are set by the
    store and ignored on input.
    """

    id: str
    kind: str
    title: str
    text: str = ""
    status: str | None = None
    tags: tuple[str, ...] = ()
    source: str | None = None
    props: Mapping[str, Any] = field(default_factory=dict)
    created_at: str | None = None
    updated_at: str | None = None
    updated_by: str | None = None
    version: int = 0

    def to_dict(self) -> dict[str, Any]:
        """A plain, JSON-ready dict: the common fields, store fields and ``props`` flattened."""
        data: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "text": self.text,
            "status": self.status,
            "tags": list(self.tags),
            "source": self.source,
        }
        data.update(self.props)
        data.update(
            created_at=self.created_at,
            updated_at=self.updated_at,
            updated_by=self.updated_by,
            version=self.version,
        )
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Node:
        """Inverse of ``to_dict``; unknown keys go to ``props``."""
        common = {k: data.get(k) for k in NODE_FIELDS if k in data}
        props = {k: v for k, v in data.items() if k not in NODE_FIELDS and k not in SYSTEM_FIELDS}
        tags = common.get("tags") or ()
        return cls(
            id=str(common.get("id", "")),
            kind=str(common.get("kind", "")),
            title=str(common.get("title") or ""),
            text=str(common.get("text") or ""),
            status=common.get("status"),
            tags=tuple(tags) if not isinstance(tags, str) else (tags,),
            source=common.get("source"),
            props=props,
            created_at=data.get("created_at"),
            updated_at=data.get("updated_at"),
            updated_by=data.get("updated_by"),
            version=int(data.get("version") or 0),
        )

    def with_changes(self, changes: Mapping[str, Any]) -> Node:
        """A copy with ``changes`` applied; a key of ``None`` removes a prop."""
        common: dict[str, Any] = {}
        props = dict(self.props)
        for key, value in changes.items():
            if key in ("id", "kind"):
                if value != getattr(self, key):
                    raise ValidationError(f"{self.id}: {key} cannot be changed")
            elif key == "tags":
                common["tags"] = parse_tags(value)
            elif key in NODE_FIELDS:
                common[key] = value if key != "text" else (value or "")
            elif value is None:
                props.pop(key, None)
            else:
                props[key] = value
        return replace(self, props=props, **common)


@dataclass(frozen=True)
class Edge:
    """A directed, typed link; at most one edge per (src, kind, dst).

    For ``LANDS_IN``, ``props`` carries the handover: ``status``, ``decided_on``,
    ``decided_by``, ``note``.
    """

    src: str
    kind: str
    dst: str
    props: Mapping[str, Any] = field(default_factory=dict)
    created_at: str | None = None
    updated_at: str | None = None
    updated_by: str | None = None

    @property
    def key(self) -> str:
        return edge_key(self.src, self.kind, self.dst)

    @property
    def status(self) -> str | None:
        value = self.props.get("status")
        return str(value) if value is not None else None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"src": self.src, "kind": self.kind, "dst": self.dst}
        data.update(self.props)
        data.update(
            created_at=self.created_at, updated_at=self.updated_at, updated_by=self.updated_by
        )
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Edge:
        skip = {"src", "kind", "dst", *SYSTEM_FIELDS}
        return cls(
            src=str(data.get("src", "")),
            kind=str(data.get("kind", "")),
            dst=str(data.get("dst", "")),
            props={k: v for k, v in data.items() if k not in skip},
            created_at=data.get("created_at"),
            updated_at=data.get("updated_at"),
            updated_by=data.get("updated_by"),
        )


def edge_key(src: str, kind: str, dst: str) -> str:
    """The identity of an edge as one string (used in history and exports)."""
    return f"{src}|{kind}|{dst}"


def parse_tags(value: object) -> tuple[str, ...]:
    """Tags from a list or a ``;``/``,``-separated string, trimmed, without duplicates."""
    if value is None:
        return ()
    items: Iterable[object]
    items = re.split(r"[;,\n]", value) if isinstance(value, str) else value  # type: ignore[assignment]
    seen: dict[str, None] = {}
    for item in items:
        tag = str(item).strip()
        if tag:
            seen.setdefault(tag, None)
    return tuple(seen)


def validate_node(node: Node) -> Node:
    """Check ``node`` against the model and return it normalised; raise ``ValidationError``."""
    check_id(node.id)
    check_node_kind(node.kind)
    what = f"node {node.id}"
    if not isinstance(node.title, str) or not node.title.strip():
        raise ValidationError(f"{what}: title is empty")
    if not isinstance(node.text, str):
        raise ValidationError(f"{what}: text must be text")
    status = node.status
    if status in ("", None):
        status = "open" if node.kind in QUESTION_KINDS else None
    elif node.kind in QUESTION_KINDS:
        check_question_status(status)
    elif not isinstance(status, str):
        raise ValidationError(f"{what}: status must be text")
    if node.source is not None and not isinstance(node.source, str):
        raise ValidationError(f"{what}: source must be text")
    for key in node.props:
        if key in NODE_FIELDS:
            raise ValidationError(f"{what}: {key!r} is a field, not a property")
    props = _check_props(node.props, what)
    return replace(node, status=status, tags=parse_tags(node.tags), props=props)


def validate_edge(edge: Edge) -> Edge:
    """Check the edge's own values (not its ends, which need the store)."""
    check_id(edge.src)
    check_id(edge.dst)
    check_edge_kind(edge.kind)
    what = f"edge {edge.key}"
    if edge.src == edge.dst:
        raise ValidationError(f"{what}: an edge cannot join a node to itself")
    props = _check_props(edge.props, what)
    if edge.kind == "LANDS_IN":
        props.setdefault("status", "proposed")
        check_handover_status(props["status"])
    elif "status" in props and props["status"] is not None and not isinstance(props["status"], str):
        raise ValidationError(f"{what}: status must be text")
    return replace(edge, props=props)


def node_search_text(node: Node) -> str:
    """What text search looks in: title, text, tags and the id, folded."""
    return fold(" ".join([node.title, node.text, " ".join(node.tags), node.id]))
