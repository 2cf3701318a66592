"""policykg.rdf.export in-process, rule by rule: what its docstrings promise about atomic
writes (all outputs switch at once or none does; what a build does not write is kept; a killed
build's leftovers are cleared; outputs a reader holds stay until unread), about file modes (what
an ordinary open() would give), and about deterministic serializations. The kill tests
(test_kill.py) check the same writes from a child process; mutation testing sees only this file.
"""

import fcntl
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from policykg.errors import OutputError
from policykg.rdf import export
from policykg.rdf.export import (
    READERS_LOCK,
    TEMP_MARK,
    clear_stale,
    jsonld,
    named_graph,
    ntriples,
    prefix_header,
    remove_unless_read,
    turtle_fragment,
    write_atomically,
    write_folder,
)

EX = "http://example.org/"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def beside(folder: Path) -> list[str]:
    """Names in the folder holding ``folder`` other than its own."""
    return sorted(p.name for p in folder.parent.iterdir() if p.name != folder.name)


@pytest.fixture
def umask_027():
    old = os.umask(0o027)
    yield 0o027
    os.umask(old)


@pytest.fixture
def steps(monkeypatch):
    seen = []
    monkeypatch.setattr(export, "_after_step", seen.append)
    return seen


# --------------------------------------------------------------------------- serializations


def test_ntriples_are_sorted_once_each_and_one_per_line_whatever_the_literals_hold():
    breaks = "a\x0bb\x0cc\x1cd\x1de\x1ef\x85g\u2028h\u2029i"
    turtle = (f'<{EX}b> <{EX}p> "{breaks}" .\n<{EX}a> <{EX}p> "x" .\n<{EX}a> <{EX}p> "x" .\n').encode()
    text = ntriples(turtle).decode("utf-8")
    lines = text.splitlines()  # breaks at every one of those characters, were they raw
    assert len(lines) == 2 and lines == sorted(lines) and text.endswith("\n")
    assert lines[0] == f'<{EX}a> <{EX}p> "x" .'
    # the literal reads back unchanged: the characters are written as \uXXXX escapes
    (quad,) = [q for q in ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES) if q.subject.value == EX + "b"]
    assert quad.object.value == breaks


PREFIXES = {"ex": EX, "dct": "http://purl.org/dc/terms/"}


def test_prefix_header_declares_each_prefix_once_in_name_order():
    assert prefix_header(PREFIXES) == (b"@prefix dct: <http://purl.org/dc/terms/> .\n"
                                       b"@prefix ex: <http://example.org/> .\n")


def test_turtle_fragments_of_disjoint_subjects_join_into_the_turtle_of_the_union():
    assert turtle_fragment([], PREFIXES) == b""
    first = [f'<{EX}a> <http://purl.org/dc/terms/title> "甲" .']
    second = [f"<{EX}b> <{EX}p> <{EX}a> .", f'<{EX}b> <{EX}p> "乙" .']
    a, b = turtle_fragment(first, PREFIXES), turtle_fragment(second, PREFIXES)
    for fragment in (a, b):
        assert not any(line.startswith(b"@prefix") for line in fragment.split(b"\n"))
        assert fragment.endswith(b"\n") and not fragment.endswith(b"\n\n")
    assert b"ex:a" in a and b"dct:title" in a  # the prefixes are used
    union = prefix_header(PREFIXES) + a + b
    got = set(ox.parse(union, format=ox.RdfFormat.TURTLE))
    want = set(ox.parse("\n".join(first + second).encode(), format=ox.RdfFormat.N_TRIPLES))
    assert got == want


def test_a_named_graph_block_holds_the_fragments_in_that_graph():
    fragments = [turtle_fragment([f'<{EX}a> <{EX}p> "一" .'], PREFIXES),
                 turtle_fragment([f'<{EX}b> <{EX}p> "二" .'], PREFIXES)]
    block = named_graph(EX + "plan", fragments)
    assert block.startswith(f"<{EX}plan> {{\n\t".encode()) and block.endswith(b"\n}\n")
    quads = list(ox.parse(prefix_header(PREFIXES) + block, format=ox.RdfFormat.TRIG))
    assert {(q.subject.value, q.object.value, q.graph_name.value) for q in quads} == {
        (EX + "a", "一", EX + "plan"), (EX + "b", "二", EX + "plan")}


def test_jsonld_is_the_same_bytes_whatever_order_the_triples_were_added_in():
    triples = [(rdflib.URIRef(EX + s), rdflib.URIRef(EX + "p"), rdflib.Literal(o))
               for s in "cab" for o in ("县公安局", "县科技局", "1")]
    graphs = []
    for order in (triples, triples[::-1]):
        g = rdflib.Graph()
        for t in order:
            g.add(t)
        graphs.append(jsonld(g))
    assert graphs[0] == graphs[1]
    assert graphs[0].endswith(b"}\n") or graphs[0].endswith(b"]\n")
    assert "县公安局".encode() in graphs[0]  # UTF-8, not \u escapes
    back = rdflib.Graph().parse(data=graphs[0], format="json-ld")
    assert set(back) == set(triples)


# --------------------------------------------------------------------------- write_atomically


def test_write_atomically_writes_bytes_and_callables_with_the_modes_open_gives(tmp_path, umask_027):
    target, made = tmp_path / "new" / "report.json", tmp_path / "made.txt"
    seen = []

    def writer(path):
        seen.append(Path(path))
        Path(path).write_text("由函数写", encoding="utf-8")

    write_atomically({target: b"{}", made: writer})
    assert target.read_bytes() == b"{}" and made.read_text(encoding="utf-8") == "由函数写"
    assert mode(target) == mode(made) == 0o640  # 0o666 less the umask, as open() gives
    # the function wrote a hidden temporary file beside the target, renamed into place
    assert seen[0].parent == tmp_path and seen[0].name.startswith(".made.txt.") and not seen[0].exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["made.txt", "new"]


def test_write_atomically_renames_nothing_when_a_writer_fails(tmp_path):
    (tmp_path / "a").write_bytes(b"old a")

    def failing(path):
        Path(path).write_bytes(b"half")
        raise OSError(28, "No space left on device", path)

    with pytest.raises(OutputError, match=r"cannot write the outputs there: No space left on device"):
        write_atomically({tmp_path / "a": b"new a", tmp_path / "b": failing})
    assert (tmp_path / "a").read_bytes() == b"old a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a"]  # no temporary file left


# --------------------------------------------------------------------------- write_folder


def test_write_folder_makes_the_folder_with_every_file_and_says_the_steps(tmp_path, steps, umask_027):
    out = tmp_path / "graph"
    paths = write_folder(out, {"b.nt": b"nt", "a.ttl": b"ttl"})
    assert paths == [out / "a.ttl", out / "b.nt"]
    assert (out / "a.ttl").read_bytes() == b"ttl" and (out / "b.nt").read_bytes() == b"nt"
    assert mode(out) == 0o750 and mode(out / "a.ttl") == 0o640  # as mkdir() and open() give
    assert steps == ["fresh", "file:b.nt", "file:a.ttl", "staged", "swapped", "done"]
    assert beside(out) == []


def test_rewriting_switches_the_files_keeps_the_rest_and_the_folders_mode(tmp_path, steps, umask_027):
    out = tmp_path / "graph"
    out.mkdir()
    os.chmod(out, 0o705)
    (out / "a.ttl").write_bytes(b"old")
    (out / "README").write_bytes(b"mine")
    (out / "extra").mkdir()
    (out / "extra" / "note").write_bytes(b"kept too")
    (out / f".graph{TEMP_MARK}1-x.tmp").mkdir()  # a temporary folder is not carried over

    def store(path):  # an output that is a folder, like the Oxigraph store
        os.mkdir(path)
        Path(path, "data").write_bytes(b"store")

    write_folder(out, {"a.ttl": b"new", "store": store})
    assert sorted(p.name for p in out.iterdir()) == ["README", "a.ttl", "extra", "store"]
    assert (out / "a.ttl").read_bytes() == b"new" and (out / "README").read_bytes() == b"mine"
    assert (out / "extra" / "note").read_bytes() == b"kept too"
    assert mode(out) == 0o705 and mode(out / "store") == 0o750 and mode(out / "a.ttl") == 0o640
    assert steps == ["fresh", "file:a.ttl", "file:store", "staged", "swapped", "done"]
    assert beside(out) == []  # the previous outputs, unread, are gone


def test_a_failed_build_leaves_the_previous_outputs_and_no_temporary_folder(tmp_path):
    out = tmp_path / "graph"
    write_folder(out, {"a.ttl": b"old a", "b.nt": b"old b"})

    def broken(path):
        raise RuntimeError("the serializer broke")

    with pytest.raises(RuntimeError):
        write_folder(out, {"a.ttl": b"new a", "b.nt": broken})

    def full(path):
        raise OSError(28, "No space left on device", path)

    with pytest.raises(OutputError, match=r"No space left on device"):
        write_folder(out, {"a.ttl": b"new a", "b.nt": full})
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {"a.ttl": b"old a", "b.nt": b"old b"}
    assert beside(out) == []


def test_a_file_where_the_folder_should_be_is_named(tmp_path):
    blocker = tmp_path / "graph"
    blocker.write_bytes(b"not a folder")
    with pytest.raises(OutputError) as err:
        write_folder(blocker, {"a.ttl": b""})
    assert str(err.value) == (f"{blocker}: cannot write the outputs there: a file, not a folder, is in the way "
                              f"({blocker})")
    with pytest.raises(OutputError) as err:
        write_folder(blocker / "sub", {"a.ttl": b""})
    assert str(err.value).endswith(f"a file, not a folder, is in the way ({blocker})")
    assert blocker.read_bytes() == b"not a folder"


def test_a_symlinked_output_folder_is_written_through_and_stays_a_link(tmp_path):
    real = tmp_path / "real"
    write_folder(real, {"a.ttl": b"old"})
    link = tmp_path / "graph"
    link.symlink_to(real)
    write_folder(link, {"a.ttl": b"new"})
    assert link.is_symlink() and (real / "a.ttl").read_bytes() == b"new"


def test_the_exchange_without_renameat2_gives_the_same_folders(tmp_path, monkeypatch):
    import ctypes

    class NoRenameat2:
        def __init__(self, *args, **kwargs):
            pass

    monkeypatch.setattr(ctypes, "CDLL", NoRenameat2)
    out = tmp_path / "graph"
    write_folder(out, {"a.ttl": b"old"})
    write_folder(out, {"a.ttl": b"new"})
    assert (out / "a.ttl").read_bytes() == b"new" and beside(out) == []


# --------------------------------------------------------------------------- readers and leftovers


def hold(lock: Path):
    fd = os.open(lock, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_SH)
    return fd


def test_outputs_a_reader_holds_stay_beside_until_unread(tmp_path):
    out = tmp_path / "graph"

    def store(path):
        os.mkdir(path)
        Path(path, READERS_LOCK).write_bytes(b"")

    write_folder(out, {"a.ttl": b"old", "store": store})
    reader = hold(out / "store" / READERS_LOCK)
    try:
        write_folder(out, {"a.ttl": b"new", "store": store})
        (left,) = beside(out)  # the previous outputs, under their temporary name
        assert TEMP_MARK in left and (tmp_path / left / "a.ttl").read_bytes() == b"old"
        write_folder(out, {"a.ttl": b"newer", "store": store})
        assert beside(out) == [left]  # still read: kept; the unread "new" outputs are removed
    finally:
        os.close(reader)
    write_folder(out, {"a.ttl": b"newest", "store": store})
    assert beside(out) == [] and (out / "a.ttl").read_bytes() == b"newest"


def test_remove_unless_read(tmp_path):
    folder = tmp_path / "old"
    (folder / "store").mkdir(parents=True)
    (folder / "store" / READERS_LOCK).write_bytes(b"")
    (folder / "dangling").mkdir()
    (folder / "dangling" / READERS_LOCK).symlink_to(tmp_path / "nowhere")  # cannot be opened: no reader
    reader = hold(folder / "store" / READERS_LOCK)
    try:
        assert remove_unless_read(folder) is False and folder.is_dir()
    finally:
        os.close(reader)
    assert remove_unless_read(folder) is True and not folder.exists()


def dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(child.stdout)


def test_clear_stale_removes_what_killed_builds_left_and_nothing_a_running_one_owns(tmp_path):
    out = tmp_path / "graph"
    out.mkdir()
    (out / "kept.ttl").write_bytes(b"")
    dead = tmp_path / f".graph{TEMP_MARK}{dead_pid()}-abc.tmp"
    mine = tmp_path / f".graph{TEMP_MARK}{os.getpid()}-def.tmp"  # this process is not writing it now
    running = tmp_path / f".graph{TEMP_MARK}{os.getppid()}-ghi.tmp"  # the parent is alive: not stale
    aside = tmp_path / f".graph{TEMP_MARK}{dead_pid()}-jkl.tmp.old"  # the half-exchanged name
    for folder in (dead, mine, running, aside):
        folder.mkdir()
        (folder / "a.ttl").write_bytes(b"")
    file_left = out / ".policykg.ttl.x1y2.tmp"  # earlier versions wrote temporary files inside
    file_left.write_bytes(b"")
    other = tmp_path / f".other{TEMP_MARK}{dead_pid()}-x.tmp"  # another output folder's
    other.mkdir()
    removed = clear_stale(out)
    assert sorted(removed) == sorted([dead, mine, aside, file_left])
    assert running.is_dir() and other.is_dir() and (out / "kept.ttl").exists()
    assert not any(p.exists() for p in removed)


# --------------------------------------------------------------------------- details that matter


def test_jsonld_keys_and_values_are_in_a_fixed_order_whatever_the_insertion_order():
    predicates = [rdflib.URIRef(EX + p) for p in ("z", "a", "m", "b")]
    triples = [(rdflib.URIRef(EX + "s"), p, rdflib.Literal(v)) for p in predicates for v in ("乙", "甲", "b", "a")]
    outputs = set()
    for order in (triples, triples[::-1], triples[1::2] + triples[::2]):
        g = rdflib.Graph()
        for t in order:
            g.add(t)
        outputs.add(jsonld(g))
    assert len(outputs) == 1


def test_write_atomically_makes_missing_folders_and_names_its_temporary_files_tmp(tmp_path):
    seen = []

    def writer(path):
        seen.append(Path(path).name)
        Path(path).write_bytes(b"x")

    deep = tmp_path / "a" / "b" / "c.json"
    write_atomically({tmp_path / "w.txt": writer, deep: b"{}"})  # the function first, then bytes
    assert deep.read_bytes() == b"{}" and (tmp_path / "w.txt").read_bytes() == b"x"
    # hidden and ending .tmp: what clear_stale removes should a killed write leave it
    assert seen[0].startswith(".w.txt.") and seen[0].endswith(".tmp")


def test_write_atomically_gives_the_mode_open_gives_under_another_umask(tmp_path):
    old = os.umask(0o002)
    try:
        write_atomically({tmp_path / "a": b"a"})
    finally:
        os.umask(old)
    assert mode(tmp_path / "a") == 0o664


def test_a_failed_write_names_the_folder_it_could_not_write(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"

    def failing_there(path):
        raise OSError(28, "No space left on device", path)

    def failing_nowhere(path):
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError) as err:
        write_atomically({first / "a": b"a", second / "b": failing_there})
    assert str(err.value).startswith(f"{second}: cannot write the outputs there: No space left on device (")
    assert str(err.value).endswith(".tmp)") and f"({second}/.b." in str(err.value)
    with pytest.raises(OutputError) as err:
        write_atomically({first / "a": b"a", second / "b": failing_nowhere})
    assert str(err.value) == f"{first}: cannot write the outputs there: No space left on device ({first})"


def test_a_file_in_the_way_further_up_is_the_one_named(tmp_path):
    blocker = tmp_path / "graph"
    blocker.write_bytes(b"")
    with pytest.raises(OutputError) as err:
        write_folder(blocker / "sub" / "deeper", {"a.ttl": b""})
    assert str(err.value) == (f"{blocker / 'sub' / 'deeper'}: cannot write the outputs there: a file, not a "
                              f"folder, is in the way ({blocker})")


def test_a_folder_beside_the_outputs_that_cannot_be_made_names_the_parent(tmp_path, monkeypatch):
    import tempfile

    def refused(prefix, suffix, dir):
        raise PermissionError(13, "Permission denied", os.path.join(dir, prefix + "x" + suffix))

    monkeypatch.setattr(tempfile, "mkdtemp", refused)
    with pytest.raises(OutputError) as err:
        write_folder(tmp_path / "graph", {"a.ttl": b""})
    assert str(err.value) == (f"{tmp_path / 'graph'}: cannot write the outputs there: cannot create files in "
                              f"the folder: Permission denied ({tmp_path})")


def test_on_linux_the_folders_are_exchanged_in_one_step(tmp_path, monkeypatch):
    out = tmp_path / "graph"
    write_folder(out, {"a.ttl": b"old"})

    def no_rename(*args):
        raise AssertionError("renamed in two steps")

    monkeypatch.setattr(os, "rename", no_rename)
    write_folder(out, {"a.ttl": b"new"})
    assert (out / "a.ttl").read_bytes() == b"new"


def test_exchanging_with_a_missing_folder_is_an_error_naming_it(tmp_path):
    (tmp_path / "a").mkdir()
    with pytest.raises(FileNotFoundError) as err:
        export._exchange(tmp_path / "a", tmp_path / "missing")
    assert err.value.filename == str(tmp_path / "missing") and err.value.strerror == os.strerror(2)
    assert (tmp_path / "a").is_dir()


def carried_tree(out: Path, outside: Path) -> None:
    out.mkdir()
    outside.write_bytes(b"outside")
    (out / "README").write_bytes(b"readme")
    (out / "latest").symlink_to(outside)
    (out / "extra").mkdir()
    (out / "extra" / "link").symlink_to(outside)
    (out / "extra" / "note").write_bytes(b"note")


@pytest.mark.parametrize("links", [True, False])
def test_what_the_build_does_not_write_is_kept_as_it_was_links_as_links(tmp_path, monkeypatch, links):
    out, outside = tmp_path / "graph", tmp_path / "outside.txt"
    carried_tree(out, outside)
    inodes = [(out / name).stat().st_ino for name in ("README", "extra/note")]
    if not links:  # another file system: no hard links
        def no_link(*args, **kwargs):
            raise OSError(18, "Invalid cross-device link")
        monkeypatch.setattr(os, "link", no_link)
    write_folder(out, {"a.ttl": b"new"})
    assert (out / "README").read_bytes() == b"readme"
    after = [(out / name).stat().st_ino for name in ("README", "extra/note")]
    assert [a == b for a, b in zip(after, inodes)] == [links, links]  # linked, not copied, where it can be
    for link in (out / "latest", out / "extra" / "link"):
        assert link.is_symlink() and os.readlink(link) == str(outside)


def test_temporary_folders_are_named_after_the_outputs_and_the_writing_process(tmp_path, monkeypatch):
    # the module's docstring: .<out>.policykg-<pid>-<random>.tmp, beside the outputs
    names = []
    monkeypatch.setattr(export, "_after_step", lambda step: names.extend(
        p.name for p in tmp_path.iterdir() if step == "staged" and p.name != "graph"))
    write_folder(tmp_path / "graph", {"a.ttl": b""})
    (name,) = names
    assert name.startswith(f".graph.policykg-{os.getpid()}-") and name.endswith(".tmp")


def test_every_file_is_on_disk_before_it_is_renamed_into_place(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}"))),
                                                 real_fsync(fd)))
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append(("replace", str(a))), real_replace(a, b)))
    write_atomically({tmp_path / "a": b"a", tmp_path / "b": lambda p: Path(p).write_bytes(b"b")})
    replaced = [path for event, path in events if event == "replace"]
    assert len(replaced) == 2
    for path in replaced:
        assert events.index(("fsync", path)) < events.index(("replace", path))


def test_a_process_is_alive_until_it_ends_and_asking_does_not_signal_it():
    # (every signal's default action restored: under nohup, SIGHUP would be ignored)
    child = subprocess.Popen([sys.executable, "-c", "import signal, time\n"
                              "for s in (signal.SIGHUP, signal.SIGINT, signal.SIGTERM): signal.signal(s, signal.SIG_DFL)\n"
                              "time.sleep(30)"])
    try:
        assert export._alive(child.pid) is True
        time.sleep(0.5)
        assert child.poll() is None  # asking sent it no signal
    finally:
        child.kill()
        child.wait()
    assert export._alive(child.pid) is False
