"""Importer for the City Deal annual report ("Een slimme stad, zo doe je dat").

The report is Markdown converted from PDF. Besides the prose it carries page-break
artefacts: repeated page headers ("City Deal / Een slimme stad, zo doe je dat / Agenda
Stad"), runs of blank lines, and sentences (even hyphenated words) broken over a page.

What is read:

- every CoP section under "Inspanningen en resultaten per CoP" (any heading level, with or
  without bold, "CoP - X" or "CoP X") -> a ``cop`` node;
- its knowledge questions (the bullets after "... kennisvragen:") -> ``knowledge_question``
  nodes, RAISED_IN the CoP and FEEDS each complex question of the CoP;
- its complex questions (after "Achterliggende complexe vraag/vragen": one per bullet, or
  one per paragraph that asks something) -> ``complex_question`` nodes, RAISED_IN the CoP
  and LANDS_IN (status ``proposed``) every landing place its CoP names. A paragraph that
  asks nothing ("Dat is een uitwerking van artikel 2.3 ...") and trailing "Label: ..."
  lines ("Stakeholders: ...") are remarks: they become the question's ``text``, and a
  stakeholder list also the ``stakeholders`` property;
- landing places and organisations named in the "Potentiële landingsplaats(en)" sections,
  recognised through the reviewed alias lists ``landing_places.yaml`` and
  ``organisations.yaml`` (by default those shipped in ``kgraph/data/``);
- the 2024 knowledge themes, the showcases and the Rathenau values.

Ids come from ``make_id`` (a CoP's from its name, a question's from its text; landing
places and organisations from the alias lists), so importing the report again adds nothing.
"""

from __future__ import annotations

import bisect
import codecs
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kgraph.errors import InputError, ValidationError
from kgraph.importers.base import ImportBatch
from kgraph.infile import read_bytes
from kgraph.model import (
    Edge,
    Node,
    check_id,
    make_id,
    normalise_title,
    validate_edge,
    validate_node,
)
from kgraph.paths import DATA

__all__ = [
    "DEFAULT_ALIASES",
    "AliasEntry",
    "Aliases",
    "load_aliases",
    "load_yaml_entries",
    "read",
    "read_text",
]

#: The folder holding ``landing_places.yaml`` and ``organisations.yaml`` (package data).
DEFAULT_ALIASES = DATA
LANDING_PLACES_FILE = "landing_places.yaml"
ORGANISATIONS_FILE = "organisations.yaml"

# --- reading files -------------------------------------------------------------------------


def read_text(path: Path) -> str:
    """The file's text as UTF-8 (a byte-order mark is dropped); ``InputError`` otherwise."""
    data = read_bytes(path)  # refuses a FIFO or device instead of waiting on it
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        ) from None


@dataclass(frozen=True)
class YamlEntry:
    """One item of a YAML list, with the line it starts on and the line of each field."""

    index: int
    line: int
    value: Any
    field_lines: dict[str, int]


def load_yaml_entries(path: Path, key: str | None = None) -> list[YamlEntry]:
    """The items of the list at top level (``key=None``) or under ``key``, with line numbers.

    Raises ``InputError`` naming the file (and line) when it is missing, not UTF-8, not
    valid YAML or not shaped like that.
    """
    text = read_text(path)
    loader = yaml.SafeLoader(text)
    try:  # parsed once: the node tree gives the lines, the same tree gives the values
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"{where}: not valid YAML: {problem}") from None
    finally:
        loader.dispose()
    if root is None:
        return []
    seq_node: yaml.Node | None = root
    seq: Any = data
    if key is not None:
        if not isinstance(root, yaml.MappingNode) or not isinstance(data, dict):
            raise InputError(f"{path}:1: expected a mapping with a '{key}:' list")
        unknown = sorted(str(k) for k in data if k != key)
        if unknown:
            raise InputError(f"{path}:1: unknown top-level key(s) {', '.join(unknown)}")
        seq = data.get(key)
        seq_node = next((v for k, v in root.value if k.value == key), None)
        if seq is None:
            return []
    if not isinstance(seq_node, yaml.SequenceNode) or not isinstance(seq, list):
        line = seq_node.start_mark.line + 1 if seq_node is not None else 1
        raise InputError(f"{path}:{line}: expected a list of entries")
    entries = []
    for index, (node, value) in enumerate(zip(seq_node.value, seq, strict=True), start=1):
        lines: dict[str, int] = {}
        if isinstance(node, yaml.MappingNode):
            lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
        entries.append(YamlEntry(index, node.start_mark.line + 1, value, lines))
    return entries


# --- alias lists ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AliasEntry:
    """A landing place or organisation from a reviewed alias list."""

    id: str
    kind: str
    title: str
    text: str
    tags: tuple[str, ...]
    part_of: str | None
    patterns: tuple[re.Pattern[str], ...]
    source: str
    part_of_source: str | None = None


@dataclass(frozen=True)
class Aliases:
    """The reviewed alias lists the importer recognises names with."""

    landing_places: tuple[AliasEntry, ...]
    organisations: tuple[AliasEntry, ...]

    def by_id(self) -> dict[str, AliasEntry]:
        return {e.id: e for e in (*self.landing_places, *self.organisations)}


_ENTRY_KEYS = {"id", "title", "text", "tags", "aliases", "regexes", "part_of"}


def _alias_pattern(alias: str) -> re.Pattern[str]:
    """A whole-word, case-insensitive pattern; spaces/hyphens match any run of them."""
    words = [re.escape(w) for w in re.split(r"[\s\-–]+", alias.strip()) if w]
    body = r"[\s\-–]*".join(words)
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def _load_alias_file(path: Path, key: str, kind: str, problems: list[str]) -> list[AliasEntry]:
    entries: list[AliasEntry] = []
    seen: set[str] = set()
    for entry in load_yaml_entries(path, key):
        value = entry.value
        where = f"{path}:{entry.line}: entry {entry.index}"
        if not isinstance(value, dict):
            problems.append(f"{where}: expected a mapping with id, title and aliases")
            continue
        entry_id = value.get("id")
        where = f"{where} ({entry_id})" if isinstance(entry_id, str) else where

        def bad(name: str, message: str, *, where: str = where, e: YamlEntry = entry) -> None:
            line = e.field_lines.get(name, e.line)
            problems.append(f"{where}: field '{name}' (line {line}): {message}")

        for unknown in sorted(set(map(str, value)) - _ENTRY_KEYS):
            bad(unknown, f"unknown field; expected {', '.join(sorted(_ENTRY_KEYS))}")
        try:
            check_id(entry_id)
        except ValidationError as exc:
            bad("id", str(exc))
            continue
        assert isinstance(entry_id, str)
        if entry_id in seen:
            bad("id", "duplicate id")
        seen.add(entry_id)
        title = value.get("title")
        if not isinstance(title, str) or not title.strip():
            bad("title", "missing or empty")
            continue
        text = value.get("text") or ""
        if not isinstance(text, str):
            bad("text", "must be text")
            text = ""
        tags = value.get("tags") or []
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            bad("tags", "must be a list of text")
            tags = []
        patterns = [_alias_pattern(title)]
        aliases = value.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
            bad("aliases", "must be a list of non-empty text")
            aliases = []
        patterns.extend(_alias_pattern(a) for a in aliases)
        regexes = value.get("regexes") or []
        if not isinstance(regexes, list):
            bad("regexes", "must be a list of regular expressions")
            regexes = []
        for rx in regexes:
            try:
                patterns.append(re.compile(str(rx)))
            except re.error as exc:
                bad("regexes", f"{rx!r} is not a valid regular expression: {exc}")
        part_of = value.get("part_of")
        if part_of is not None and not isinstance(part_of, str):
            bad("part_of", "must be the id of another entry")
            part_of = None
        part_of_line = entry.field_lines.get("part_of", entry.line)
        entries.append(
            AliasEntry(
                id=entry_id,
                kind=kind,
                title=title.strip(),
                text=text.strip(),
                tags=tuple(tags),
                part_of=part_of,
                patterns=tuple(patterns),
                source=f"{path.name}:{entry.line}",
                part_of_source=f"{path.name}:{part_of_line}" if part_of else None,
            )
        )
    ids = {e.id for e in entries}
    for e in entries:
        if e.part_of is not None and (e.part_of not in ids or e.part_of == e.id):
            problems.append(
                f"{path}:{e.source.rsplit(':', 1)[1]}: entry ({e.id}): field 'part_of': "
                f"{e.part_of!r} is not another entry of this file"
            )
    return entries


def load_aliases(folder: str | Path | None = None) -> Aliases:
    """Read ``landing_places.yaml`` and ``organisations.yaml`` from ``folder``.

    Raises ``InputError`` listing every problem (file, entry, field).
    """
    base = Path(folder) if folder is not None else DEFAULT_ALIASES
    if not base.is_dir():
        raise InputError(
            f"{base}: alias folder not found (it holds {LANDING_PLACES_FILE} "
            f"and {ORGANISATIONS_FILE})"
        )
    problems: list[str] = []
    lps = _load_alias_file(base / LANDING_PLACES_FILE, "landing_places", "landing_place", problems)
    orgs = _load_alias_file(base / ORGANISATIONS_FILE, "organisations", "organisation", problems)
    clash = {e.id for e in lps} & {e.id for e in orgs}
    problems.extend(
        f"{base}: id {i!r} is both a landing place and an organisation" for i in sorted(clash)
    )
    if problems:
        raise InputError(f"{base}: the alias lists have {len(problems)} problem(s)", problems)
    return Aliases(tuple(lps), tuple(orgs))


# --- Markdown lines ------------------------------------------------------------------------

_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_BULLET = re.compile(r"^\s*(?:(?:[-*+•]|>>|\d{1,3}[.)])\s+)+")
_BOLD_LINE = re.compile(r"^\s*(\*\*|__)((?:(?!\1).)+)\1\s*:?\s*$")
_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")

# The running page header, as normalised words; its first part alone counts as well.
_PAGE_HEADER = "city deal een slimme stad zo doe je dat agenda stad"
_PAGE_HEADER_MIN_WORDS = 9  # "city deal een slimme stad zo doe je dat"


def _clean_inline(text: str) -> str:
    """Markdown links, bold/italic markers and extra whitespace removed."""
    text = _LINK.sub(lambda m: m.group(1) or m.group(2), text)
    text = _AUTOLINK.sub(r"\1", text)
    text = text.replace("**", "").replace("__", "").replace("*", "")
    return " ".join(text.split())


def _header_prefix(words: str) -> bool:
    return words == _PAGE_HEADER or _PAGE_HEADER.startswith(words + " ")


def _strip_page_headers(lines: list[str]) -> list[str]:
    """Blank out the running page-header blocks, keeping line numbers intact.

    A block is a run of lines (blank lines allowed in between) whose words, in order, spell
    the header; matching words rather than bytes copes with bold markers, line breaks and
    a one-line variant.
    """
    out = list(lines)
    i = 0
    while i < len(lines):
        words = normalise_title(lines[i])
        if words.startswith("city deal") and _header_prefix(words):
            used = [i]
            j = i + 1
            while j < len(lines) and words != _PAGE_HEADER:
                more = normalise_title(lines[j])
                if more and _header_prefix(f"{words} {more}"):
                    words = f"{words} {more}"
                    used.append(j)
                elif more:
                    break
                j += 1
            if len(words.split()) >= _PAGE_HEADER_MIN_WORDS:
                for k in used:
                    out[k] = ""
                i = used[-1] + 1
                continue
        i += 1
    return out


@dataclass
class _Text:
    """Text joined from physical lines, remembering where each line's part starts."""

    text: str
    offsets: list[int]
    lines: list[int]

    @property
    def line(self) -> int:
        return self.lines[0]

    def line_at(self, pos: int) -> int:
        return self.lines[max(bisect.bisect_right(self.offsets, pos) - 1, 0)]


def _join(pieces: Sequence[tuple[int, str]]) -> _Text:
    text = ""
    offsets: list[int] = []
    lines: list[int] = []
    for line, piece in pieces:
        # A line ending in a hyphen after a letter was cut inside a word; the hyphen stays
        # because Dutch compounds keep it ("Opdrachtgever-Opdrachtnemer").
        if text and not (text.endswith("-") and len(text) > 1 and text[-2].isalnum()):
            text += " "
        offsets.append(len(text))
        lines.append(line)
        text += piece
    return _Text(text, offsets, lines)


def _continues(before: str, after: str) -> bool:
    """Whether ``after`` (past blank lines) continues a sentence a page break cut off."""
    if before.endswith("-") and len(before) > 1 and before[-2].isalnum():
        return True
    return bool(after) and after[0].islower() and before[-1:] not in ".?!:;"


@dataclass
class _Heading:
    line: int
    level: int
    text: str


@dataclass
class _Marker:
    line: int
    kind: str  # "kq" | "cq" | "lp"


@dataclass
class _Item:
    kind: str  # "bullet" | "para"
    pieces: list[tuple[int, str]]

    @property
    def line(self) -> int:
        return self.pieces[0][0]

    def joined(self) -> _Text:
        return _join(self.pieces)


_Event = _Heading | _Marker | _Item

_KQ_HEADING = re.compile(r"\bkennisvragen\b", re.IGNORECASE)
_KQ_LINE = re.compile(r"^.{0,100}\bkennisvragen\s*:?$", re.IGNORECASE)
_CQ_MARKER = re.compile(
    r"^(?:achterliggende\s+)?complexe\s+vra(?:ag|gen)\s*(?::\s*(?P<rest>.*))?$", re.IGNORECASE
)
_LP_MARKER = re.compile(
    r"^(?:potenti[eë]le\s+)?landings(?:plaats(?:\s*\(en\)|en)?|plek(?:\(ken\)|ken)?)"
    r"\s*(?::\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)
_COP_HEADING = re.compile(
    r"^(?:cop|community\s+of\s+practice)(?:\s*[-–—:]\s*|\s+)(?P<name>\S.*?)\s*:?$",
    re.IGNORECASE,
)
_ANCHOR = re.compile(r"\b(?:inspanningen|resultaten)\b.*\bper\s+cop\b", re.IGNORECASE)


def _marker(text: str, *, heading: bool) -> tuple[str, str] | None:
    """Which CoP subsection ``text`` opens (kq/cq/lp) and any text after its colon."""
    for kind, pattern in (("cq", _CQ_MARKER), ("lp", _LP_MARKER)):
        m = pattern.match(text)
        if m:
            return kind, (m.group("rest") or "").strip()
    if (_KQ_HEADING if heading else _KQ_LINE).search(text):
        return "kq", ""
    return None


def _events(lines: list[str]) -> list[_Event]:
    """Headings, subsection markers and items (bullets or paragraphs) in document order."""
    events: list[_Event] = []
    current: _Item | None = None
    after_blank = False

    def close() -> None:
        nonlocal current
        if current is not None:
            events.append(current)
            current = None

    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            after_blank = current is not None
            continue
        heading = _HEADING.match(raw)
        bold = _BOLD_LINE.match(raw) if heading is None else None
        if heading or bold:
            text = _clean_inline(heading.group(2) if heading else raw)
            level = len(heading.group(1)) if heading else 7
            marker = _marker(text, heading=True)
            # A bold-only line is a heading only when it is one we know.
            if heading or marker or _COP_HEADING.match(text):
                close()
                events.append(_Heading(number, level, text))
                if marker and marker[1]:
                    current = _Item("para", [(number, marker[1])])
                after_blank = False
                continue
        bullet = _BULLET.match(raw)
        text = _clean_inline(raw[bullet.end() :] if bullet else raw)
        if not text:
            continue
        if bullet:
            close()
            current = _Item("bullet", [(number, text)])
        else:
            marker = _marker(text, heading=False)
            if marker:
                close()
                events.append(_Marker(number, marker[0]))
                if marker[1]:
                    current = _Item("para", [(number, marker[1])])
            elif current is not None and (
                not after_blank or _continues(current.pieces[-1][1], text)
            ):
                current.pieces.append((number, text))
            else:
                close()
                current = _Item("para", [(number, text)])
        after_blank = False
    close()
    return events


# --- CoP sections --------------------------------------------------------------------------

_QUESTION_WORDS = frozenset(
    {"hoe", "wat", "wie", "waar", "wanneer", "waarom", "welke", "welk", "hoeveel", "waarmee"}
    | {"waardoor", "kan", "kunnen", "moet", "moeten", "mag", "mogen", "is", "zijn"}
)
# "Stakeholders: ...", "Partners: ..." on its own line after a question.
_LABEL_LINE = re.compile(r"^(?P<label>[A-ZÀ-Ý][\w\- ]{1,30}):\s+\S")
_STAKEHOLDER_LABELS = frozenset({"stakeholders", "stakeholder", "belanghebbenden"})


@dataclass
class _Complex:
    title: str
    line: int
    remarks: list[_Text] = field(default_factory=list)
    stakeholders: list[str] = field(default_factory=list)


@dataclass
class _CoP:
    name: str
    line: int
    level: int
    prose: list[_Text] = field(default_factory=list)
    kqs: list[tuple[str, int]] = field(default_factory=list)
    cqs: list[_Complex] = field(default_factory=list)
    statements: list[_Text] = field(default_factory=list)
    ignored: list[_Text] = field(default_factory=list)


def _is_question(text: str) -> bool:
    words = normalise_title(text).split()
    return "?" in text or (bool(words) and words[0] in _QUESTION_WORDS)


def _question_title(text: str) -> str:
    title = re.sub(r"\?\s*\.+$", "?", text.strip())  # "besluitvorming?." -> "...?"
    return title.rstrip(" ;,")


def _split_list(text: str) -> list[str]:
    """Items of an enumeration: ';' or ',' separated, the last pair joined by 'en'."""
    text = text.strip().rstrip(".").strip()
    parts = text.split(";") if ";" in text else text.split(",")
    last = re.split(r"\s+(?:en|and|&)\s+(?![^(]*\))", parts[-1])
    return [p.strip(" .") for p in [*parts[:-1], *last] if p.strip(" .")]


def _complex_from(item: _Item) -> _Complex:
    """A complex question from an item; trailing "Label: ..." lines become remarks."""
    cut = next(
        (k for k, (_, text) in enumerate(item.pieces) if k and _LABEL_LINE.match(text)),
        len(item.pieces),
    )
    question = _join(item.pieces[:cut])
    cq = _Complex(_question_title(question.text), question.line)
    if cut < len(item.pieces):
        remark = _join(item.pieces[cut:])
        cq.remarks.append(remark)
        for _, text in item.pieces[cut:]:
            m = _LABEL_LINE.match(text)
            if m and m.group("label").strip().casefold() in _STAKEHOLDER_LABELS:
                cq.stakeholders.extend(_split_list(text[m.end("label") + 1 :]))
    return cq


def _take(cop: _CoP, mode: str, item: _Item, where: str, notes: list[str]) -> None:
    text = item.joined()
    if mode == "kq":
        if item.kind == "bullet" or text.text.endswith("?"):
            cop.kqs.append((_question_title(text.text), text.line))
        else:
            cop.prose.append(text)
    elif mode == "cq":
        if item.kind == "bullet" or _is_question(text.text):
            cop.cqs.append(_complex_from(item))
        elif cop.cqs:
            cop.cqs[-1].remarks.append(text)
        else:
            cop.prose.append(text)
            notes.append(
                f"{where}:{text.line}: text under the complex questions of CoP "
                f"{cop.name} asks nothing; kept as the CoP's text"
            )
    elif mode == "lp":
        cop.statements.append(text)
    elif mode == "other":
        cop.ignored.append(text)
    else:
        cop.prose.append(text)


def _parse_cops(
    events: list[_Event], where: str, problems: list[str], notes: list[str]
) -> list[_CoP]:
    """The CoP sections; with an "Inspanningen en resultaten per CoP" heading only under it."""
    has_anchor = any(isinstance(e, _Heading) and _ANCHOR.search(e.text) for e in events)
    in_region = not has_anchor
    region_level = 0
    cops: list[_CoP] = []
    cop: _CoP | None = None
    mode = "intro"
    for ev in events:
        if isinstance(ev, _Heading):
            if _ANCHOR.search(ev.text):
                in_region, region_level, cop = True, ev.level, None
                continue
            m = _COP_HEADING.match(ev.text)
            if m and in_region:
                name = m.group("name").strip(" :-–")
                if not name:
                    problems.append(f"{where}:{ev.line}: CoP heading without a name")
                    cop = None
                    continue
                cop = _CoP(name, ev.line, ev.level)
                cops.append(cop)
                mode = "intro"
                continue
            marker = _marker(ev.text, heading=True)
            if marker and cop is not None:
                mode = marker[0]
                continue
            if has_anchor and ev.level <= region_level:
                in_region = False
            if cop is not None:
                if ev.level <= cop.level:
                    cop = None
                else:
                    mode = "other"
                    notes.append(
                        f"{where}:{ev.line}: heading {ev.text!r} in CoP {cop.name} "
                        "is not a known subsection; its text was not imported"
                    )
        elif isinstance(ev, _Marker):
            if cop is not None:
                mode = ev.kind
        elif cop is not None:
            _take(cop, mode, ev, where, notes)
    return cops


# --- names in text -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    entry: AliasEntry


def _find(text: str, entries: Iterable[AliasEntry]) -> list[_Match]:
    """Mentions of ``entries`` in ``text``; where matches overlap, the longest wins."""
    found = [
        _Match(m.start(), m.end(), e)
        for e in entries
        for p in e.patterns
        for m in p.finditer(text)
        if m.end() > m.start()
    ]
    found.sort(key=lambda m: (m.start - m.end, m.start))
    kept: list[_Match] = []
    for m in found:
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


# Role cues: the last cue before a name in the same clause gives its role. A clause ends at
# a parenthesis, a semicolon or a sentence end, so "(met in de lead ... TU/d)" reads apart
# from "opgezet door TU/d, RUG en WE LABS".
_ROLE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "lead",
        re.compile(
            r"onder\s+leiding\s+van|in\s+de\s+lead|geleid\s+door|trekker|"
            r"penvoerder",
            re.IGNORECASE,
        ),
    ),
    (
        "consortium",
        re.compile(r"consortium|(?:opgezet|aangevraagd|ingediend)\s+door", re.IGNORECASE),
    ),
    ("coalition", re.compile(r"coalitie|bestaande\s+uit|samengesteld\s+uit", re.IGNORECASE)),
    ("owner", re.compile(r"^\(\s*van\b|eigenaar", re.IGNORECASE)),
)
_CLAUSE_END = re.compile(r"[();]|[.!?](?=\s)")
_FUNDER_AFTER = re.compile(r"^[\s-]*subsidie", re.IGNORECASE)
#: When a name gets several roles in one place, the first of these wins.
ROLE_ORDER: tuple[str, ...] = ("lead", "owner", "funder", "consortium", "coalition", "partner")


def _role(text: str, match: _Match, names: Sequence[_Match]) -> str:
    """The role the text gives the name at ``match``; ``names`` are all names in the text."""
    if _FUNDER_AFTER.match(text[match.end :]):
        return "funder"
    start = 0
    for m in _CLAUSE_END.finditer(text, 0, match.start):
        start = m.start() if m.group() == "(" else m.end()
    clause = text[start : match.start]
    cues = sorted(
        ((start + m.end(), role) for role, cue in _ROLE_CUES for m in cue.finditer(clause)),
        reverse=True,
    )
    for end, role in cues:
        # "onder leiding van X, met Y" leads with X only: a lead cue is spent on the first name.
        if role == "lead" and any(end <= n.start < match.start for n in names):
            continue
        return role
    return "partner"


def _sentence_end(text: str, pos: int) -> int:
    m = re.compile(r"[.!?](?=\s|$)").search(text, pos)
    return m.end() if m else len(text)


# --- the whole report ----------------------------------------------------------------------


@dataclass
class _Builder:
    name: str
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], Edge] = field(default_factory=dict)
    places: dict[str, int] = field(default_factory=dict)  # landing place -> first line

    def src(self, line: int) -> str:
        return f"{self.name}:{line}"

    def node(
        self,
        kind: str,
        node_id: str,
        title: str,
        line: int | str,
        *,
        text: str = "",
        tags: Sequence[str] = (),
        props: dict[str, Any] | None = None,
    ) -> str:
        if node_id not in self.nodes:
            source = self.src(line) if isinstance(line, int) else line
            self.nodes[node_id] = Node(
                node_id, kind, title, text=text, tags=tuple(tags), source=source, props=props or {}
            )
        return node_id

    def edge(self, src: str, kind: str, dst: str, **props: Any) -> None:
        key = (src, kind, dst)
        if key not in self.edges:
            self.edges[key] = Edge(src, kind, dst, props=props)


def _landing_places(b: _Builder, aliases: Aliases) -> None:
    """Nodes for the landing places named (sourced where first named), their parents
    (sourced in the alias list unless named too) and PART_OF edges."""
    lookup = aliases.by_id()
    todo = list(b.places)
    while todo:
        entry = lookup[todo.pop(0)]
        where = b.places.get(entry.id)
        b.node(
            "landing_place",
            entry.id,
            entry.title,
            where if where else entry.source,
            text=entry.text,
            tags=entry.tags,
        )
        if entry.part_of is not None:
            b.edge(entry.id, "PART_OF", entry.part_of, source=entry.part_of_source)
            if entry.part_of not in b.nodes and entry.part_of not in todo:
                todo.append(entry.part_of)


def _build_cop(b: _Builder, cop: _CoP, aliases: Aliases, notes: list[str]) -> None:
    cop_id = b.node(
        "cop",
        make_id("cop", cop.name),
        cop.name,
        cop.line,
        text="\n\n".join(t.text for t in cop.prose),
    )
    cq_ids: list[str] = []
    for cq in cop.cqs:
        props: dict[str, Any] = {"stakeholders": cq.stakeholders} if cq.stakeholders else {}
        cq_id = make_id("complex_question", cq.title)
        if cq_id in b.nodes:
            notes.append(f"{b.src(cq.line)}: complex question repeated; imported once")
        b.node(
            "complex_question",
            cq_id,
            cq.title,
            cq.line,
            text="\n\n".join(r.text for r in cq.remarks),
            props=props,
        )
        b.edge(cq_id, "RAISED_IN", cop_id)
        cq_ids.append(cq_id)
    for title, line in cop.kqs:
        kq_id = make_id("knowledge_question", title)
        if kq_id in b.nodes:
            notes.append(f"{b.src(line)}: knowledge question repeated; imported once")
        b.node("knowledge_question", kq_id, title, line)
        b.edge(kq_id, "RAISED_IN", cop_id)
        for cq_id in cq_ids:
            b.edge(kq_id, "FEEDS", cq_id)
    if not cop.kqs:
        notes.append(f"{b.src(cop.line)}: CoP {cop.name} lists no knowledge questions")

    landing: dict[str, int] = {}  # landing place id -> line of its first mention
    involved: dict[tuple[str, str], tuple[str, int]] = {}  # (from, org) -> (role, line)
    for statement in cop.statements:
        places = _find(statement.text, aliases.landing_places)
        for m in places:
            landing.setdefault(m.entry.id, statement.line_at(m.start))
            b.places.setdefault(m.entry.id, statement.line_at(m.start))
        names = _find(statement.text, aliases.organisations)
        for m in names:
            line = statement.line_at(m.start)
            before = [p for p in places if p.end <= m.start]
            after = [
                p
                for p in places
                if p.start >= m.end and p.start < _sentence_end(statement.text, m.end)
            ]
            target = before[-1].entry.id if before else after[0].entry.id if after else cop_id
            role = _role(statement.text, m, names)
            b.node(
                "organisation",
                m.entry.id,
                m.entry.title,
                line,
                text=m.entry.text,
                tags=m.entry.tags,
            )
            key = (target, m.entry.id)
            if key not in involved or ROLE_ORDER.index(role) < ROLE_ORDER.index(involved[key][0]):
                involved[key] = (role, involved.get(key, (role, line))[1])
        if not places:
            notes.append(
                f"{b.src(statement.line)}: no known landing place in "
                f"{_excerpt(statement.text)!r} (CoP {cop.name}); add it to "
                f"{LANDING_PLACES_FILE} if it is one"
            )
    for (target, org_id), (role, line) in involved.items():
        b.edge(target, "INVOLVES", org_id, role=role, source=b.src(line))
    for lp_id, line in landing.items():
        for cq_id in cq_ids:
            b.edge(cq_id, "LANDS_IN", lp_id, status="proposed", source=b.src(line))
        if not cq_ids:
            # Without complex questions the CoP itself is what would land there.
            b.edge(cop_id, "LANDS_IN", lp_id, status="proposed", source=b.src(line))
    if cq_ids and not landing:
        notes.append(
            f"{b.src(cop.line)}: CoP {cop.name} names no landing place for its complex questions"
        )

    # Organisations named elsewhere in the section are not involved in the CoP by that.
    named: set[str] = set()
    texts = [*cop.prose, *(r for cq in cop.cqs for r in cq.remarks)]
    texts += [_Text(cq.title, [0], [cq.line]) for cq in cop.cqs]
    for text in texts:
        for m in _find(text.text, aliases.organisations):
            if m.entry.id not in named:
                named.add(m.entry.id)
                notes.append(
                    f"{b.src(text.line_at(m.start))}: {m.entry.title} is named in CoP "
                    f"{cop.name} outside its landing places; no INVOLVES link made"
                )
    for text in cop.ignored:
        notes.append(f"{b.src(text.line)}: not imported: {_excerpt(text.text)!r}")


def _excerpt(text: str, size: int = 70) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _themes(b: _Builder, events: list[_Event], notes: list[str]) -> None:
    """The bullet list under the first heading about kennisthema's that has one."""
    for index, ev in enumerate(events):
        if not (isinstance(ev, _Heading) and re.search(r"kennisthema", ev.text, re.I)):
            continue
        items: list[_Item] = []
        for later in events[index + 1 :]:
            if isinstance(later, _Heading | _Marker):
                break
            if later.kind == "bullet":
                items.append(later)
            elif items:
                break
        for item in items:
            title = item.joined().text.rstrip(" .;,")
            b.node("theme", make_id("theme", title), title, item.line)
        if items:
            return
    notes.append(f"{b.name}: no list of knowledge themes (kennisthema's) found")


_SHOWCASE_LIST = re.compile(r"\bshowcases?\b[^:]*:\s*(?P<list>.+)$", re.IGNORECASE)
_PLACE_AREA = re.compile(r"^(?P<place>.*?)\s*\((?P<area>[^)]*)\)$")


def _showcases(b: _Builder, lines: list[str], notes: list[str]) -> None:
    """The first enumeration after "... Showcase ...:" on one line."""
    for number, raw in enumerate(lines, start=1):
        m = _SHOWCASE_LIST.search(_clean_inline(raw))
        items = _split_list(m.group("list")) if m else []
        if len(items) < 2 or any(len(i) > 80 for i in items):
            continue
        for title in items:
            pa = _PLACE_AREA.match(title)
            props = (
                {"place": pa.group("place"), "area": pa.group("area")} if pa else {"place": title}
            )
            b.node("showcase", make_id("showcase", title), title, number, props=props)
        return
    notes.append(f"{b.name}: no list of showcases found")


def _values(b: _Builder, lines: list[str], notes: list[str]) -> None:
    """The ethical values the report lists after naming the Rathenau Instituut."""
    for number, raw in enumerate(lines, start=1):
        text = _clean_inline(raw)
        at = text.find("Rathenau")
        m = re.compile(r":\s*(?P<list>[^:.]+)").search(text, at) if at >= 0 else None
        items = _split_list(m.group("list")) if m else []
        if len(items) < 2:
            continue
        for item in items:
            title = item[:1].upper() + item[1:]
            b.node(
                "value",
                make_id("value", item),
                title,
                number,
                props={"listed_by": "Rathenau Instituut"},
            )
        return
    notes.append(f"{b.name}: no list of Rathenau values found")


def read(source: str | Path, *, aliases: str | Path | None = None) -> ImportBatch:
    """Read the City Deal annual report at ``source`` into an ``ImportBatch``.

    ``aliases`` is the folder with ``landing_places.yaml`` and ``organisations.yaml``
    (default: those shipped in ``kgraph/data/``). Raises ``InputError`` naming the file (and
    line) when the file is missing, not UTF-8 or holds no CoP sections; ``batch.notes``
    lists what was noticed but could not be placed.
    """
    path = Path(source)
    alias_lists = load_aliases(aliases)
    text = read_text(path)
    if not text.strip():
        raise InputError(f"{path}: the file is empty; expected the City Deal report")
    lines = _strip_page_headers(text.splitlines())
    problems: list[str] = []
    notes: list[str] = []
    events = _events(lines)
    cops = _parse_cops(events, path.name, problems, notes)
    if not cops and not problems:
        raise InputError(
            f"{path}: no CoP sections found; is this the City Deal report? Expected headings "
            "such as '#### CoP - Ethiek' (under 'Inspanningen en resultaten per CoP')"
        )
    b = _Builder(path.name)
    seen_cops: set[str] = set()
    for cop in cops:
        if make_id("cop", cop.name) in seen_cops:
            notes.append(f"{path.name}:{cop.line}: CoP {cop.name} appears again; merged")
        seen_cops.add(make_id("cop", cop.name))
        _build_cop(b, cop, alias_lists, notes)
    _landing_places(b, alias_lists)
    _themes(b, events, notes)
    _showcases(b, lines, notes)
    _values(b, lines, notes)

    nodes: list[Node] = []
    for node in b.nodes.values():
        try:
            nodes.append(validate_node(node))
        except ValidationError as exc:
            problems.append(f"{node.source}: {exc}")
    edges: list[Edge] = []
    for edge in b.edges.values():
        try:
            edges.append(validate_edge(edge))
        except ValidationError as exc:
            problems.append(f"{path.name}: {exc}")
    if problems:
        raise InputError(f"{path}: {len(problems)} problem(s) in the report", problems)
    return ImportBatch(source=str(path), nodes=nodes, edges=edges, notes=notes)
