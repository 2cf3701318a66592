"""Turtle statements for sorted triples, the same bytes pyoxigraph's writer gives them.

Every plan's Turtle went through pyoxigraph: its N-Triples parsed, then written as Turtle. That
was a fifth of a worker's time a plan, most of it making a Python object for each term of each
triple. The terms of a plan take a few plain forms (IRIs, prefixed names, string and
language-tagged literals, a few typed ones), and those are written here, the way pyoxigraph
writes them (oxttl's Turtle writer: ``a`` for rdf:type, ``;`` and ``,`` for a repeated subject
and predicate, a literal of a Turtle number or boolean bare). A triple with a term in another
form (a blank node, a local name needing escapes, an unusual language tag) sends the whole
fragment to pyoxigraph instead, so the bytes never depend on which path wrote them
(``tests/test_turtle_writer.py`` holds the two to the same bytes).
"""

from __future__ import annotations

import re

from .terms import XSD, Lit, Triple, nt_line

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

# Local names written after a prefix as they are: a conservative part of Turtle's PN_LOCAL
# (no dot, no escape), which oxttl writes unchanged.
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_\-]*\Z")
_PLAIN_LANG = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*\Z")
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_DECIMAL = re.compile(r"[+-]?[0-9]*\.[0-9]+\Z")
_DOUBLE = re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+\Z")
_BARE = {
    XSD + "integer": _INTEGER,
    XSD + "decimal": _DECIMAL,
    XSD + "double": _DOUBLE,
    XSD + "boolean": re.compile(r"(?:true|false)\Z"),
}

# oxrdf's quoted strings: these escapes, \uXXXX for other control characters and two non-characters
_QUOTED = {0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"}
_QUOTED.update({c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F, 0xFFFE, 0xFFFF] if c not in _QUOTED})


class _Unplain(Exception):
    """A term this module does not write: pyoxigraph writes the fragment."""


class TurtleWriter:
    """Writes fragments under ``prefixes`` (name → namespace IRI), remembering how it wrote the
    vocabulary's IRIs (the IRIs under a prefix) from one fragment to the next."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        # oxttl tries the prefixes in the order of their names and takes the first that fits
        self.prefixes = sorted(prefixes.items())
        self._prefixed: dict[str, str] = {}

    def fragment(self, triples: list[Triple]) -> bytes:
        """Turtle statements (no ``@prefix`` lines) for ``triples``, in their order: each
        subject's triples together, as sorted N-Triples lines have them."""
        if not triples:
            return b""
        try:
            return self._write(triples)
        except _Unplain:
            from .export import turtle_fragment

            return turtle_fragment([nt_line(t) for t in triples], dict(self.prefixes))

    def _write(self, triples: list[Triple]) -> bytes:
        terms: dict = {}  # each term's Turtle, made once
        predicates = {RDF_TYPE: "a"}
        iri, literal = self._iri, self._literal
        out: list[str] = []
        append = out.append
        subject = predicate = None
        for s, p, o in triples:
            obj = terms.get(o)
            if obj is None:
                obj = terms[o] = literal(o) if isinstance(o, Lit) else iri(o)
            if s == subject:
                if p == predicate:
                    append(" , " + obj)
                    continue
                pred = predicates.get(p) or predicates.setdefault(p, iri(p))
                append(f" ;\n\t{pred} {obj}")
            else:
                subj = terms.get(s) or terms.setdefault(s, iri(s))
                pred = predicates.get(p) or predicates.setdefault(p, iri(p))
                append(f" .\n{subj} {pred} {obj}" if subject is not None else f"{subj} {pred} {obj}")
                subject = s
            predicate = p
        append(" .\n")
        return "".join(out).encode("utf-8")

    def _iri(self, value: str) -> str:
        known = self._prefixed.get(value)
        if known is not None:
            return known
        if value.startswith("_:"):
            raise _Unplain(value)
        for name, namespace in self.prefixes:
            if value.startswith(namespace):
                local = value[len(namespace):]
                if local and not _PLAIN_LOCAL.match(local):
                    raise _Unplain(value)  # escaped, or written in full: pyoxigraph decides
                text = self._prefixed[value] = f"{name}:{local}"
                return text
        return f"<{value}>"

    def _literal(self, term: Lit) -> str:
        quoted = '"' + term.value.translate(_QUOTED) + '"'
        if term.lang:
            if not _PLAIN_LANG.match(term.lang):
                raise _Unplain(term.lang)
            return quoted + "@" + term.lang.lower()
        datatype = term.datatype
        if not datatype or datatype == XSD + "string":
            return quoted
        bare = _BARE.get(datatype)
        if bare is not None and bare.match(term.value):
            return term.value
        return quoted + "^^" + self._iri(datatype)
