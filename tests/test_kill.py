"""Never lose a good graph: a build SIGKILLed while it writes leaves the previous outputs, all
of them (issue 12, item 9: the outputs of one build switch as one).

The build in the child process is the real one; the child only sets the writer's step hook
(``policykg.rdf.export._after_step``) to announce each step and wait there, so the kill lands
at that step every time, not by luck.
"""

import json
import os
import random
import shutil
import signal
import subprocess
import sys

import pytest
from conftest import GAOQING, ROOT

from policykg.errors import OutputError

SEED = ROOT / "tests" / "fixtures" / "seeds" / "labelled-with-annex.txt"
FORMATS = "turtle,nt,jsonld,trig"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

PAUSING_BUILD = """
import sys, time
from policykg.rdf import export
def pause(step):
    if step == sys.argv[1]:
        print("at", step, flush=True)
        time.sleep(600)
export._after_step = pause
from policykg.cli.main import cli
cli(sys.argv[2:], prog_name="policykg")
"""
# every step of a write, in order, for FORMATS
STEPS = ["fresh", "file:policykg.ttl", "file:policykg.nt", "file:policykg.jsonld", "file:policykg.trig",
         "file:store", "staged", "swapped", "done"]


def build(source, out):
    result = subprocess.run([sys.executable, "-m", "policykg", "build", str(source), "--out", str(out),
                             "--format", FORMATS, "-q"], capture_output=True, text=True, env=ENV, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return snapshot(out)


def snapshot(out):
    return {p.name: _content(p) for p in sorted(out.iterdir()) if not p.name.startswith(".")}


def _content(path):
    """A file's bytes; for the Oxigraph store, the files its manifest says it was loaded from."""
    if path.is_dir():
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        return {name: entry["sha256"] for name, entry in manifest["files"].items()}
    return path.read_bytes()


@pytest.fixture(scope="module")
def old_and_new(tmp_path_factory):
    """The outputs of a good earlier build (Gaoqing) and of the build to kill (another plan)."""
    folder = tmp_path_factory.mktemp("reference")
    old, new = build(GAOQING, folder / "old"), build(SEED, folder / "new")
    assert set(old) == set(new) and all(old[name] != new[name] for name in old)
    return old, new


@pytest.mark.parametrize("step", STEPS)
def test_build_killed_at_each_write_step_leaves_one_whole_graph(tmp_path, old_and_new, step):
    old, new = old_and_new
    out = tmp_path / "graph"
    assert build(GAOQING, out) == old
    child = subprocess.Popen(
        [sys.executable, "-c", PAUSING_BUILD, step, "build", str(SEED), "--out", str(out),
         "--format", FORMATS, "-q"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV, cwd=ROOT,
    )
    try:
        line = child.stdout.readline()
        assert line.startswith("at " + step), child.stderr.read()
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    # every output is the old build's, or every output is the new build's: never a mix
    expected = new if STEPS.index(step) >= STEPS.index("swapped") else old
    assert snapshot(out) == expected
    assert sorted(p.name for p in out.iterdir()) == sorted(expected)  # nothing else in the folder
    # the next build replaces the outputs and clears what the killed one left beside them
    assert build(SEED, out) == new
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph"]


def test_temporary_files_of_earlier_versions_are_cleared(tmp_path, old_and_new):
    out = tmp_path / "graph"
    build(GAOQING, out)
    (out / ".policykg.ttl.abc123.tmp").write_bytes(b"left by a killed build")
    (tmp_path / ".graph.policykg-999999999-x.tmp").mkdir()
    build(SEED, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(old_and_new[1])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph"]


# The build killed just before its N-th file-system operation on the output folder or beside it
# (Python's audit events: open, rename, mkdir, remove, link, ...). The moment depends on no part of
# the writer: a writer that truncates the outputs in place is killed between two of its files.
KILLED_AT_OPERATION = """
import atexit, os, signal, sys
area, at = sys.argv[1], int(sys.argv[2])
seen = 0
EVENTS = {"open", "os.rename", "os.remove", "os.rmdir", "os.mkdir", "os.link", "os.symlink", "os.chmod",
          "os.truncate", "os.scandir", "shutil.rmtree", "shutil.copyfile", "tempfile.mkstemp",
          "tempfile.mkdtemp"}
def touches_area(args):
    for a in args:
        if isinstance(a, (str, bytes, os.PathLike)) and os.fsdecode(os.fspath(a)).startswith(area):
            return True
    return False
def hook(event, args):
    global seen
    if event in EVENTS and touches_area(args):
        seen += 1
        if seen == at:
            os.kill(os.getpid(), signal.SIGKILL)
sys.addaudithook(hook)
atexit.register(lambda: print("operations", seen, file=sys.stderr, flush=True))
from policykg.cli.main import cli
cli(sys.argv[3:], prog_name="policykg")
"""


def build_killed_at(operation, out):
    return subprocess.run(
        [sys.executable, "-c", KILLED_AT_OPERATION, str(out.parent), str(operation),
         "build", str(SEED), "--out", str(out), "--format", FORMATS, "-q"],
        capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=120)


def test_build_killed_at_random_moments_leaves_whole_files(tmp_path, old_and_new):
    """Kills at random moments of the write: every output is the old build's or every one is the new."""
    old, new = old_and_new
    out = tmp_path / "area" / "graph"
    build(GAOQING, out)
    counted = build_killed_at(0, out)  # 0: never killed; counts the operations of this writer
    assert counted.returncode == 0, counted.stderr
    operations = int(counted.stderr.split("operations")[-1])
    assert operations >= len(FORMATS.split(","))  # at least one per file written
    assert snapshot(out) == new
    rng = random.Random(5)
    for operation in sorted(rng.sample(range(1, operations + 1), min(6, operations))):
        shutil.rmtree(out)
        assert build(GAOQING, out) == old  # the earlier good build, store and all
        killed = build_killed_at(operation, out)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        after = snapshot(out)
        assert after in (old, new), f"killed before operation {operation} of {operations}: a mix"


def test_failed_write_leaves_the_previous_files(tmp_path):
    """A write that fails part-way (here: the third file) renames nothing and leaves no temp files."""
    from policykg.rdf import export

    out = tmp_path / "graph"
    out.mkdir()
    (out / "a.ttl").write_bytes(b"old a")
    (out / "b.nt").write_bytes(b"old b")
    files = {out / "a.ttl": b"new a", out / "b.nt": b"new b", out / "missing" / "c": b"new c"}
    (out / "missing").write_bytes(b"a file where a folder should be")
    with pytest.raises(OutputError):
        export.write_atomically(files)
    assert (out / "a.ttl").read_bytes() == b"old a" and (out / "b.nt").read_bytes() == b"old b"
    assert sorted(p.name for p in out.iterdir()) == ["a.ttl", "b.nt", "missing"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph"]  # no staged folder left beside it
