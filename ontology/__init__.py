"""The policykg ontology, SHACL shapes and unit registries, as package data (read through policykg.resources)."""
