"""The hostile and broken input corpus: every file here, and how kgraph must answer it.

Run ``python tests/data/bad/make_corpus.py`` to (re)write the small files next to this
script. Large ones (1 MB cells, a 100,000-deep JSON nesting, zip bombs) are written by
``write_large(folder)`` at test time so the repository stays small.

Each ``Case`` names the file (or register folder), the import command that reads it and
what the one-line error must contain: the file's name and, where the format has them, the
row/line and field. ``ACCEPTED`` lists awkward but legitimate files that must import as
the text they hold (encodings, BOMs, formulas kept as inert text).
"""

from __future__ import annotations

import io
import json
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent

MB = 1024 * 1024


@dataclass(frozen=True)
class Case:
    """One bad input: ``name`` under the corpus folder, read by ``kgraph import <command>``."""

    name: str
    command: str  # table | graph | markdown | report
    expect: tuple[str, ...]  # fragments of stderr, besides the file name
    args: tuple[str, ...] = ()
    large: bool = False  # written by write_large, not committed
    bomb: bool = False  # its peak memory is measured in a subprocess


@dataclass(frozen=True)
class Accepted:
    """An awkward file that must import; ``titles`` are the titles it must give."""

    name: str
    command: str
    titles: tuple[str, ...]
    args: tuple[str, ...] = ()
    large: bool = False


# --- small files ------------------------------------------------------------------------

HEADER = "id;Vraag;Status\n"


def _xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _good_xlsx() -> bytes:
    return _xlsx([["id", "Vraag"], ["Q1", "Hoe meet je geluid?"], ["Q2", "Wie beheert data?"]])


def _corrupt_xlsx() -> bytes:
    """A real zip with the right member names, the worksheet XML cut off mid-tag."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_good_xlsx())) as good,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in good.infolist():
            data = good.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            out.writestr(info.filename, data)
    return buffer.getvalue()


def _no_sheet_xlsx() -> bytes:
    """A zip that is no workbook at all (an .odt or a photo album renamed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        out.writestr("readme.txt", "not a workbook")
    return buffer.getvalue()


def _kgraph_json(nodes: list[dict[str, object]], links: list[dict[str, object]]) -> str:
    data = {"directed": True, "multigraph": True, "graph": {"name": "kgraph"}}
    data.update({"nodes": nodes, "links": links})
    return json.dumps(data, indent=1)


def _graphml(
    body: str, *, prolog: str = "", ns: str = "http://graphml.graphdrawing.org/xmlns"
) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}'
        f'<graphml xmlns="{ns}">\n'
        '  <key id="t" for="node" attr.name="title" attr.type="string"/>\n'
        '  <key id="k" for="node" attr.name="kind" attr.type="string"/>\n'
        f'  <graph edgedefault="directed">\n{body}  </graph>\n</graphml>\n'
    )


def _gnode(node_id: str, title: str, kind: str = "knowledge_question") -> str:
    return (
        f'    <node id="{node_id}"><data key="t">{title}</data><data key="k">{kind}</data></node>\n'
    )


_LAUGHS = "".join(f'  <!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10)).replace(
    "&lol0;", "lol"
)


def _register(files: dict[str, bytes]) -> dict[str, bytes]:
    """A Markdown register folder: ``_questions/`` plus the given files."""
    base = {
        "_data/themes.csv": b"question_num,theme,subtheme,lead_author\n1,Data,Meten,Ann\n",
    }
    base.update(files)
    return base


def _question(front: str, body: str = "Uitleg.\n") -> bytes:
    return f"---\n{front}---\n{body}".encode()


_ALIAS_BOMB = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    + "question_code: Q1\nquestion_num: 1\nquestion_text: *i\n"
)

#: name -> bytes, or a folder name -> {relative path: bytes}
SMALL: dict[str, bytes | dict[str, bytes]] = {
    # tables: CSV
    "empty.csv": b"",
    "only_header.csv": HEADER.encode(),
    "blank_lines_only.csv": b"\r\n\r\n ; ; \r\n",
    "ragged_rows.csv": (
        HEADER + "Q1;Hoe meet je geluid?;open\nQ2\nQ3;Wie beheert data?;open;extra;cells\n"
    ).encode(),
    "duplicate_ids.csv": (HEADER + "Q1;Eerste;open\nQ2;Tweede;open\nQ1;Derde;open\n").encode(),
    "unknown_status.csv": (HEADER + "Q1;Eerste;open\nQ2;Tweede;klaar\n").encode(),
    "relates_to_missing.csv": (b"id;Vraag;Gerelateerd\nQ1;Eerste;\nQ2;Tweede;Bestaat niet\n"),
    "invalid_utf8.csv": HEADER.encode() + b"Q1;Caf\xc3\xa9 \x81\x8d;open\n",
    "invalid_utf8_declared.csv": HEADER.encode() + b"Q1;Eerste;open\nQ2;\xff\xfe\xfd;open\n",
    "nul_bytes.csv": HEADER.encode() + b"Q1;Hoe\x00meet je;open\n",
    "utf16_no_bom.csv": (HEADER + "Q1;Hoe meet je geluid?;open\n").encode("utf-16-le"),
    "binary_junk.csv": bytes((i * 7919 + 13) % 256 for i in range(4096)),
    "no_title_column.csv": b"id;Omschrijving\nQ1;Iets\n",
    "title_empty.csv": (HEADER + "Q1;   ;open\n").encode(),
    "bad_id.csv": (HEADER + "Q1 met spaties/en/slash:x;Eerste;open\n").encode(),
    "unclosed_quote.csv": (HEADER + 'Q1;"Hoe meet je geluid?;open\nQ2;Tweede;open\n').encode(),
    # tables: XLSX
    "empty.xlsx": b"",
    "truncated.xlsx": _good_xlsx()[:1500],
    "corrupt_sheet.xlsx": _corrupt_xlsx(),
    "not_a_workbook.xlsx": _no_sheet_xlsx(),
    "csv_renamed.xlsx": (HEADER + "Q1;Eerste;open\n").encode(),
    "binary_junk.xlsx": b"PK\x03\x04" + bytes((i * 31 + 7) % 256 for i in range(2048)),
    "formula_without_value.xlsx": _xlsx([["id", "Vraag"], ["Q1", '=CONCAT("a","b")']]),
    "unknown_status.xlsx": _xlsx([["id", "Vraag", "Status"], ["Q1", "Eerste", "misschien"]]),
    # graphs: JSON
    "empty.json": b"",
    "truncated.json": _kgraph_json(
        [{"id": "kq:a", "kind": "knowledge_question", "title": "A"}], []
    ).encode()[:60],
    "not_node_link.json": b"[1, 2, 3]\n",
    "binary_junk.json": bytes((i * 131 + 5) % 256 for i in range(2048)),
    "invalid_utf8.json": b'{"nodes": [{"id": "a", "title": "caf\xe9"}], "links": []}',
    "duplicate_ids.json": _kgraph_json(
        [
            {"id": "kq:a", "kind": "knowledge_question", "title": "A"},
            {"id": "kq:a", "kind": "knowledge_question", "title": "A again"},
        ],
        [],
    ).encode(),
    "edge_to_missing_node.json": _kgraph_json(
        [{"id": "cop:a", "kind": "cop", "title": "A"}],
        [{"source": "cop:a", "target": "org:nowhere", "kind": "INVOLVES"}],
    ).encode(),
    "unknown_kind.json": _kgraph_json(
        [{"id": "robot:r2", "kind": "robot", "title": "R2"}], []
    ).encode(),
    "unknown_status.json": _kgraph_json(
        [{"id": "kq:a", "kind": "knowledge_question", "title": "A", "status": "klaar"}], []
    ).encode(),
    "unknown_handover_status.json": _kgraph_json(
        [
            {"id": "cq:a", "kind": "complex_question", "title": "A"},
            {"id": "lp:b", "kind": "landing_place", "title": "B"},
        ],
        [{"source": "cq:a", "target": "lp:b", "kind": "LANDS_IN", "status": "misschien"}],
    ).encode(),
    "unknown_edge_kind.json": _kgraph_json(
        [
            {"id": "kq:a", "kind": "knowledge_question", "title": "A"},
            {"id": "kq:b", "kind": "knowledge_question", "title": "B"},
        ],
        [{"source": "kq:a", "target": "kq:b", "kind": "EATS"}],
    ).encode(),
    "nan_infinity.json": (
        b'{"nodes": [{"id": "a", "title": "A", "weight": NaN}, '
        b'{"id": "b", "title": "B", "weight": 1e999}], "links": []}'
    ),
    "huge_integer.json": b'{"nodes": [{"id": "a", "title": "A", "n": ' + b"9" * 5000 + b"}]}",
    "empty_title.json": _kgraph_json(
        [{"id": "kq:a", "kind": "knowledge_question", "title": "  "}], []
    ).encode(),
    # graphs: XML
    "billion_laughs.graphml": _graphml(
        _gnode("x", "&lol9;"), prolog=f"<!DOCTYPE graphml [\n{_LAUGHS}]>\n"
    ).encode(),
    "external_entity.graphml": _graphml(
        _gnode("x", "&xxe;"),
        prolog='<!DOCTYPE graphml [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n',
    ).encode(),
    "external_dtd.gexf": (
        b'<?xml version="1.0"?>\n<!DOCTYPE gexf SYSTEM "http://127.0.0.1:9/evil.dtd">\n'
        b'<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph><nodes>'
        b'<node id="a" label="A"/></nodes></graph></gexf>\n'
    ),
    "truncated.graphml": _graphml(_gnode("a", "A") + _gnode("b", "B")).encode()[:300],
    "edge_to_missing_node.graphml": _graphml(
        _gnode("a", "A") + '    <edge source="a" target="ghost"/>\n'
    ).encode(),
    "duplicate_ids.graphml": _graphml(_gnode("a", "A") + _gnode("a", "B")).encode(),
    "wrong_root.graphml": (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><node id="a"/></svg>\n'
    ),
    "wrong_namespace.gexf": (
        b'<?xml version="1.0"?>\n<gexf xmlns="urn:example:not-gexf" version="1.3"><graph><nodes>'
        b'<node id="a" label="A"/></nodes></graph></gexf>\n'
    ),
    "no_nodes.gexf": (
        b'<?xml version="1.0"?>\n<gexf xmlns="http://gexf.net/1.3" version="1.3">'
        b"<graph><nodes/></graph></gexf>\n"
    ),
    "binary_junk.gexf": bytes((i * 17 + 3) % 256 for i in range(2048)),
    # Markdown registers (folders)
    "register_broken_yaml": _register(
        {"_questions/Q1.md": _question("question_code: Q1\nquestion_text: [unclosed\n")}
    ),
    "register_no_front_matter": _register({"_questions/Q1.md": b"# Just a heading\n"}),
    "register_invalid_utf8": _register(
        {"_questions/Q1.md": b"---\nquestion_code: Q1\nquestion_text: Caf\xe9\n---\nUitleg.\n"}
    ),
    "register_alias_bomb": _register({"_questions/Q1.md": _question(_ALIAS_BOMB)}),
    "register_front_matter_list": _register({"_questions/Q1.md": _question("- a\n- b\n")}),
    "register_empty_question": _register(
        {"_questions/Q1.md": _question("question_code: Q1\nquestion_num: 1\n")}
    ),
    "register_bad_themes": _register(
        {
            "_questions/Q1.md": _question("question_code: Q1\nquestion_num: 1\nquestion_text: A\n"),
            "_data/themes.csv": b"question_num,theme\n1,Caf\xe9\n",
        }
    ),
    "register_without_questions": {"readme.md": b"no _questions folder here\n"},
    # the City Deal report importer
    "report_empty.md": b"",
    "report_binary.md": bytes((i * 211 + 1) % 256 for i in range(4096)),
    "report_not_the_report.md": b"# Boodschappen\n\n- melk\n- brood\n",
}

#: files that are awkward but fine: they must import as the text they hold
ACCEPTED_FILES: dict[str, bytes] = {
    "cp1252.csv": (HEADER + "Q1;Café in 's-Hertogenbosch — €5;open\n").encode("cp1252"),
    "utf8_bom.csv": b"\xef\xbb\xbf" + (HEADER + "Q1;Caf\u00e9 \u2603;open\n").encode(),
    "utf16_bom.csv": (HEADER + "Q1;Caf\u00e9 \u2603 \U0001f600;open\n").encode("utf-16"),
    "utf16be_bom.csv": b"\xfe\xff"
    + (HEADER + "Q1;Caf\u00e9 big-endian;open\n").encode("utf-16-be"),
    "formulas.csv": (
        HEADER + "Q1;=cmd|' /C calc'!A0;open\nQ2;+SUM(1);open\nQ3;@SUM(1);open\nQ4;-1+1;open\n"
    ).encode(),
    "crlf_quoted_newlines.csv": b'id;Vraag\r\nQ1;"Twee\r\nregels"\r\n',
}

ACCEPTED: list[Accepted] = [
    Accepted("cp1252.csv", "table", ("Café in 's-Hertogenbosch — €5",)),
    Accepted("utf8_bom.csv", "table", ("Caf\u00e9 \u2603",)),
    Accepted("utf16_bom.csv", "table", ("Caf\u00e9 \u2603 \U0001f600",)),
    Accepted("utf16be_bom.csv", "table", ("Caf\u00e9 big-endian",)),
    Accepted("formulas.csv", "table", ("=cmd|' /C calc'!A0", "+SUM(1)", "@SUM(1)", "-1+1")),
    Accepted("crlf_quoted_newlines.csv", "table", ("Twee regels",)),
    # XML nesting is no stack risk (the parser is iterative): unknown elements are skipped
    Accepted("deep_nesting.graphml", "graph", ("A",), large=True),
]

# messages in English, as the expectations below are written (the default is Dutch)
TABLE = ("--map", "title=Vraag", "--lang", "en")

CASES: list[Case] = [
    Case("empty.csv", "table", ("empty",), TABLE),
    Case("only_header.csv", "table", ("no rows below the header", "row 1"), TABLE),
    Case("blank_lines_only.csv", "table", ("no header row",), TABLE),
    Case("ragged_rows.csv", "table", ("row 3", "column B (Vraag)", "title is empty"), TABLE),
    Case(
        "duplicate_ids.csv", "table", ("row 2", "row 4", "column A (id)", "duplicate code"), TABLE
    ),
    Case(
        "unknown_status.csv",
        "table",
        ("row 3", "column C (Status)", 'value "klaar": unknown status'),
        (*TABLE, "--map", "status=Status"),
    ),
    Case(
        "relates_to_missing.csv",
        "table",
        ("row 3", "column C (Gerelateerd)", "Bestaat niet"),
        (*TABLE, "--map", "relates_to=Gerelateerd"),
    ),
    Case("invalid_utf8.csv", "table", ("line 2", "cp1252"), TABLE),
    Case(
        "invalid_utf8_declared.csv", "table", ("line 3", "utf-8"), (*TABLE, "--encoding", "utf-8")
    ),
    Case("nul_bytes.csv", "table", ("line 2", "NUL"), TABLE),
    Case("utf16_no_bom.csv", "table", ("line 1", "NUL", "UTF-16"), TABLE),
    Case("binary_junk.csv", "table", ("NUL",), TABLE),
    Case("no_title_column.csv", "table", ("no header row", "'Vraag'"), TABLE),
    Case("title_empty.csv", "table", ("row 2", "column B (Vraag)", "title is empty"), TABLE),
    Case("bad_id.csv", "table", ("row 2", "column A (id)"), TABLE),
    Case("unclosed_quote.csv", "table", ("line 3", "quote"), TABLE),
    Case("empty.xlsx", "table", ("cannot be read as an .xlsx workbook",), TABLE),
    Case("truncated.xlsx", "table", ("cannot be read as an .xlsx workbook",), TABLE),
    Case("corrupt_sheet.xlsx", "table", ("cannot be read as an .xlsx workbook",), TABLE),
    Case("not_a_workbook.xlsx", "table", ("cannot be read as an .xlsx workbook",), TABLE),
    Case("csv_renamed.xlsx", "table", ("cannot be read as an .xlsx workbook",), TABLE),
    Case("binary_junk.xlsx", "table", ("cannot be read as an .xlsx workbook",), TABLE),
    Case(
        "formula_without_value.xlsx",
        "table",
        ("row 2", "column B (Vraag)", "title is empty"),
        TABLE,
    ),
    Case(
        "unknown_status.xlsx",
        "table",
        ("sheet Sheet", "row 2", "column C (Status)", "unknown status"),
        (*TABLE, "--map", "status=Status"),
    ),
    Case("empty.json", "graph", ("not JSON", "line 1")),
    Case("truncated.json", "graph", ("not JSON", "line")),
    Case("not_node_link.json", "graph", ("expected a node-link object",)),
    Case("binary_junk.json", "graph", ("not JSON",)),
    Case("invalid_utf8.json", "graph", ("not JSON", "utf-8")),
    Case("duplicate_ids.json", "graph", ("node 2", "'kq:a'", "twice")),
    Case("edge_to_missing_node.json", "graph", ("link 1", "no node with id 'org:nowhere'")),
    Case("unknown_kind.json", "graph", ("node 1", "unknown kind 'robot'")),
    Case("unknown_status.json", "graph", ("node 1", "klaar")),
    Case("unknown_handover_status.json", "graph", ("link 1", "misschien")),
    Case("unknown_edge_kind.json", "graph", ("link 1", "unknown edge kind 'EATS'")),
    Case("nan_infinity.json", "graph", ("not JSON", "NaN")),
    Case("huge_integer.json", "graph", ("not JSON", "integer")),
    Case("empty_title.json", "graph", ("node 1", "title is empty")),
    Case("billion_laughs.graphml", "graph", ("refused", "DTDForbidden")),
    Case("external_entity.graphml", "graph", ("refused", "DTDForbidden")),
    Case("external_dtd.gexf", "graph", ("refused", "DTDForbidden")),
    Case("truncated.graphml", "graph", ("not well-formed XML", "line")),
    Case("edge_to_missing_node.graphml", "graph", ("edge 1", "no node with id 'ghost'")),
    Case("duplicate_ids.graphml", "graph", ("node 2", "'a'", "twice")),
    Case("wrong_root.graphml", "graph", ("not GraphML", "svg")),
    Case("wrong_namespace.gexf", "graph", ("not GEXF", "urn:example:not-gexf")),
    Case("no_nodes.gexf", "graph", ("no nodes",)),
    Case("binary_junk.gexf", "graph", ("not well-formed XML",)),
    Case("register_broken_yaml", "markdown", ("_questions/Q1.md", "line", "not valid YAML")),
    Case(
        "register_no_front_matter",
        "markdown",
        ("_questions/Q1.md", "line 1", "no YAML front matter"),
    ),
    Case("register_invalid_utf8", "markdown", ("_questions/Q1.md", "not UTF-8")),
    Case("register_alias_bomb", "markdown", ("_questions/Q1.md", "alias")),
    Case("register_front_matter_list", "markdown", ("_questions/Q1.md", "mapping")),
    Case("register_empty_question", "markdown", ("_questions/Q1.md", "question_text", "empty")),
    Case("register_bad_themes", "markdown", ("_data/themes.csv", "not UTF-8")),
    Case("register_without_questions", "markdown", ("no _questions folder",)),
    Case("report_empty.md", "report", ("empty",)),
    Case("report_binary.md", "report", ("UTF-8",)),
    Case("report_not_the_report.md", "report", ("no CoP sections",)),
    # written at test time by write_large
    Case("cell_1mb.csv", "table", ("line 2", "longer than"), TABLE, large=True),
    Case("cell_1mb.xlsx", "table", ("row 2", "column B", "longer than"), TABLE, large=True),
    Case("many_columns.csv", "table", ("row 1", "columns", "16384"), TABLE, large=True),
    Case("deep_nesting.json", "graph", ("nested deeper than",), large=True),
    Case("register_deep_yaml", "markdown", ("_questions/Q1.md", "nested deeper than"), large=True),
    Case("zip_bomb.xlsx", "table", ("refused", "unpack to"), TABLE, large=True, bomb=True),
    Case(
        "zip_bomb_lying_sizes.xlsx",
        "table",
        ("cannot be read as an .xlsx workbook",),
        TABLE,
        large=True,
        bomb=True,
    ),
    Case(
        "zip_bomb_ratio.xlsx",
        "table",
        ("refused", "times its packed size"),
        TABLE,
        large=True,
        bomb=True,
    ),
    Case("zip_bomb_export.xlsx", "graph", ("refused", "unpack to"), large=True, bomb=True),
    Case("zip_bomb.zip", "graph", ("refused", "unpack to"), large=True, bomb=True),
]


# --- large files, written at test time ----------------------------------------------------

BOMB_BYTES = 3584 * MB  # what each bomb's big member inflates to (3.5 GiB, no zip64 needed)
_CHUNK = b" " * MB


def _deflated(head: bytes, size: int, tail: bytes) -> tuple[bytes, int]:
    """Raw deflate data and CRC of ``head`` + spaces up to ``size`` bytes + ``tail``.

    A full flush after each megabyte of spaces resets the compressor, so every such
    megabyte deflates to the same ~1 KB: compressed once, repeated, in a second or two.
    """
    count = (size - len(head) - len(tail)) // MB
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(_CHUNK) + packer.flush(zlib.Z_FULL_FLUSH)
    end = packer.compress(tail) + packer.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(_CHUNK, crc)
    crc = zlib.crc32(tail, crc)
    return start + block * count + end, crc


def _zip_with_bomb(
    path: Path, members: list[tuple[str, bytes]], bomb: str, size: int, *, declared: int = 0
) -> None:
    """A zip of ``members`` in which member ``bomb`` (its content split at ``<sheetData>``
    or kept whole as the head) is padded with spaces to ``size`` bytes; its headers claim
    ``declared`` bytes when given (a zip that lies about its sizes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            if name != bomb:
                archive.writestr(name, data)
                continue
            cut = (
                data.index(b"<sheetData>") + len(b"<sheetData>")
                if b"<sheetData>" in data
                else len(data)
            )
            packed, crc = _deflated(data[:cut], size, data[cut:])
            archive.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), packed)
            bomb_crc, bomb_size = crc, declared or size
    raw = bytearray(buffer.getvalue())
    _patch_header(raw, bomb.encode(), bomb_crc, bomb_size)
    path.write_bytes(bytes(raw))


def _patch_header(raw: bytearray, name: bytes, crc: int, size: int) -> None:
    """Mark member ``name`` (written stored) as deflated, with ``crc`` and unpacked ``size``,
    in its local and its central header."""
    at = 0
    while (at := raw.find(b"PK\x03\x04", at)) >= 0:
        length = struct.unpack_from("<H", raw, at + 26)[0]
        if raw[at + 30 : at + 30 + length] == name:
            struct.pack_into("<H", raw, at + 8, zipfile.ZIP_DEFLATED)
            struct.pack_into("<II", raw, at + 14, crc, struct.unpack_from("<I", raw, at + 18)[0])
            struct.pack_into("<I", raw, at + 22, size)
        at += 4
    at = 0
    while (at := raw.find(b"PK\x01\x02", at)) >= 0:
        length = struct.unpack_from("<H", raw, at + 28)[0]
        if raw[at + 46 : at + 46 + length] == name:
            struct.pack_into("<H", raw, at + 10, zipfile.ZIP_DEFLATED)
            struct.pack_into("<I", raw, at + 16, crc)
            struct.pack_into("<I", raw, at + 24, size)
        at += 4


def _members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(i.filename, archive.read(i.filename)) for i in archive.infolist()]


SHEET = "xl/worksheets/sheet1.xml"


def _export_xlsx() -> bytes:
    from kgraph.export import xlsx
    from kgraph.model import Node
    from kgraph.store.base import Subgraph

    node = Node("kq:a", "knowledge_question", "A")
    buffer = io.BytesIO()
    xlsx.write(Subgraph({node.id: node}, []), buffer)
    return buffer.getvalue()


def _big_cell_xlsx() -> bytes:
    """openpyxl cuts what it writes at Excel's 32,767 characters: put the 1 MB in by hand."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in _members(_xlsx([["id", "Vraag"], ["Q1", "PLACEHOLDER"]])):
            out.writestr(name, data.replace(b"PLACEHOLDER", b"x" * MB))
    return buffer.getvalue()


def _deep_yaml(folder: Path) -> None:
    write_tree(
        folder,
        _register(
            {
                "_questions/Q1.md": _question(
                    "question_code: Q1\nquestion_num: 1\nquestion_text: "
                    + "[" * 100_000
                    + "]" * 100_000
                    + "\n"
                )
            }
        ),
    )


LARGE: dict[str, Callable[[Path], None]] = {
    "cell_1mb.csv": lambda p: p.write_bytes((HEADER + "Q1;" + "x" * MB + ";open\n").encode()),
    "cell_1mb.xlsx": lambda p: p.write_bytes(_big_cell_xlsx()),
    "many_columns.csv": lambda p: p.write_bytes(
        (";".join(["Vraag", *(f"c{i}" for i in range(20_000))]) + "\nA\n").encode()
    ),
    "deep_nesting.json": lambda p: p.write_bytes(
        b'{"nodes": [{"id": "a", "title": "A", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}]}"
    ),
    "deep_nesting.graphml": lambda p: p.write_bytes(
        _graphml(_gnode("a", "A") + "<x>" * 100_000 + "</x>" * 100_000 + "\n").encode()
    ),
    "register_deep_yaml": _deep_yaml,
    "zip_bomb.xlsx": lambda p: _zip_with_bomb(p, _members(_good_xlsx()), SHEET, BOMB_BYTES),
    # 64 MiB that claims 2 KiB: past the size check, caught while reading (the checksum)
    "zip_bomb_lying_sizes.xlsx": lambda p: _zip_with_bomb(
        p, _members(_good_xlsx()), SHEET, 64 * MB, declared=2048
    ),
    # under the total limit, but packed 1,000 to 1: no real sheet compresses like that
    "zip_bomb_ratio.xlsx": lambda p: _zip_with_bomb(p, _members(_good_xlsx()), SHEET, 200 * MB),
    "zip_bomb_export.xlsx": lambda p: _zip_with_bomb(
        p, _members(_export_xlsx()), SHEET, BOMB_BYTES
    ),
    "zip_bomb.zip": lambda p: _zip_with_bomb(
        p,
        [("nodes.csv", b"id,kind,title\r\n"), ("edges.csv", b"src,kind,dst\r\n")],
        "nodes.csv",
        BOMB_BYTES,
    ),
}


def write_tree(folder: Path, files: dict[str, bytes]) -> None:
    for relative, data in files.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def write_small(folder: Path = HERE) -> None:
    """Write every small corpus file (and the accepted ones) under ``folder``."""
    for name, content in {**SMALL, **ACCEPTED_FILES}.items():
        if isinstance(content, dict):
            write_tree(folder / name, content)
        else:
            (folder / name).write_bytes(content)


def write_large(folder: Path, names: list[str] | None = None) -> None:
    """Write the large corpus files (all, or ``names``) under ``folder``."""
    for name in names or list(LARGE):
        LARGE[name](folder / name)


if __name__ == "__main__":
    write_small(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
