"""policykg: knowledge graphs of Chinese government implementation plans.

The pipeline runs one way: source text -> document model (``parse_plan``) -> RDF graph
(``to_graph``) -> files in ``graph/``, SPARQL queries and network views that read the graph.
"""

__version__ = "0.1.0"
