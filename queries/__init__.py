"""The SPARQL query catalog, as package data (read through policykg.resources)."""
