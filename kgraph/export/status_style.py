"""How a handover status looks in tables: the page, the html report and the xlsx report
share one set of light fills with dark text (readable in print and for the colour-blind:
the label is always written, the colour only helps)."""

from __future__ import annotations

from kgraph.export.style import HANDOVER_COLOURS

#: status -> (fill, text colour); ``none`` is an item without any landing place
STATUS_FILLS: dict[str, tuple[str, str]] = {
    "proposed": ("#ECECEC", "#3A3A3A"),
    "in_discussion": ("#FCE9C2", "#6B4500"),
    "accepted": ("#CDEFE2", "#00553B"),
    "declined": ("#F9D9C9", "#8A2F00"),
    "none": ("#F2D3E2", "#6A1240"),
}
#: the strong colour of each status (edges in the network, the bar of a chip)
STATUS_STRONG: dict[str, str] = {**HANDOVER_COLOURS, "none": "#882255"}
#: an overdue deadline
OVERDUE: tuple[str, str] = ("#FBD5D5", "#8B0000")


def fill(status: str) -> tuple[str, str]:
    """(fill, text colour) of ``status``; unknown statuses look like ``proposed``."""
    return STATUS_FILLS.get(status, STATUS_FILLS["proposed"])
