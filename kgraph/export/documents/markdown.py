"""A document as Markdown: headings, the "stand per" line, pipe tables. User text goes
through ``escape_markdown`` (one line, no markup, no autolinks)."""

from __future__ import annotations

from kgraph.export.documents import Document, Table
from kgraph.export.markdown import escape_markdown


def _table(table: Table) -> list[str]:
    head = "| " + " | ".join(escape_markdown(c.header) for c in table.columns) + " |"
    rule = "|" + "|".join("---:" if c.kind == "int" else "---" for c in table.columns) + "|"
    lines = [head, rule]
    for i, row in enumerate(table.rows):
        cells = [escape_markdown(c.text) for c in row]
        if table.total_row and i == len(table.rows) - 1:
            cells = [f"**{c}**" if c else c for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def to_markdown(document: Document) -> str:
    lines = [f"# {escape_markdown(document.title)}", "", f"**{document.stand_per}**", ""]
    for line in document.lines:
        lines += [escape_markdown(line), ""]
    for section in document.sections:
        lines += [f"## {escape_markdown(section.title)}", ""]
        if section.intro:
            lines += [escape_markdown(section.intro), ""]
        if section.table is not None and section.table.rows:
            lines += [*_table(section.table), ""]
        elif section.table is not None:
            lines += [escape_markdown(section.table.empty), ""]
    return "\n".join(lines).rstrip() + "\n"
