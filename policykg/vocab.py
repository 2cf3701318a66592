"""The vocabularies policykg writes and reads, defined once.

IRIs are plain strings: ``PKG.Plan`` is ``"https://w3id.org/policykg/ns#Plan"``, ``XSD + "integer"``
the datatype's IRI, and ``str(PKG)`` the namespace itself.
"""

from __future__ import annotations


class Namespace:
    """A namespace IRI whose attributes and items are the IRIs of its terms."""

    def __init__(self, base: str):
        self.base = base

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        iri = self.__dict__[name] = self.base + name  # kept: the next look-up does not come here
        return iri

    def __getitem__(self, name: str) -> str:
        return self.base + name

    def __add__(self, name: str) -> str:
        return self.base + name

    def __str__(self) -> str:
        return self.base

    def __repr__(self) -> str:
        return f"Namespace({self.base!r})"


PKG = Namespace("https://w3id.org/policykg/ns#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
SH = Namespace("http://www.w3.org/ns/shacl#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
TIME = Namespace("http://www.w3.org/2006/time#")
VANN = Namespace("http://purl.org/vocab/vann/")

XSD_STRING = XSD.string
RDF_LANGSTRING = RDF.langString

# The prefixes the graph files declare, in the order they are written.
PREFIXES = {"pkg": PKG, "dcterms": DCTERMS, "skos": SKOS, "org": ORG, "prov": PROV, "time": TIME,
            "xsd": XSD, "owl": OWL, "rdf": RDF, "rdfs": RDFS}

# The policykg ontology's own IRI (the graph files import it).
ONTOLOGY_IRI = "https://w3id.org/policykg/ns"
