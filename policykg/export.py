"""Writing graphs to files: deterministic serializations, written atomically.

Every file is written to a temporary name in its folder and renamed into place, and only
after every serialization succeeded, so a failed or killed build leaves the previous
outputs as they were.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

FORMATS = {  # name -> (file suffix, rdflib format)
    "turtle": (".ttl", "turtle"),
    "nt": (".nt", "nt"),
    "jsonld": (".jsonld", "json-ld"),
    "trig": (".trig", "trig"),
}


def serialize(graph, fmt: str) -> bytes:
    """``graph`` in ``fmt``, the same bytes for the same triples on every run.

    TriG takes a Dataset; the other formats take the union Graph.
    """
    from rdflib import Dataset, Graph

    suffix, rdflib_format = FORMATS[fmt]
    if fmt == "nt":
        text = graph.serialize(format="nt")
        # split on LF only: str.splitlines() also breaks at U+2028, U+0085, … inside literals
        lines = sorted(line for line in text.split("\n") if line.strip())
        # and write those characters as \uXXXX, so line-oriented tools see one triple a line
        lines = [line.translate(_LINE_BREAKS) for line in lines]
        return ("\n".join(lines) + "\n").encode("utf-8")
    if fmt == "jsonld":
        import json

        data = json.loads(graph.serialize(format="json-ld", auto_compact=False))
        return (json.dumps(_sorted_jsonld(data), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
    if fmt == "trig":
        if not isinstance(graph, Dataset):
            raise ValueError("TriG is written from a Dataset (one named graph per plan)")
        return _trig(graph).encode("utf-8")
    return graph.serialize(format=rdflib_format).encode("utf-8")


# Characters other than LF and CR that str.splitlines() and others treat as line breaks.
_LINE_BREAKS = {ord(ch): f"\\u{ord(ch):04X}" for ch in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"}


def _trig(dataset) -> str:
    """TriG with the default graph first and named graphs in IRI order.

    rdflib's TriG writer lists graphs in store order, which changes with the hash seed; each
    graph is written with the (deterministic) Turtle writer instead.
    """
    from rdflib import Graph

    prefixes: set[str] = set()
    blocks: list[str] = []
    graphs = sorted(dataset.graphs(), key=lambda g: (g.identifier != dataset.default_graph.identifier,
                                                     str(g.identifier)))
    for named in graphs:
        if not len(named):
            continue
        plain = Graph()
        for prefix, namespace in dataset.namespaces():
            plain.bind(prefix, namespace, override=True, replace=True)
        for triple in named:
            plain.add(triple)
        # The @prefix lines come first; the triples after them are kept verbatim: a literal may
        # hold LF (rdflib writes long strings raw) or U+2028 (which str.splitlines() splits at),
        # so re-indenting or dropping lines there would change data.
        lines = plain.serialize(format="turtle").split("\n")
        while lines and (lines[0].startswith("@prefix") or not lines[0].strip()):
            if lines[0].strip():
                prefixes.add(lines[0])
            lines.pop(0)
        body = "\n".join(lines).rstrip("\n")
        name = "" if named.identifier == dataset.default_graph.identifier else f"<{named.identifier}> "
        blocks.append(name + "{\n" + body + "\n}\n")
    return "\n".join(sorted(prefixes)) + "\n\n" + "\n".join(blocks)


def _sorted_jsonld(data):
    """JSON-LD with nodes and value lists in a stable order (rdflib follows set order)."""
    if isinstance(data, list):
        items = [_sorted_jsonld(item) for item in data]
        import json

        return sorted(items, key=lambda item: json.dumps(item, ensure_ascii=False, sort_keys=True))
    if isinstance(data, dict):
        return {key: _sorted_jsonld(value) for key, value in data.items()}
    return data


def write_atomically(files: dict[Path, bytes]) -> None:
    """Write every ``path: content`` or, if any write fails, none of them."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, content in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            staged.append((temp, path))
        for temp, path in staged:
            os.replace(temp, path)
    finally:
        for temp, _ in staged:
            if os.path.exists(temp):
                os.unlink(temp)
