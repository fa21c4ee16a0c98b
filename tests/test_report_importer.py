"""The City Deal report importer: the real report, heading variants, re-import, bad input."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from kgraph.errors import InputError
from kgraph.importers import apply_batch, report
from kgraph.importers.base import ImportBatch
from kgraph.model import EDGE_RULES, Node, make_id
from kgraph.store.embedded import EmbeddedStore

SEED = Path(__file__).parents[1] / "data" / "sources" / "000_4a3caf141793d018.txt"
REPORTS = Path(__file__).parent / "data" / "reports"

DATA = "cop:datagedreven-werken-door-te-voorspellen"
GEBIED = "cop:gebiedsontwikkeling"
METEN = "cop:lokaal-meten"
ETHIEK = "cop:ethiek"
DMI = "lp:dmi-ecosysteem"

JOINED_QUESTION = (
    "Hoe komen we tot een integraal procesmodel voor gebiedsontwikkeling? en hoe maken we "
    "hierbij de transitie van enkelvoudige Opdrachtgever-Oprachtnemer naar een meer "
    "holistische benadering vanuit een Ecosysteem denken?"
)


# --- helpers -------------------------------------------------------------------------------


def by_kind(batch: ImportBatch, kind: str) -> dict[str, Node]:
    return {n.id: n for n in batch.nodes if n.kind == kind}


def targets(batch: ImportBatch, kind: str) -> dict[str, set[str]]:
    """src -> set of dst for edges of ``kind``."""
    out: dict[str, set[str]] = defaultdict(set)
    for e in batch.edges:
        if e.kind == kind:
            out[e.src].add(e.dst)
    return out


def raised_in(batch: ImportBatch, node_kind: str) -> dict[str, list[str]]:
    """CoP id -> ids of questions of ``node_kind`` raised in it."""
    kinds = {n.id: n.kind for n in batch.nodes}
    out: dict[str, list[str]] = defaultdict(list)
    for e in batch.edges:
        if e.kind == "RAISED_IN" and kinds[e.src] == node_kind:
            out[e.dst].append(e.src)
    return out


@pytest.fixture(scope="module")
def seed() -> ImportBatch:
    if not SEED.exists():
        pytest.skip(f"the City Deal report is not at {SEED}")
    return report.read(SEED)


# --- the real report -----------------------------------------------------------------------


def test_seed_counts_per_kind(seed: ImportBatch) -> None:
    nodes = Counter(n.kind for n in seed.nodes)
    assert nodes["cop"] == 4
    assert nodes["knowledge_question"] == 33
    assert nodes["complex_question"] == 6
    assert nodes["landing_place"] >= 7
    assert nodes["theme"] == 5
    assert nodes["showcase"] == 4
    assert nodes["value"] == 7
    edges = Counter(e.kind for e in seed.edges)
    assert edges["RAISED_IN"] == 33 + 6
    assert edges["FEEDS"] == 9 * 3 + 7 * 1 + 12 * 1 + 5 * 1
    assert edges["PART_OF"] >= 2


def test_seed_cops_and_questions_per_cop(seed: ImportBatch) -> None:
    cops = by_kind(seed, "cop")
    assert set(cops) == {DATA, GEBIED, METEN, ETHIEK}
    assert {n.title for n in seed.nodes if n.kind == "cop"} == {
        "Datagedreven werken door te voorspellen",
        "Gebiedsontwikkeling",
        "Lokaal meten",
        "Ethiek",
    }
    kqs = raised_in(seed, "knowledge_question")
    cqs = raised_in(seed, "complex_question")
    assert {c: len(kqs[c]) for c in cops} == {DATA: 9, GEBIED: 7, METEN: 12, ETHIEK: 5}
    assert {c: len(cqs[c]) for c in cops} == {DATA: 3, GEBIED: 1, METEN: 1, ETHIEK: 1}


def test_seed_question_edges_follow_their_cop(seed: ImportBatch) -> None:
    kinds = {n.id: n.kind for n in seed.nodes}
    raised = targets(seed, "RAISED_IN")
    feeds = targets(seed, "FEEDS")
    cqs_of = raised_in(seed, "complex_question")
    for node in seed.nodes:
        if node.kind in ("knowledge_question", "complex_question"):
            assert len(raised[node.id]) == 1, node.id
            assert kinds[next(iter(raised[node.id]))] == "cop"
        if node.kind == "knowledge_question":
            (cop,) = raised[node.id]
            assert feeds[node.id] == set(cqs_of[cop]), node.title
    # every edge obeys the model's rules
    for e in seed.edges:
        sources, dests = EDGE_RULES[e.kind]
        assert kinds[e.src] in sources and kinds[e.dst] in dests, e.key


def test_seed_landing_places_per_cop(seed: ImportBatch) -> None:
    cqs_of = raised_in(seed, "complex_question")
    expected = {
        DATA: {DMI, "lp:ai-compass", "lp:buyer-groups"},
        GEBIED: {
            "lp:slimme-verstedelijking",
            "lp:hubs-woningbouw",
            "lp:spoorzone-ontwikkeling",
        },
        METEN: {DMI},
        ETHIEK: {"lp:ethische-commissie-dmi"},
    }
    lands: dict[str, dict[str, str | None]] = defaultdict(dict)
    for e in seed.edges:
        if e.kind == "LANDS_IN":
            lands[e.src][e.dst] = e.status
    for cop, places in expected.items():
        for cq in cqs_of[cop]:
            assert set(lands[cq]) == places, cop
            assert set(lands[cq].values()) == {"proposed"}
    landing = by_kind(seed, "landing_place")
    assert len(landing) >= 7
    assert set().union(*expected.values()) <= set(landing)


def test_seed_dmi_themes_are_part_of_the_ecosystem(seed: ImportBatch) -> None:
    part_of = targets(seed, "PART_OF")
    assert part_of["lp:slimme-verstedelijking"] == {DMI}
    assert part_of["lp:hubs-woningbouw"] == {DMI}
    assert part_of["lp:ethische-commissie-dmi"] == {DMI}
    assert DMI not in part_of
    for lp in ("lp:ai-compass", "lp:buyer-groups", "lp:spoorzone-ontwikkeling"):
        assert lp not in part_of


def test_seed_organisations_and_roles(seed: ImportBatch) -> None:
    orgs = {n.id: n.title for n in seed.nodes if n.kind == "organisation"}
    for org in (
        "org:tu-delft",
        "org:rug",
        "org:we-labs",
        "org:ministerie-van-bzk",
        "org:pianoo",
        "org:future-city-foundation",
        "org:nwo",
    ):
        assert org in orgs
    # aliases resolve to one node: TU/d = TU Delft, WE Labs = WE LABS, FCF = Future City Foundation
    assert not any(re.search(r"TU/d|WE Labs|FCF", t) for t in orgs.values())
    roles = {(e.src, e.dst): e.props.get("role") for e in seed.edges if e.kind == "INVOLVES"}
    assert roles[("lp:ai-compass", "org:tu-delft")] == "lead"
    assert roles[("lp:ai-compass", "org:rug")] == "consortium"
    assert roles[("lp:ai-compass", "org:we-labs")] == "consortium"
    assert roles[("lp:ai-compass", "org:nwo")] == "funder"
    assert roles[("lp:ai-compass", "org:future-city-foundation")] == "coalition"
    assert roles[("lp:buyer-groups", "org:ministerie-van-bzk")] == "owner"
    assert roles[("lp:buyer-groups", "org:pianoo")] == "owner"
    assert ("lp:buyer-groups", "org:we-labs") in roles
    assert not any(src == DMI for src, _ in roles)


def test_seed_joined_page_break_question(seed: ImportBatch) -> None:
    cqs = {n.title: n for n in seed.nodes if n.kind == "complex_question"}
    assert JOINED_QUESTION in cqs
    node = cqs[JOINED_QUESTION]
    assert node.source == f"{SEED.name}:175"
    assert node.text == "Stakeholders: overheid, projectontwikkelaar en OBt sector."
    assert node.props["stakeholders"] == ["overheid", "projectontwikkelaar", "OBt sector"]
    assert node.id == make_id("complex_question", JOINED_QUESTION)


def test_seed_remarks_are_not_questions(seed: ImportBatch) -> None:
    titles = [n.title for n in seed.nodes if n.kind in ("knowledge_question", "complex_question")]
    assert not any(
        t.startswith(("Stakeholders", "Dat is een uitwerking", "Veel van")) for t in titles
    )
    ethiek = next(n for n in seed.nodes if n.title.startswith("Hoe kunnen we het ethisch gesprek"))
    assert ethiek.title == (
        "Hoe kunnen we het ethisch gesprek integraal onderdeel maken van de ontwikkeling van "
        "de slimme stad?"
    )
    assert ethiek.text.startswith("Dat is een uitwerking van artikel 2.3")
    meten = next(n for n in seed.nodes if n.title.startswith("Hoe creëren we vertrouwen"))
    assert meten.title.endswith("beleid en besluitvorming?")  # the stray "?." is cleaned


def test_seed_user_statement_is_a_knowledge_question(seed: ImportBatch) -> None:
    kq = make_id("knowledge_question", "Een gebruiker moet weten wanneer hij wat kan gebruiken.")
    assert kq in by_kind(seed, "knowledge_question")
    assert targets(seed, "RAISED_IN")[kq] == {DATA}


def test_seed_source_lines(seed: ImportBatch) -> None:
    nodes = {n.id: n for n in seed.nodes}
    assert nodes[DATA].source == f"{SEED.name}:130"
    assert nodes[GEBIED].source == f"{SEED.name}:157"
    assert nodes[METEN].source == f"{SEED.name}:187"
    assert nodes[ETHIEK].source == f"{SEED.name}:214"
    assert nodes[make_id("knowledge_question", "Hoe valideer je een model?")].source == (
        f"{SEED.name}:139"
    )
    assert nodes["lp:ai-compass"].source == f"{SEED.name}:154"
    assert nodes["theme:ethiek"].source == f"{SEED.name}:395"
    assert nodes["showcase:alkmaar"].source == f"{SEED.name}:107"
    assert nodes["value:privacy"].source == f"{SEED.name}:230"
    lines = SEED.read_text(encoding="utf-8").splitlines()
    for node in seed.nodes:
        assert node.source and re.fullmatch(r"[\w.]+:\d+", node.source), node.id
        name, line = node.source.rsplit(":", 1)
        if name == SEED.name and node.kind in ("knowledge_question", "cop"):
            # the title's first words are on the line the source names
            assert node.title.split()[0] in lines[int(line) - 1], node.id


def test_seed_themes_showcases_values(seed: ImportBatch) -> None:
    assert {n.title for n in seed.nodes if n.kind == "theme"} == {
        "Ai in Urban Design",
        "Ai in besluitvorming",
        "Bestuurlijke verandering op korte termijn: hoe borg je het in je organisatie",
        "Bestuurlijke verandering op lange termijn: de nieuwe overheid",
        "Ethiek",
    }
    assert {n.title for n in seed.nodes if n.kind == "showcase"} == {
        "Deventer (De Kien)",
        "Breda (Hazeldonk)",
        "Sittard-Geleen (Zeeheldenbuurt)",
        "Alkmaar",
    }
    assert {n.title.casefold() for n in seed.nodes if n.kind == "value"} == {
        "privacy",
        "autonomie",
        "veiligheid",
        "controle over technologie",
        "menselijke waardigheid",
        "rechtvaardigheid",
        "machtsevenwicht",
    }


def test_seed_page_headers_are_gone(seed: ImportBatch) -> None:
    for node in seed.nodes:
        assert "zo doe je dat Agenda" not in node.title + node.text
        assert "Agenda Stad" not in node.title


def test_seed_ids_are_deterministic(seed: ImportBatch) -> None:
    again = report.read(SEED)
    assert [n.id for n in again.nodes] == [n.id for n in seed.nodes]
    assert [e.key for e in again.edges] == [e.key for e in seed.edges]


def test_seed_notes_name_what_was_not_placed(seed: ImportBatch) -> None:
    assert any("Rathenau Instituut" in n and f"{SEED.name}:230" in n for n in seed.notes)


def test_import_twice_adds_nothing(seed: ImportBatch, tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "kg.db", actor="test") as store:
        first = apply_batch(store, seed, actor="test")
        assert first.nodes_added == len(seed.nodes)
        assert first.edges_added == len(seed.edges)
        counts = store.counts().to_dict()
        second = apply_batch(store, report.read(SEED), actor="test")
        assert (second.nodes_added, second.edges_added) == (0, 0)
        assert store.counts().to_dict() == counts


# --- heading variants (fixtures) -----------------------------------------------------------


@pytest.fixture(scope="module")
def variants() -> ImportBatch:
    return report.read(REPORTS / "variants.md")


def test_variants_only_cops_under_the_results_heading(variants: ImportBatch) -> None:
    # "CoP's - ..." is about all CoPs; "CoP Niet meetellen" is outside the section.
    assert {n.id for n in variants.nodes if n.kind == "cop"} == {"cop:mobiliteit", "cop:water"}
    assert not any(n.title == "Hoort niet bij een CoP?" for n in variants.nodes)


def test_variants_plain_cop_heading_plain_markers(variants: ImportBatch) -> None:
    kqs = raised_in(variants, "knowledge_question")
    cqs = raised_in(variants, "complex_question")
    assert len(kqs["cop:mobiliteit"]) == 3  # "*" bullets after a plain "...kennisvragen:" line
    (cq,) = cqs["cop:mobiliteit"]
    node = next(n for n in variants.nodes if n.id == cq)
    # one question across a page break with a header block, a hyphenated compound and a
    # trailing "Stakeholders:" line
    assert node.title == (
        "Hoe verdelen we de rollen tussen enkelvoudige Opdrachtgever-Opdrachtnemer en een "
        "ecosysteem van gemeenten en vervoerders, zonder dat de privacy van reizigers in het "
        "gedrang komt?"
    )
    assert node.source == "variants.md:28"
    assert node.props["stakeholders"] == ["gemeenten", "vervoerders", "reizigers"]
    assert "City Deal" not in node.title + node.text
    # "Potentiële landingsplaatsen" without a colon, ">>" bullet, DMI theme
    assert targets(variants, "LANDS_IN")[cq] == {"lp:slimme-verstedelijking"}
    assert targets(variants, "PART_OF")["lp:slimme-verstedelijking"] == {DMI}


def test_variants_bold_heading_deeper_levels_bulleted_questions(variants: ImportBatch) -> None:
    kqs = raised_in(variants, "knowledge_question")
    cqs = raised_in(variants, "complex_question")
    assert len(kqs["cop:water"]) == 2
    assert len(cqs["cop:water"]) == 2  # "vragen:", one per bullet
    titles = {n.id: n.title for n in variants.nodes}
    assert sorted(titles[c] for c in cqs["cop:water"]) == [
        "Hoe delen we meetnetten met buurgemeenten en wie betaalt het onderhoud van de sensoren?",
        "Hoe maken we waterbeheer datagedreven?",
    ]
    feeds = targets(variants, "FEEDS")
    for kq in kqs["cop:water"]:
        assert feeds[kq] == set(cqs["cop:water"])
    roles = {(e.src, e.dst): e.props["role"] for e in variants.edges if e.kind == "INVOLVES"}
    assert roles == {
        ("lp:ai-compass", "org:tu-delft"): "lead",
        ("lp:ai-compass", "org:we-labs"): "consortium",
        ("lp:ai-compass", "org:future-city-foundation"): "consortium",
    }


def test_crlf_and_byte_order_mark(tmp_path: Path, variants: ImportBatch) -> None:
    text = (REPORTS / "variants.md").read_text(encoding="utf-8")
    copy = tmp_path / "variants.md"
    copy.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    batch = report.read(copy)
    assert [(n.id, n.source) for n in batch.nodes] == [(n.id, n.source) for n in variants.nodes]
    assert [e.key for e in batch.edges] == [e.key for e in variants.edges]


def test_no_anchor_heading_and_inline_markers() -> None:
    batch = report.read(REPORTS / "no_anchor.md")
    assert {n.id for n in batch.nodes if n.kind == "cop"} == {"cop:zorg", "cop:onderwijs"}
    kqs = raised_in(batch, "knowledge_question")
    assert len(kqs["cop:zorg"]) == 2  # numbered items after "Kennisvragen:"
    (cq,) = raised_in(batch, "complex_question")["cop:zorg"]  # bold-only marker line
    node = next(n for n in batch.nodes if n.id == cq)
    assert node.title == "Hoe maken we digitale zorg in de wijk betaalbaar en menselijk?"
    assert node.text == "Dit is een toelichting bij de vraag en geen vraag zelf."
    lands = targets(batch, "LANDS_IN")
    assert lands[cq] == {"lp:buyer-groups"}  # "Potentiële landingsplaats: ..." on one line
    # a CoP without complex questions lands itself; the longest match wins
    assert lands["cop:onderwijs"] == {"lp:ethische-commissie-dmi"}
    assert any("Een nog onbekend programma" in n and "no_anchor.md:25" in n for n in batch.notes)


def test_custom_alias_folder(tmp_path: Path) -> None:
    (tmp_path / "landing_places.yaml").write_text(
        "landing_places:\n"
        "  - id: lp:programma-x\n"
        "    title: Programma X\n"
        "    aliases: [nog onbekend programma]\n",
        encoding="utf-8",
    )
    (tmp_path / "organisations.yaml").write_text("organisations: []\n", encoding="utf-8")
    batch = report.read(REPORTS / "no_anchor.md", aliases=tmp_path)
    assert targets(batch, "LANDS_IN")["cop:onderwijs"] == {"lp:programma-x"}
    assert not any(n.kind == "organisation" for n in batch.nodes)


def test_bad_alias_file_names_file_entry_and_field(tmp_path: Path) -> None:
    (tmp_path / "landing_places.yaml").write_text(
        "landing_places:\n"
        "  - id: lp:ok\n"
        "    title: Ok\n"
        "  - id: lp:broken\n"
        "    title: Broken\n"
        "    regexes: ['(unclosed']\n",
        encoding="utf-8",
    )
    (tmp_path / "organisations.yaml").write_text("organisations: []\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        report.read(REPORTS / "variants.md", aliases=tmp_path)
    (problem,) = err.value.problems
    assert "landing_places.yaml" in problem
    assert "entry 2 (lp:broken)" in problem
    assert "field 'regexes'" in problem
    assert "line 6" in problem


# --- bad input -----------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.md"
    with pytest.raises(InputError, match=r"nope\.md: file not found"):
        report.read(missing)


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"empty\.md: the file is empty"):
        report.read(empty)


def test_not_a_report() -> None:
    with pytest.raises(InputError, match=r"not_a_report\.md: no CoP sections found"):
        report.read(REPORTS / "not_a_report.md")


def test_not_utf8_names_file_and_line(tmp_path: Path) -> None:
    latin = tmp_path / "latin1.md"
    latin.write_bytes("# Verslag\n\n#### CoP - Ethiek\n\n- Geïnteresseerd?\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin1\.md:5: not UTF-8"):
        report.read(latin)


def test_folder_is_not_a_report(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder"):
        report.read(tmp_path)
