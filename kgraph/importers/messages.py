"""The table importer's messages in Dutch (the default) and English.

Messages are kept as a key and parameters until they are shown, so the CLI and the
Importeren page render them in the user's language. Parameters are plain values; a cell
value is always quoted as written in the file (``"2.2_1"``), never as the id made of it.
"""

from __future__ import annotations

from typing import Any

DEFAULT_LANG = "nl"
LANGS = ("nl", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # where a problem is
    "at": {
        "nl": "{file}{sheet}, rij {row}, kolom {column} ({header})",
        "en": "{file}{sheet}, row {row}, column {column} ({header})",
    },
    "at_sheet": {"nl": ", blad {sheet}", "en": ", sheet {sheet}"},
    "at_value": {"nl": ", waarde {value}", "en": ", value {value}"},
    "no_header": {"nl": "geen kop", "en": "no header"},
    # problems in one cell
    "title_empty": {"nl": "de titel is leeg", "en": "title is empty"},
    "bad_id": {
        "nl": "ongeldige code: gebruik 1-128 letters, cijfers of . _ : - (beginnend met een letter of cijfer)",
        "en": "invalid code: use 1-128 letters, digits or . _ : - (starting with a letter or digit)",
    },
    "unknown_status": {
        "nl": "onbekende status; verwacht een van {expected} (of geef --value status:{raw}=STATUS)",
        "en": "unknown status; expected one of {expected} (or give --value status:{raw}=STATUS)",
    },
    "unknown_handover": {
        "nl": "onbekende overdrachtsstatus; verwacht een van {expected}",
        "en": "unknown handover status; expected one of {expected}",
    },
    "duplicate_code": {
        "nl": "dubbele code in rijen {rows} (geef --duplicates keep om beide te importeren)",
        "en": "duplicate code in rows {rows} (give --duplicates keep to import both)",
    },
    "duplicate_id": {
        "nl": "dubbele id {id} in rijen {rows}",
        "en": "duplicate id {id} in rows {rows}",
    },
    "relates_rejected": {
        "nl": "verwijst naar rij {other}, die is afgewezen",
        "en": "points at row {other}, which is rejected",
    },
    "relates_nowhere": {
        "nl": "past bij geen vraag (op id of titel)",
        "en": "matches no question (by id or title)",
    },
    "forbidden_link": {
        "nl": "een {src} kan niet gekoppeld worden aan een {dst}",
        "en": "a {src} cannot be linked to a {dst}",
    },
    "self_link": {"nl": "dat is deze rij zelf", "en": "that is this row itself"},
    "invalid": {"nl": "{error}", "en": "{error}"},
    # notes
    "note_ignored_columns": {
        "nl": "kolommen zonder bruikbare kop genegeerd: {columns}",
        "en": "ignored columns without a usable header: {columns}",
    },
    "note_present": {
        "nl": "{count} knoop/knopen staan al in de store en blijven zoals ze zijn",
        "en": "{count} node(s) are in the store already and are left as they are",
    },
    "note_same_title": {
        "nl": "rijen {rows} hebben dezelfde vraagtekst en zijn één knoop geworden ({id})",
        "en": "rows {rows} have the identical question text and became one node ({id})",
    },
    "note_same_text_codes": {
        "nl": "rijen {rows} hebben dezelfde vraagtekst met verschillende codes ({codes})",
        "en": "rows {rows} have the identical question text under different codes ({codes})",
    },
    "note_duplicate_kept": {
        "nl": "code {code} staat in rijen {rows}; beide geïmporteerd als {ids} (duplicate_code)",
        "en": "code {code} is in rows {rows}; both imported as {ids} (duplicate_code)",
    },
    "note_workbook": {
        "nl": "{file}: niet gelezen uit de werkmap: {what}",
        "en": "{file}: not read from the workbook: {what}",
    },
    "note_placed_created": {
        "nl": "aangemaakt als landingsplaats (zeg --value placed_at:NAAM=org:NAAM voor een organisatie): {names}",
        "en": "created as landing place (say --value placed_at:NAME=org:NAME for an organisation): {names}",
    },
    "reimport_counts": {
        "nl": "register {register}: {added} toegevoegd, {changed} gewijzigd, {unchanged} ongewijzigd, {gone} niet meer in de bron",
        "en": "register {register}: {added} added, {changed} changed, {unchanged} unchanged, {gone} no longer in the source",
    },
    "reimport_done": {
        "nl": "{nodes} knopen en {edges} relaties toegevoegd; {updated} bijgewerkt; {deleted} verwijderd",
        "en": "added {nodes} nodes and {edges} edges; updated {updated}; deleted {deleted}",
    },
    "reimport_kept": {
        "nl": "{count} vraag/vragen die niet meer in de bron staan, bewaard (--prune verwijdert ze)",
        "en": "kept {count} question(s) no longer in the source (--prune deletes them)",
    },
    "by_name_shown": {
        "nl": "op kolomnaam gekoppeld: {shown} (--no-by-name bewaart ze als eigenschappen)",
        "en": "mapped by column name: {shown} (--no-by-name keeps them as properties)",
    },
    "rejected_rows": {
        "nl": "{count} van {rows} rijen afgewezen",
        "en": "rejected {count} of {rows} rows",
    },
    "rejects_written": {
        "nl": "; met hun redenen geschreven naar {path}",
        "en": "; written with their reasons to {path}",
    },
    "mapping_saved": {"nl": "koppeling bewaard in {path}", "en": "mapping saved to {path}"},
    "hint_skip_invalid": {
        "nl": " (--skip-invalid AFGEWEZEN.csv importeert de goede rijen)",
        "en": " (--skip-invalid REJECTS.csv imports the valid rows)",
    },
    "dry_run": {"nl": "proefdraai: niets geschreven", "en": "dry run: nothing written"},
    "and_more": {"nl": "... en nog {count}", "en": "... and {count} more"},
    # whole-file errors
    "no_file": {"nl": "{file}: bestand bestaat niet", "en": "{file}: no such file"},
    "unknown_format": {
        "nl": "{file}: onbekend tabelformaat; gebruik .xlsx of .csv",
        "en": "{file}: unknown table format; use .xlsx or .csv",
    },
    "sheet_csv": {
        "nl": "{file}: --sheet geldt alleen voor .xlsx-bestanden",
        "en": "{file}: --sheet applies to .xlsx files only",
    },
    "no_sheet": {
        "nl": "{file}: geen blad {sheet}; bladen: {sheets}",
        "en": "{file}: no sheet {sheet}; sheets: {sheets}",
    },
    "not_xlsx": {
        "nl": "{file}: kan niet gelezen worden als .xlsx-werkmap: {error}",
        "en": "{file}: cannot be read as an .xlsx workbook: {error}",
    },
    "too_many_cells": {
        "nl": "{file}: geweigerd: de werkmap heeft {count:,} cellen; hoogstens {limit:,}",
        "en": "{file}: refused: the workbook holds {count:,} cells; at most {limit:,}",
    },
    "too_far": {
        "nl": "{where}: geweigerd: het blad loopt tot cel {cell} ({count:,} cellen); hoogstens {limit:,}",
        "en": "{where}: refused: the sheet reaches cell {cell} ({count:,} cells); at most {limit:,}",
    },
    "too_much_text": {
        "nl": "{where}: geweigerd: de cellen bevatten samen {count:,} tekens (herhaalde gedeelde teksten?); hoogstens {limit:,}",
        "en": "{where}: refused: the cells hold {count:,} characters together (repeated shared strings?); at most {limit:,}",
    },
    "too_wide": {
        "nl": "{where}, rij {row}: {count:,} kolommen; hoogstens {limit} (zoals in Excel)",
        "en": "{where}, row {row}: {count:,} columns; at most {limit} (as in Excel)",
    },
    "cell_too_long": {
        "nl": "{where}, rij {row}, kolom {column}: de cel is langer dan {limit:,} tekens ({count:,})",
        "en": "{where}, row {row}, column {column}: the cell is longer than {limit:,} characters ({count:,})",
    },
    "csv_nul": {
        "nl": "{file}, regel {line}: NUL-bytes: dit zijn binaire gegevens of UTF-16 zonder byte order mark; bewaar het als CSV UTF-8",
        "en": "{file}, line {line}: NUL bytes: this is binary data or UTF-16 without a byte order mark; save it as CSV UTF-8",
    },
    "csv_decode": {
        "nl": "{file}, regel {line}: kan niet gelezen worden als {encoding}: {reason} (byte {byte}); geef --encoding",
        "en": "{file}, line {line}: cannot be read as {encoding}: {reason} (byte {byte}); give --encoding",
    },
    "csv_encoding": {
        "nl": "{file}: kan niet gelezen worden als {encoding}: {error}",
        "en": "{file}: cannot be read as {encoding}: {error}",
    },
    "csv_delimiter": {
        "nl": "{file}: het scheidingsteken moet één teken zijn, niet {delimiter}",
        "en": "{file}: the delimiter must be one character, not {delimiter}",
    },
    "csv_cell_long": {
        "nl": "{file}, regel {line}: een cel is langer dan {limit:,} tekens",
        "en": "{file}, line {line}: a cell is longer than {limit:,} characters",
    },
    "csv_broken": {
        "nl": "{file}, regel {line}: {error} (een aanhalingsteken dat niet gesloten is?)",
        "en": "{file}, line {line}: {error} (a quote that is not closed?)",
    },
    "header_outside": {
        "nl": "{where}: koprij {row} ligt buiten het blad (1-{rows})",
        "en": "{where}: header row {row} is outside the sheet (1-{rows})",
    },
    "nothing_mapped": {
        "nl": "{where}: geen kolom gekoppeld; koppel minstens de titel (--map title=KOLOM of --by-name)",
        "en": "{where}: no column is mapped; map at least the title (--map title=COLUMN or --by-name)",
    },
    "no_header_row": {
        "nl": "{where}: geen koprij in de eerste {search} rijen met de kolom(men) {columns}; geef --header-row N of controleer --map",
        "en": "{where}: no header row among the first {search} rows holds the column(s) {columns}; give --header-row N or check --map",
    },
    "no_rows": {
        "nl": "{where}: geen rijen onder de koprij (rij {row}); niets te importeren",
        "en": "{where}: no rows below the header (row {row}); nothing to import",
    },
    "no_column": {
        "nl": "{where}: geen kolom {column} voor {field}; de kolommen zijn {shown}",
        "en": "{where}: no column {column} for {field}; the columns are {shown}",
    },
    "no_title": {
        "nl": "{where}: welke kolom bevat de titel? geef --map title=KOLOM",
        "en": "{where}: which column holds the title? give --map title=COLUMN",
    },
    "unknown_field": {
        "nl": "onbekend veld {field}; velden: {fields}",
        "en": "unknown field {field}; fields: {fields}",
    },
    "problems": {
        "nl": "{file}: {count} probleem/problemen in {rows} rij(en); niets geïmporteerd",
        "en": "{file}: {count} problem(s) in {rows} row(s); nothing imported",
    },
    "rejects_onto_input": {
        "nl": "{path}: de afgewezen rijen zouden het invoerbestand overschrijven; kies een andere naam",
        "en": "{path}: the rejected rows would overwrite the input file; choose another name",
    },
    "rejects_exists": {
        "nl": "{path} bestaat al; geef --overwrite om het te vervangen",
        "en": "{path} exists; give --overwrite to replace it",
    },
}


def render(key: str, lang: str = DEFAULT_LANG, **params: Any) -> str:
    """The message ``key`` in ``lang`` (Dutch unless ``en``), filled with ``params``."""
    texts = MESSAGES[key]
    return texts.get(lang, texts[DEFAULT_LANG]).format(**params)


def quoted(value: object) -> str:
    """A cell value as written, in double quotes (``"2.2_1"``); long values cut."""
    text = str(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return '"' + text.replace("\n", " ") + '"'


def capped(lines: list[str], limit: int, lang: str = DEFAULT_LANG) -> list[str]:
    """At most ``limit`` lines, the rest summed up as "... and N more"."""
    if len(lines) <= limit:
        return lines
    return [*lines[:limit], render("and_more", lang, count=len(lines) - limit)]
