"""How node kinds and handover statuses look in every visual export (one palette)."""

from __future__ import annotations

#: fill colour per node kind (colour-blind friendly, after the Okabe-Ito palette)
KIND_COLOURS: dict[str, str] = {
    "knowledge_question": "#56B4E9",
    "complex_question": "#0072B2",
    "cop": "#E69F00",
    "theme": "#F0E442",
    "landing_place": "#009E73",
    "organisation": "#999999",
    "showcase": "#CC79A7",
    "value": "#D55E00",
}
DEFAULT_COLOUR = "#BBBBBB"

#: vis-network shape per node kind
VIS_SHAPES: dict[str, str] = {
    "knowledge_question": "dot",
    "complex_question": "diamond",
    "cop": "triangle",
    "theme": "star",
    "landing_place": "square",
    "organisation": "box",
    "showcase": "triangleDown",
    "value": "hexagon",
}

#: yEd (GraphML ShapeNode) and Gephi (GEXF viz:shape) shapes per node kind
YED_SHAPES: dict[str, str] = {
    "knowledge_question": "ellipse",
    "complex_question": "diamond",
    "cop": "triangle",
    "theme": "star6",
    "landing_place": "rectangle",
    "organisation": "roundrectangle",
    "showcase": "trapezoid",
    "value": "hexagon",
}
GEXF_SHAPES: dict[str, str] = {
    "knowledge_question": "disc",
    "complex_question": "diamond",
    "cop": "triangle",
    "theme": "disc",
    "landing_place": "square",
    "organisation": "square",
    "showcase": "triangle",
    "value": "diamond",
}

#: LANDS_IN edge colour and dash per handover status
HANDOVER_COLOURS: dict[str, str] = {
    "proposed": "#999999",
    "in_discussion": "#E69F00",
    "accepted": "#009E73",
    "declined": "#D55E00",
}
HANDOVER_DASHED: dict[str, bool] = {
    "proposed": True,
    "in_discussion": True,
    "accepted": False,
    "declined": True,
}
EDGE_COLOUR = "#848484"


def kind_colour(kind: str) -> str:
    return KIND_COLOURS.get(kind, DEFAULT_COLOUR)


def edge_colour(kind: str, status: str | None) -> str:
    if kind == "LANDS_IN" and status in HANDOVER_COLOURS:
        return HANDOVER_COLOURS[status]
    return EDGE_COLOUR


def rgb(colour: str) -> tuple[int, int, int]:
    """``#RRGGBB`` as three integers."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
