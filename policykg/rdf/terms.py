"""RDF terms as plain Python values, cheap enough for a million triples.

The mapping writes triples of these values; they become N-Triples lines (for pyoxigraph, which
parses, stores and writes them), or rdflib terms for small in-process graphs. rdflib's own
``Graph.add`` and ``Literal`` cost several microseconds each, which is a minute at corpus scale.

- an IRI is a ``str``;
- a literal is a :class:`Lit`: lexical form, datatype IRI (``None`` for a plain string) and
  language tag.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import NamedTuple, Union

from ..vocab import XSD


class Lit(NamedTuple):
    value: str
    datatype: str | None = None  # None: xsd:string (or rdf:langString with a language)
    lang: str | None = None


Term = Union[str, Lit]
Triple = tuple[str, str, Term]


def lit(value) -> Lit:
    """A literal from a Python value, typed the way rdflib types it."""
    if isinstance(value, Lit):
        return value
    if isinstance(value, bool):
        return Lit("true" if value else "false", XSD + "boolean")
    if isinstance(value, int):
        return Lit(str(value), XSD + "integer")
    if isinstance(value, Decimal):
        return Lit(str(value), XSD + "decimal")
    if isinstance(value, date):
        return Lit(value.isoformat(), XSD + "date")
    return Lit(str(value))


def zh(text: str) -> Lit:
    return Lit(text, None, "zh")


def en(text: str) -> Lit:
    return Lit(text, None, "en")


_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f]')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def check_namespace(namespace: str) -> str:
    """``namespace`` if it can start every data IRI: absolute, ending in ``/`` or ``#``, and free
    of the characters an IRI cannot hold; else :class:`~policykg.errors.InputError`."""
    from ..errors import InputError

    bad = _IRI_FORBIDDEN.search(namespace)
    if not _SCHEME.match(namespace) or bad or not namespace.endswith(("/", "#")):
        why = (f"it holds {bad.group(0)!r}" if bad else "it has no scheme (such as https:)"
               if not _SCHEME.match(namespace) else "it does not end in / or #")
        raise InputError(f"--namespace {namespace!r} is not an IRI data IRIs can start with: {why}; "
                         "for example https://example.org/policykg/id/")
    return namespace


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def nt_term(term: Term) -> str:
    """``term`` in N-Triples syntax (UTF-8 text kept as is)."""
    if isinstance(term, Lit):
        text = '"' + term.value.translate(_ESCAPES) + '"'
        if term.lang:
            return f"{text}@{term.lang}"
        if term.datatype and term.datatype != XSD + "string":
            return f"{text}^^<{term.datatype}>"
        return text
    if term.startswith("_:"):
        return term
    return f"<{term}>"


def nt_line(triple: Triple) -> str:
    s, p, o = triple
    return f"{nt_term(s)} <{p}> {nt_term(o)} ."


def nt_lines(triples) -> dict[Triple, str]:
    """``{triple: nt_line(triple)}`` for ``triples``, each distinct term written once (a plan
    names its nodes many times)."""
    written: dict[Term, str] = {}

    def term(t: Term) -> str:
        text = written.get(t)
        if text is None:
            text = written[t] = nt_term(t)
        return text

    return {t: f"{term(t[0])} <{t[1]}> {term(t[2])} ." for t in triples}


def to_rdflib(term: Term):
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, Lit):
        if term.lang:
            return Literal(term.value, lang=term.lang)
        return Literal(term.value, datatype=term.datatype) if term.datatype else Literal(term.value)
    if term.startswith("_:"):
        return BNode(term[2:])
    return URIRef(term)

