"""Loading the store while the plans are still being built.

The store's bulk loader and the plans' workers both want the CPU, and the loader alone keeps
about one core busy: run after the plans, it added its whole time to the build's. Here it runs
in a thread from the start, fed through a pipe with the Turtle the union file will hold — the
prefixes and vocabulary first, each plan's own triples as its worker hands them in, the nodes the
plans share at the end — so its work fills the cores the workers leave. The pieces come in
another order than the file's, which changes nothing in the store (a set of triples).

The pipe is fed by a second thread that follows the plans' fragments in their temporary file
(:class:`~policykg.rdf.assemble.Fragments`): when the loader falls behind, the fragments wait on
disk, not in memory. The store is made in a folder beside the outputs named like a build's
temporary folder and holding a ``readers.lock`` this build keeps locked: another build leaves it
alone, and removes it once this one is gone (killed before the end).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path

from ..errors import PolicyKGError
from .export import READERS_LOCK, TEMP_MARK
from .store import DB_DIR, STORE_DIR

try:
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None


class StoreLoader:
    """The store of a build, bulk-loaded in a thread from Turtle pieces as they come.

    >>> loader = StoreLoader(out, prelude)          # doctest: +SKIP
    >>> loader.follow(fragments)                    # each plan's own Turtle, as it is added
    >>> loader.start_finishing(shared)              # the nodes plans share; the rest in a thread
    >>> db = loader.finish()                        # the database folder, complete and closed
    """

    def __init__(self, out: str | Path, prelude: bytes, near: str | Path) -> None:
        import pyoxigraph as ox

        # in ``near``, the output's folder or the nearest one that exists (nothing is made for a
        # build that may yet be refused); named as clear_stale() finds it beside the outputs
        out = Path(os.path.abspath(out))
        self.folder = Path(tempfile.mkdtemp(prefix=f".{out.name}{TEMP_MARK}{os.getpid()}-", suffix=".tmp",
                                            dir=near))
        self._lock = None
        self._error: BaseException | None = None
        self._fragments = None
        self._feeder: threading.Thread | None = None
        self._stop = False
        self._pipe: int | None = None
        self._loader: threading.Thread | None = None
        self._finisher: threading.Thread | None = None
        try:
            (self.folder / STORE_DIR).mkdir()
            lock = self.folder / STORE_DIR / READERS_LOCK
            lock.write_bytes(b"")
            if fcntl is not None:
                self._lock = os.open(lock, os.O_RDONLY)
                fcntl.flock(self._lock, fcntl.LOCK_SH)
            self.db = self.folder / STORE_DIR / DB_DIR
            self._store = ox.Store(str(self.db))
            read_end, self._pipe = os.pipe()
            # The loader opens the pipe's read end by path: it reads it in Rust, without the GIL.
            self._loader = threading.Thread(target=self._load, args=(read_end,), daemon=True)
            self._loader.start()
            self._write(prelude)
        except BaseException:
            self.abort()
            raise

    def _load(self, read_end: int) -> None:
        import pyoxigraph as ox

        try:
            # lenient: the pieces come from pyoxigraph's own Turtle writer (5% less CPU)
            self._store.bulk_load(path=f"/proc/self/fd/{read_end}", format=ox.RdfFormat.TURTLE, lenient=True)
        except BaseException as err:  # reported by finish()
            self._error = err
        finally:
            os.close(read_end)

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            try:
                written = os.write(self._pipe, view)
            except BrokenPipeError:  # the loader stopped: finish() says why
                self._stop = True
                return
            view = view[written:]

    def follow(self, fragments) -> None:
        """Feed the loader each plan's own Turtle as ``fragments`` (a Fragments) receives it."""
        self._fragments = fragments
        self._feeder = threading.Thread(target=self._feed, daemon=True)
        self._feeder.start()

    def _feed(self) -> None:
        try:
            for own in self._fragments.follow_own():
                if self._stop:
                    return
                self._write(own)
        except BaseException as err:
            self._error = self._error or err

    def finish(self) -> Path:
        """Wait for what :meth:`start_finishing` began; the database folder, complete and closed
        (inside :attr:`folder`, which :meth:`abort` removes once the caller moved it)."""
        if self._finisher is None:
            raise RuntimeError("StoreLoader.finish() before start_finishing()")
        self._finisher.join()
        if self._error is not None:
            raise PolicyKGError(f"the store could not be loaded: {self._error}")
        return self.db

    def start_finishing(self, shared: bytes) -> None:
        """Feed the shared nodes' Turtle, then let the loader end and compact the store in a thread
        (tens of seconds at 10,000 plans, while the graph files are written); finish() waits."""
        if self._finisher is None:
            self._finisher = threading.Thread(target=self._finish, args=(shared,), daemon=True)
            self._finisher.start()

    def _finish(self, shared: bytes) -> None:
        try:
            if self._feeder is not None:
                self._fragments.stop_following()
                self._feeder.join()
            self._write(shared)
            self._close_pipe()
            self._loader.join()
            if self._error is not None:
                return
            # The loader leaves one sorted file per million triples, each overlapping the others, and
            # every look-up of a term's text searched all of them: compacted, the aggregates over
            # 10,000 plans ran 24 → 2.6 s (plans-per-jurisdiction), for 21 s of compaction.
            self._store.optimize()
            self._store.flush()
            self._store = None  # closes the database: its files are complete
        except BaseException as err:
            self._error = self._error or err

    def _close_pipe(self) -> None:
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None

    def abort(self) -> None:
        """Stop loading and remove the folder (what finish() returned included, if not moved)."""
        self._stop = True
        if self._finisher is not None:  # it closes the pipe; the compaction cannot be stopped
            self._finisher.join()
        if self._fragments is not None:
            self._fragments.stop_following()
        if self._feeder is not None:  # before the pipe closes: the loader drains what it writes
            self._feeder.join()
        self._close_pipe()
        if self._loader is not None:
            self._loader.join()
        self._store = None
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None
        shutil.rmtree(self.folder, ignore_errors=True)
