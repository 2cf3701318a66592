"""The prefixes a question may use without declaring them.

A query that writes ``pkg:Measure`` without ``PREFIX pkg:`` fails on Oxigraph with a page of
expected characters, while rdflib knows the prefix. Both engines get the same text instead: the
prefixes of the graph files (pkg, dcterms, skos, org, prov, time, xsd, owl, rdf, rdfs) that the query
uses and does not declare are declared in front of it, on its first line so that positions in
error messages stay on their lines.
"""

from __future__ import annotations

import re

from ..vocab import PREFIXES

_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)


def declare_known_prefixes(text: str, code: str) -> str:
    """``text`` with the known prefixes it uses but does not declare declared in front of it.

    ``code`` is ``text`` with its strings and IRIs blanked, so that 县公安局 "pkg:" in a string or
    <http://x/pkg:y> in an IRI is not taken for a use."""
    declared = {m.group(1) or "" for m in _DECLARED.finditer(code)}
    used = [name for name in PREFIXES
            if name not in declared and re.search(rf"(?<![\w:.-]){re.escape(name)}:", code)]
    if not used:
        return text
    return "".join(f"PREFIX {name}: <{PREFIXES[name]}> " for name in used) + text
