"""Two versions of a knowledge register kept in Excel, as Rijkswaterstaat and Deltares keep them.

Run ``python tests/data/registers/make_registers.py`` to (re)write the two workbooks next
to this script. Every trait of a real register that broke the table import is in them:

- ``TITLE_SHEET``: the first sheet is a merged title block, not the questions;
- ``LEGEND_SHEET``: a legend of the status codes, also before the questions;
- ``DATA_SHEET`` ("Database", third): a merged explanation row and a row explaining each
  column above the header row (the header is row 3);
- the code ``2.2_1`` used for two different questions (``REUSED_CODE``);
- two rows with the identical question text under different codes (``SAME_TEXT``);
- ``Status`` holds the codes 1/2/3 (1 open, 2 in uitvoering, 3 afgerond);
- "Waar belegd" names where a question is placed: organisations (also named as
  "Actiehouder") and landing places, sometimes two in one cell;
- priority scores on three criteria, an urgency, a time frame, cost and lead time.

The second version (``V2``, months later) renumbers every code, rewords a few questions,
drops some, adds some and moves statuses on: ``CHANGES`` says which.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
V1 = HERE / "kennisagenda_2025-03.xlsx"
V2 = HERE / "kennisagenda_2025-10.xlsx"
TITLE_SHEET, LEGEND_SHEET, DATA_SHEET = "Voorblad", "Legenda", "Database"
REUSED_CODE = "2.2_1"
HEADER_ROW = 3

HEADER = [
    "Code",
    "Thema",
    "Kennisvraag",
    "Toelichting",
    "Status",
    "Waar belegd",
    "Actiehouder",
    "Prioriteit veiligheid",
    "Prioriteit beleid",
    "Prioriteit maatschappij",
    "Urgentie",
    "Tijdshorizon",
    "Kosten (k€)",
    "Doorlooptijd (mnd)",
]
EXPLANATION = [
    "Nummer hoofdstuk.paragraaf_volgnummer",
    "Kennisthema uit de agenda",
    "Formuleer de kennisvraag als open vraag",
    "Achtergrond en aanleiding van de vraag",
    "Zie tabblad Legenda (1, 2 of 3)",
    "Organisatie of kennisprogramma waar de vraag is ondergebracht",
    "Wie de actie trekt",
    "Score 1 (laag) tot 5 (hoog)",
    "Score 1 (laag) tot 5 (hoog)",
    "Score 1 (laag) tot 5 (hoog)",
    "Hoog, middel of laag",
    "Jaar waarin antwoord nodig is",
    "Geschatte kosten in duizenden euro's",
    "Geschatte doorlooptijd in maanden",
]

# (code v1, theme, question, status v1, waar belegd, actiehouder, scores, urgency, year, cost, months)
Q = [
    (
        "1.1_1",
        "Zeespiegelstijging",
        "Hoe snel stijgt de zeespiegel langs de Nederlandse kust na 2050?",
        2,
        "Kennisprogramma Zeespiegelstijging",
        "Deltares",
        (5, 5, 4),
        "hoog",
        2026,
        450,
        36,
    ),
    (
        "1.1_2",
        "Zeespiegelstijging",
        "Welke kantelpunten zijn er voor het huidige kustbeleid bij versnelde zeespiegelstijging?",
        1,
        "Kennisprogramma Zeespiegelstijging",
        "RWS WVL",
        (5, 5, 5),
        "hoog",
        2027,
        300,
        24,
    ),
    (
        "1.2_1",
        "Zeespiegelstijging",
        "Wat betekent zeespiegelstijging voor de zoetwatervoorziening in West-Nederland?",
        1,
        "Deltares; Kennisprogramma Zeespiegelstijging",
        "Deltares",
        (4, 5, 4),
        "middel",
        2028,
        250,
        30,
    ),
    (
        "1.2_2",
        "Zeespiegelstijging",
        "Hoeveel zandsuppletie is nodig om de kustlijn te handhaven?",
        3,
        "KPP Kust",
        "RWS WVL",
        (4, 4, 3),
        "middel",
        2025,
        120,
        12,
    ),
    (
        "2.1_1",
        "Rivieren",
        "Hoe veranderen de maatgevende afvoeren van Rijn en Maas door klimaatverandering?",
        2,
        "KPP Hydraulica",
        "Deltares",
        (5, 4, 3),
        "hoog",
        2026,
        380,
        24,
    ),
    (
        "2.1_2",
        "Rivieren",
        "Welke invloed heeft bodemdaling van het zomerbed op de scheepvaart?",
        1,
        "Programma Integraal Riviermanagement",
        "RWS ON",
        (3, 4, 4),
        "middel",
        2027,
        200,
        18,
    ),
    (
        REUSED_CODE,
        "Rivieren",
        "Hoe kunnen we laagwater in de Waal beter voorspellen?",
        2,
        "KPP Hydraulica",
        "Deltares",
        (3, 4, 5),
        "hoog",
        2025,
        150,
        12,
    ),
    (
        REUSED_CODE,
        "Rivieren",
        "Welke ecologische effecten hebben langsdammen in de rivier?",
        1,
        "Programma Integraal Riviermanagement",
        "Wageningen Marine Research",
        (2, 3, 4),
        "laag",
        2028,
        90,
        24,
    ),
    (
        "2.2_2",
        "Rivieren",
        "Wat is de optimale verdeling van de afvoer over de Rijntakken?",
        1,
        "RWS WVL",
        "RWS WVL",
        (4, 5, 3),
        "middel",
        2029,
        220,
        36,
    ),
    (
        "2.3_1",
        "Rivieren",
        "Hoe gaan we om met extreme droogte in het Maasstroomgebied?",
        2,
        "Deltaprogramma Zoetwater",
        "RWS ZN",
        (4, 4, 5),
        "hoog",
        2026,
        170,
        18,
    ),
    (
        "3.1_1",
        "Waterveiligheid",
        "Hoe betrouwbaar zijn de faalkansen van dijken bij piping?",
        2,
        "KPP Waterveiligheid",
        "Deltares",
        (5, 4, 3),
        "hoog",
        2025,
        500,
        48,
    ),
    (
        "3.1_2",
        "Waterveiligheid",
        "Wat is het effect van graverende dieren op de sterkte van dijken?",
        1,
        "STOWA",
        "Waterschap Rivierenland",
        (4, 3, 3),
        "middel",
        2027,
        80,
        24,
    ),
    (
        "3.2_1",
        "Waterveiligheid",
        "Hoe kunnen we de staat van kunstwerken zoals sluizen en stuwen monitoren?",
        1,
        "Programma Vervanging en Renovatie",
        "RWS GPO",
        (5, 4, 2),
        "hoog",
        2026,
        350,
        30,
    ),
    (
        "3.2_2",
        "Waterveiligheid",
        "Welke nieuwe dijkversterkingstechnieken zijn kosteneffectief?",
        3,
        "HWBP",
        "HWBP",
        (4, 5, 3),
        "middel",
        2025,
        400,
        24,
    ),
    (
        "3.3_1",
        "Waterveiligheid",
        "Hoe communiceren we overstromingsrisico's aan bewoners?",
        1,
        "Deltaprogramma Ruimtelijke Adaptatie",
        "TU Delft",
        (3, 4, 5),
        "laag",
        2028,
        60,
        12,
    ),
    (
        "4.1_1",
        "Zoetwater",
        "Hoe ver dringt zout water de Nieuwe Waterweg op bij lage afvoer?",
        2,
        "Deltaprogramma Zoetwater",
        "Deltares",
        (4, 5, 5),
        "hoog",
        2025,
        260,
        18,
    ),
    (
        "4.1_2",
        "Zoetwater",
        "Welke buffers voor zoetwater kunnen regio's zelf aanleggen?",
        1,
        "Deltaprogramma Zoetwater",
        "STOWA",
        (3, 4, 5),
        "middel",
        2027,
        110,
        24,
    ),
    (
        "4.2_1",
        "Zoetwater",
        "Wat is het effect van grondwateronttrekking op natuurgebieden?",
        1,
        "KNMI",
        "KWR",
        (3, 3, 4),
        "middel",
        2028,
        140,
        30,
    ),
    (
        "4.2_2",
        "Zoetwater",
        "Hoe verdelen we het beschikbare water eerlijk bij tekorten?",
        1,
        "Deltaprogramma Zoetwater",
        "Ministerie van IenW",
        (3, 5, 5),
        "hoog",
        2026,
        75,
        12,
    ),
    (
        "5.1_1",
        "Ecologie",
        "Hoe herstellen we de vismigratie bij de Afsluitdijk?",
        3,
        "Programma Naar een Rijke Waddenzee",
        "RWS NN",
        (2, 3, 4),
        "laag",
        2025,
        95,
        12,
    ),
    (
        "5.1_2",
        "Ecologie",
        "Welke rol speelt de mosselbank in de sedimentbalans van de Waddenzee?",
        1,
        "Wageningen Marine Research",
        "Wageningen Marine Research",
        (2, 3, 3),
        "laag",
        2029,
        130,
        36,
    ),
    (
        "5.2_1",
        "Ecologie",
        "Hoe meten we de waterkwaliteit met satellietbeelden?",
        2,
        "Informatiehuis Water",
        "Deltares",
        (2, 4, 3),
        "middel",
        2026,
        85,
        18,
    ),
    (
        "5.2_2",
        "Ecologie",
        "Wat zijn de gevolgen van microplastics voor het ecosysteem van de Noordzee?",
        1,
        "Noordzeeoverleg",
        "Wageningen Marine Research",
        (2, 4, 5),
        "middel",
        2028,
        160,
        30,
    ),
    (
        "6.1_1",
        "Scheepvaart",
        "Hoe houden we de vaargeul naar de Eemshaven op diepte?",
        2,
        "RWS NN",
        "RWS NN",
        (3, 4, 3),
        "middel",
        2026,
        210,
        18,
    ),
    (
        "6.1_2",
        "Scheepvaart",
        "Welke gevolgen heeft autonome scheepvaart voor het verkeersmanagement?",
        1,
        "Programma Slimme Vaarwegen",
        "TU Delft",
        (3, 3, 4),
        "laag",
        2029,
        140,
        36,
    ),
    (
        "6.2_1",
        "Scheepvaart",
        "Hoe beperken we de uitstoot van binnenvaartschepen?",
        1,
        "Programma Verduurzaming Binnenvaart",
        "Ministerie van IenW",
        (2, 5, 5),
        "hoog",
        2027,
        180,
        24,
    ),
    (
        "7.1_1",
        "Data",
        "Hoe maken we meetgegevens van waterstanden openbaar en herbruikbaar?",
        3,
        "Informatiehuis Water",
        "RWS CIV",
        (2, 4, 4),
        "laag",
        2025,
        50,
        6,
    ),
    (
        "7.1_2",
        "Data",
        "Welke digitale tweeling van het watersysteem hebben we nodig?",
        1,
        "RWS CIV; Deltares",
        "RWS CIV",
        (3, 4, 3),
        "middel",
        2028,
        600,
        48,
    ),
    (
        "7.2_1",
        "Data",
        "Hoe voorspellen we stormvloeden met machine learning?",
        2,
        "KNMI",
        "KNMI",
        (5, 3, 3),
        "hoog",
        2026,
        230,
        24,
    ),
]
#: the identical question text under two codes (people copied a row)
SAME_TEXT = ("3.1_2", "8.1_1")
Q.append(
    (
        "8.1_1",
        "Waterveiligheid",
        Q[11][2],
        1,
        "STOWA",
        "Waterschap Rivierenland",
        (4, 3, 3),
        "middel",
        2027,
        80,
        24,
    )
)

#: version 2: code of v1 (or (v1 code, text) for the reused code) -> what changed
REWORDED = {
    "1.1_1": "Hoe snel stijgt de zeespiegel langs de Nederlandse kust na 2050 en na 2100?",
    "2.3_1": "Hoe gaan we om met extreme droogte in het stroomgebied van de Maas?",
    "3.2_1": "Hoe kunnen we de staat van kunstwerken, zoals sluizen en stuwen, beter monitoren?",
    "5.2_1": "Hoe meten we de waterkwaliteit met behulp van satellietbeelden?",
    "6.2_1": "Hoe beperken we de uitstoot van stikstof door binnenvaartschepen?",
}
DROPPED = ("1.2_2", "5.1_1", "7.1_1")
STATUS_V2 = {"1.1_2": 2, "2.1_2": 2, "3.1_1": 3, "4.1_1": 3, "7.2_1": 3}
ADDED_V2 = [
    (
        "Zeespiegelstijging",
        "Welke gebieden komen in aanmerking voor meebewegen met de zee?",
        1,
        "Kennisprogramma Zeespiegelstijging",
        "Deltares",
        (4, 5, 5),
        "middel",
        2030,
        320,
        36,
    ),
    (
        "Rivieren",
        "Hoe beïnvloedt de verruiming van de vaargeul de grondwaterstand langs de Waal?",
        1,
        "KPP Hydraulica",
        "RWS ON",
        (3, 4, 3),
        "middel",
        2028,
        150,
        24,
    ),
    (
        "Data",
        "Welke afspraken zijn nodig om sensordata van waterschappen te delen?",
        1,
        "Informatiehuis Water",
        "STOWA",
        (2, 4, 3),
        "laag",
        2027,
        40,
        12,
    ),
    (
        "Ecologie",
        "Hoe ontwikkelt de zeegrasbedekking zich in de Oosterschelde?",
        1,
        "Wageningen Marine Research",
        "Wageningen Marine Research",
        (2, 3, 3),
        "laag",
        2029,
        70,
        24,
    ),
]


def _v2_rows() -> list[tuple[object, ...]]:
    """Version 2: renumbered codes (every chapter moves one paragraph on), the changes."""
    rows = []
    for number, q in enumerate(Q):
        code = q[0]
        if code in DROPPED:
            continue
        text = REWORDED.get(code, q[2]) if code != REUSED_CODE else q[2]
        status = STATUS_V2.get(code, q[3])
        chapter, rest = code.split(".", 1)
        paragraph, seq = rest.split("_")
        new_code = (
            f"{chapter}.{int(paragraph) + 1}_{seq}"
            if code != REUSED_CODE
            else f"2.{5 + number % 2}_1"
        )
        rows.append((new_code, q[1], text, status, *q[4:]))
    for n, q in enumerate(ADDED_V2, start=1):
        rows.append((f"9.1_{n}", *q))
    return rows


def _workbook(rows: list[tuple[object, ...]], stand: str) -> object:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    title = book.active
    title.title = TITLE_SHEET
    title["A1"] = "Kennisagenda Water en Klimaat"
    title["A1"].font = Font(size=20, bold=True)
    title.merge_cells("A1:H3")
    title["A5"] = f"Rijkswaterstaat / Deltares — stand {stand}"
    title.merge_cells("A5:H5")
    title["A7"] = "Contact: kennisagenda@example.nl"
    legend = book.create_sheet(LEGEND_SHEET)
    for row in (["Code", "Betekenis"], [1, "open"], [2, "in uitvoering"], [3, "afgerond"]):
        legend.append(row)
    data = book.create_sheet(DATA_SHEET)
    data["A1"] = (
        "Toelichting: één regel per kennisvraag; vul alle kolommen; zie de legenda voor de status."
    )
    data.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    data.append(EXPLANATION)
    data.append(HEADER)
    for code, theme, text, status, placed, holder, scores, urgency, year, cost, months in rows:  # type: ignore[misc]
        data.append(
            [
                code,
                theme,
                text,
                f"Aanleiding: {theme.lower()}",
                status,
                placed,
                holder,
                *scores,
                urgency,
                year,
                cost,
                months,
            ]
        )  # type: ignore[union-attr]
    return book


def write(folder: Path = HERE) -> tuple[Path, Path]:
    """Write both versions into ``folder``; returns their paths."""
    v1 = [(q[0], q[1], q[2], q[3], *q[4:]) for q in Q]
    paths = (folder / V1.name, folder / V2.name)
    _workbook(v1, "maart 2025").save(paths[0])  # type: ignore[attr-defined]
    _workbook(_v2_rows(), "oktober 2025").save(paths[1])  # type: ignore[attr-defined]
    return paths


if __name__ == "__main__":
    for path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(path)
