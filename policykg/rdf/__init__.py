"""From the document model to a validated RDF graph: registry, reconciliation, mapping, shapes, export, the build."""
