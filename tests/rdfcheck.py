"""Reading exports back with pyoxigraph, an independent parser, as rdflib graphs."""

from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

OX_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
              ".jsonld": ox.RdfFormat.JSON_LD, ".trig": ox.RdfFormat.TRIG}


def _term(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def plain_strings(graph: Graph) -> Graph:
    """``graph`` with ``"x"^^xsd:string`` written as ``"x"`` (the same literal in RDF 1.1)."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        out.add((s, p, o))
    return out


def read_with_oxigraph(path: Path) -> Graph:
    """The triples of ``path`` (every graph of a TriG file merged), parsed by pyoxigraph."""
    graph = Graph()
    for quad in ox.parse(path=str(path), format=OX_FORMATS[path.suffix]):
        graph.add((_term(quad.subject), _term(quad.predicate), _term(quad.object)))
    return graph
