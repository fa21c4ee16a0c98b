"""Question registers kept as Markdown: one question per file with YAML front matter, a
themes table and contributor profiles, as in the CAA research agenda::

    _questions/Q1.md       question_code, question_num, question_text,
                           previous_question_code, contributors; the body explains it
    _data/themes.csv       question_num, theme, subtheme, lead_author, theme_url, ...
    _contributors/NAME.md  username, firstname, surname, affiliation

How it maps onto the model (people are not nodes in kgraph):

- each question -> a ``knowledge_question`` (id ``kq:<register>-q1``; title the question
  text; text the body, with Jekyll ``{% link _questions/Q2.md %}`` written as ``Q2``); its
  properties ``question_code``, ``question_num``, ``previous_question_code`` (the number
  the question had in an earlier draft — a property, never a link: today's question with
  that number is a different question), ``contributors`` (full names from the profiles),
  ``subtheme`` and ``lead_author`` (the subtheme's lead); the subtheme is also a tag;
- each theme -> a ``theme`` node with ``subthemes`` and ``lead_authors`` as properties,
  and ``question RAISED_IN theme``;
- a link to another question under "Related questions" -> ``RELATES_TO``.

A lead author given by first name only is written as the contributor's full name when
exactly one contributor has that first name. E-mail addresses are not imported.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import yaml

from kgraph.errors import InputError, KGraphError
from kgraph.importers.base import ImportBatch
from kgraph.infile import check_folder, read_bytes
from kgraph.model import Edge, Node, make_id, validate_edge, validate_node

_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_LINK = re.compile(r"\{%\s*link\s+_questions/([A-Za-z0-9_-]+)\.md\s*%\}")
_MAX_DEPTH = 50
_RELATED = re.compile(
    r"^##\s+Related questions\s*$(.*?)(?=^##\s|\Z)", re.MULTILINE | re.DOTALL | re.IGNORECASE
)


def _read_text(path: Path, name: str, problems: list[str]) -> str | None:
    try:
        data = read_bytes(path)  # a FIFO or device among the files is refused, not waited on
    except InputError as exc:
        problems.append(f"{name}: {str(exc).removeprefix(str(path) + ': ')}")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(f"{name}, line {line}: not UTF-8 ({exc.reason}); save it as UTF-8")
        return None


def _yaml_problem(source: str) -> str | None:
    """Why ``source`` is refused before it is built: aliases (which can make a few lines
    expand to gigabytes when the values are used) or nesting deeper than ``_MAX_DEPTH``
    (which would exhaust Python's stack). Reading the events is linear and flat."""
    depth = 0
    for event in yaml.parse(source, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 2 if event.start_mark is not None else 1
        if isinstance(event, yaml.AliasEvent):
            return f"line {line}: YAML aliases (*name) are not allowed"
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > _MAX_DEPTH:
                return f"line {line}: nested deeper than {_MAX_DEPTH} levels"
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def _front_matter(path: Path, root: Path, problems: list[str]) -> tuple[dict[str, Any], str] | None:
    name = str(path.relative_to(root))
    text = _read_text(path, name, problems)
    if text is None:
        return None
    match = _FRONT.match(text)
    if match is None:
        problems.append(f"{name}, line 1: no YAML front matter (a block between --- lines)")
        return None
    try:
        refused = _yaml_problem(match.group(1))
        if refused is not None:
            problems.append(f"{name}, {refused}")
            return None
        data = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        why = " ".join(str(exc).split())
        problems.append(f"{name}, line {line}: front matter is not valid YAML: {why}")
        return None
    if not isinstance(data, dict):
        problems.append(f"{name}, line 2: front matter must be a mapping of fields")
        return None
    return data, text[match.end() :]


def _people(root: Path, problems: list[str]) -> dict[str, dict[str, Any]]:
    people: dict[str, dict[str, Any]] = {}
    for path in sorted((root / "_contributors").glob("*.md")):
        parsed = _front_matter(path, root, problems)
        if parsed is None:
            continue
        data = parsed[0]
        username = str(data.get("username") or path.stem)
        people[username] = data
    return people


def _full_name(person: dict[str, Any], username: str) -> str:
    name = " ".join(str(person.get(k) or "").strip() for k in ("firstname", "surname")).strip()
    return name or username


def _themes(root: Path, problems: list[str]) -> dict[str, dict[str, str]]:
    path = root / "_data" / "themes.csv"
    if not path.exists():
        return {}
    rows: dict[str, dict[str, str]] = {}
    text = _read_text(path, "_data/themes.csv", problems)
    if text is None:
        return rows
    with io.StringIO(text, newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            num = (row.get("question_num") or "").strip()
            if not num:
                problems.append(f"_data/themes.csv, row {number}, column question_num: empty")
                continue
            if not (row.get("theme") or "").strip():
                problems.append(f"_data/themes.csv, row {number}, column theme: empty")
                continue
            rows[num] = {k: (v or "").strip() for k, v in row.items() if k}
    return rows


def read(source: str | Path, *, register: str | None = None, **_: Any) -> ImportBatch:
    """Read a register folder; ``register`` names it in ids (default: the folder name)."""
    root = check_folder(source)
    if not (root / "_questions").is_dir():
        raise InputError(f"{root}: no _questions folder (one Markdown file per question)")
    prefix = register or root.resolve().name
    problems: list[str] = []
    people = _people(root, problems)
    themes = _themes(root, problems)
    by_first: dict[str, list[str]] = {}
    for username, person in people.items():
        by_first.setdefault(str(person.get("firstname") or "").strip().casefold(), []).append(
            username
        )

    def lead_name(given: str) -> str:
        matches = by_first.get(given.strip().casefold(), [])
        return _full_name(people[matches[0]], matches[0]) if len(matches) == 1 else given

    batch = ImportBatch(source=str(root))
    code_to_id: dict[str, str] = {}
    theme_nodes: dict[str, dict[str, Any]] = {}
    related: list[tuple[str, str, str]] = []
    files = sorted((root / "_questions").glob("*.md"), key=lambda p: (len(p.stem), p.stem))
    for path in files:
        name = str(path.relative_to(root))
        parsed = _front_matter(path, root, problems)
        if parsed is None:
            continue
        data, body = parsed
        code = str(data.get("question_code") or path.stem).strip()
        title = " ".join(str(data.get("question_text") or "").split())
        if not title:
            problems.append(f"{name}, front matter, field question_text: empty")
            continue
        num = str(data.get("question_num") or "").strip()
        contributors = [str(c) for c in (data.get("contributors") or []) if c]
        props: dict[str, Any] = {"question_code": code, "register": prefix}
        if num:
            props["question_num"] = int(num) if num.isdigit() else num
        if data.get("previous_question_code"):
            props["previous_question_code"] = str(data["previous_question_code"]).strip()
        if contributors:
            props["contributors"] = [_full_name(people.get(c, {}), c) for c in contributors]
        tags: list[str] = []
        theme_row = themes.get(num)
        node_id = make_id("knowledge_question", prefix, code)
        if theme_row:
            props["subtheme"] = theme_row.get("subtheme", "")
            props["lead_author"] = lead_name(theme_row.get("lead_author", ""))
            tags.append(theme_row.get("subtheme", ""))
            theme = theme_nodes.setdefault(
                theme_row["theme"],
                {
                    "id": make_id(
                        "theme", prefix, theme_row.get("theme_url") or theme_row["theme"]
                    ),
                    "subthemes": {},
                    "leads": {},
                },
            )
            theme["subthemes"][theme_row.get("subtheme", "")] = None
            theme["leads"][props["lead_author"]] = None
            batch.edges.append(Edge(node_id, "RAISED_IN", theme["id"]))
        else:
            batch.notes.append(f"{name}: question {num or code} is not in _data/themes.csv")
        section = _RELATED.search(body)
        if section:
            for other in dict.fromkeys(_LINK.findall(section.group(1))):
                related.append((node_id, other, name))
        text = _LINK.sub(lambda m: m.group(1), body).strip()
        try:
            node = validate_node(
                Node(
                    node_id,
                    "knowledge_question",
                    title,
                    text=text,
                    tags=tuple(t for t in tags if t),
                    source=f"{root.name}/{name}",
                    props={k: v for k, v in props.items() if v not in ("", None)},
                )
            )
        except KGraphError as exc:
            problems.append(f"{name}: {exc}")
            continue
        code_to_id[path.stem] = node.id
        code_to_id[code] = node.id
        batch.nodes.append(node)
    for theme_title, theme in theme_nodes.items():
        batch.nodes.append(
            Node(
                theme["id"],
                "theme",
                theme_title,
                source=f"{root.name}/_data/themes.csv",
                props={
                    "subthemes": [s for s in theme["subthemes"] if s],
                    "lead_authors": [p for p in theme["leads"] if p],
                    "register": prefix,
                },
            )
        )
    seen: set[tuple[str, str]] = set()
    for src, other, name in related:
        dst = code_to_id.get(other)
        if dst is None:
            batch.notes.append(f"{name}: related question {other} has no file; link left out")
            continue
        if dst == src or (src, dst) in seen:
            continue
        seen.add((src, dst))
        batch.edges.append(validate_edge(Edge(src, "RELATES_TO", dst)))
    if problems:
        raise InputError(f"{root.name}: {len(problems)} problem(s); nothing imported", problems)
    return batch
