"""The rows ``benchmarks.run`` prints for the steering group's pages and documents
(measured by ``benchmarks.review``), with their budgets: a page's first render ≤ 1 s at M
and ≤ 2 s at L, its interactions ≤ 100 ms p95 at M and ≤ 200 ms at L, and Neo4j within 2×
of those. Plain data (operation, label, budgets as ``Budget`` keyword arguments), so this
module needs nothing from the runner."""

from __future__ import annotations

from typing import Any


def _page(op: str, label: str) -> list[tuple[str, str, list[dict[str, Any]]]]:
    render = [
        {"key": "seconds", "limit": 1, "scales": ("M",)},
        {"key": "seconds", "limit": 2, "scales": ("L",)},
        {"key": "seconds", "limit": 2, "scales": ("M",), "backend": "neo4j"},
        {"key": "seconds", "limit": 4, "scales": ("L",), "backend": "neo4j"},
    ]
    interaction = [
        {"key": "p95_ms", "limit": 100, "scales": ("M",)},
        {"key": "p95_ms", "limit": 200, "scales": ("L",)},
        {"key": "p95_ms", "limit": 200, "scales": ("M",), "backend": "neo4j"},
        {"key": "p95_ms", "limit": 400, "scales": ("L",), "backend": "neo4j"},
    ]
    return [
        (f"{op}_render", f"{label} first render (AppTest)", render),
        (f"{op}_interaction", f"{label} interactions, p95 (AppTest)", interaction),
    ]


REVIEW_ROWS: list[tuple[str, str, list[dict[str, Any]]]] = [
    ("handover_table_page", "one page of the handover table from the store", []),
    *_page("overdracht", "Overdracht"),
    *_page("geschiedenis", "Geschiedenis"),
    ("meeting_pack", "meeting pack: md + html + xlsx + pdf", []),
]
