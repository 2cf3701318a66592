"""Writing graphs to files: deterministic serializations, written atomically.

Every file is written to a temporary name in its folder and renamed into place, and only
after every serialization succeeded, so a failed or killed build leaves the previous
outputs as they were.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

FORMATS = {"turtle": ".ttl", "nt": ".nt", "jsonld": ".jsonld", "trig": ".trig"}  # name -> file suffix


def jsonld(graph) -> bytes:
    """``graph`` (an rdflib Graph) as JSON-LD with nodes in a stable order."""
    import json

    data = json.loads(graph.serialize(format="json-ld", auto_compact=False))
    return (json.dumps(_sorted_jsonld(data), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def ntriples(turtle: bytes) -> bytes:
    """Sorted N-Triples of a Turtle document: one triple per line, whatever its literals hold."""
    import pyoxigraph as ox

    text = ox.serialize(ox.parse(turtle, format=ox.RdfFormat.TURTLE), format=ox.RdfFormat.N_TRIPLES)
    # Split on LF only (str.splitlines() also breaks at U+2028, U+0085, … inside literals), and
    # write those characters as \uXXXX, so line-oriented tools see one triple a line.
    lines = sorted({line.translate(_LINE_BREAKS) for line in text.decode("utf-8").split("\n") if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8")


# Characters other than LF and CR that str.splitlines() and others treat as line breaks.
_LINE_BREAKS = {ord(ch): f"\\u{ord(ch):04X}" for ch in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"}


# Turtle and TriG: each plan's triples, sorted, go through pyoxigraph's Turtle writer. Sorted
# input gives the same bytes on every run, and the Rust writer takes seconds where rdflib's
# takes minutes at a million triples.
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
    umask = os.umask(0)
    os.umask(umask)
    try:
        for path, content in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((temp, path))
            # mkstemp makes the file private (0600); the outputs are for sharing, so give them
            # the mode an ordinary open() would.
            os.chmod(temp, 0o666 & ~umask)
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
