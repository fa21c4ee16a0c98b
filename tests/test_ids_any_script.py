"""Ids made from titles stay unique and stable in any script, and Latin ids as they were.

Before, every title without Latin letters got the id ``kq:x``: a second Chinese or
Russian question was refused as a duplicate, and a Greek row of a table was skipped as
"already in the store". Greek and Cyrillic are now transliterated, and any title with
letters of another script (or none: emoji) ends in a hash of its normalised form.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CAA_AGENDA
from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph.cli import cli
from kgraph.errors import InputError
from kgraph.importers import ImportBatch, apply_batch, seed, table
from kgraph.model import Node, check_id, fold, make_id
from kgraph.paths import seed_folder
from kgraph.store.base import GraphStore

SCRIPTS = [
    "如何验证模型?",
    "如何验证数据?",
    "Как проверить модель?",
    "Как измерить качество?",
    "Πώς επικυρώνεται ένα μοντέλο;",
    "Πώς μετράμε την ποιότητα;",
    "كيف نتحقق من النموذج؟",
    "モデルをどう検証するか",
    "🚀",
    "🚀🛰️",
    "Як перевірити модель?",
]


def _old_slugify(text: str) -> str:
    """The slug as kgraph made it before any other script was handled."""
    words = " ".join(re.findall(r"[0-9a-z]+", fold(text))).split()
    slug = "-".join(words) or "x"
    if len(slug) <= 60:
        return slug
    digest = hashlib.sha1(" ".join(words).encode()).hexdigest()[:8]
    return slug[:60].rstrip("-") + "-" + digest


def _location(store: GraphStore, backend: str) -> str:
    return store.location if backend == "embedded" else os.environ["NEO4J_URI"]


# --- the id rule ----------------------------------------------------------------------


def test_titles_in_any_script_get_distinct_valid_ids() -> None:
    ids = [make_id("knowledge_question", title) for title in SCRIPTS]
    assert len(set(ids)) == len(SCRIPTS), ids
    for node_id in ids:
        assert check_id(node_id) == node_id and node_id != "kq:x"
    # readable where a transliteration exists
    assert ids[2].startswith("kq:kak-proverit-model-")
    assert ids[4].startswith("kq:pos-epikyronetai-ena-montelo-")


def test_ids_are_stable_across_case_accents_punctuation_and_spacing() -> None:
    for a, b in (
        ("Как проверить модель?", "  как ПРОВЕРИТЬ   модель "),
        ("Πώς επικυρώνεται ένα μοντέλο;", "ΠΩΣ ΕΠΙΚΥΡΩΝΕΤΑΙ ΕΝΑ ΜΟΝΤΕΛΟ"),
        ("如何验证模型?", "如何验证模型？"),
    ):
        assert make_id("knowledge_question", a) == make_id("knowledge_question", b)


def test_latin_titles_of_the_real_data_keep_their_ids() -> None:
    titles = [n.title for n in seed.read(seed_folder()).nodes]
    for path in sorted((CAA_AGENDA / "_questions").glob("*.md")):
        titles.extend(line for line in path.read_text(encoding="utf-8").splitlines() if line)
    titles = [t for t in titles if re.search(r"[0-9a-z]", fold(t))]  # not "---"
    assert len(titles) > 500
    for title in titles:
        assert make_id("cop", title) == f"cop:{_old_slugify(title)}", title


_LATIN = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "S", "Z"),
    max_codepoint=0x24F,  # ASCII, Latin-1 (µ, ², ß, ø) and Latin Extended
)


@settings(max_examples=300, deadline=None)
@given(st.text(_LATIN, min_size=1, max_size=90))
def test_any_latin_title_keeps_its_id(title: str) -> None:
    if not re.search(r"[0-9a-z]", fold(title)):
        return  # nothing Latin to show: such titles all collided as "x" and now differ
    assert make_id("knowledge_question", title) == f"kq:{_old_slugify(title)}"


# --- importers and the CLI, on both backends -------------------------------------------


def _write_titles(path: Path, titles: list[str], ids: list[str] | None = None) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["id", "title"] if ids else ["title"])
        for i, title in enumerate(titles):
            writer.writerow([ids[i], title] if ids else [title])
    return path


def test_table_import_keeps_every_script(store: GraphStore, tmp_path: Path) -> None:
    path = _write_titles(tmp_path / "questions.csv", SCRIPTS)
    batch = table.read(path, store=store, mapping={"title": "title"})
    result = apply_batch(store, batch)
    assert result.nodes_added == len(SCRIPTS)
    titles = {n.title for n in store.nodes(["knowledge_question"])}
    assert titles == set(SCRIPTS)
    again = apply_batch(store, table.read(path, store=store, mapping={"title": "title"}))
    assert (again.nodes_added, again.edges_added) == (0, 0)


def test_cli_add_and_import_in_other_scripts(
    store: GraphStore, backend: str, tmp_path: Path
) -> None:
    runner = CliRunner()
    location = _location(store, backend)

    def add(title: str) -> None:
        result = runner.invoke(cli, ["--store", location, "add", "knowledge_question", title])
        assert result.exit_code == 0, result.output

    add(SCRIPTS[0])
    # a Greek row after a Chinese question: imported, not skipped as "already there"
    path = _write_titles(tmp_path / "greek.csv", SCRIPTS[4:5])
    result = runner.invoke(cli, ["--store", location, "import", "table", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 items en 0 verbindingen toegevoegd" in result.output
    for title in SCRIPTS[1:4]:  # a second Chinese question, two Russian ones
        add(title)
    assert {n.title for n in store.nodes(["knowledge_question"])} == set(SCRIPTS[:5])


def test_an_id_held_by_another_title_is_said(
    store: GraphStore, backend: str, tmp_path: Path
) -> None:
    store.add_node(Node("kq:x", "knowledge_question", "如何验证模型?"))  # as old versions made it
    path = _write_titles(tmp_path / "q.csv", ["Πώς μετράμε την ποιότητα;"], ids=["kq:x"])
    result = CliRunner().invoke(
        cli, ["--store", _location(store, backend), "import", "table", str(path), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert "kq:x is already in the store as '如何验证模型?'" in result.output
    assert "'Πώς μετράμε την ποιότητα;' was not imported under that id" in result.output
    assert store.get_node("kq:x").title == "如何验证模型?"  # type: ignore[union-attr]


def test_two_items_with_one_id_in_a_batch_are_refused(store: GraphStore) -> None:
    batch = ImportBatch(
        "two.csv",
        nodes=[
            Node("kq:x", "knowledge_question", "Как проверить модель?"),
            Node("kq:x", "knowledge_question", "Πώς μετράμε την ποιότητα;"),
        ],
    )
    with pytest.raises(InputError, match="given to two different items") as caught:
        apply_batch(store, batch)
    assert "'Как проверить модель?' and 'Πώς μετράμε την ποιότητα;'" in caught.value.problems[0]
    assert store.is_empty()
    same = ImportBatch("same.csv", nodes=[batch.nodes[0], batch.nodes[0]])
    assert apply_batch(store, same).nodes_added == 1
