"""SPARQL query results, independent of the engine that produced them, and their formats.

A :class:`Result` holds engine-neutral :class:`Term` values so that the embedded rdflib engine,
the Oxigraph engine and a remote endpoint give results that compare equal. Writers:

- ``table``: aligned for a terminal, counting East Asian wide characters as two columns;
- ``csv`` / ``tsv``: the W3C SPARQL 1.1 Query Results CSV and TSV formats;
- ``json``: the W3C SPARQL 1.1 Query Results JSON format.

This module imports nothing heavy: the command line must start fast.
"""

from __future__ import annotations

import io
import json
import unicodedata
from dataclasses import dataclass, field
from typing import NamedTuple

from ..vocab import XSD, XSD_STRING

# Datatypes TSV may write as bare numbers (Turtle's abbreviated numeric forms).
_TSV_BARE = {XSD + "integer", XSD + "decimal", XSD + "double"}

FORMATS = ("table", "csv", "tsv", "json")

# A spreadsheet reads a cell starting with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Term(NamedTuple):
    """One RDF term in a result: ``kind`` is ``uri``, ``literal`` or ``bnode``.

    A named tuple rather than a frozen dataclass: results of a million-triple graph make tens of
    thousands of terms, and a tuple is made in well under half the time.
    """

    kind: str
    value: str
    datatype: str | None = None
    lang: str | None = None

    @staticmethod
    def uri(value: str) -> "Term":
        return Term("uri", value)

    @staticmethod
    def literal(value: str, datatype: str | None = None, lang: str | None = None) -> "Term":
        if lang:
            return Term("literal", value, None, lang.lower())
        if datatype in (None, XSD_STRING):
            datatype = None
        return Term("literal", value, datatype, None)

    @staticmethod
    def bnode(value: str) -> "Term":
        return Term("bnode", value)

    def __str__(self) -> str:
        return self.value


@dataclass
class Result:
    """The answer to a query.

    For SELECT, ``columns`` are the projected variables and ``rows`` hold one :class:`Term`
    or ``None`` (unbound) per column. For ASK, ``boolean`` is set and there are no rows.
    For CONSTRUCT and DESCRIBE the rows are triples under columns subject, predicate, object.
    """

    columns: list[str]
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    form: str = "select"

    def values(self) -> list[tuple[str | None, ...]]:
        """Rows as plain strings (the lexical form), ``None`` where unbound."""
        return [tuple(None if t is None else t.value for t in row) for row in self.rows]

    def dicts(self) -> list[dict[str, str]]:
        """Rows as ``{column: value}`` dictionaries, leaving unbound columns out."""
        return [
            {c: t.value for c, t in zip(self.columns, row) if t is not None} for row in self.rows
        ]


# --------------------------------------------------------------------------- table


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: wide and fullwidth characters count twice."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def _table_cell(term: Term | None) -> str:
    if term is None:
        return ""
    text = term.value if term.kind != "bnode" else "_:" + term.value
    return " ".join(text.split())  # one line per row, whatever the text holds


def _terminal_width() -> int | None:
    """The terminal's width when the table goes to one; None (no limit) when it is piped."""
    import shutil
    import sys

    return shutil.get_terminal_size().columns if sys.stdout.isatty() else None


def _clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal columns, with … where it was cut."""
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _fit(widths: list[int], limit: int, floor: int = 8) -> list[int]:
    """Column widths that fit ``limit`` columns (two spaces between), narrowing the widest first."""
    widths = list(widths)
    while sum(widths) + 2 * (len(widths) - 1) > limit:
        widest = max(range(len(widths)), key=lambda i: widths[i])
        if widths[widest] <= floor:
            break
        widths[widest] -= 1
    return widths


def to_table(result: Result, width: int | None = None) -> str:
    """Aligned columns; on a terminal (or with ``width``) long cells are cut with … to fit.
    CSV, TSV and JSON always carry whole values."""
    if result.boolean is not None:
        return ("true" if result.boolean else "false") + "\n"
    header = list(result.columns)
    body = [[_table_cell(t) for t in row] for row in result.rows]
    widths = [display_width(h) for h in header]
    for row in body:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], display_width(cell))
    limit = width if width is not None else _terminal_width()
    if limit:
        widths = _fit(widths, limit)
        header = [_clip(h, w) for h, w in zip(header, widths)]
        body = [[_clip(c, w) for c, w in zip(row, widths)] for row in body]
    lines = [
        "  ".join(_pad(h, w) for h, w in zip(header, widths)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths)).rstrip() for row in body]
    n = len(body)
    lines.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- CSV / TSV


def neutralise_formula(cell: str) -> str:
    """Prefix ``'`` to a cell a spreadsheet would run as a formula (CSV injection)."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def _csv_cell(term: Term | None) -> str:
    if term is None:
        return ""
    if term.kind == "bnode":
        return "_:" + term.value
    return neutralise_formula(term.value)


def to_csv(result: Result) -> str:
    """SPARQL 1.1 Query Results CSV: header of variable names, lexical forms, CRLF line ends."""
    import csv

    if result.boolean is not None:
        return "_askResult\r\n" + ("true" if result.boolean else "false") + "\r\n"
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow([_csv_cell(t) for t in row])
    return buf.getvalue()


def _turtle_string(value: str) -> str:
    out = value.replace("\\", "\\\\").replace('"', '\\"')
    out = out.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return '"' + out + '"'


def _tsv_cell(term: Term | None) -> str:
    if term is None:
        return ""
    if term.kind == "uri":
        return "<" + term.value + ">"
    if term.kind == "bnode":
        return "_:" + term.value
    if term.lang:
        return _turtle_string(term.value) + "@" + term.lang
    if term.datatype in _TSV_BARE and _looks_numeric(term.value, term.datatype):
        return term.value
    if term.datatype:
        return _turtle_string(term.value) + "^^<" + term.datatype + ">"
    return _turtle_string(term.value)


def _looks_numeric(value: str, datatype: str) -> bool:
    # Only the canonical-looking forms Turtle would read back as the same datatype.
    v = value[1:] if value[:1] in "+-" else value
    if datatype == XSD + "integer":
        return v.isdigit()
    if datatype == XSD + "decimal":
        a, _, b = v.partition(".")
        return "." in v and a.isdigit() and b.isdigit()
    return "e" in v.lower() and all(ch.isdigit() or ch in ".eE+-" for ch in v)


def to_tsv(result: Result) -> str:
    """SPARQL 1.1 Query Results TSV: ``?var`` header, terms in Turtle/SPARQL syntax."""
    if result.boolean is not None:
        return "?_askResult\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join("?" + c for c in result.columns)]
    for row in result.rows:
        lines.append("\t".join(_tsv_cell(t) for t in row))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- JSON


def _json_term(term: Term) -> dict[str, str]:
    if term.kind == "uri":
        return {"type": "uri", "value": term.value}
    if term.kind == "bnode":
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.lang:
        out["xml:lang"] = term.lang
    elif term.datatype:
        out["datatype"] = term.datatype
    return out


def to_json_dict(result: Result) -> dict:
    if result.boolean is not None:
        return {"head": {}, "boolean": result.boolean}
    bindings = [
        {c: _json_term(t) for c, t in zip(result.columns, row) if t is not None}
        for row in result.rows
    ]
    return {"head": {"vars": list(result.columns)}, "results": {"bindings": bindings}}


def to_json(result: Result) -> str:
    """SPARQL 1.1 Query Results JSON."""
    return json.dumps(to_json_dict(result), ensure_ascii=False, indent=2) + "\n"


def from_json_dict(data: dict) -> Result:
    """Read SPARQL 1.1 Query Results JSON (as returned by an endpoint)."""
    if "boolean" in data:
        return Result(columns=[], boolean=bool(data["boolean"]), form="ask")
    columns = list(data.get("head", {}).get("vars", []))
    rows = []
    for binding in data.get("results", {}).get("bindings", []):
        row = []
        for c in columns:
            b = binding.get(c)
            if b is None:
                row.append(None)
            elif b["type"] == "uri":
                row.append(Term.uri(b["value"]))
            elif b["type"] == "bnode":
                row.append(Term.bnode(b["value"]))
            else:  # "literal", or "typed-literal" from SPARQL 1.0-era servers
                row.append(Term.literal(b["value"], b.get("datatype"), b.get("xml:lang")))
        rows.append(tuple(row))
    return Result(columns=columns, rows=rows)


WRITERS = {"table": to_table, "csv": to_csv, "tsv": to_tsv, "json": to_json}


def write(result: Result, fmt: str) -> str:
    """The result in format ``fmt`` (one of :data:`FORMATS`)."""
    try:
        return WRITERS[fmt](result)
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}") from None
