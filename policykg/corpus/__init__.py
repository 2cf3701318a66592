"""Corpora for scale: a deterministic synthetic corpus and the benchmark that builds and queries it."""
