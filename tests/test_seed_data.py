"""The City Deal seed files in kgraph/data/: they load, match a fresh import, and are
curated."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import SEED_REPORT

from kgraph.errors import InputError
from kgraph.importers import apply_batch, seed
from kgraph.importers.base import ImportBatch
from kgraph.model import Edge, Node, validate_edge, validate_node
from kgraph.paths import DATA
from kgraph.store.embedded import EmbeddedStore

REPORT = SEED_REPORT
SEED_FOLDER = DATA / "citydeal"
CURATED = DATA / "curated.yaml"
ETHICS_CQ = "cq:hoe-kunnen-we-het-ethisch-gesprek-integraal-onderdeel-maken-b8306b0f"


def as_dicts(batch: ImportBatch) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Nodes and edges in a comparable, order-free form."""
    nodes = sorted((validate_node(n).to_dict() for n in batch.nodes), key=lambda d: str(d["id"]))
    edges = sorted(
        (validate_edge(e).to_dict() for e in batch.edges),
        key=lambda d: (str(d["kind"]), str(d["src"]), str(d["dst"])),
    )
    return nodes, edges


@pytest.fixture(scope="module")
def data() -> ImportBatch:
    return seed.read(SEED_FOLDER)


def test_seed_files_load(data: ImportBatch) -> None:
    nodes = Counter(n.kind for n in data.nodes)
    assert nodes["cop"] == 4
    assert nodes["knowledge_question"] == 33
    assert nodes["complex_question"] == 6
    assert nodes["landing_place"] >= 7
    assert (nodes["theme"], nodes["showcase"], nodes["value"]) == (5, 4, 7)
    for path in (SEED_FOLDER / seed.NODES_FILE, SEED_FOLDER / seed.EDGES_FILE):
        head = path.read_text(encoding="utf-8").splitlines()[:4]
        assert any("python -m kgraph.importers.seed" in line for line in head)
        assert any("data/curated.yaml" in line for line in head)


def test_seed_files_are_sorted(data: ImportBatch) -> None:
    entries = yaml.safe_load((SEED_FOLDER / seed.EDGES_FILE).read_text(encoding="utf-8"))
    keys = [(e["kind"], e["src"], e["dst"]) for e in entries]
    ranks = {k: i for i, k in enumerate(dict.fromkeys(k for k, _, _ in keys))}
    assert keys == sorted(keys, key=lambda k: (ranks[k[0]], k[1], k[2]))
    nodes = yaml.safe_load((SEED_FOLDER / seed.NODES_FILE).read_text(encoding="utf-8"))
    ids = [n["id"] for n in nodes]
    assert len(ids) == len(set(ids))


def test_seed_matches_fresh_import_plus_curated(data: ImportBatch) -> None:
    fresh = seed.build(REPORT, CURATED)
    assert as_dicts(data) == as_dicts(fresh)


def test_curated_items_are_marked_with_reason_and_source() -> None:
    raw = yaml.safe_load(CURATED.read_text(encoding="utf-8"))
    assert set(raw) == {"edges"}
    for entry in raw["edges"]:
        assert entry["curated"] is True, entry
        assert isinstance(entry["reason"], str) and entry["reason"].strip(), entry
        assert str(entry["source"]).startswith("000_4a3caf141793d018.txt:"), entry
    curated = seed.read_curated(CURATED)
    assert len(curated) == len(raw["edges"])


def test_curated_links_in_seed(data: ImportBatch) -> None:
    curated = [e for e in data.edges if e.props.get("curated") is True]
    for e in curated:
        assert e.props.get("reason"), e.key
        assert e.props.get("source"), e.key
    keys = {(e.src, e.kind, e.dst): e for e in curated}
    assert ("cop:ethiek", "CONTINUES_AS", "theme:ethiek") in keys
    assert (
        "cop:datagedreven-werken-door-te-voorspellen",
        "CONTINUES_AS",
        "theme:ai-in-besluitvorming",
    ) in keys
    assert ("cop:gebiedsontwikkeling", "CONTINUES_AS", "theme:ai-in-urban-design") in keys
    values = {n.id for n in data.nodes if n.kind == "value"}
    assert {dst for src, kind, dst in keys if kind == "CONCERNS" and src == ETHICS_CQ} == values
    showcases = {n.id for n in data.nodes if n.kind == "showcase"}
    landing = {src for src, kind, dst in keys if kind == "LANDS_IN" and dst == "lp:dmi-ecosysteem"}
    assert showcases | {"cop:lokaal-meten", "cop:gebiedsontwikkeling"} <= landing
    # only curated edges carry a reason; imported ones do not claim to be curated
    assert all("reason" not in e.props for e in data.edges if e.props.get("curated") is not True)


def test_seed_loads_into_a_store(data: ImportBatch, tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "kg.db", actor="test") as store:
        result = apply_batch(store, data, actor="test")
        assert (result.nodes_added, result.edges_added) == (len(data.nodes), len(data.edges))
        assert apply_batch(store, seed.read(SEED_FOLDER)).nodes_added == 0


# --- writing and reading -------------------------------------------------------------------

SMALL = ImportBatch(
    source="test",
    nodes=[
        Node("cop:ethiek", "cop", "Ethiek", source="r.txt:3"),
        Node("kq:b", "knowledge_question", "B?", source="r.txt:5", props={"n": 2}),
        Node("kq:a", "knowledge_question", "A?", text="uitleg", tags=("x",), source="r.txt:4"),
        Node("lp:dmi", "landing_place", "DMI"),
    ],
    edges=[
        Edge("kq:b", "RAISED_IN", "cop:ethiek"),
        Edge("kq:a", "RAISED_IN", "cop:ethiek"),
        Edge("cop:ethiek", "LANDS_IN", "lp:dmi", {"curated": True, "reason": "r", "source": "s"}),
    ],
)


def test_write_then_read_round_trips(tmp_path: Path) -> None:
    seed.write_seed(SMALL, tmp_path)
    back = seed.read(tmp_path)
    assert as_dicts(back) == as_dicts(SMALL)
    first = (tmp_path / seed.NODES_FILE).read_bytes()
    seed.write_seed(ImportBatch("again", list(reversed(SMALL.nodes)), SMALL.edges), tmp_path)
    assert (tmp_path / seed.NODES_FILE).read_bytes() == first  # stable order
    ids = [n["id"] for n in yaml.safe_load(first)]
    assert ids == ["kq:a", "kq:b", "cop:ethiek", "lp:dmi"]


def write(folder: Path, nodes: str, edges: str = "[]\n") -> None:
    (folder / seed.NODES_FILE).write_text(nodes, encoding="utf-8")
    (folder / seed.EDGES_FILE).write_text(edges, encoding="utf-8")


NODES_OK = (
    "- id: cop:a\n  kind: cop\n  title: A\n- id: kq:b\n  kind: knowledge_question\n  title: B?\n"
)


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(InputError) as err:
        seed.read(folder)
    return err.value.problems


def test_bad_node_names_file_entry_and_field(tmp_path: Path) -> None:
    write(tmp_path, NODES_OK + "- id: x:c\n  kind: gadget\n  title: C\n")
    (problem,) = problems_of(tmp_path)
    assert "nodes.yaml:8" in problem  # the line of the kind field
    assert "entry 3 (x:c)" in problem
    assert "field 'kind'" in problem


def test_node_problems_are_all_listed(tmp_path: Path) -> None:
    write(
        tmp_path,
        NODES_OK
        + "- id: kq:c\n  kind: knowledge_question\n  title: C?\n  status: done\n"
        + "- id: cop:a\n  kind: cop\n  title: again\n"
        + "- kind: cop\n  title: no id\n"
        + "- id: cop:d\n  kind: cop\n  title: D\n  created_at: '2024'\n",
    )
    problems = problems_of(tmp_path)
    assert len(problems) == 4
    assert "field 'status'" in problems[0]
    assert "field 'id'" in problems[1] and "duplicate" in problems[1]
    assert "field 'id'" in problems[2] and "missing" in problems[2]
    assert "field 'created_at'" in problems[3]


def test_bad_edge_names_file_entry_and_field(tmp_path: Path) -> None:
    write(
        tmp_path,
        NODES_OK,
        "- src: kq:b\n  kind: RAISED_IN\n  dst: cop:missing\n"
        "- src: cop:a\n  kind: FEEDS\n  dst: kq:b\n"
        "- src: kq:b\n  kind: RAISED_IN\n  dst: cop:a\n  curated: true\n",
    )
    problems = problems_of(tmp_path)
    assert len(problems) == 3
    assert "edges.yaml:3" in problems[0] and "field 'dst'" in problems[0]
    assert "no node with id 'cop:missing'" in problems[0]
    assert "entry 2 (cop:a|FEEDS|kq:b)" in problems[1] and "field 'kind'" in problems[1]
    assert "field 'reason'" in problems[2]


def test_bad_lands_in_status(tmp_path: Path) -> None:
    write(
        tmp_path,
        NODES_OK + "- id: lp:x\n  kind: landing_place\n  title: X\n",
        "- src: cop:a\n  kind: LANDS_IN\n  dst: lp:x\n  status: maybe\n",
    )
    (problem,) = problems_of(tmp_path)
    assert "edges.yaml:4" in problem and "field 'status'" in problem


def test_not_yaml_or_missing(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nodes.yaml: file not found"):
        seed.read(tmp_path)
    write(tmp_path, "- id: [unclosed\n")
    with pytest.raises(InputError, match=r"nodes\.yaml:\d+: not valid YAML"):
        seed.read(tmp_path)
    write(tmp_path, "id: cop:a\n")
    with pytest.raises(InputError, match="expected a list"):
        seed.read(tmp_path)


def test_curated_without_reason_or_source(tmp_path: Path) -> None:
    bad = tmp_path / "curated.yaml"
    bad.write_text(
        "edges:\n"
        "  - src: cop:ethiek\n    kind: CONTINUES_AS\n    dst: theme:ethiek\n    curated: true\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        seed.read_curated(bad)
    text = "\n".join(err.value.problems)
    assert "curated.yaml:2: entry 1 (cop:ethiek|CONTINUES_AS|theme:ethiek)" in text
    assert "field 'reason'" in text and "field 'source'" in text


def test_curated_link_to_unknown_node(tmp_path: Path) -> None:
    bad = tmp_path / "curated.yaml"
    bad.write_text(
        "edges:\n  - src: cop:ethiek\n    kind: CONTINUES_AS\n    dst: theme:nope\n"
        "    curated: true\n    reason: r\n    source: x:1\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        seed.build(REPORT, bad)
    (problem,) = err.value.problems
    assert "curated.yaml:4" in problem and "field 'dst'" in problem and "theme:nope" in problem


def test_main_regenerates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert seed.main(["--report", str(REPORT), "--out", str(tmp_path)]) == 0
    assert "wrote" in capsys.readouterr().out
    for name in (seed.NODES_FILE, seed.EDGES_FILE):
        assert (tmp_path / name).read_bytes() == (SEED_FOLDER / name).read_bytes()
    assert seed.main(["--report", str(tmp_path / "missing.txt"), "--out", str(tmp_path)]) == 2
    assert "missing.txt: file not found" in capsys.readouterr().err
