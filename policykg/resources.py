"""Where the data that ships with policykg lives: the ontology, the SHACL shapes, the unit registries
and the SPARQL query catalog.

In the repository they are the top-level ``ontology/`` and ``queries/`` folders; the wheel carries the
same folders inside the package (``policykg.ontology``, ``policykg.queries``), so they are found
through :mod:`importlib.resources` wherever policykg is installed.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _folder(package: str) -> Path:
    # installed from a wheel or as an editable checkout, the data is a folder on disk
    return Path(str(files(package)))


ONTOLOGY_DIR = _folder("policykg.ontology")
ONTOLOGY_FILE = ONTOLOGY_DIR / "policykg.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
REGISTRY_DIR = ONTOLOGY_DIR / "registry"
QUERIES_DIR = _folder("policykg.queries")
SPARQL_ASSETS_DIR = _folder("policykg.sparql") / "assets"  # the query page `policykg serve` shows
