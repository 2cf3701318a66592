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


_HEADER_ITEM = re.compile(r"PREFIX ([A-Za-z][\w.-]*): <([^<>]*)> ")


def generated_header_length(text: str) -> int:
    """How many characters at the start of ``text`` :func:`declare_known_prefixes` put there
    (0 when it added nothing), so that error positions can be given in the user's text.

    The header is taken off one declaration at a time and kept only if declaring the known
    prefixes of what is left gives ``text`` back."""
    ends, i = [], 0
    while (m := _HEADER_ITEM.match(text, i)) and str(PREFIXES.get(m.group(1))) == m.group(2):
        i = m.end()
        ends.append(i)
    from .safety import without_literals

    for end in reversed(ends):
        rest = text[end:]
        if declare_known_prefixes(rest, without_literals(rest)) == text:
            return end
    return 0
