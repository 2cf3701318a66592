"""Validating a graph against the SHACL shapes in ``ontology/shapes.ttl``."""

from __future__ import annotations

from pathlib import Path

from .errors import ValidationError

SHAPES_FILE = Path(__file__).resolve().parent.parent / "ontology" / "shapes.ttl"


def validation_report(graph, shapes_file: str | Path = SHAPES_FILE) -> tuple[bool, str]:
    """``(conforms, report text)`` for ``graph`` (an rdflib Graph)."""
    import pyshacl  # slow to import; only the build and `policykg validate` need it
    from rdflib import Graph

    shapes = Graph().parse(shapes_file, format="turtle")
    conforms, _, text = pyshacl.validate(graph, shacl_graph=shapes, inference="none",
                                         advanced=False, allow_warnings=True)
    return bool(conforms), text


def check(graph, shapes_file: str | Path = SHAPES_FILE) -> None:
    """Raise :class:`ValidationError` unless ``graph`` conforms to the shapes."""
    conforms, text = validation_report(graph, shapes_file)
    if not conforms:
        raise ValidationError(text)
