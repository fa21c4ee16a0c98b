"""A deterministic generator of realistic kgraph graphs at several scales.

Scales: ``XS`` (a few hundred nodes, for the smoke test), ``S`` (the City Deal graph from
the reviewed data files), ``M`` (10,000 knowledge questions, ~50,000 edges) and ``L``
(100,000 knowledge questions, ~500,000 edges). The same scale and seed always give the same
graph, node for node and edge for edge.

Why it looks like this: the shape is what makes graph queries slow or fast, so the
generator copies the shape of a DMI-wide registry — Dutch question texts drawn from word
lists with a skewed (Zipf) word frequency, so that some search words hit half the graph and
others a handful; skewed degrees, so that a few hubs (one programme-wide CoP that most
questions are raised in, the seven ethical values, the DMI-ecosysteem landing place that
most complex questions land in) sit among many leaves; and every edge kind present.

Nodes and edges are produced as streams (``GeneratedGraph.nodes()`` / ``.edges()``), each
from its own seeded random source, so a loader never needs the whole graph in memory.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kgraph.model import HANDOVER_STATUSES, Edge, Node

DEFAULT_SEED = 20240501

# --- scales ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ScaleSpec:
    """How many nodes of each kind a generated scale has (values are always the seven)."""

    name: str
    knowledge_questions: int
    complex_questions: int
    cops: int
    themes: int
    landing_places: int
    organisations: int
    showcases: int


SCALES: dict[str, ScaleSpec] = {
    "XS": ScaleSpec("XS", 300, 30, 8, 4, 10, 30, 4),
    "M": ScaleSpec("M", 10_000, 1_000, 120, 80, 300, 1_000, 40),
    "L": ScaleSpec("L", 100_000, 10_000, 1_200, 800, 3_000, 10_000, 400),
}
#: every scale the runner accepts; ``S`` is the City Deal graph from ``data/``
SCALE_NAMES: tuple[str, ...] = ("XS", "S", "M", "L")

# --- word lists -------------------------------------------------------------------------

# Ordered from common to rare: the Zipf draw makes the first words hit much of the graph.
_SUBJECTS = [
    "data",
    "AI-model",
    "sensordata",
    "datadeling",
    "digitale-tweeling",
    "algoritme",
    "dashboard",
    "mobiliteitshub",
    "warmtenet",
    "parkeerbeleid",
    "slimme-lantaarnpaal",
    "luchtkwaliteitsmeting",
    "geluidsmeting",
    "verkeersmodel",
    "energietransitie",
    "woningbouwopgave",
    "gebiedsontwikkeling",
    "openbare-ruimte",
    "drukte-monitor",
    "afvalinzameling",
    "waterberging",
    "hittestress",
    "laadpaal",
    "deelmobiliteit",
    "fietsparkeren",
    "burgerpanel",
    "bewonersparticipatie",
    "omgevingswet",
    "3D-stadsmodel",
    "voorspelmodel",
    "camerabeeld",
    "wifi-telling",
    "bodemdaling",
    "groenbeheer",
    "zonnepanelen",
    "netcongestie",
    "deelauto",
    "bouwlogistiek",
    "stikstofdepositie",
    "klimaatadaptatie",
]
_ACTORS = [
    "gemeenten",
    "bewoners",
    "provincies",
    "netbeheerders",
    "ontwikkelaars",
    "ondernemers",
    "woningcorporaties",
    "kennisinstellingen",
    "ambtenaren",
    "raadsleden",
    "studenten",
    "wijkteams",
]
_VERBS = [
    "inzetten",
    "valideren",
    "delen",
    "borgen",
    "opschalen",
    "meten",
    "voorspellen",
    "verantwoorden",
    "uitleggen",
    "beveiligen",
    "financieren",
    "aanbesteden",
    "evalueren",
    "combineren",
]
_PLACES = [
    "in-de-wijk",
    "bij-gemeenten",
    "in-de-binnenstad",
    "op-bedrijventerreinen",
    "in-het-buitengebied",
    "rond-stations",
    "in-nieuwbouwwijken",
    "in-de-regio",
    "bij-evenementen",
    "langs-de-snelweg",
]
_CONCERNS = [
    "privacy",
    "transparantie",
    "eigenaarschap",
    "uitlegbaarheid",
    "betrouwbaarheid",
    "kosten",
    "draagvlak",
    "rechtmatigheid",
    "veiligheid",
    "inclusie",
    "duurzaamheid",
    "schaalbaarheid",
]
_TEMPLATES = (
    "Hoe kunnen {actor} {subject} {verb} {place}?",
    "Wat is er nodig om {subject} te {verb} {place}?",
    "Welke rol spelen {actor} bij het {verb} van {subject}?",
    "Hoe borgen we {concern} als {actor} {subject} {verb}?",
    "Wanneer is {subject} goed genoeg om te {verb}?",
    "Hoe meten we de {concern} van {subject} {place}?",
    "Wie is eigenaar van {subject} als {actor} het willen {verb}?",
    "Wat betekent {subject} voor de {concern} {place}?",
)
_TEXTS = (
    "Bij het {verb} van {subject} lopen {actor} aan tegen vragen over {concern}.",
    "Eerdere pilots met {subject} {place} lieten zien dat {concern} een knelpunt is.",
    "{actor} willen weten welke afspraken over {concern} nodig zijn.",
    "Het gaat om {subject} en {subject2}, en wie daarvoor verantwoordelijk is.",
)
_TAGS = [
    "pilot",
    "ethiek",
    "data",
    "energie",
    "mobiliteit",
    "wonen",
    "klimaat",
    "bestuur",
    "techniek",
    "juridisch",
]
_VALUES = (
    "Privacy",
    "Autonomie",
    "Veiligheid",
    "Controle over technologie",
    "Menselijke waardigheid",
    "Rechtvaardigheid",
    "Machtsverhoudingen",
)
_ORG_WORDS = [
    "Gemeente",
    "Provincie",
    "Universiteit",
    "Hogeschool",
    "Stichting",
    "Lab",
    "Netwerk",
    "Bureau",
]
_CITIES = [
    "Amsterdam",
    "Rotterdam",
    "Utrecht",
    "Eindhoven",
    "Groningen",
    "Tilburg",
    "Almere",
    "Breda",
    "Nijmegen",
    "Apeldoorn",
    "Haarlem",
    "Arnhem",
    "Enschede",
    "Amersfoort",
    "Zaanstad",
    "Zwolle",
    "Deventer",
    "Alkmaar",
    "Helmond",
    "Delft",
]
_PEOPLE = ("stuurgroep", "programmamanager", "kennisregisseur", "themalead")


class _Zipf:
    """Draws an index in ``range(n)`` with probability ~ 1/(i+1)**s (0 is the commonest)."""

    def __init__(self, n: int, s: float) -> None:
        weights = [1.0 / (i + 1) ** s for i in range(n)]
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random) -> int:
        return bisect.bisect_left(self.cumulative, rng.random() * self.total)


def _words(words: Sequence[str], zipf: _Zipf, rng: random.Random) -> str:
    return words[zipf(rng)].replace("-", " ")


# --- the generated graph -------------------------------------------------------------------


class GeneratedGraph:
    """A generated graph of one scale: streams of nodes and edges, and its known hubs.

    ``hub`` is the programme-wide CoP most knowledge questions are raised in (the biggest
    hub); ``dmi`` is the DMI-ecosysteem landing place.
    """

    def __init__(self, spec: ScaleSpec, seed: int = DEFAULT_SEED) -> None:
        self.spec = spec
        self.name = spec.name
        self.seed = seed
        s = spec
        self.kq = [f"kq:{i:06d}" for i in range(s.knowledge_questions)]
        self.cq = [f"cq:{i:05d}" for i in range(s.complex_questions)]
        self.cops = [f"cop:{i:04d}" for i in range(s.cops)]
        self.themes = [f"theme:{i:04d}" for i in range(s.themes)]
        self.lps = [f"lp:{i:04d}" for i in range(s.landing_places)]
        self.orgs = [f"org:{i:05d}" for i in range(s.organisations)]
        self.showcases = [f"showcase:{i:04d}" for i in range(s.showcases)]
        self.values = [f"value:{i}" for i in range(len(_VALUES))]
        # The two hubs get the ids the City Deal data and the dashboard use.
        self.cops[0] = "cop:datagedreven-werken-door-te-voorspellen"
        self.lps[0] = "lp:dmi-ecosysteem"
        self.hub = self.cops[0]
        self.dmi = self.lps[0]
        self._subject = _Zipf(len(_SUBJECTS), 1.0)
        self._flat = {n: _Zipf(len(w), 0.6) for n, w in (("a", _ACTORS), ("v", _VERBS))}
        self._place = _Zipf(len(_PLACES), 0.8)
        self._concern = _Zipf(len(_CONCERNS), 0.9)

    # --- nodes ------------------------------------------------------------------------

    def _question_texts(self, rng: random.Random) -> tuple[str, str]:
        parts = {
            "subject": _words(_SUBJECTS, self._subject, rng),
            "subject2": _words(_SUBJECTS, self._subject, rng),
            "actor": _words(_ACTORS, self._flat["a"], rng),
            "verb": _words(_VERBS, self._flat["v"], rng),
            "place": _words(_PLACES, self._place, rng),
            "concern": _words(_CONCERNS, self._concern, rng),
        }
        title = rng.choice(_TEMPLATES).format(**parts)
        text = " ".join(t.format(**parts) for t in rng.sample(_TEXTS, rng.randint(1, 2)))
        return title, text[0].upper() + text[1:]

    def nodes(self) -> Iterator[Node]:
        """Every node, in a fixed order (the same for the same scale and seed)."""
        rng = random.Random(f"{self.seed}:nodes")
        source = f"benchmarks/generate.py:{self.name}"
        statuses = ("open", "in_progress", "answered", "parked")
        for kind, ids in (("knowledge_question", self.kq), ("complex_question", self.cq)):
            for node_id in ids:
                title, text = self._question_texts(rng)
                yield Node(
                    node_id,
                    kind,
                    title,
                    text=text,
                    status=rng.choices(statuses, (55, 20, 15, 10))[0],
                    tags=tuple(rng.sample(_TAGS, rng.choice((0, 1, 1, 2, 3)))),
                    source=source,
                    props={"owner": rng.choice(_CITIES)},
                )
        named = (
            ("cop", self.cops, "Community {subject} {place}"),
            ("theme", self.themes, "Kennisthema {subject} en {concern}"),
            ("landing_place", self.lps, "Landingsplaats {subject} {city}"),
            ("showcase", self.showcases, "Showcase {city} {subject}"),
        )
        for kind, ids, pattern in named:
            for i, node_id in enumerate(ids):
                title = pattern.format(
                    subject=_words(_SUBJECTS, self._subject, rng),
                    place=_words(_PLACES, self._place, rng),
                    concern=_words(_CONCERNS, self._concern, rng),
                    city=rng.choice(_CITIES),
                )
                if node_id == self.hub:
                    title = "Datagedreven werken door te voorspellen"
                elif node_id == self.dmi:
                    title = "DMI-ecosysteem"
                yield Node(node_id, kind, f"{title} ({i})", source=source)
        for i, node_id in enumerate(self.orgs):
            name = f"{rng.choice(_ORG_WORDS)} {rng.choice(_CITIES)} {i}"
            yield Node(node_id, "organisation", name, source=source)
        for node_id, title in zip(self.values, _VALUES, strict=True):
            yield Node(node_id, "value", title, source=source)

    # --- edges ------------------------------------------------------------------------

    def edges(self) -> Iterator[Edge]:
        """Every edge, in a fixed order; no (src, kind, dst) twice, every kind present."""
        rng = random.Random(f"{self.seed}:edges")
        place_ids = self.cops + self.themes
        other_place = _Zipf(len(place_ids) - 1, 1.0)
        feeds = _Zipf(len(self.cq), 0.8)
        value = _Zipf(len(self.values), 0.7)
        lp = _Zipf(len(self.lps) - 1, 1.0)
        org = _Zipf(len(self.orgs), 1.1)
        questions = self.kq + self.cq

        def relates(i: int, src: str, picked: set[str]) -> Iterator[Edge]:
            for p in (0.6, 0.15):
                if i and rng.random() < p:
                    dst = questions[rng.randrange(i)]
                    if dst not in picked:
                        picked.add(dst)
                        yield Edge(src, "RELATES_TO", dst, {"by": "similarity"})

        def concerns(src: str, n: int) -> Iterator[Edge]:
            for dst in sorted({self.values[value(rng)] for _ in range(n)}):
                yield Edge(src, "CONCERNS", dst)

        def involves(src: str, n: int) -> Iterator[Edge]:
            for dst in sorted({self.orgs[org(rng)] for _ in range(n)}):
                yield Edge(src, "INVOLVES", dst, {"role": rng.choice(("trekker", "deelnemer"))})

        for i, src in enumerate(self.kq):
            in_hub = rng.random() < 0.85
            if in_hub:
                yield Edge(src, "RAISED_IN", self.hub)
            if not in_hub or rng.random() < 0.45:
                yield Edge(src, "RAISED_IN", place_ids[1 + other_place(rng)])
            if rng.random() < 0.9:
                yield Edge(src, "FEEDS", self.cq[feeds(rng)])
            yield from concerns(src, rng.choice((0, 1, 1, 2, 3)))
            yield from relates(i, src, set())
        for j, src in enumerate(self.cq):
            yield Edge(src, "RAISED_IN", place_ids[1 + other_place(rng)])
            to_dmi = rng.random() < 0.7
            if to_dmi:
                yield self._lands_in(rng, src, self.dmi)
            if not to_dmi or rng.random() < 0.6:
                yield self._lands_in(rng, src, self.lps[1 + lp(rng)])
            if rng.random() < 0.3:
                yield from concerns(src, 1)
            yield from relates(len(self.kq) + j, src, set())
        for src in self.cops:
            if rng.random() < 0.5 or src == self.hub:
                yield Edge(src, "CONTINUES_AS", rng.choice(self.themes))
            yield from involves(src, rng.randint(1, 4))
            if rng.random() < 0.6 or src == self.hub:
                yield self._lands_in(rng, src, self.dmi)
        for src in self.themes:
            yield from involves(src, rng.randint(1, 3))
        for src in self.lps:
            if src != self.dmi and rng.random() < 0.7:
                yield Edge(src, "PART_OF", self.dmi)
            yield from involves(src, rng.randint(1, 3))
        for src in self.showcases:
            yield self._lands_in(rng, src, self.lps[1 + lp(rng)])
            yield from involves(src, rng.randint(1, 3))

    def _lands_in(self, rng: random.Random, src: str, dst: str) -> Edge:
        status = rng.choices(HANDOVER_STATUSES, (40, 25, 25, 10))[0]
        props: dict[str, Any] = {"status": status}
        if status in ("accepted", "declined"):
            props["decided_on"] = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            props["decided_by"] = rng.choice(_PEOPLE)
        if rng.random() < 0.2:
            props["note"] = "Besproken in de stuurgroep; vervolg bij het DMI-ecosysteem."
        return Edge(src, "LANDS_IN", dst, props)


class SeedGraph:
    """The City Deal graph (scale ``S``) from the reviewed data files, as the same streams."""

    name = "S"

    def __init__(self, folder: Path | None = None) -> None:
        from kgraph.importers import seed
        from kgraph.paths import seed_folder

        batch = seed.read(folder or seed_folder())
        self._nodes = list(batch.nodes)
        self._edges = list(batch.edges)

    def nodes(self) -> Iterator[Node]:
        return iter(self._nodes)

    def edges(self) -> Iterator[Edge]:
        return iter(self._edges)


Graph = GeneratedGraph | SeedGraph


def graph(scale: str, seed: int = DEFAULT_SEED) -> Graph:
    """The graph of ``scale`` (one of ``SCALE_NAMES``)."""
    if scale == "S":
        return SeedGraph()
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; expected one of {', '.join(SCALE_NAMES)}")
    return GeneratedGraph(SCALES[scale], seed)


# --- what the benchmark asks about ---------------------------------------------------------


def probes(g: Graph, seed: int = DEFAULT_SEED, samples: int = 50) -> dict[str, Any]:
    """The ids the benchmark queries, chosen from one pass over the edges.

    ``hub``: the node of highest degree; ``hubs``: the ``samples`` nodes of highest degree,
    biggest first (a neighbourhood is timed from a different one each time, so that no
    cache of a repeated query flatters a side); ``leaves``: low-degree questions; ``pairs``: random
    pairs of connected nodes for shortest paths; ``edit``: questions to change;
    ``search``: search phrases of common and rare words; plus the degree figures.
    """
    degree: dict[str, int] = {}
    kinds: dict[str, str] = {n.id: n.kind for n in g.nodes()}
    edges = 0
    for e in g.edges():
        edges += 1
        degree[e.src] = degree.get(e.src, 0) + 1
        degree[e.dst] = degree.get(e.dst, 0) + 1
    rng = random.Random(f"{seed}:probes")
    ranked = sorted(degree, key=lambda i: (-degree[i], i))
    questions = [i for i in ranked if kinds[i] in ("knowledge_question", "complex_question")]
    leaves = [i for i in questions if degree[i] <= 3] or questions[-samples:]
    connected = sorted(degree)
    return {
        "nodes": len(kinds),
        "edges": edges,
        "hub": ranked[0],
        "hubs": ranked[:samples],
        "hub_degree": degree[ranked[0]],
        "top_degrees": [degree[i] for i in ranked[:5]],
        "leaves": rng.sample(leaves, min(samples, len(leaves))),
        "pairs": [rng.sample(connected, 2) for _ in range(samples)],
        "edit": rng.sample(questions, min(samples, len(questions))),
        "search": [
            "data",
            "bewoners",
            "warmtenet",
            "privacy",
            "digitale tweeling",
            "hoe kunnen gemeenten",
            "bodemdaling valideren",
            "klimaatadaptatie buitengebied",
            "zonnepan",
            "stikstof",
        ],
    }


def write_questions_xlsx(g: Graph, path: Path) -> int:
    """Write the graph's knowledge questions as one XLSX sheet, the way a programme keeps
    them: a header row, then ``id, title, text, status, tags, owner, cop`` (the name of the
    first CoP the question was raised in). Returns the number of rows."""
    from openpyxl import Workbook

    titles = {n.id: n.title for n in g.nodes() if n.kind == "cop"}
    cop_of: dict[str, str] = {}
    for e in g.edges():
        if e.kind == "RAISED_IN" and e.dst in titles:
            cop_of.setdefault(e.src, titles[e.dst])
    book = Workbook(write_only=True)
    sheet = book.create_sheet("vragen")
    sheet.append(["id", "title", "text", "status", "tags", "owner", "cop"])
    rows = 0
    for node in g.nodes():
        if node.kind != "knowledge_question":
            continue
        sheet.append(
            [
                node.id,
                node.title,
                node.text,
                node.status,
                ";".join(node.tags),
                node.props.get("owner", ""),
                cop_of.get(node.id, ""),
            ]
        )
        rows += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return rows
