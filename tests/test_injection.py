"""User text never becomes code: a payload list in every text field, through every output.

Each payload is put in a node's title, text, tags and ``owner`` property, in landing
places, CoPs and complex questions, and in a handover's ``note`` and ``decided_by``. Then:

- the html export and the network page (``render_network``) are parsed: the same elements,
  attributes and scripts as a page without payloads, no ``on*`` attribute, no
  ``innerHTML``; the data island gives the payloads back exactly; headless Chromium loads
  the page and no dialog opens;
- the handover report: HTML (parsed: only the report's own elements, no script), Markdown
  (every ``< > [ ] | `` from user text escaped, tables keep their columns), XLSX (no
  formula, no cell a spreadsheet would run);
- the CSV and XLSX exports: no cell starts with a formula character; read back, the text
  is unchanged;
- the Cypher export: outside string literals only the script's own statements; run
  against a real Neo4j it creates exactly the expected nodes with the payloads as titles;
- both stores: a payload round-trips and the store holds exactly the expected nodes
  (the Neo4j store passes text only as parameters);
- the dashboard: no page renders HTML from text, and an uploaded file's name is never
  used as a path.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO, chromium_or_skip, neo4j_uri_or_skip
from openpyxl import load_workbook

from kgraph.export import csvzip, cypher, export_bytes, render_network, xlsx
from kgraph.export.report import handover_report
from kgraph.export.safe import FORMULA_START, restore_cell
from kgraph.model import Edge, Node, validate_edge, validate_node
from kgraph.store.base import GraphStore, Subgraph
from kgraph.store.embedded import EmbeddedStore

PAYLOADS: list[str] = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "</script><script>alert(1)</script>",
    "javascript:alert(1)",
    "{{7*7}}",
    "' OR 1=1 --",
    "}) DETACH DELETE n //",
    "=cmd|' /C calc'!A0",
    "+SUM(1)",
    "-1+1",
    "@SUM(1)",
    "\t=1",
    "\r=1",
    'see href <a href="javascript:alert(1)">x</a>',
    "<a href=x>link</a>",
    "line\u2028sep\u2029para",
    "ctl \x01\x02\x07\x08\x0b\x0c\x1b\x7f end",
]
FIELDS = ("title", "text", "tags", "owner", "note", "decided_by")


def payload_graph(payloads: list[str] = PAYLOADS) -> Subgraph:
    """Every payload in every text field; ids are plain so only text carries payloads."""
    nodes: list[Node] = []
    edges: list[Edge] = []
    for i, text in enumerate(payloads):
        kq = Node(
            f"kq:p{i}", "knowledge_question", text, text=text, tags=(text,), props={"owner": text}
        )
        cq = Node(f"cq:p{i}", "complex_question", text, text=text, props={"owner": text})
        cop = Node(f"cop:p{i}", "cop", text, tags=(text,))
        lp = Node(f"lp:p{i}", "landing_place", text, text=text)
        nodes += [kq, cq, cop, lp]
        edges += [
            Edge(kq.id, "FEEDS", cq.id),
            Edge(cq.id, "RAISED_IN", cop.id),
            Edge(
                cq.id,
                "LANDS_IN",
                lp.id,
                {"status": "accepted", "note": text, "decided_by": text, "decided_on": text},
            ),
        ]
    checked = {n.id: validate_node(n) for n in nodes}
    return Subgraph(nodes=checked, edges=[validate_edge(e) for e in edges])


@pytest.fixture(scope="module")
def payload_store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    sub = payload_graph()
    store = EmbeddedStore(tmp_path_factory.mktemp("inj") / "inj.db", actor="tester")
    store.bulk_load(list(sub.nodes.values()), sub.edges)
    return store


# --- HTML -------------------------------------------------------------------------------


class Elements(HTMLParser):
    """Every start tag with its attributes, the scripts' text and the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[str, ...]]] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.scripts: list[tuple[str | None, str]] = []
        self.text: list[str] = []
        self._script: str | None = None
        self._script_type: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, tuple(sorted(a for a, _ in attrs))))
        self.attrs += attrs
        if tag == "script":
            self._script, self._script_type = "", dict(attrs).get("type")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script_type, self._script))
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script += data
        else:
            self.text.append(data)


def parse(page: str) -> Elements:
    parser = Elements()
    parser.feed(page)
    parser.close()
    return parser


def _benign(sub: Subgraph) -> Subgraph:
    """The same graph with harmless text, for comparing page structure."""
    nodes = {
        n.id: Node(n.id, n.kind, f"t{i}", text="x" if n.text else "", tags=("t",) if n.tags else ())
        for i, n in enumerate(sub.nodes.values())
    }
    edges = [
        Edge(e.src, e.kind, e.dst, {k: ("accepted" if k == "status" else "x") for k in e.props})
        for e in sub.edges
    ]
    return Subgraph(nodes={k: validate_node(v) for k, v in nodes.items()}, edges=edges)


def _assert_same_structure(page: str, benign: str) -> Elements:
    evil, good = parse(page), parse(benign)
    assert evil.tags == good.tags
    assert not [name for name, _ in evil.attrs if name.lower().startswith("on")]
    code = [body for kind, body in evil.scripts if kind != "application/json"]
    assert code == [body for kind, body in good.scripts if kind != "application/json"]
    assert not any("innerHTML" in body for body in code)
    return evil


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_network_page_keeps_payloads_as_data(lang: str) -> None:
    sub = payload_graph()
    page = render_network(sub, lang=lang, highlight=["kq:p0", "cq:p0"], selected="kq:p1")
    benign = render_network(_benign(sub), lang=lang, highlight=["kq:p0", "cq:p0"], selected="kq:p1")
    parsed = _assert_same_structure(page, benign)
    assert "\u2028" not in page and "\u2029" not in page
    (data,) = [json.loads(body) for kind, body in parsed.scripts if kind == "application/json"]
    # user text travels only as JSON string values (titles, labels), never as markup
    assert set(PAYLOADS) <= {n["title"] for n in data["nodes"]}


def test_html_export_keeps_payloads_as_data() -> None:
    sub = payload_graph()
    page = export_bytes(sub, "html").decode("utf-8")
    _assert_same_structure(page, export_bytes(_benign(sub), "html").decode("utf-8"))


REPORT_TAGS = {
    "html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "table", "thead",
    "tbody", "tr", "th", "td", "p", "ul", "li", "small",
}  # fmt: skip


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_handover_report_html(payload_store: EmbeddedStore, lang: str) -> None:
    page = handover_report(payload_store, "html", lang=lang).decode("utf-8")
    parsed = parse(page)
    assert {tag for tag, _ in parsed.tags} <= REPORT_TAGS
    assert not parsed.scripts
    assert {name for name, _ in parsed.attrs} <= {"lang", "charset", "http-equiv", "content"}
    shown = "".join(parsed.text)
    for payload in PAYLOADS:
        assert payload.replace("\r", "\n") in shown.replace("\r\n", "\n").replace("\r", "\n")


def _unescaped(line: str, char: str) -> int:
    return len(re.findall(rf"(?<!\\){re.escape(char)}", line))


def test_handover_report_markdown(payload_store: EmbeddedStore) -> None:
    text = handover_report(payload_store, "md").decode("utf-8")
    assert "\u2028" not in text and "\u2029" not in text and "\r" not in text
    for line in text.splitlines():
        for char in "<>[]`":
            assert _unescaped(line, char) == 0, line
    tables = [line for line in text.splitlines() if line.startswith("|")]
    columns = {_unescaped(line, "|") for line in tables if not line.startswith("|--")}
    assert columns <= {8, 9}  # summary table (8 cells) and the handover tables (7 cells)
    for payload in ("DETACH DELETE n", "alert(1)", "{{7\\*7}}", "OR 1=1"):
        assert payload in text


def _cells(book_bytes: bytes) -> list[object]:
    book = load_workbook(io.BytesIO(book_bytes))
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                found.append(cell.value)
    return found


def _assert_inert(values: list[object]) -> None:
    for value in values:
        if isinstance(value, str) and value:
            assert not value.startswith(FORMULA_START), value


def test_handover_report_xlsx(payload_store: EmbeddedStore) -> None:
    values = _cells(handover_report(payload_store, "xlsx"))
    _assert_inert(values)
    texts = {xlsx._unescape(restore_cell(v)) for v in values if isinstance(v, str)}
    assert {p for p in PAYLOADS if p.isprintable() and "\t" not in p} <= texts


def test_csv_export_neutralised_and_lossless() -> None:
    sub = payload_graph()
    data = export_bytes(sub, "csv")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in ("nodes.csv", "edges.csv"):
            rows = list(csv.reader(io.StringIO(archive.read(member).decode("utf-8-sig"))))
            _assert_inert([cell for row in rows for cell in row])
    back = csvzip.read(io.BytesIO(data))
    assert {n.title for n in back.nodes.values()} == set(PAYLOADS)
    assert {e.props["note"] for e in back.edges if "note" in e.props} == set(PAYLOADS)


def test_xlsx_export_neutralised_and_lossless() -> None:
    sub = payload_graph()
    data = export_bytes(sub, "xlsx")
    _assert_inert(_cells(data))
    back = xlsx.read(io.BytesIO(data))
    assert {n.title for n in back.nodes.values()} == set(PAYLOADS)
    assert {n.props["owner"] for n in back.nodes.values() if "owner" in n.props} == set(PAYLOADS)
    assert {e.props["decided_by"] for e in back.edges if "decided_by" in e.props} == set(PAYLOADS)


# --- Cypher -----------------------------------------------------------------------------

_LITERAL = re.compile(r"'(?:[^'\\]|\\.)*'", re.S)
_MAP = r"\{(?:[A-Za-z_][A-Za-z0-9_]*: (?:''|\[(?:'', )*''\]|-?[0-9.e+-]+|true|false)(?:, )?)*\}"
_NODE = re.compile(rf"MERGE \(n:KgraphItem \{{id: ''\}}\) SET n:`[A-Za-z]+` SET n \+= {_MAP};")
_EDGE = re.compile(
    rf"MATCH \(a:KgraphItem \{{id: ''\}}\), \(b:KgraphItem \{{id: ''\}}\) "
    rf"MERGE \(a\)-\[r:`[A-Z_]+`\]->\(b\) SET r \+= {_MAP};"
)


def _statements(script: str) -> list[str]:
    return [line for line in script.splitlines() if line and not line.startswith("//")]


def test_cypher_payloads_stay_inside_literals() -> None:
    sub = payload_graph()
    statements = _statements(cypher.script(sub))
    assert len(statements) == 1 + len(sub.nodes) + len(sub.edges)
    for statement in statements[1:]:
        outside = _LITERAL.sub("''", statement)
        assert _NODE.fullmatch(outside) or _EDGE.fullmatch(outside), outside


def test_cypher_script_runs_in_neo4j_and_creates_exactly_the_graph() -> None:
    uri = neo4j_uri_or_skip()
    from neo4j import GraphDatabase

    from kgraph.store.neo4j import Neo4jStore

    sub = payload_graph()
    Neo4jStore(uri).wipe()
    driver = GraphDatabase.driver(uri)
    try:
        with driver.session() as session:
            session.run("MATCH (n) DETACH DELETE n").consume()
            for statement in _statements(cypher.script(sub)):
                session.run(statement).consume()  # type: ignore[arg-type]
            titles = session.run("MATCH (n:KgraphItem) RETURN n.id AS id, n.title AS title").data()
            rels = session.run("MATCH ()-[r]->() RETURN r.note AS note, type(r) AS t").data()
            session.run("MATCH (n) DETACH DELETE n").consume()
    finally:
        driver.close()
    assert {r["id"]: r["title"] for r in titles} == {n.id: n.title for n in sub.nodes.values()}
    assert len(rels) == len(sub.edges)
    assert {r["note"] for r in rels if r["t"] == "LANDS_IN"} == set(PAYLOADS)


# --- the stores -------------------------------------------------------------------------


def test_store_keeps_payloads_as_text(store: GraphStore) -> None:
    """Both backends: everything round-trips, nothing else appears, search and updates
    with payloads are plain text too."""
    sub = payload_graph()
    store.bulk_load(list(sub.nodes.values()), sub.edges)
    assert {n.id: n.title for n in store.nodes()} == {n.id: n.title for n in sub.nodes.values()}
    counts = store.counts()
    assert sum(counts.nodes.values()) == len(sub.nodes)
    assert sum(counts.edges.values()) == len(sub.edges)
    for node in sub.nodes.values():
        back = store.get_node(node.id)
        assert back is not None
        assert (back.title, back.text, back.tags, back.props) == (
            node.title,
            node.text,
            node.tags,
            node.props,
        )
    for payload in PAYLOADS:
        store.search(payload)
    evil = "x'}) MATCH (m) DETACH DELETE m //"
    store.update_node("kq:p0", {"title": evil, "owner": evil})
    assert store.get_node("kq:p0").title == evil  # type: ignore[union-attr]
    assert sum(store.counts().nodes.values()) == len(sub.nodes)


# --- the dashboard ----------------------------------------------------------------------

UI = REPO / "kgraph" / "ui"


def _ui_sources() -> list[tuple[Path, ast.Module]]:
    files = sorted(UI.rglob("*.py"))  # the entry point app.py and every page
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in files]


def test_dashboard_renders_no_html_from_text() -> None:
    """Streamlit escapes what it shows unless told otherwise: no page tells it otherwise,
    and the only HTML a page embeds is the network page."""
    for path, tree in _ui_sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "unsafe_allow_html":
                raise AssertionError(f"{path.name}:{node.lineno}: unsafe_allow_html")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr == "html":
                    raise AssertionError(f"{path.name}:{node.lineno}: st.html / components.html")
                if node.func.attr == "iframe":
                    source = ast.get_source_segment(path.read_text(encoding="utf-8"), node)
                    assert source is not None and source.startswith("st.iframe(html,"), source
                    assert "render_network(" in path.read_text(encoding="utf-8")


def test_upload_names_are_never_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Importeren page keeps an upload in memory: its name is only shown and recorded
    (messages, provenance), never opened, created or joined to a folder."""
    for module in ("pages/import_.py", "import_form.py"):
        text = (UI / module).read_text(encoding="utf-8")
        for call in ("open(", "tempfile", "write_bytes", "write_text", "Path(upload.name)."):
            if call == "Path(upload.name).":
                # the stem for a download's file name is the only use of the name as a path
                assert text.count(call) == text.count("Path(upload.name).stem"), module
            else:
                assert call not in text, f"{module} uses {call}"
    from kgraph.importers.table import read_table

    monkeypatch.chdir(tmp_path)
    for hostile in ("../../etc/passwd.csv", "/etc/cron.d/x.csv", "a\x00.csv", "..\\boot.csv"):
        data = io.BytesIO(b"Vraag;Status\nHoe?;open\n")
        result = read_table(data, name=hostile, mapping={"title": "Vraag"})
        assert result.batch.nodes[0].source.startswith(f"{hostile}, ")
        assert list(tmp_path.iterdir()) == []


# --- a real browser ---------------------------------------------------------------------


@pytest.mark.browser
def test_no_dialog_fires_in_chromium(payload_store: EmbeddedStore, tmp_path: Path) -> None:
    """The network page and the report, with every payload, open in headless Chromium
    (Playwright): the page draws, and no alert/confirm/prompt ever opens."""
    chromium = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    sub = payload_graph()
    pages = {
        "network.html": render_network(sub, lang="en"),
        "report.html": handover_report(payload_store, "html").decode("utf-8"),
    }
    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            for name, html in pages.items():
                path = tmp_path / name
                path.write_text(html, encoding="utf-8")
                page = browser.new_page()
                page.set_default_timeout(300_000)  # a hang bound; slow is fine
                page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
                page.goto(path.as_uri())
                if name == "network.html":
                    page.wait_for_selector(".kg-wrap[data-ready=yes]")
                    # hover and click every node so each tooltip and the details panel
                    # are built from the payload text, and search for it
                    for node_id in list(sub.nodes)[:12]:
                        point = page.evaluate("id => window.kgraphGraph.screen(id)", node_id)
                        if point:
                            page.mouse.move(point["x"], point["y"])
                            page.mouse.click(point["x"], point["y"])
                    page.fill("#kg-search", "script")
                page.wait_for_timeout(300)
                assert page.evaluate("document.querySelectorAll('img, svg, iframe').length") == 0
                page.close()
        finally:
            browser.close()
    assert dialogs == []
