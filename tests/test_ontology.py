"""The graph opens in OWL tools with the ontology: it declares itself, imports the ontology, and every
term it uses from another vocabulary is declared there with its kind."""

from __future__ import annotations

from conftest import ROOT
from rdflib import OWL, RDF, Graph, Literal, Namespace, URIRef

VANN = Namespace("http://purl.org/vocab/vann/")
DCTERMS = Namespace("http://purl.org/dc/terms/")
ONTOLOGY = URIRef("https://w3id.org/policykg/ns")
PKG = "https://w3id.org/policykg/ns#"
BUILT_IN = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#",
            "http://www.w3.org/2002/07/owl#", "http://www.w3.org/2001/XMLSchema#")
KINDS = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}


def _ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "policykg.ttl")


def test_the_ontology_says_its_version_license_and_prefix():
    g = _ontology()
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in g
    assert g.value(ONTOLOGY, OWL.versionIRI) is not None
    assert str(g.value(ONTOLOGY, DCTERMS.license)).startswith("https://www.apache.org/licenses/")
    assert g.value(ONTOLOGY, VANN.preferredNamespacePrefix) == Literal("pkg")
    assert g.value(ONTOLOGY, VANN.preferredNamespaceUri) == Literal(PKG)


def test_the_graph_declares_itself_and_imports_the_ontology(built):
    g = built.graph
    headers = list(g.subjects(RDF.type, OWL.Ontology))
    assert len(headers) == 1
    assert (headers[0], OWL.imports, ONTOLOGY) in g


def test_every_reused_term_is_declared_with_its_kind(built):
    onto = _ontology()
    data = built.graph
    used_properties = {p for p in data.predicates() if not str(p).startswith((PKG, *BUILT_IN))}
    used_properties |= {p for p in onto.predicates() if not str(p).startswith((PKG, *BUILT_IN))}
    assert used_properties, "the graph uses no reused property?"
    undeclared = sorted(str(p) for p in used_properties if not KINDS & set(onto.objects(p, RDF.type)))
    assert undeclared == []
    used_classes = {o for o in data.objects(None, RDF.type) if not str(o).startswith((PKG, *BUILT_IN))}
    used_classes |= {o for o in onto.objects(None, URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"))
                     if not str(o).startswith((PKG, *BUILT_IN))}
    undeclared = sorted(str(c) for c in used_classes if (c, RDF.type, OWL.Class) not in onto)
    assert undeclared == []
