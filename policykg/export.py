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
        lines = sorted(line for line in text.splitlines() if line.strip())
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
        body = []
        for line in plain.serialize(format="turtle").splitlines():
            if line.startswith("@prefix"):
                prefixes.add(line)
            elif line.strip():
                body.append("    " + line)
            elif body and body[-1]:
                body.append("")
        while body and not body[-1]:
            body.pop()
        name = "" if named.identifier == dataset.default_graph.identifier else f"<{named.identifier}> "
        blocks.append(name + "{\n" + "\n".join(body) + "\n}\n")
    return "\n".join(sorted(prefixes)) + "\n\n" + "\n".join(blocks)


# --------------------------------------------------------------------------- corpus scale
#
# A corpus build holds each plan's graph as sorted N-Triples lines and has pyoxigraph parse and
# write them: sorted input gives the same bytes on every run, and the Rust writer takes
# seconds where rdflib's takes minutes at a million triples.


def turtle_fragment(nt_lines: list[str], prefixes: dict[str, str]) -> bytes:
    """Turtle statements (no ``@prefix`` lines) for ``nt_lines``, in their order.

    Fragments of graphs with no subject in common concatenate, under one prefix header, into
    the Turtle of their union: plans are written in parallel this way and joined.
    """
    import pyoxigraph as ox

    if not nt_lines:
        return b""
    data = "\n".join(nt_lines).encode("utf-8")
    text = ox.serialize(ox.parse(data, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE,
                        prefixes=prefixes)
    lines = text.split(b"\n")
    skip = 0
    while skip < len(lines) and lines[skip].startswith(b"@prefix "):
        skip += 1
    body = b"\n".join(lines[skip:])
    return body if body.endswith(b"\n") else body + b"\n"


def prefix_header(prefixes: dict[str, str]) -> bytes:
    return "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in sorted(prefixes.items())).encode("utf-8")


def named_graph(name: str, fragments: list[bytes]) -> bytes:
    """A TriG block holding the Turtle ``fragments`` as graph ``name``."""
    body = b"".join(fragments).rstrip(b"\n")
    return b"<" + name.encode("utf-8") + b"> {\n\t" + body.replace(b"\n", b"\n\t") + b"\n}\n"


def _sorted_jsonld(data):
    """JSON-LD with nodes and value lists in a stable order (rdflib follows set order)."""
    if isinstance(data, list):
        items = [_sorted_jsonld(item) for item in data]
        import json

        return sorted(items, key=lambda item: json.dumps(item, ensure_ascii=False, sort_keys=True))
    if isinstance(data, dict):
        return {key: _sorted_jsonld(value) for key, value in data.items()}
    return data


def write_atomically(files: dict) -> None:
    """Write every ``path: content`` or, if any write fails, none of them.

    ``content`` is bytes, or a function that writes the file at the path it is given (so a
    large serialization streams to disk instead of being held in memory).
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, content in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((temp, path))
            if callable(content):
                os.close(fd)
                content(temp)
                fd = os.open(temp, os.O_RDONLY)
                os.fsync(fd)
                os.close(fd)
                continue
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
        for temp, path in staged:
            os.replace(temp, path)
    finally:
        for temp, _ in staged:
            if os.path.exists(temp):
                os.unlink(temp)
