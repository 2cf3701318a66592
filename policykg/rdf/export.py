"""Writing graphs to files: deterministic serializations, and the outputs of a build switched as one.

:func:`write_folder` writes every output of a build into a fresh hidden folder beside the
output folder, then swaps the two with one ``rename`` (``renameat2(RENAME_EXCHANGE)`` on Linux;
a plain rename when there is no output folder yet). A build that fails or is killed at any
moment leaves the previous outputs, all of them, as they were; readers never see a new
``.ttl`` beside an old ``.trig``. Temporary folders and files a killed build left are removed
by the next build. A folder that cannot be written is an :class:`~policykg.errors.OutputError`.

Previous outputs someone is still reading (a shared lock on a ``readers.lock`` in one of their
folders: the Oxigraph store's readers, see :mod:`policykg.rdf.store`) are left beside the new
ones, under their temporary name, until a later build finds them unread.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path

from ..errors import OutputError

READERS_LOCK = "readers.lock"  # in a subfolder of the outputs: its readers hold a shared lock on it
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


# Turtle and TriG: sorted triples go through pyoxigraph's Turtle writer (each plan's through
# policykg.rdf.turtle, which writes the same bytes in Python, faster for a plan's few term forms).
# Sorted input gives the same bytes on every run, and the Rust writer takes seconds where rdflib's
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
    """Write every ``path: content`` or, if any write fails, none of them (single files, such as
    a report; a build's outputs go through :func:`write_folder`).

    ``content`` is bytes, or a function that writes the file at the path it is given. Each file
    is written to a temporary name beside it and renamed once all are written.
    """
    staged: list[tuple[str, Path]] = []
    umask = os.umask(0)
    os.umask(umask)
    try:
        for path, content in files.items():
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((temp, path))
            os.chmod(temp, 0o666 & ~umask)  # mkstemp's 0600 is not what an ordinary open() gives
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
    except OSError as err:
        raise output_error(Path(err.filename or next(iter(files))).parent, err) from None
    finally:
        for temp, _ in staged:
            if os.path.exists(temp):
                os.unlink(temp)


def write_folder(out, contents: dict) -> list[Path]:
    """Write ``name: content`` into folder ``out``, all switched at once; return the paths."""
    folder, fresh = _stage(Path(out), contents)
    _switch(folder, fresh)
    return sorted(Path(out) / name for name in contents)


# Test hook: called with the name of each step of a write (tests kill the process there).
_after_step = None


def _step(name: str) -> None:
    if _after_step is not None:
        _after_step(name)


TEMP_MARK = ".policykg-"  # in the names of temporary folders: .<out>.policykg-<pid>-<random>.tmp


def _stage(out: Path, contents: dict) -> tuple[Path, Path]:
    """A fresh folder beside ``out`` holding ``contents`` and what else ``out`` holds."""
    out = Path(os.path.abspath(out))
    if out.is_symlink():
        out = out.resolve()
    try:
        if out.exists() and not out.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(out))
        out.parent.mkdir(parents=True, exist_ok=True)
        clear_stale(out)
        fresh = Path(tempfile.mkdtemp(prefix=f".{out.name}{TEMP_MARK}{os.getpid()}-", suffix=".tmp",
                                      dir=out.parent))
    except OSError as err:
        raise output_error(out, err) from None
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(fresh, (out.stat().st_mode & 0o7777) if out.is_dir() else 0o777 & ~umask)
        _step("fresh")
        for name, content in contents.items():
            target = fresh / name
            if callable(content):
                content(str(target))
            else:
                with open(target, "wb") as handle:
                    handle.write(content)
            fd = os.open(target, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            os.chmod(target, (0o777 if target.is_dir() else 0o666) & ~umask)  # a folder: its writer synced it
            _step(f"file:{name}")
        if out.is_dir():  # keep what the build does not write (other formats, a README, ...)
            for entry in out.iterdir():
                if entry.name not in contents and TEMP_MARK not in entry.name:
                    _carry(entry, fresh / entry.name)
        _fsync_dir(fresh)
        _step("staged")
    except OSError as err:
        shutil.rmtree(fresh, ignore_errors=True)
        raise output_error(out, err) from None
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return out, fresh


def _switch(out: Path, fresh: Path) -> None:
    try:
        if out.is_dir():
            _exchange(fresh, out)
            _step("swapped")
            remove_unless_read(fresh)  # now the previous outputs
        else:
            os.rename(fresh, out)
            _step("swapped")
        _fsync_dir(out.parent)
    except OSError as err:
        shutil.rmtree(fresh, ignore_errors=True)
        raise output_error(out, err) from None
    _step("done")


def _exchange(a: Path, b: Path) -> None:
    """Swap two folders in one step (Linux), else with two renames (a short window)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if hasattr(libc, "renameat2"):
            at_fdcwd, rename_exchange = -100, 2
            if libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
                return
            code = ctypes.get_errno()
            if code not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
                raise OSError(code, os.strerror(code), str(b))
    except (OSError, AttributeError) as err:
        if isinstance(err, OSError) and err.errno not in (None, errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
            raise
    aside = a.with_name(a.name + ".old")
    os.rename(b, aside)
    os.rename(a, b)
    os.rename(aside, a)


def _carry(source: Path, target: Path) -> None:
    if source.is_dir() and not source.is_symlink():
        shutil.copytree(source, target, symlinks=True, copy_function=_link_or_copy)
    else:
        _link_or_copy(source, target)


def _link_or_copy(source, target) -> None:
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - not on every system
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def clear_stale(out: Path) -> list[Path]:
    """Remove the temporary folders and files builds that were killed left beside and in ``out``.

    A folder still owned by a running process (the pid in its name), or one whose store a
    reader still has open (:func:`remove_unless_read`), is left alone.
    """
    removed = []
    candidates = list(out.parent.glob(f".{out.name}{TEMP_MARK}*.tmp*"))
    if out.is_dir():  # the files of earlier versions, which wrote into the folder itself
        candidates += [p for p in out.glob(".*.tmp") if p.is_file()]
    for path in candidates:
        pid = path.name.split(TEMP_MARK, 1)[1].split("-", 1)[0] if TEMP_MARK in path.name else ""
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue
        if path.is_dir() and not path.is_symlink():
            if not remove_unless_read(path):
                continue
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def remove_unless_read(folder: Path) -> bool:
    """Delete ``folder`` unless a reader holds a lock on a ``readers.lock`` in one of its
    subfolders; True when it was deleted. The locks are held while it is deleted, so a reader
    that comes late finds it gone rather than half gone."""
    import fcntl

    held = []
    try:
        for lock in sorted(folder.glob(f"*/{READERS_LOCK}")):
            try:
                fd = os.open(lock, os.O_RDONLY)
            except OSError:
                continue
            held.append(fd)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
        shutil.rmtree(folder, ignore_errors=True)
        return True
    finally:
        for fd in held:
            os.close(fd)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def output_error(out: Path, err: OSError) -> OutputError:
    """The one-line error for outputs that cannot be written at ``out`` because of ``err``."""
    where = Path(err.filename) if err.filename else out
    if err.errno in (errno.EEXIST, errno.ENOTDIR):
        reason = "a file, not a folder, is in the way"
        blocker = next((p for p in (out, *out.parents) if p.exists() and not p.is_dir()), None)
        where = blocker or where
    else:
        reason = err.strerror or str(err)
        if TEMP_MARK in where.name:  # the fresh folder beside the outputs could not be made
            where, reason = out.parent, f"cannot create files in the folder: {reason}"
    return OutputError(f"{out}: cannot write the outputs there: {reason} ({where})")
