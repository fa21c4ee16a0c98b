"""Dutch (default) and English text for the dashboard.

Kind, edge and status labels come from ``kgraph.model``; everything else the pages say is
in ``STRINGS``. The language is the sidebar's choice, kept in ``st.session_state["lang"]``.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from kgraph.model import EDGE_LABELS, NODE_LABELS, STATUS_LABELS

LANGUAGES: dict[str, str] = {"nl": "Nederlands", "en": "English"}
DEFAULT_LANG = "nl"

OP_LABELS: dict[str, dict[str, str]] = {
    "add_node": {"nl": "toegevoegd", "en": "added"},
    "update_node": {"nl": "gewijzigd", "en": "changed"},
    "delete_node": {"nl": "verwijderd", "en": "deleted"},
    "add_edge": {"nl": "verbinding gelegd", "en": "link added"},
    "update_edge": {"nl": "verbinding gewijzigd", "en": "link changed"},
    "delete_edge": {"nl": "verbinding verwijderd", "en": "link deleted"},
}

STRINGS: dict[str, dict[str, str]] = {
    # shell
    "language": {"nl": "Taal", "en": "Language"},
    "your_name": {"nl": "Je naam", "en": "Your name"},
    "your_name_help": {
        "nl": "Elke wijziging komt met deze naam in de geschiedenis.",
        "en": "Every change is recorded in the history under this name.",
    },
    "name_needed": {
        "nl": "Vul je naam in de zijbalk in om te kunnen wijzigen.",
        "en": "Enter your name in the sidebar to make changes.",
    },
    "store_at": {"nl": "Opslag: `{location}`", "en": "Store: `{location}`"},
    "page_overview": {"nl": "Overzicht", "en": "Overview"},
    "page_explore": {"nl": "Verkennen", "en": "Explore"},
    "page_questions": {"nl": "Vragen", "en": "Questions"},
    "page_handover": {"nl": "Overdracht", "en": "Handover"},
    "page_export": {"nl": "Export", "en": "Export"},
    "page_import": {"nl": "Importeren", "en": "Import"},
    "page_history": {"nl": "Geschiedenis", "en": "History"},
    "page_gaps": {"nl": "Hiaten", "en": "Gaps"},
    "page_similar": {"nl": "Vergelijkbare vragen", "en": "Similar questions"},
    # sign-in and roles
    "signin_title": {"nl": "Aanmelden", "en": "Sign in"},
    "signin_intro": {
        "nl": "Meld je aan om de vragen, de overdracht en de geschiedenis te zien.",
        "en": "Sign in to see the questions, the handover and the history.",
    },
    "signin_name": {"nl": "Naam", "en": "Name"},
    "signin_password": {"nl": "Wachtwoord", "en": "Password"},
    "signin_submit": {"nl": "Aanmelden", "en": "Sign in"},
    "signin_failed": {
        "nl": "Aanmelden is niet gelukt. Controleer je naam en wachtwoord.",
        "en": "Sign-in failed. Check your name and password.",
    },
    "signin_wait": {
        "nl": "Te veel mislukte pogingen voor deze naam of vanaf dit adres. Probeer het over "
        "{seconds} seconden opnieuw; elke volgende mislukte poging verdubbelt de wachttijd.",
        "en": "Too many failed attempts for this name or from this address. Try again in "
        "{seconds} seconds; every further failed attempt doubles the wait.",
    },
    "signin_throttle_broken": {
        "nl": "Aanmelden kan nu niet: de mislukte pogingen zijn niet bij te houden ({error}).",
        "en": "Signing in is not possible now: failed attempts cannot be recorded ({error}).",
    },
    "signin_oidc": {"nl": "Aanmelden via {provider}", "en": "Sign in with {provider}"},
    "signin_oidc_default": {
        "nl": "Aanmelden via de organisatie",
        "en": "Sign in through your organisation",
    },
    "signin_local": {"nl": "Of met een lokaal account:", "en": "Or with a local account:"},
    "signin_no_role": {
        "nl": "{name} is aangemeld, maar heeft geen rol in kgraph. Vraag een beheerder om "
        "je toe te voegen.",
        "en": "{name} is signed in but has no role in kgraph. Ask an administrator to add you.",
    },
    "signout": {"nl": "Afmelden", "en": "Sign out"},
    "signed_in_as": {
        "nl": "Aangemeld als **{name}** ({role})",
        "en": "Signed in as **{name}** ({role})",
    },
    "role_viewer": {"nl": "lezer", "en": "viewer"},
    "role_editor": {"nl": "redacteur", "en": "editor"},
    "role_admin": {"nl": "beheerder", "en": "administrator"},
    "local_only": {
        "nl": "geen aanmelding ingesteld: alleen bereikbaar op {address}",
        "en": "no sign-in configured: reachable on {address} only",
    },
    "oidc_incomplete": {
        "nl": "OIDC-aanmelding staat uit: {problems}",
        "en": "OIDC sign-in is off: {problems}",
    },
    "refuse_title": {"nl": "kgraph start hier niet", "en": "kgraph will not serve here"},
    "refuse_network": {
        "nl": "Dit dashboard luistert op {address}, maar er is geen aanmelding ingesteld: "
        "iedereen op het netwerk zou alles kunnen lezen en wijzigen. Start het op 127.0.0.1 "
        "(`make run` of `kgraph serve`), of stel eerst aanmelding in: `kgraph users add NAAM "
        "--role admin`, of een `[auth]`-sectie in `.streamlit/secrets.toml`.",
        "en": "This dashboard listens on {address}, but no sign-in is configured: anyone on "
        "the network could read and change everything. Start it on 127.0.0.1 (`make run` or "
        "`kgraph serve`), or configure sign-in first: `kgraph users add NAME --role admin`, "
        "or an `[auth]` section in `.streamlit/secrets.toml`.",
    },
    "every_interface": {"nl": "alle netwerkadressen", "en": "every network address"},
    "refuse_host": {
        "nl": "Dit dashboard antwoordt niet op de naam {host}: open het via "
        "http://127.0.0.1 of een naam die bij het starten is toegestaan "
        "(kgraph serve --allow-host NAAM).",
        "en": "This dashboard does not answer to the name {host}: open it through "
        "http://127.0.0.1 or a name allowed when it was started "
        "(kgraph serve --allow-host NAME).",
    },
    "refuse_config": {
        "nl": "De aanmeldinstellingen zijn niet te lezen, dus niemand wordt toegelaten: {error}",
        "en": "The sign-in settings cannot be read, so nobody is let in: {error}",
    },
    "read_only": {
        "nl": "Je bent aangemeld als lezer: je kunt alles bekijken en exporteren, maar niets "
        "wijzigen.",
        "en": "You are signed in as a viewer: you can look at and export everything, but "
        "change nothing.",
    },
    # common
    "all": {"nl": "alle", "en": "all"},
    "choose": {"nl": "Kies…", "en": "Choose…"},
    "search": {"nl": "Zoeken", "en": "Search"},
    "search_hint": {"nl": "bijv. lokaal meten", "en": "e.g. local measuring"},
    "search_none": {"nl": "Niets gevonden.", "en": "Nothing found."},
    "save": {"nl": "Opslaan", "en": "Save"},
    "cancel": {"nl": "Annuleren", "en": "Cancel"},
    "add": {"nl": "Toevoegen", "en": "Add"},
    "delete": {"nl": "Verwijderen…", "en": "Delete…"},
    "reload": {"nl": "Opnieuw laden", "en": "Reload"},
    "as_table": {"nl": "Als tabel", "en": "As a table"},
    "and_more": {"nl": "en {n} meer", "en": "and {n} more"},
    "node_gone": {"nl": "Dit item bestaat niet meer.", "en": "This item no longer exists."},
    "download_as": {"nl": "{fmt} downloaden", "en": "Download {fmt}"},
    "depth": {"nl": "Diepte (stappen)", "en": "Depth (steps)"},
    "max_nodes": {"nl": "Maximaal aantal knopen", "en": "Maximum number of nodes"},
    "focus_nodes": {"nl": "Focusknopen", "en": "Focus nodes"},
    "filter_kinds": {"nl": "Soorten", "en": "Kinds"},
    "filter_kind": {"nl": "Soort", "en": "Kind"},
    "filter_qstatus": {"nl": "Status vraag", "en": "Question status"},
    "filter_hstatus": {"nl": "Status overdracht", "en": "Handover status"},
    "filter_area": {"nl": "CoP of thema", "en": "CoP or theme"},
    "history": {"nl": "Geschiedenis", "en": "History"},
    # columns and fields
    "col_name": {"nl": "Naam", "en": "Name"},
    "col_title": {"nl": "Titel", "en": "Title"},
    "col_kind": {"nl": "Soort", "en": "Kind"},
    "col_count": {"nl": "Aantal", "en": "Count"},
    "col_items": {"nl": "Aantal items", "en": "Number of items"},
    "col_edge_kind": {"nl": "Verbinding", "en": "Link"},
    "col_when": {"nl": "Wanneer (UTC)", "en": "When (UTC)"},
    "col_who": {"nl": "Door", "en": "By"},
    "col_what": {"nl": "Wat", "en": "What"},
    "col_item": {"nl": "Item", "en": "Item"},
    "col_change": {"nl": "Wijziging", "en": "Change"},
    "col_field": {"nl": "Veld", "en": "Field"},
    "col_value": {"nl": "Waarde", "en": "Value"},
    "col_direction": {"nl": "Richting", "en": "Direction"},
    "col_handover": {"nl": "Overdracht", "en": "Handover"},
    "col_landing": {"nl": "Landingsplaats", "en": "Landing place"},
    "col_raised_in": {"nl": "Gesteld in", "en": "Raised in"},
    "field_status": {"nl": "Status", "en": "Status"},
    "field_owner": {"nl": "Eigenaar", "en": "Owner"},
    "field_tags": {"nl": "Tags", "en": "Tags"},
    "field_text": {"nl": "Tekst", "en": "Text"},
    "field_source": {"nl": "Bron", "en": "Source"},
    "field_created": {"nl": "Aangemaakt", "en": "Created"},
    "field_updated": {"nl": "Laatst gewijzigd", "en": "Last changed"},
    "field_version": {"nl": "Versie", "en": "Version"},
    "field_decided_on": {"nl": "Besloten op", "en": "Decided on"},
    "field_decided_by": {"nl": "Besloten door", "en": "Decided by"},
    "field_note": {"nl": "Toelichting", "en": "Note"},
    "tags_help": {"nl": "Gescheiden door komma's.", "en": "Separated by commas."},
    # overview
    "overview_intro": {
        "nl": "De kennisvragen, CoP's, thema's en landingsplaatsen van het programma in één "
        "graaf, en hoe ver de overdracht is.",
        "en": "The programme's knowledge questions, CoPs, themes and landing places as one "
        "graph, and how far the handover has come.",
    },
    "counts_title": {"nl": "Aantallen per soort", "en": "Counts per kind"},
    "edge_counts": {"nl": "Verbindingen per soort", "en": "Links per kind"},
    "progress_landing": {
        "nl": "Overdracht per landingsplaats",
        "en": "Handover per landing place",
    },
    "progress_cop": {"nl": "Overdracht per CoP", "en": "Handover per CoP"},
    "no_handover": {"nl": "Nog geen overdrachten.", "en": "No handovers yet."},
    "see_handover": {
        "nl": "Zie de pagina Overdracht.",
        "en": "See the Handover page.",
    },
    "recent_title": {"nl": "Recent gewijzigd", "en": "Recently changed"},
    "recent_none": {
        "nl": "Geen wijzigingen in de afgelopen {days} dagen.",
        "en": "No changes in the last {days} days.",
    },
    # explore
    "search_results": {"nl": "Zoekresultaten ({n})", "en": "Search results ({n})"},
    "focus_only": {"nl": "Focus hierop", "en": "Focus on this"},
    "focus_add": {"nl": "Aan focus toevoegen", "en": "Add to focus"},
    "focus_help": {
        "nl": "Het netwerk groeit vanuit deze knopen. Voeg er toe via zoeken of de details.",
        "en": "The network grows from these nodes. Add more via search or the details.",
    },
    "filters": {"nl": "Filters en grootte", "en": "Filters and size"},
    "area_help": {
        "nl": "Toon alleen wat direct verbonden is met de gekozen items.",
        "en": "Show only what is directly linked to the chosen items.",
    },
    "truncated": {
        "nl": "Het netwerk is afgekapt op {cap} knopen, zodat de browser vlot blijft. "
        "Verklein de diepte, kies minder soorten of filter op CoP, thema of landingsplaats.",
        "en": "The network was cut at {cap} nodes to keep the browser responsive. Lower the "
        "depth, choose fewer kinds or filter by CoP, theme or landing place.",
    },
    "depth_lower": {"nl": "Diepte verlagen", "en": "Lower the depth"},
    "view_size": {
        "nl": "{nodes} knopen en {edges} verbindingen in beeld.",
        "en": "{nodes} nodes and {edges} links in view.",
    },
    "details": {"nl": "Details", "en": "Details"},
    "node_in_view": {"nl": "Knoop in beeld", "en": "Node in view"},
    "node_in_view_help": {
        "nl": "Kies een knoop om de details te zien; typ om te zoeken.",
        "en": "Choose a node to see its details; type to search.",
    },
    "nothing_drawn": {"nl": "Niets in beeld.", "en": "Nothing in view."},
    "refocus": {"nl": "Focus op deze knoop", "en": "Focus on this node"},
    "neighbours": {"nl": "Buren", "en": "Neighbours"},
    "no_neighbours": {"nl": "Geen verbindingen.", "en": "No links."},
    "no_history": {"nl": "Geen wijzigingen vastgelegd.", "en": "No changes recorded."},
    "path_title": {"nl": "Kortste pad", "en": "Shortest path"},
    "path_from": {"nl": "Van", "en": "From"},
    "path_to": {"nl": "Naar", "en": "To"},
    "path_find": {"nl": "Zoek kortste pad", "en": "Find shortest path"},
    "path_clear": {"nl": "Pad wissen", "en": "Clear path"},
    "path_found": {
        "nl": "Pad van {n} stappen, gemarkeerd in het netwerk.",
        "en": "A path of {n} steps, highlighted in the network.",
    },
    "path_none": {
        "nl": "Geen pad gevonden tussen deze knopen.",
        "en": "No path found between these nodes.",
    },
    "choose_focus": {
        "nl": "Kies een of meer focusknopen via zoeken.",
        "en": "Choose one or more focus nodes via search.",
    },
    "export_view": {"nl": "Deze weergave exporteren", "en": "Export this view"},
    # questions
    "search_questions_hint": {
        "nl": "titel, tekst, tag of eigenaar",
        "en": "title, text, tag or owner",
    },
    "sort_by": {"nl": "Sorteren op", "en": "Sort by"},
    "sort_title": {"nl": "titel", "en": "title"},
    "sort_status": {"nl": "status", "en": "status"},
    "sort_kind": {"nl": "soort", "en": "kind"},
    "sort_updated": {"nl": "laatst gewijzigd", "en": "last changed"},
    "descending": {"nl": "Aflopend", "en": "Descending"},
    "n_of_m": {"nl": "{n} van {m} vragen", "en": "{n} of {m} questions"},
    "edit_question": {"nl": "Vraag bewerken", "en": "Edit a question"},
    "question": {"nl": "Vraag", "en": "Question"},
    "no_questions": {"nl": "Geen vragen bij deze filters.", "en": "No questions match."},
    "changed_since": {
        "nl": "Let op: deze vraag is intussen gewijzigd door {who} op {at}.",
        "en": "Note: this question was changed meanwhile by {who} at {at}.",
    },
    "saved": {
        "nl": "„{title}” opgeslagen door {who}.",
        "en": "“{title}” saved by {who}.",
    },
    "deleted": {
        "nl": "„{title}” verwijderd door {who}.",
        "en": "“{title}” deleted by {who}.",
    },
    "added": {
        "nl": "„{title}” toegevoegd door {who}.",
        "en": "“{title}” added by {who}.",
    },
    "delete_confirm": {
        "nl": "„{title}” en de {links} verbindingen ervan definitief verwijderen?",
        "en": "Delete “{title}” and its {links} links for good?",
    },
    "delete_yes": {"nl": "Ja, verwijderen", "en": "Yes, delete"},
    "add_question": {"nl": "Vraag toevoegen", "en": "Add a question"},
    "link_area": {"nl": "Gesteld in (CoP of thema)", "en": "Raised in (CoP or theme)"},
    "link_complex": {"nl": "Voedt complexe vraag", "en": "Feeds complex question"},
    "link_complex_help": {
        "nl": "Alleen voor kennisvragen.",
        "en": "Only for knowledge questions.",
    },
    "title_needed": {"nl": "Geef de vraag een titel.", "en": "Give the question a title."},
    "feeds_only_kq": {
        "nl": "Alleen een kennisvraag kan een complexe vraag voeden.",
        "en": "Only a knowledge question can feed a complex question.",
    },
    # handover
    "handover_intro": {
        "nl": "Voor de stuurgroep: waar elke complexe vraag, CoP en showcase landt, met welke "
        "status, wanneer en door wie besloten.",
        "en": "For the steering group: where each complex question, CoP and showcase lands, "
        "with what status, decided when and by whom.",
    },
    "all_landed": {
        "nl": "Alles heeft minstens één (potentiële) landingsplaats.",
        "en": "Everything has at least one (proposed) landing place.",
    },
    "no_landing_title": {
        "nl": "{n} items zonder landingsplaats",
        "en": "{n} items without a landing place",
    },
    "no_landing_status": {"nl": "geen landingsplaats", "en": "no landing place"},
    "propose_title": {"nl": "Landingsplaats voorstellen", "en": "Propose a landing place"},
    "item": {"nl": "Item", "en": "Item"},
    "propose": {"nl": "Voorstellen", "en": "Propose"},
    "proposed_done": {
        "nl": "{place} voorgesteld als landingsplaats voor {item}.",
        "en": "{place} proposed as the landing place of {item}.",
    },
    "group_by": {"nl": "Groeperen", "en": "Group"},
    "group_landing": {"nl": "per landingsplaats", "en": "per landing place"},
    "group_cop": {"nl": "per CoP", "en": "per CoP"},
    "no_cop": {"nl": "(geen CoP)", "en": "(no CoP)"},
    "decide_title": {"nl": "Besluit vastleggen", "en": "Record a decision"},
    "which_handover": {
        "nl": "Overdracht (item → landingsplaats)",
        "en": "Handover (item → landing place)",
    },
    "save_decision": {"nl": "Besluit opslaan", "en": "Save decision"},
    "decision_saved": {"nl": "Besluit opgeslagen: {what}.", "en": "Decision saved: {what}."},
    "report_title": {"nl": "Overdrachtsrapport", "en": "Handover report"},
    # export
    "export_intro": {
        "nl": "Kies een deel van de graaf en download het voor Gephi, yEd, Cytoscape, Excel, "
        "Neo4j of als losse webpagina.",
        "en": "Choose part of the graph and download it for Gephi, yEd, Cytoscape, Excel, "
        "Neo4j or as a standalone web page.",
    },
    "export_source": {"nl": "Wat exporteren", "en": "What to export"},
    "export_src_view": {"nl": "De weergave uit Verkennen", "en": "The view from Explore"},
    "export_src_focus": {"nl": "Focus, diepte en filters", "en": "Focus, depth and filters"},
    "export_src_all": {"nl": "De hele graaf", "en": "The whole graph"},
    "export_focus_help": {
        "nl": "Zoek hierboven en kies de knopen om vanuit te exporteren.",
        "en": "Search above and choose the nodes to export from.",
    },
    "export_all_size": {
        "nl": "{nodes} knopen en {edges} verbindingen.",
        "en": "{nodes} nodes and {edges} links.",
    },
    "export_nothing": {
        "nl": "Nog niets gekozen om te exporteren.",
        "en": "Nothing chosen to export yet.",
    },
    "export_truncated": {
        "nl": "De selectie is afgekapt op {cap} knopen; verhoog het maximum of verfijn.",
        "en": "The selection was cut at {cap} nodes; raise the maximum or narrow it.",
    },
    "export_size": {
        "nl": "**{nodes}** knopen en **{edges}** verbindingen gekozen.",
        "en": "**{nodes}** nodes and **{edges}** links chosen.",
    },
    "preview": {"nl": "Voorbeeld", "en": "Preview"},
    "download_title": {"nl": "Downloaden", "en": "Download"},
    # import
    "import_intro": {
        "nl": "Lees vragen of andere items uit een Excel- of CSV-bestand, zoals een "
        "kennisagenda. Eerst controleren, dan in één keer importeren: alles, of alleen de "
        "goede rijen met de afgekeurde als download.",
        "en": "Read questions or other items from an Excel or CSV file, such as a knowledge "
        "agenda. Check first, then import at once: everything, or only the valid rows with "
        "the rejected ones as a download.",
    },
    "import_file": {"nl": "Bestand (.xlsx of .csv)", "en": "File (.xlsx or .csv)"},
    "import_empty": {"nl": "Het blad is leeg.", "en": "The sheet is empty."},
    "import_sheet": {"nl": "Werkblad", "en": "Sheet"},
    "import_sheet_help": {
        "nl": "Voorgesteld: het blad met de meeste rijen die op een vraag lijken.",
        "en": "Suggested: the sheet with the most rows that look like a question.",
    },
    "import_preview": {
        "nl": "De eerste rijen, genummerd zoals in het rekenblad:",
        "en": "The first rows, numbered as in the spreadsheet:",
    },
    "import_header_row": {"nl": "Rij met kolomnamen", "en": "Header row"},
    "import_header_help": {
        "nl": "Gevonden: rij {row} (titel- en toelichtingsrijen erboven worden overgeslagen).",
        "en": "Found: row {row} (title and explanation rows above it are skipped).",
    },
    "import_kind": {"nl": "Soort items", "en": "Kind of items"},
    "import_register": {"nl": "Register", "en": "Register"},
    "import_register_help": {
        "nl": "Naam van de agenda in de ids (kq:<register>:2-2-1), zodat twee agenda's nooit "
        "botsen. Dezelfde naam bij een nieuwere versie vergelijkt met wat er al is.",
        "en": "Name of the agenda in the ids (kq:<register>:2-2-1), so two agendas never "
        "collide. The same name for a newer version compares with what is there.",
    },
    "import_duplicates": {"nl": "Dubbele codes", "en": "Duplicate codes"},
    "import_duplicates_refuse": {"nl": "weigeren", "en": "refuse"},
    "import_duplicates_keep": {"nl": "beide houden", "en": "keep both"},
    "import_duplicates_help": {
        "nl": "Beide houden: de tweede rij krijgt een id met achtervoegsel en beide worden "
        "gemarkeerd (duplicate_code) om later op te lossen.",
        "en": "Keep both: the second row gets a suffixed id and both are marked "
        "(duplicate_code) to be resolved later.",
    },
    "import_mapping": {"nl": "Kolommen koppelen", "en": "Map columns"},
    "import_mapping_help": {
        "nl": "Voorgesteld op basis van de kolomnamen. Niet gekoppelde kolommen worden "
        "extra eigenschappen, ook als ze zo heten als een veld (zoals status).",
        "en": "Suggested from the column names. Columns not mapped become extra properties, "
        "even when named like a field (such as status).",
    },
    "import_not_mapped": {"nl": "(niet gekoppeld)", "en": "(not mapped)"},
    "import_col_letter": {"nl": "Kolom", "en": "Column"},
    "import_col_header": {"nl": "Kolomnaam", "en": "Header"},
    "import_col_samples": {"nl": "Voorbeelden", "en": "Sample values"},
    "import_col_field": {"nl": "Wordt", "en": "Becomes"},
    "import_as_property": {"nl": "extra eigenschap", "en": "extra property"},
    "import_values": {"nl": "Waarden vertalen", "en": "Map values"},
    "import_values_help": {
        "nl": "Per gekoppelde kolom de waarden die erin staan; kies wat elke waarde wordt "
        "(bijvoorbeeld status 1 → open). Leeg laten: de waarde zoals ze er staat.",
        "en": "Per mapped column the values it holds; choose what each becomes (for example "
        "status 1 → open). Left empty: the value as written.",
    },
    "import_values_none": {"nl": "Deze kolom is leeg.", "en": "This column is empty."},
    "import_value_from": {"nl": "{value} ({n}×)", "en": "{value} ({n}×)"},
    "import_as_written": {"nl": "(zoals geschreven)", "en": "(as written)"},
    "import_spec_file": {
        "nl": "Opgeslagen koppeling gebruiken (.yaml)",
        "en": "Use a saved mapping (.yaml)",
    },
    "import_spec_help": {
        "nl": "Hetzelfde bestand als kgraph import table --mapping BESTAND.yaml.",
        "en": "The same file as kgraph import table --mapping FILE.yaml.",
    },
    "import_spec_loaded": {
        "nl": "Koppeling uit {name} ingevuld.",
        "en": "Mapping from {name} filled in.",
    },
    "import_spec_download": {"nl": "Koppeling opslaan", "en": "Save the mapping"},
    "import_spec_download_help": {
        "nl": "Download deze keuzes als .yaml: volgende keer hier uploaden, of gebruiken met "
        "kgraph import table --mapping.",
        "en": "Download these choices as .yaml: upload it here next time, or use it with "
        "kgraph import table --mapping.",
    },
    "import_skip": {
        "nl": "Alleen de goede rijen importeren, de afgekeurde downloaden",
        "en": "Import the valid rows, download the rejected ones",
    },
    "import_skip_help": {
        "nl": "Zonder dit vinkje wordt er niets geïmporteerd zolang één rij een probleem heeft.",
        "en": "Without this, nothing is imported while any row has a problem.",
    },
    "import_skip_hint": {
        "nl": "Verbeter het bestand, of vink aan dat alleen de goede rijen geïmporteerd worden.",
        "en": "Fix the file, or tick that only the valid rows are imported.",
    },
    "import_check": {"nl": "Controleren", "en": "Check"},
    "import_checking": {"nl": "Bezig met controleren…", "en": "Checking…"},
    "import_recheck": {
        "nl": "De keuzes zijn gewijzigd; controleer opnieuw.",
        "en": "The choices changed; check again.",
    },
    "import_problems": {
        "nl": "{n} problemen in {rows} gelezen rijen; er is niets geïmporteerd.",
        "en": "{n} problems in {rows} rows read; nothing was imported.",
    },
    "import_msg_unknown_status": {
        "nl": "onbekende status; verwacht een van {expected} (kies bij Waarden vertalen wat "
        "{raw} wordt)",
        "en": "unknown status; expected one of {expected} (choose under Map values what {raw} "
        "becomes)",
    },
    "import_msg_duplicate": {
        "nl": "dubbele code in rijen {rows} (kies bij Dubbele codes: beide houden)",
        "en": "duplicate code in rows {rows} (choose keep both under Duplicate codes)",
    },
    "import_p_row": {"nl": "Rij", "en": "Row"},
    "import_p_column": {"nl": "Kolom", "en": "Column"},
    "import_p_value": {"nl": "Staat er", "en": "Cell"},
    "import_p_message": {"nl": "Probleem", "en": "Problem"},
    "import_rejected": {
        "nl": "{n} van de {rows} rijen afgekeurd; die worden niet geïmporteerd.",
        "en": "{n} of {rows} rows rejected; they are not imported.",
    },
    "import_rejects_download": {
        "nl": "Afgekeurde rijen downloaden (.csv)",
        "en": "Download the rejected rows (.csv)",
    },
    "import_ok": {
        "nl": "{rows} rijen in orde: {nodes} items en {edges} verbindingen klaar om te importeren.",
        "en": "{rows} rows fine: {nodes} items and {edges} links ready to import.",
    },
    "import_diff": {
        "nl": "Vergeleken met wat er al van dit register is",
        "en": "Compared with what is there of this register",
    },
    "import_diff_added": {"nl": "Nieuw", "en": "Added"},
    "import_diff_changed": {"nl": "Gewijzigd", "en": "Changed"},
    "import_diff_unchanged": {"nl": "Ongewijzigd", "en": "Unchanged"},
    "import_diff_gone": {"nl": "Niet meer in de bron", "en": "No longer in the source"},
    "import_diff_what": {"nl": "Wat verandert", "en": "What changes"},
    "import_diff_none": {"nl": "Geen.", "en": "None."},
    "import_prune": {
        "nl": "Ook de {n} items verwijderen die niet meer in de bron staan",
        "en": "Also delete the {n} items no longer in the source",
    },
    "import_prune_help": {
        "nl": "Zonder dit vinkje blijft alles wat er al was staan.",
        "en": "Without this, everything already there stays.",
    },
    "import_go": {"nl": "Importeren", "en": "Import"},
    "import_writing": {"nl": "Bezig met importeren…", "en": "Importing…"},
    "import_done": {
        "nl": "{added} items en {edges} verbindingen toegevoegd door {who}; {changed} items "
        "gewijzigd, {removed} verwijderd.",
        "en": "{added} items and {edges} links added by {who}; {changed} items changed, "
        "{removed} deleted.",
    },
    "import_field_id": {"nl": "Id (code)", "en": "Id (code)"},
    "import_field_title": {"nl": "Titel (verplicht)", "en": "Title (required)"},
    "import_field_text": {"nl": "Tekst", "en": "Text"},
    "import_field_status": {"nl": "Status", "en": "Status"},
    "import_field_owner": {"nl": "Eigenaar", "en": "Owner"},
    "import_field_tags": {"nl": "Tags", "en": "Tags"},
    "import_field_cop": {"nl": "CoP", "en": "CoP"},
    "import_field_complex_question": {"nl": "Complexe vraag", "en": "Complex question"},
    "import_field_theme": {"nl": "Kennisthema", "en": "Knowledge theme"},
    "import_field_landing_place": {"nl": "Landingsplaats", "en": "Landing place"},
    "import_field_organisation": {"nl": "Organisatie", "en": "Organisation"},
    "import_field_relates_to": {"nl": "Hangt samen met", "en": "Relates to"},
    "import_field_placed_at": {
        "nl": "Waar belegd (landingsplaats of organisatie)",
        "en": "Placed at (landing place or organisation)",
    },
    "import_field_handover_status": {"nl": "Status overdracht", "en": "Handover status"},
    "col_id": {"nl": "Id", "en": "Id"},
    "col_source": {"nl": "Bron", "en": "Source"},
    # history
    "since": {"nl": "Vanaf", "en": "From"},
    "until": {"nl": "Tot en met", "en": "Up to and including"},
    "until_help": {"nl": "Datums in UTC.", "en": "Dates in UTC."},
    "history_node": {"nl": "Item zoeken", "en": "Find an item"},
    "history_pick": {"nl": "Alleen dit item", "en": "Only this item"},
    "person": {"nl": "Persoon", "en": "Person"},
    "n_changes": {"nl": "{n} wijzigingen", "en": "{n} changes"},
    "history_list": {"nl": "Alle wijzigingen", "en": "All changes"},
    "history_report": {"nl": "Voor de stuurgroep", "en": "For the steering group"},
    "history_report_help": {
        "nl": "Wat er tussen de gekozen datums veranderde, per saldo, over alle personen en "
        "items (de filters op persoon en item gelden voor de lijst met alle wijzigingen).",
        "en": "What changed between the chosen dates, net, across all people and items (the "
        "person and item filters apply to the list of all changes).",
    },
    "report_handover": {
        "nl": "Overdrachten die van status veranderden ({n})",
        "en": "Handovers whose status moved ({n})",
    },
    "report_items": {"nl": "Items", "en": "Items"},
    "report_links": {"nl": "Verbindingen", "en": "Links"},
    "report_added": {"nl": "Toegevoegd", "en": "Added"},
    "report_removed": {"nl": "Verwijderd", "en": "Removed"},
    "report_changed": {"nl": "Gewijzigd", "en": "Changed"},
    "report_none": {"nl": "Niets in deze periode.", "en": "Nothing in this period."},
    "history_cut": {
        "nl": "Alleen de laatste {n} wijzigingen worden getoond; verklein de periode.",
        "en": "Only the last {n} changes are shown; narrow the period.",
    },
    "history_none": {"nl": "Geen wijzigingen bij deze filters.", "en": "No changes match."},
    # gaps and centrality
    "gaps_intro": {
        "nl": "De losse eindjes van de graaf en van de overdracht, met wat ze betekenen. Kies "
        "een item om het in Verkennen te bekijken.",
        "en": "The loose ends of the graph and of the handover, with what they mean. Choose "
        "an item to look at it in Explore.",
    },
    "gaps_tab": {"nl": "Hiaten", "en": "Gaps"},
    "central_tab": {
        "nl": "Wat de graaf bij elkaar houdt",
        "en": "What holds the graph together",
    },
    "gaps_total": {
        "nl": "Items met minstens één los eindje: {n}.",
        "en": "Items with at least one loose end: {n}.",
    },
    "gaps_graph": {"nl": "In de graaf", "en": "In the graph"},
    "gaps_handover": {"nl": "In de overdracht", "en": "In the handover"},
    "gaps_none": {"nl": "Niets gevonden: in orde.", "en": "Nothing found: all good."},
    "gaps_no_landing": {
        "nl": "Zonder enige landingsplaats",
        "en": "Without any landing place",
    },
    "gaps_not_accepted": {
        "nl": "Nog nergens belegd",
        "en": "Not yet accepted anywhere",
    },
    "gaps_idle_places": {
        "nl": "Landingsplaatsen waar niets landt",
        "en": "Landing places that receive nothing",
    },
    "show_in_explore": {"nl": "Toon in Verkennen", "en": "Show in Explore"},
    "central_top": {"nl": "Aantal tonen", "en": "How many"},
    "central_approx": {
        "nl": "De brugfunctie is geschat vanuit {samples} van de {nodes} knopen.",
        "en": "Bridging was estimated from {samples} of the {nodes} nodes.",
    },
    "central_in_words": {"nl": "**In woorden**", "en": "**In words**"},
    "col_rank": {"nl": "#", "en": "#"},
    "col_links": {"nl": "Verbindingen", "en": "Links"},
    "col_bridging": {"nl": "Brugfunctie (%)", "en": "Bridging (%)"},
    # similar questions
    "similar_min_score": {"nl": "Minimale score", "en": "Minimum score"},
    "similar_min_score_help": {
        "nl": "Lager toont meer, maar ook minder verwante paren.",
        "en": "Lower shows more, but also less related pairs.",
    },
    "similar_top": {"nl": "Hoogstens zoveel paren", "en": "At most this many pairs"},
    "similar_busy": {"nl": "Vragen vergelijken…", "en": "Comparing questions…"},
    "similar_found": {
        "nl": "Voorgesteld: {n}, uit {questions} vragen. Weggelaten: {linked} al gekoppeld, "
        "{dismissed} afgewezen.",
        "en": "Proposed: {n}, from {questions} questions. Left out: {linked} already linked, "
        "{dismissed} dismissed.",
    },
    "similar_none": {
        "nl": "Geen paren boven deze score.",
        "en": "No pairs above this score.",
    },
    "similar_shared": {"nl": "gedeelde woorden: {words}", "en": "shared words: {words}"},
    "similar_accept": {"nl": "Koppelen", "en": "Link"},
    "similar_accept_help": {
        "nl": "Legt de verbinding 'hangt samen met' tussen de twee vragen.",
        "en": "Adds the link 'relates to' between the two questions.",
    },
    "similar_dismiss": {"nl": "Afwijzen", "en": "Dismiss"},
    "similar_dismiss_help": {
        "nl": "Niet dezelfde vraag; dit paar wordt niet meer voorgesteld.",
        "en": "Not the same question; this pair is not proposed again.",
    },
    "similar_both": {"nl": "Beide in Verkennen", "en": "Both in Explore"},
    "similar_accepted": {
        "nl": "„{a}” en „{b}” gekoppeld door {who}.",
        "en": "“{a}” and “{b}” linked by {who}.",
    },
    "similar_dismissed_done": {
        "nl": "„{a}” en „{b}” afgewezen door {who}; dit paar komt niet terug.",
        "en": "“{a}” and “{b}” dismissed by {who}; this pair will not come back.",
    },
    "similar_linked_title": {
        "nl": "Gekoppeld na vergelijking ({n})",
        "en": "Linked after comparison ({n})",
    },
    "similar_dismissed_title": {"nl": "Afgewezen paren ({n})", "en": "Dismissed pairs ({n})"},
    "similar_none_yet": {"nl": "Nog geen.", "en": "None yet."},
    "col_score": {"nl": "Score", "en": "Score"},
    "col_question_a": {"nl": "Vraag", "en": "Question"},
    "col_question_b": {"nl": "Lijkt op", "en": "Looks like"},
}


def lang() -> str:
    """The chosen language code (``nl`` unless English was picked in the sidebar)."""
    try:
        chosen = st.session_state.get("lang")
    except Exception:  # outside a Streamlit run (e.g. a download callback)
        chosen = None
    return chosen if chosen in LANGUAGES else DEFAULT_LANG


def t(key: str, **values: Any) -> str:
    """The text for ``key`` in the chosen language, with ``values`` filled in."""
    entry = STRINGS[key]
    text = entry.get(lang()) or entry[DEFAULT_LANG]
    return text.format(**values) if values else text


def _pick(table: dict[str, dict[str, str]], key: str | None) -> str:
    if key is None:
        return "–"
    entry = table.get(key)
    if entry is None:
        return key
    return entry.get(lang()) or entry[DEFAULT_LANG]


def kind_label(kind: str) -> str:
    return _pick(NODE_LABELS, kind)


def edge_label(kind: str) -> str:
    return _pick(EDGE_LABELS, kind)


def status_label(status: str | None) -> str:
    if status == "none":
        return t("no_landing_status")
    return _pick(STATUS_LABELS, status)


def op_label(op: str) -> str:
    return _pick(OP_LABELS, op)
