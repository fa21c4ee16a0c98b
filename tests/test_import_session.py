"""The import session from the command line, on both backends: placements are proposals
unless the mapping says otherwise, registers keep their identity whatever the file is
called, every import can be undone exactly (and is refused when later work touched it),
no output path of an import can destroy the store or an input, and a mapping file is read
in bounded time and memory."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import DATA, REPO

from kgraph.cli import cli
from kgraph.errors import ConflictError, InputError
from kgraph.importers import bounded_yaml, mapping_file, undo
from kgraph.importers.session import ImportSession
from kgraph.model import Edge, Node
from kgraph.store.base import GraphStore

REGISTERS = DATA / "registers"
sys.path.insert(0, str(REGISTERS))
sys.path.insert(0, str(REPO))  # benchmarks/
import make_registers as reg  # noqa: E402

SPEC = REGISTERS / "kennisagenda.yaml"
R = "kq:kennisagenda:"

#: a register whose "Waar belegd" holds research-line codes and "Not included", as the
#: Deltares/RWS agenda did
PLACEMENTS = """Code;Kennisvraag;Waar belegd
A1;Hoe verandert de bodemdaling in het veenweidegebied?;2.1
A2;Welke dijkversterking past bij de nieuwe normen?;3
A3;Hoe houden we de vaarweg op diepte?;Not included
A4;Wat kost de zeespiegelstijging de kustgemeenten?;Kennisprogramma Zeespiegelstijging
A5;Hoe meten we verzilting in polders?;2.1; Not included
"""


def run(store: GraphStore, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--store", store.location, *args], catch_exceptions=False)


def _placements(tmp_path: Path) -> Path:
    path = tmp_path / "agenda.csv"
    path.write_text(PLACEMENTS, encoding="utf-8")
    return path


def _snapshot(store: GraphStore) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """Nodes and edges as comparable data (store stamps left out)."""
    stamps = ("created_at", "updated_at", "updated_by", "version")
    everything = store.export_all()
    nodes = {
        i: {k: v for k, v in n.to_dict().items() if k not in stamps}
        for i, n in everything.nodes.items()
    }
    edges = {
        e.key: {k: v for k, v in e.to_dict().items() if k not in stamps} for e in everything.edges
    }
    return nodes, edges


# --- placements are proposals ----------------------------------------------------------------


def test_placements_are_proposals_with_where_they_came_from(
    store: GraphStore, tmp_path: Path
) -> None:
    path = _placements(tmp_path)
    args = ["import", "table", str(path), "--map", "id=Code", "--map", "title=Kennisvraag"]
    args += ["--map", "placed_at=Waar belegd", "--register", "Agenda WVL"]
    # the counts per handover status are in the plan, before anything is written
    dry = run(store, *args, "--dry-run", "--json")
    assert dry.exit_code == 0, dry.output
    plan = json.loads(dry.output)
    assert plan["handovers"] == {"proposed": 5}  # A5 holds two placements
    assert plan["steering"]["before"]["proposed"] == 0
    assert plan["steering"]["after"]["proposed"] == 5 and plan["steering"]["after"]["accepted"] == 0
    assert store.is_empty()
    text = run(store, *args, "--dry-run")
    assert "overdrachten die deze import maakt: potentiële landingsplaats 5" in text.output
    assert run(store, *args).exit_code == 0
    lands = store.edges(["LANDS_IN"])
    assert {e.props["status"] for e in lands} == {"proposed"}
    assert all(e.props["note"] == "uit register Agenda WVL, kolom Waar belegd" for e in lands)
    assert all("decided_on" not in e.props and "decided_by" not in e.props for e in lands)
    # "Not included" became a landing place: the reason to map it to nothing
    assert store.get_node("lp:not-included") is not None


def test_a_placement_maps_to_nothing_an_organisation_or_an_existing_landing_place(
    store: GraphStore, tmp_path: Path
) -> None:
    store.add_node(Node("lp:kennisprogramma-bodemdaling", "landing_place", "KP Bodemdaling"))
    store.add_node(Node("org:hwbp", "organisation", "Hoogwaterbeschermingsprogramma"))
    path = _placements(tmp_path)
    args = ["import", "table", str(path), "--map", "id=Code", "--map", "title=Kennisvraag"]
    args += ["--map", "placed_at=Waar belegd", "--register", "agenda"]
    args += ["--value", "placed_at:2.1=lp:kennisprogramma-bodemdaling"]
    args += ["--value", "placed_at:3=org:hwbp", "--value", "placed_at:Not included="]
    result = run(store, *args, "--placed-status", "accepted", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["handovers"] == {"accepted": 3}
    lands = {(e.src, e.dst): e.props["status"] for e in store.edges(["LANDS_IN"])}
    assert lands == {
        ("kq:agenda:a1", "lp:kennisprogramma-bodemdaling"): "accepted",
        ("kq:agenda:a4", "lp:kennisprogramma-zeespiegelstijging"): "accepted",
        ("kq:agenda:a5", "lp:kennisprogramma-bodemdaling"): "accepted",
    }
    involves = {(e.src, e.dst) for e in store.edges(["INVOLVES"])}
    assert involves == {("kq:agenda:a2", "org:hwbp")}
    # "Not included" lands nowhere and creates nothing
    assert store.get_node("lp:not-included") is None
    assert not [e for e in store.edges() if e.src == "kq:agenda:a3"]
    assert len(store.nodes(["landing_place"])) == 2  # no landing place per research line


def test_a_saved_mapping_keeps_the_register_and_how_placements_count(
    store: GraphStore, tmp_path: Path
) -> None:
    path, saved = _placements(tmp_path), tmp_path / "agenda.yaml"
    args = ["import", "table", str(path), "--map", "id=Code", "--map", "title=Kennisvraag"]
    args += ["--map", "placed_at=Waar belegd", "--register", "Agenda WVL"]
    args += ["--value", "placed_at:Not included=", "--placed-status", "accepted"]
    assert run(store, *args, "--save-mapping", str(saved), "--dry-run").exit_code == 0
    spec = mapping_file.load_spec(saved)
    assert (spec.register, spec.placed_status) == ("Agenda WVL", "accepted")
    assert spec.values["placed_at"] == {"Not included": ""}
    assert store.is_empty()  # --dry-run saves the mapping and writes nothing else


# --- registers have an identity --------------------------------------------------------------


def test_a_renamed_file_is_compared_with_its_register(store: GraphStore, tmp_path: Path) -> None:
    saved = tmp_path / "kennisagenda.yaml"
    first = run(store, "import", "table", str(reg.V1), "--mapping", str(SPEC))
    assert first.exit_code == 0, first.output
    renamed = tmp_path / "kennisagenda-v3.xlsx"
    shutil.copy(reg.V1, renamed)
    # without naming the register: recognised by its header row, and refused
    asked = run(
        store, "import", "table", str(renamed), "--map", "id=Code", "--map", "title=Kennisvraag"
    )
    assert asked.exit_code == 2 and 'register "kennisagenda"' in asked.output
    assert store.count_records("import_batch") == 1
    # with the mapping file that names it: the same register, nothing added
    mapping_file.save_spec(mapping_file.load_spec(SPEC), saved)
    again = run(store, "import", "table", str(renamed), "--mapping", str(saved), "--json")
    assert again.exit_code == 0, again.output
    report = json.loads(again.output)
    assert (report["register"], report["added"], report["changed"]) == ("kennisagenda", 0, 0)
    assert report["unchanged"] == len(reg.Q) and report["edges"] == 0
    registers = store.records("register")
    assert [(r.id, r.data["name"], r.data["source"]) for r in registers] == [
        ("kennisagenda", "kennisagenda", renamed.name)
    ]
    assert registers[0].data["spec"]["columns"]["placed_at"] == "Waar belegd"


def test_two_registers_with_the_same_question_keep_their_own(
    store: GraphStore, tmp_path: Path
) -> None:
    for name in ("a", "b"):
        path = tmp_path / f"{name}.csv"
        path.write_text("Vraag;CoP\nHoe meten we geluid?;Lokaal meten\n", encoding="utf-8")
        result = run(
            store, "import", "table", str(path), "--map", "title=Vraag", "--map", "cop=CoP"
        )
        assert result.exit_code == 0, result.output
    questions = {n.id: n.props["register"] for n in store.nodes(["knowledge_question"])}
    assert questions == {"kq:hoe-meten-we-geluid": "a", "kq:hoe-meten-we-geluid-2": "b"}
    assert "krijgen een eigen id" in result.output
    # and each register compares with its own question
    again = run(store, "import", "table", str(path), "--map", "title=Vraag", "--json")
    report = json.loads(again.stdout)
    assert (report["register"], report["added"], report["unchanged"]) == ("b", 0, 1)


# --- undo ------------------------------------------------------------------------------------


def test_undo_reverts_a_reimport_then_the_import_exactly(store: GraphStore) -> None:
    spec = mapping_file.load_spec(SPEC)
    store.add_node(Node("cop:elders", "cop", "Elders"))  # not the import's: stays
    empty = _snapshot(store)
    first = ImportSession(store, reg.V1, actor="Ada").plan(spec)
    ImportSession(store, reg.V1, actor="Ada").apply(first)
    after_first = _snapshot(store)
    second = ImportSession(store, reg.V2, actor="Bea")
    plan = second.plan(spec)
    assert plan.changed and plan.gone and plan.register_items
    second.apply(plan, prune=True)
    assert _snapshot(store) != after_first

    undone = run(store, "--as", "Eva", "import", "undo", "--json")
    assert undone.exit_code == 0, undone.output
    result = json.loads(undone.output)
    assert result["nodes_removed"] == len(plan.added) and result["restored"] > len(plan.changed)
    assert _snapshot(store) == after_first  # nodes, edges and every property as they were
    # the undo is history too, in the name of who undid it
    batches = undo.import_batches(store)
    assert batches[0].undone_at and batches[0].undone_by == "Eva"
    with pytest.raises(ConflictError, match="al ongedaan gemaakt"):
        undo.undo_import(store, batches[0].id)

    assert run(store, "import", "undo").exit_code == 0  # now the first import
    assert _snapshot(store) == empty
    nothing = run(store, "import", "undo")
    assert nothing.exit_code == 2 and "geen import om ongedaan te maken" in nothing.output
    listed = run(store, "import", "batches")
    assert listed.output.count("undone") == 2 and reg.V1.name in listed.output


def test_undo_is_refused_when_later_work_touched_the_same_items(store: GraphStore) -> None:
    spec = mapping_file.load_spec(SPEC)
    session = ImportSession(store, reg.V1, actor="Ada")
    applied = session.apply(session.plan(spec))
    node = store.get_node(R + "1-1-1")
    assert node is not None
    store.update_node(node.id, {"status": "answered"}, actor="Cor")
    other = store.nodes(["knowledge_question"])[-1]
    store.add_edge(Edge(other.id, "RELATES_TO", R + "1-1-2"), actor="Dirk")
    before = _snapshot(store)
    refused = run(store, "import", "undo", applied.batch)
    assert refused.exit_code == 2
    assert reg.Q[0][2] in refused.output and "door Cor" in refused.output
    assert "RELATES_TO" in refused.output and "door Dirk" in refused.output
    assert _snapshot(store) == before  # nothing reverted
    # once the later work is taken back by hand, the import can be undone
    store.delete_edge(other.id, "RELATES_TO", R + "1-1-2", actor="Dirk")
    store.update_node(node.id, {"status": node.status}, actor="Cor")
    with pytest.raises(ConflictError):  # changing it back is still a later change
        undo.undo_import(store, applied.batch)


def test_an_unknown_batch_is_one_line(store: GraphStore) -> None:
    result = run(store, "import", "undo", "nope")
    assert result.exit_code == 2 and "geen import nope" in result.output


# --- outputs never destroy the store or an input ----------------------------------------------


def test_save_mapping_and_rejects_never_replace_the_store_the_input_or_a_file(
    tmp_path: Path,
) -> None:
    db = tmp_path / "s.db"
    source = tmp_path / "errors.csv"
    source.write_bytes((DATA / "import" / "errors.csv").read_bytes())
    args = ["--store", str(db), "import", "table", str(source), "--map", "title=Vraag"]
    runner = CliRunner()
    assert runner.invoke(cli, ["--store", str(db), "seed"]).exit_code == 0
    store_bytes = db.read_bytes()
    existing = tmp_path / "keep.yaml"
    existing.write_text("keep me", "utf-8")
    cases = [
        (["--save-mapping", str(db)], "is the store in use"),
        (["--save-mapping", str(db), "--overwrite", "--dry-run"], "is the store in use"),
        (["--save-mapping", f"{db}-wal", "--overwrite"], "is the store in use"),
        (["--save-mapping", str(source), "--overwrite"], "is the file being read"),
        (["--save-mapping", str(existing), "--dry-run"], "exists already; add --overwrite"),
        (["--skip-invalid", str(db), "--overwrite"], "is the store in use"),
        (["--skip-invalid", str(source), "--overwrite"], "is the file being read"),
        (["--skip-invalid", str(existing)], "exists already; add --overwrite"),
        (["--save-mapping", str(existing), "--skip-invalid", str(existing), "--overwrite"], "is the file being read"),
    ]  # fmt: skip
    for extra, why in cases:
        result = runner.invoke(cli, [*args, *extra])
        assert result.exit_code == 2 and why in result.output, (extra, result.output)
    assert db.read_bytes() == store_bytes
    assert source.read_bytes() == (DATA / "import" / "errors.csv").read_bytes()
    assert existing.read_text("utf-8") == "keep me"
    # with --overwrite an ordinary file is replaced, whole
    clean = tmp_path / "q.csv"
    clean.write_text("Vraag\nHoe meten we geluid?\n", encoding="utf-8")
    args[4] = str(clean)
    saved = runner.invoke(cli, [*args, "--save-mapping", str(existing), "--overwrite", "--dry-run"])
    assert saved.exit_code == 0, saved.output
    assert mapping_file.load_spec(existing).columns["title"] == "Vraag"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


# --- a mapping file is bounded -----------------------------------------------------------------

BOMB = """a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_an_alias_bomb_is_refused_in_one_line(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BOMB, encoding="utf-8")
    assert len(BOMB.encode()) < 400  # a few hundred bytes that would expand to 387 million
    source = tmp_path / "q.csv"
    source.write_text("Vraag\nHoe meten we geluid?\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["--store", str(tmp_path / "s.db"), "import", "table", str(source), "--mapping", str(bomb)]
    )  # fmt: skip
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.startswith("kgraph: error")]
    assert lines == [
        "kgraph: error: bomb.yaml, line 1: anchors and aliases (&name, *name) are not allowed "
        "in a mapping file; write the values out"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("columns: &c {title: Vraag}\nvalues: *c\n", "anchors and aliases"),
        ("columns:\n  title: " + "[" * 20 + "x" + "]" * 20 + "\n", "nested deeper than 8 levels"),
        (
            "columns: {title: Vraag}\n" + "# " + "x" * bounded_yaml.MAX_BYTES,
            "bytes; a mapping file",
        ),
        ("values: {status: [" + ", ".join(["1"] * 60_000) + "]}", "more than 50,000 values"),
        ("columns: {title: Vraag", "not YAML"),
        (b"columns: {title: \xff}", "not UTF-8"),
    ],
)
def test_a_mapping_file_has_bounds(text: str | bytes, expected: str) -> None:
    with pytest.raises(InputError, match=expected) as caught:
        mapping_file.parse_spec(text, "m.yaml")
    assert str(caught.value).startswith("m.yaml") and "\n" not in str(caught.value)


def test_the_matching_pairs_the_fixture_as_the_method_before() -> None:
    """Id, exact title, then sparse top-k candidates: the same pairs as scoring every pair
    that shares a word (``benchmarks/reimport_scale.py`` keeps that method), on both
    versions of the fixture register; never all pairs."""
    from benchmarks.reimport_scale import old_match
    from kgraph.importers import table
    from kgraph.importers.matching import match_questions

    spec = mapping_file.load_spec(SPEC)
    olds = [
        n for n in table.read(reg.V1, **spec.read_options()).nodes if n.kind == "knowledge_question"
    ]
    news = [
        n for n in table.read(reg.V2, **spec.read_options()).nodes if n.kind == "knowledge_question"
    ]
    pairs = match_questions(olds, news)
    assert pairs == old_match(olds, news)
    reworded = {
        olds[i].title: news[j].title for j, i in pairs.items() if olds[i].title != news[j].title
    }
    assert set(reg.REWORDED.values()) <= set(reworded.values())
    assert len(pairs) == len(reg.Q) - len(reg.DROPPED)


# --- readable sources --------------------------------------------------------------------------


def test_an_import_gives_its_file_a_readable_title_once(store: GraphStore, tmp_path: Path) -> None:
    from kgraph import sources

    path = _placements(tmp_path)
    args = ["import", "table", str(path), "--map", "id=Code", "--map", "title=Kennisvraag"]
    result = run(store, *args, "--register", "Agenda WVL")
    assert result.exit_code == 0, result.output
    titles = sources.source_titles(store)
    assert titles == {"agenda.csv": "Agenda WVL"}
    node = store.get_node("kq:agenda-wvl:a1")
    assert node is not None and node.source
    assert sources.describe(node.source, titles).startswith("Agenda WVL, rij")
    # a title someone gave is kept by the next import of the file
    sources.register_source(store, "agenda.csv", "Kennisagenda Water en Leefomgeving")
    again = run(store, *args, "--register", "Agenda WVL")
    assert again.exit_code == 0, again.output
    assert sources.source_titles(store) == {"agenda.csv": "Kennisagenda Water en Leefomgeving"}


def test_the_seed_reads_as_the_city_deal_report(store: GraphStore) -> None:
    from kgraph import sources
    from kgraph.seeding import SEED_ACTOR, seed_store

    seed_store(store)
    titles = sources.source_titles(store)
    assert titles[sources.SEED_REPORT] == sources.SEED_TITLE
    sourced = [n for n in store.nodes() if n.source and n.source.startswith(sources.SEED_REPORT)]
    assert sourced and sources.describe(sourced[0].source, titles).startswith(
        "City Deal jaarverslag 2023, regel "
    )
    assert {c.actor for c in store.history()} == {SEED_ACTOR}
    assert len(store.history(target=f"@source/{store.records('source')[0].id}")) == 1
