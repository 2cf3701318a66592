"""Read SPARQL 1.1 TSV results (as Oxigraph writes them) into :class:`~policykg.sparql.results.Term` rows.

Why: pyoxigraph hands each solution's terms to Python as objects, and turning those into
engine-neutral Terms costs a Python call per distinct term on top. Letting Oxigraph serialize the
whole answer as TSV in Rust, then splitting it and parsing each distinct cell once (cells repeat:
unit names, plan IRIs…; a repeat is one dict lookup on a string), is faster than the objects alone.

The W3C TSV format writes every term in Turtle syntax: ``<iri>``, ``_:label``, ``"text"``,
``"text"@lang``, ``"lexical"^^<datatype>``, and integers, decimals, doubles with an exponent and
booleans bare; an unbound variable is an empty cell. Tabs, newlines and quotes inside strings are
escaped, so a row is one line and a cell one field. Values keep the exact lexical form.
"""

from __future__ import annotations

import re

from ..vocab import XSD, XSD_STRING
from .results import Term

_new_term = tuple.__new__  # Term's own __new__ is a Python function: twice as slow

_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)


class TsvFormatError(ValueError):
    """A cell that is not a term the TSV results format writes."""


def _unescape(text: str) -> str:
    def one(m: re.Match) -> str:
        code = m.group(1) or m.group(2)
        if code:
            return chr(int(code, 16))
        try:
            return _ECHAR[m.group(3)]
        except KeyError:
            raise TsvFormatError(f"unknown escape \\{m.group(3)}") from None

    return _ESCAPE.sub(one, text)


def parse_term(cell: str) -> Term | None:
    """The term one TSV cell writes (``None`` for an empty cell: unbound)."""
    if not cell:
        return None
    first = cell[0]
    if first == "<" and not cell.startswith("<<"):
        iri = cell[1:-1]
        return _new_term(Term, ("uri", _unescape(iri) if "\\" in iri else iri, None, None))
    if first == '"':
        end = cell.rfind('"')
        if end == 0:
            raise TsvFormatError(f"unterminated string {cell!r}")
        value = cell[1:end]
        if "\\" in value:
            value = _unescape(value)
        rest = cell[end + 1:]
        if not rest:
            return _new_term(Term, ("literal", value, None, None))
        if rest[0] == "@":
            return _new_term(Term, ("literal", value, None, rest[1:].lower()))
        if rest.startswith("^^<") and rest.endswith(">"):
            datatype = rest[3:-1]
            return _new_term(Term, ("literal", value, None if datatype == XSD_STRING else datatype, None))
        raise TsvFormatError(f"cannot read the literal {cell!r}")
    if cell.startswith("_:"):
        return _new_term(Term, ("bnode", cell[2:], None, None))
    if cell in ("true", "false"):
        return _new_term(Term, ("literal", cell, XSD + "boolean", None))
    if _NUMBER.fullmatch(cell):
        if "e" in cell or "E" in cell:
            datatype = "double"
        elif "." in cell:
            datatype = "decimal"
        else:
            datatype = "integer"
        return _new_term(Term, ("literal", cell, XSD + datatype, None))
    raise TsvFormatError(f"cannot read the cell {cell!r}")


_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


class _Terms(dict):
    """cell -> Term, each distinct cell parsed once."""

    def __missing__(self, cell: str) -> Term | None:
        found = self[cell] = parse_term(cell)
        return found


def parse_tsv(data: bytes, width: int) -> list[tuple[Term | None, ...]]:
    """The rows of a TSV results document whose header names ``width`` variables."""
    lines = data.decode("utf-8").split("\n")
    if lines[-1] == "":
        lines.pop()  # every row, the header's too, ends with a newline
    convert = _Terms().__getitem__
    rows = []
    for line in lines[1:]:
        cells = line.split("\t")
        if len(cells) != width:
            raise TsvFormatError(f"a row of {len(cells)} cells under {width} variables: {line[:80]!r}")
        rows.append(tuple(map(convert, cells)))
    return rows


__all__ = ["TsvFormatError", "parse_term", "parse_tsv"]
