"""The drawing's payload and bundle: what reaches the browser, in the reader's language,
with stored positions; the bundle is package data, loads nothing and stems as Python does."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kgraph.drawing import DrawOptions, Layout, drawing_data, parse_edge_key
from kgraph.model import Edge, Node
from kgraph.store.values import Subgraph
from kgraph.store.wordforms import search_stem
from kgraph.ui.graph import bundle

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "kgraph" / "ui" / "graph" / "assets"


def _sub() -> Subgraph:
    nodes = {
        "kq:a": Node("kq:a", "knowledge_question", "<b>Vraag</b> " + "lang " * 20, status="open"),
        "cop:e": Node("cop:e", "cop", "Ethiek"),
        "lp:d": Node("lp:d", "landing_place", "DMI-ecosysteem"),
        "kq:r": Node("kq:r", "knowledge_question", "Registervraag", props={"register": "agenda"}),
    }
    edges = [
        Edge("kq:a", "RAISED_IN", "cop:e"),
        Edge("kq:a", "LANDS_IN", "lp:d", {"status": "accepted"}),
        Edge("kq:a", "LANDS_IN", "lp:d", {"status": "proposed"}),
    ]
    return Subgraph(nodes=nodes, edges=edges)


def test_payload_in_the_readers_language_with_stored_positions() -> None:
    layout = Layout(key="k", positions={"kq:a": (1.5, -2.0)}, pinned=("kq:a", "gone"))
    options = DrawOptions(color_by="handover", focus=["cop:e"], hits=["kq:a", "nope"])
    nl = drawing_data(_sub(), lang="nl", options=options, layout=layout)
    en = drawing_data(_sub(), lang="en", options=options, layout=layout)
    node = {n["id"]: n for n in nl["nodes"]}
    assert node["kq:a"]["label"].endswith("…") and len(node["kq:a"]["label"]) == 40
    assert node["kq:a"]["title"].startswith("<b>Vraag</b>")  # data, escaped by the browser
    assert (node["kq:a"]["x"], node["kq:a"]["y"]) == (1.5, -2.0) and "x" not in node["cop:e"]
    assert node["kq:a"]["cop"] == "cop:e" and node["kq:a"]["handover"] == "accepted"
    assert node["kq:r"]["register"] == "agenda"
    assert nl["pinned"] == ["kq:a"] and nl["hits"] == ["kq:a"] and nl["focus"] == ["cop:e"]
    assert nl["labels"]["kind"]["cop"] == "Community of practice"
    assert nl["labels"]["cop"] == {"cop:e": "Ethiek"}
    assert nl["texts"]["rearrange"] == "Opnieuw schikken"
    assert en["texts"]["rearrange"] == "Re-arrange"
    lands = [e for e in nl["edges"] if e["kind"] == "LANDS_IN"]
    assert {e["label"] for e in lands} == {
        "landt in: belegd",
        "landt in: potentiële landingsplaats",
    }
    assert parse_edge_key(lands[0]["key"]) == ("kq:a", "LANDS_IN", "lp:d")
    assert parse_edge_key("a|NOPE|b") is None
    assert nl["v"] != en["v"]  # the drawing redraws when anything it shows changes
    assert nl["v"] == drawing_data(_sub(), lang="nl", options=options, layout=layout)["v"]
    with pytest.raises(ValueError):
        DrawOptions(color_by="mood")


def test_the_bundle_is_package_data_and_loads_nothing() -> None:
    code = bundle()
    assert (ASSETS / "LICENSES.txt").read_text(encoding="utf-8").count("(MIT)") >= 5
    for needle in ("://", "</script", "<!--", "innerHTML", "eval(", "fetch(", "XMLHttpRequest"):
        assert needle not in code, needle
    # no dynamic import (graphology's own ``graph.import(...)`` method is no import)
    assert not re.search(r"(?<![\w.$}])import\(", code)
    assert "KgraphGraph" in code


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node (npm is on CI machines)")
def test_the_page_stems_words_as_the_store_does(tmp_path: Path) -> None:
    words = [
        "gesprekken", "gesprek", "modellen", "metingen", "meten", "vragen", "vraag",
        "studies", "mensen", "processen", "waarderen", "waardering", "beslissingen",
        "gemeenten", "sensoren", "heden", "mogelijkheden", "students", "marking",
    ]  # fmt: skip
    script = tmp_path / "stems.mjs"
    source = (ROOT / "js" / "graph" / "src" / "stem.js").resolve()
    script.write_text(
        f"import {{ searchStem }} from {json.dumps(source.as_uri())};\n"
        f"console.log(JSON.stringify({json.dumps(words)}.map(searchStem)));\n",
        encoding="utf-8",
    )
    out = subprocess.run(["node", str(script)], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [search_stem(w) for w in words]
