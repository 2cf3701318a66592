"""policykg: knowledge graphs of Chinese government implementation plans.

The pipeline runs one way, one subpackage a stage::

    text/    source text -> document model         parse_plan
    rdf/     document model -> validated RDF graph  reconcile, to_graph, build
    sparql/  questions to the graph                 load_engine, load_catalog
    views/   network views drawn from the graph     build_views

The names below are the documented entry points; each is imported when first used, so
``import policykg`` (and the command line) stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

# public name -> the module that defines it
_EXPORTS = {
    "parse_plan": "policykg.text.parse",
    "parse_plans": "policykg.text.parse",
    "PlanDocument": "policykg.text.model",
    "load_registry": "policykg.rdf.registry",
    "reconcile": "policykg.rdf.reconcile",
    "PlanInput": "policykg.rdf.mapping",
    "to_graph": "policykg.rdf.mapping",
    "build": "policykg.rdf.build",
    "BuildResult": "policykg.rdf.build",
    "load_engine": "policykg.sparql.engines",
    "load_catalog": "policykg.sparql.catalog",
    "build_views": "policykg.views.pages",
    "PolicyKGError": "policykg.errors",
    "InputError": "policykg.errors",
    "DocumentError": "policykg.errors",
    "RuntimeFailure": "policykg.errors",
}

__all__ = [
    "__version__", "parse_plan", "parse_plans", "PlanDocument", "load_registry", "reconcile", "PlanInput", "to_graph", "build",
    "BuildResult", "load_engine", "load_catalog", "build_views", "PolicyKGError", "InputError", "DocumentError",
    "RuntimeFailure",
]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'policykg' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next lookup does not come here
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # for type checkers and editors; at run time the names load lazily
    from .errors import DocumentError, InputError, PolicyKGError, RuntimeFailure
    from .rdf.build import BuildResult, build
    from .rdf.mapping import PlanInput, to_graph
    from .rdf.reconcile import reconcile
    from .rdf.registry import load_registry
    from .sparql.catalog import load_catalog
    from .sparql.engines import load_engine
    from .text.model import PlanDocument
    from .text.parse import parse_plan
    from .views.pages import build_views
