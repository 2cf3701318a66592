"""The union Turtle and the TriG of a corpus, joined from the plans' fragments kept on disk.

Each plan comes from its worker as two Turtle fragments: what only the plan says (subjects under
its IRI) and what it says about nodes plans may share (units, the jurisdiction).
:class:`Fragments` appends them to an anonymous temporary file as they arrive and keeps only
where each one is, so the build's memory does not grow with the corpus. :class:`Union` then
yields the files piece by piece in plan-IRI order — the same bytes as joining the pieces in
memory — for a writer to stream to disk.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .export import named_graph


@dataclass(frozen=True)
class _Entry:
    iri: str
    own: tuple[int, int]  # offset, length in the temporary file
    shared: tuple[int, int]


class Fragments:
    """The plans' Turtle fragments in a temporary file (deleted when closed or at exit)."""

    def __init__(self, folder: str | Path | None = None) -> None:
        try:
            self._file = tempfile.TemporaryFile(dir=folder, prefix=".policykg-fragments-")
        except OSError:  # not a folder files can be made in: the output's own error comes when it is written
            self._file = tempfile.TemporaryFile(prefix="policykg-fragments-")
        self._end = 0
        self._entries: list[_Entry] = []
        self._added = threading.Condition()
        self._following = True

    def add(self, iri: str, own: bytes, shared: bytes) -> None:
        fd = self._file.fileno()  # written and read by offset, unbuffered: another thread follows it
        os.pwrite(fd, own, self._end)
        os.pwrite(fd, shared, self._end + len(own))
        with self._added:
            self._entries.append(_Entry(iri, (self._end, len(own)), (self._end + len(own), len(shared))))
            self._added.notify_all()
        self._end += len(own) + len(shared)

    def follow_own(self) -> Iterator[bytes]:
        """Each plan's own Turtle in the order added, waiting for the next until
        :meth:`stop_following` (for another thread: the store's loader)."""
        fd, done = self._file.fileno(), 0
        while True:
            with self._added:
                while done == len(self._entries) and self._following:
                    self._added.wait()
                if done == len(self._entries):
                    return
                entry = self._entries[done]
            done += 1
            yield os.pread(fd, entry.own[1], entry.own[0])

    def stop_following(self) -> None:
        """No more plans: :meth:`follow_own` ends once it has given those added."""
        with self._added:
            self._following = False
            self._added.notify_all()

    def __len__(self) -> int:
        return len(self._entries)

    def in_order(self) -> Iterator[tuple[str, bytes, bytes]]:
        """``(iri, own, shared)`` of every plan, by plan IRI."""
        fd = self._file.fileno()
        for entry in sorted(self._entries, key=lambda e: e.iri):
            yield entry.iri, os.pread(fd, entry.own[1], entry.own[0]), os.pread(fd, entry.shared[1], entry.shared[0])

    def close(self) -> None:
        self._file.close()


@dataclass
class Union:
    """A corpus's graph as the build writes it: the union Turtle and the TriG."""

    header: bytes  # the @prefix lines
    vocabulary: bytes  # Turtle of the ontology terms the graph describes (the TriG's default graph)
    fragments: Fragments
    shared: bytes  # Turtle of the nodes plans share, each triple once
    _turtle: bytes | None = field(default=None, repr=False)

    def turtle_pieces(self) -> Iterator[bytes]:
        """The Turtle: every plan's own triples, by plan IRI, then the shared nodes."""
        yield self.header
        yield self.vocabulary
        for _iri, own, _shared in self.fragments.in_order():
            yield own
        yield self.shared

    def trig_pieces(self) -> Iterator[bytes]:
        """The TriG: the vocabulary in the default graph, then each plan's graph by plan IRI."""
        for _iri, piece in self.trig_graphs():
            yield piece

    def trig_graphs(self) -> Iterator[tuple[str | None, bytes]]:
        """The TriG's pieces with the plan whose graph each is (None: the prefixes, the vocabulary)."""
        yield None, self.header
        yield None, self.vocabulary
        for iri, own, shared in self.fragments.in_order():
            yield iri, named_graph(iri, [own, shared])

    def turtle(self) -> bytes:
        """The whole Turtle in memory (for the formats made from it: N-Triples, JSON-LD)."""
        if self._turtle is None:
            self._turtle = b"".join(self.turtle_pieces())
        return self._turtle
