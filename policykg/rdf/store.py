"""The Oxigraph store a build writes beside its graph files, and opening it to read.

A corpus's Turtle takes seconds to parse at every question; the store is the same graph already
indexed on disk, opened in milliseconds. ``<out>/store/`` holds:

- ``db/``: the RocksDB store, filled by pyoxigraph's bulk loader with the Turtle: every plan's
  triples, each once, in the default graph, so a question about every plan runs on it as on the
  files;
- ``plans.json``: where each plan's named graph is in the TriG beside the store (offset and
  length). A question about one plan reads that graph alone from the TriG into memory (a few
  milliseconds) rather than the store holding every triple a second time in a named graph: the
  loader writes six indexes for a quad in a named graph against three for a triple in the default
  graph, so the named graphs were two thirds of its time;
- ``manifest.json``, written last: the size, modification time and SHA-256 of each graph file the
  build wrote beside the store. A reader uses the store only when the files it would read are
  those (same size and time); otherwise it reads the files;
- ``readers.lock``: a reader holds a shared lock on it while the store is open; a build that
  replaced the outputs deletes the previous ones only when nobody holds it (see
  :func:`policykg.rdf.export.in_use`), so an open store is never deleted under its reader;
- ``.gitignore``: the store is derived, never committed.

The store is written inside the build's fresh folder and switched in with the rest of the
outputs (:func:`policykg.rdf.export.write_folder`). A reader opens everything through a
descriptor of the output folder it found (``/proc/self/fd/N``), so a build that swaps the folder
while the reader works changes nothing it sees: the old files and store, or the new, never a mix.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from .export import READERS_LOCK

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX: the files are read instead
    fcntl = None

STORE_DIR = "store"
DB_DIR = "db"
MANIFEST = "manifest.json"
PLANS = "plans.json"
LAYOUT = 2  # changes when the store's graphs are arranged differently


@dataclass
class TrigIndex:
    """Where the parts of a TriG file are: the prefixes and the vocabulary (the default graph) in
    its first ``prelude`` bytes, then each plan's graph at ``plans[iri] = (offset, length)``."""

    file: str  # the TriG's name, beside the store
    prelude: int = 0
    plans: dict[str, tuple[int, int]] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"file": self.file, "prelude": self.prelude,
                "plans": {iri: list(span) for iri, span in sorted(self.plans.items())}}


def write_store(target: str | Path, db: str | Path, files: dict[str, str], trig: TrigIndex | None = None) -> None:
    """Make the store of a build in the new folder ``target`` from the database ``db`` (loaded
    and closed, on the same file system: it is moved).

    ``files`` maps the names of the graph files written beside ``target`` to their SHA-256 (for
    the manifest); ``trig`` says where the plans' graphs are in the TriG written beside it, if
    one was.
    """
    import pyoxigraph as ox

    target = Path(target)
    target.mkdir()
    shutil.move(db, target / DB_DIR)  # a rename, unless the loader's folder is on another file system
    (target / READERS_LOCK).write_bytes(b"")
    (target / ".gitignore").write_text("# derived from the graph files by policykg build\n*\n")
    if trig is not None:
        (target / PLANS).write_text(json.dumps(trig.to_json(), ensure_ascii=False) + "\n", encoding="utf-8")
    manifest = {
        "policykg_store": LAYOUT,
        "pyoxigraph": ox.__version__,
        "files": {name: {**_stamp(target.parent / name), "sha256": digest}
                  for name, digest in sorted(files.items())},
    }
    _sync_tree(target)
    with open(target / MANIFEST, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2, sort_keys=True)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    _sync_dir(target)


def _stamp(path) -> dict:
    info = os.stat(path)
    return {"size": info.st_size, "mtime_ns": info.st_mtime_ns}


def _sync_tree(folder: Path) -> None:
    for root, _dirs, names in os.walk(folder):
        for name in names:
            fd = os.open(os.path.join(root, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _sync_dir(Path(root))


def _sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class OpenStore:
    """A store opened read-only, and the descriptors that keep its build's folder in view."""

    store: object  # pyoxigraph.Store
    folder: Path  # the output folder, as the caller named it
    _fds: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._finalizer = weakref.finalize(self, _close_fds, list(self._fds))
        self._index: TrigIndex | None = None

    @property
    def index(self) -> TrigIndex | None:
        """Where the plans' graphs are in the TriG (read when first asked for); None when the
        build wrote no TriG."""
        if self._index is None:
            try:
                with open(f"{self._base}/{STORE_DIR}/{PLANS}", encoding="utf-8") as handle:
                    data = json.load(handle)
            except FileNotFoundError:
                return None
            self._index = TrigIndex(data["file"], data["prelude"],
                                    {iri: tuple(span) for iri, span in data["plans"].items()})
        return self._index

    @property
    def plans(self) -> list[str]:
        """The plans' IRIs, the names of their graphs in the TriG."""
        return sorted(self.index.plans) if self.index else []

    def plan_graph(self, iri: str) -> bytes:
        """The TriG of plan ``iri``'s graph with the file's prefixes and vocabulary, read from the
        TriG the store was loaded beside (through the folder's descriptor: the same build's)."""
        index = self.index
        offset, length = index.plans[iri]
        fd = os.open(f"{self._base}/{index.file}", os.O_RDONLY)
        try:
            return os.pread(fd, index.prelude, 0) + os.pread(fd, length, offset)
        finally:
            os.close(fd)

    def plans_turtle(self, iris: list[str]) -> bytes:
        """The Turtle of the graphs of plans ``iris`` with the file's prefixes and vocabulary: the
        TriG's blocks without the ``<plan> {`` … ``}`` around them (as :func:`named_graph` writes
        them), so that a store reads them into its default graph, each triple once, as it reads
        the Turtle file. ValueError if a block is not one such graph."""
        index = self.index
        fd = os.open(f"{self._base}/{index.file}", os.O_RDONLY)
        try:
            parts = [os.pread(fd, index.prelude, 0)]
            for iri in iris:
                offset, length = index.plans[iri]
                block = os.pread(fd, length, offset)
                opening = b"<" + iri.encode("utf-8") + b"> {\n"
                if not (block.startswith(opening) and block.endswith(b"\n}\n")):
                    raise ValueError(f"{self.folder / index.file}: bytes {offset}-{offset + length} "
                                     f"are not the graph of {iri} ({STORE_DIR}/{PLANS} does not match the file)")
                parts.append(block[len(opening):-2])
            return b"".join(parts)
        finally:
            os.close(fd)

    @property
    def _base(self) -> str:
        return _through(self._fds[0], self.folder)

    @property
    def location(self) -> str:
        """The database folder, through the descriptor (for a process that inherits it)."""
        return f"{self._base}/{STORE_DIR}/{DB_DIR}"

    @property
    def folder_fd(self) -> int:
        return self._fds[0]

    def close(self) -> None:
        self.store = None
        self._finalizer()


def _close_fds(fds: list[int]) -> None:
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass


def _through(fd: int, folder: Path) -> str:
    """A path to ``folder`` that stays the same folder whatever is renamed: its descriptor."""
    proc = f"/proc/self/fd/{fd}"
    return proc if os.path.isdir(proc) else str(folder)


def open_store(files: list[Path]) -> tuple[OpenStore | None, str | None]:
    """The store beside ``files`` when it was loaded from exactly those files, else ``(None,
    why)``; ``why`` is None when the files have no store beside them at all."""
    folders = {Path(os.path.abspath(f)).parent for f in files}
    if len(folders) != 1 or fcntl is None:
        return None, None
    folder = folders.pop()
    for _ in range(3):  # a build may delete the folder just found: look again
        opened, why, retry = _try_open(folder, files)
        if not retry:
            return opened, why
    return None, f"{folder}/{STORE_DIR}: replaced while being opened"


def _try_open(folder: Path, files: list[Path]):
    import pyoxigraph as ox

    try:
        folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as err:
        return None, f"{folder}: {err.strerror}", False
    fds = [folder_fd]
    base = _through(folder_fd, folder)
    shown = f"{folder}/{STORE_DIR}"
    try:
        try:
            lock = os.open(f"{base}/{STORE_DIR}/{READERS_LOCK}", os.O_RDONLY)
        except FileNotFoundError:
            return None, None, _deleted(folder_fd)
        fds.append(lock)
        fcntl.flock(lock, fcntl.LOCK_SH)
        try:
            with open(f"{base}/{STORE_DIR}/{MANIFEST}", encoding="utf-8") as handle:
                manifest = json.load(handle)
        except FileNotFoundError:
            if _deleted(folder_fd):
                return None, None, True
            return None, f"{shown} is incomplete (no {MANIFEST}): a build was stopped while writing it", False
        except (OSError, ValueError) as err:
            return None, f"{shown}/{MANIFEST} cannot be read: {err}", False
        if manifest.get("policykg_store") != LAYOUT:
            return None, f"{shown} was written by another version of policykg", False
        listed = manifest.get("files", {})
        for f in files:
            entry = listed.get(f.name)
            try:
                now = _stamp(f"{base}/{f.name}")
            except OSError:
                now = None
            if not entry or now != {"size": entry.get("size"), "mtime_ns": entry.get("mtime_ns")}:
                return None, f"{shown} was not loaded from {f} as it is now (the file changed since the build)", False
        try:
            store = ox.Store.read_only(f"{base}/{STORE_DIR}/{DB_DIR}")
        except OSError as err:
            return None, f"{shown} cannot be opened: {err}", False
        opened = OpenStore(store, folder, fds)
        fds = []  # now the OpenStore's
        return opened, None, False
    finally:
        _close_fds(fds)


def _deleted(folder_fd: int) -> bool:
    return os.fstat(folder_fd).st_nlink == 0


def verify(folder: str | Path) -> list[str]:
    """The graph files listed in the store's manifest whose content (SHA-256) is not what the
    store was loaded from; an empty list when all are."""
    folder = Path(folder)
    manifest = json.loads((folder / STORE_DIR / MANIFEST).read_text(encoding="utf-8"))
    changed = []
    for name, entry in sorted(manifest["files"].items()):
        path = folder / name
        if not path.is_file() or _sha256(path) != entry["sha256"]:
            changed.append(name)
    return changed


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
