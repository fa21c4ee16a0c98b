"""The text catalogue: both languages have the same keys and placeholders, every key the
code names exists, and the catalogue ships inside the package."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path

import pytest

from kgraph import texts
from kgraph.analysis.centrality import EXPLANATION as CENTRAL
from kgraph.analysis.changes import EXPLANATIONS as CHANGES
from kgraph.analysis.gaps import GAP_LABELS
from kgraph.analysis.handover import EXPLANATIONS as HANDOVER
from kgraph.analysis.similar import EXPLANATION as SIMILAR

REPO = Path(__file__).resolve().parents[1]
#: ``t("key"`` / ``text("key"`` with a literal key, anywhere in the package
_LITERAL = re.compile(r"""\b(?:t|text)\(\s*["']([a-z0-9_]+)["']""")
_SPECS = {"", "kind", "status", "edge", "pct", ","}


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    nl, en = texts.catalogue("nl"), texts.catalogue("en")
    assert sorted(set(nl) ^ set(en)) == []
    mismatched = {
        key: (texts.placeholders(nl[key]), texts.placeholders(en[key]))
        for key in nl
        if texts.placeholders(nl[key]) != texts.placeholders(en[key])
    }
    assert mismatched == {}
    for key, template in nl.items():
        assert {spec for _, spec in texts.placeholders(template)} <= _SPECS, key
        assert template.strip(), key
        assert en[key].strip(), key


def test_every_key_the_code_names_is_in_the_catalogue() -> None:
    named = set()
    # importers/ is kgraph.importers through a link, which rglob does not follow
    for path in [*(REPO / "kgraph").rglob("*.py"), *(REPO / "importers").rglob("*.py")]:
        named |= set(_LITERAL.findall(path.read_text(encoding="utf-8")))
    named |= {CENTRAL, SIMILAR, *HANDOVER.values(), *CHANGES.values()}
    named |= {k for label in GAP_LABELS.values() for k in label.values()}
    named |= {"central_row_bridge", "central_row_no_bridge", "changes_headline"}
    assert len(named) > 100
    assert sorted(named - set(texts.catalogue("nl"))) == []


def test_rendering_fills_parameters_in_the_language() -> None:
    row = {
        "key": "central_row_bridge",
        "params": {"kind": "cop", "title": "X", "degree": 2, "share": 0.125},
    }
    assert texts.render(row, "nl") == (
        "CoP 'X' heeft 2 verbindingen en ligt op 12,5% van de kortste routes tussen andere items."
    )
    assert texts.render(texts.Message("central_row_bridge", row["params"]), "en").startswith(
        "CoP 'X' has 2 links and lies on 12.5%"
    )
    assert texts.text("no_landing_status", "en") == texts.status_label("none", "en")
    with pytest.raises(KeyError):
        texts.text("no_such_key", "nl")
    with pytest.raises(ValueError, match="unknown language"):
        texts.catalogue("de")


def test_the_catalogue_is_package_data() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["kgraph"]
    for name in ("texts/nl.yaml", "texts/en.yaml"):
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), name
    from importlib import resources

    shipped = {p.name for p in resources.files("kgraph.texts").iterdir()}
    assert {"nl.yaml", "en.yaml", "__init__.py"} <= shipped


def test_counts_are_grouped_as_each_language_writes_them() -> None:
    nl = texts.text(
        "importer.too_many_cells", "nl", file="a.xlsx", count=2_000_001, limit=2_000_000
    )
    en = texts.text(
        "importer.too_many_cells", "en", file="a.xlsx", count=2_000_001, limit=2_000_000
    )
    assert "2.000.001" in nl and "2.000.000" in nl
    assert "2,000,001" in en and "2,000,000" in en


def test_every_kind_edge_and_status_has_a_label_in_both_languages() -> None:
    from kgraph import model

    for table, keys in (
        (model.NODE_LABELS, model.NODE_KINDS),
        (model.EDGE_LABELS, model.EDGE_KINDS),
        (model.STATUS_LABELS, (*model.QUESTION_STATUSES, *model.HANDOVER_STATUSES)),
    ):
        assert set(table) == set(keys)
        for key in keys:
            assert set(table[key]) == {"nl", "en"} and all(table[key].values()), key
    nl = texts.catalogue("nl")
    assert model.NODE_LABELS["knowledge_question"]["nl"] == nl["label.kind.knowledge_question"]
