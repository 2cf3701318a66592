"""Never lose a good graph: a build SIGKILLed while it writes leaves the previous outputs, all
of them (issue 12, item 9: the outputs of one build switch as one).

The build in the child process is the real one; the child only sets the writer's step hook
(``policykg.rdf.export._after_step``) to announce each step and wait there, so the kill lands
at that step every time, not by luck.
"""

import json
import os
import random
import signal
import subprocess
import sys
import time

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


def test_build_killed_at_random_moments_leaves_whole_files(tmp_path, old_and_new):
    """Kills anywhere in a build: every visible output is, byte for byte, the old or the new one."""
    old, new = old_and_new
    out = tmp_path / "graph"
    build(GAOQING, out)
    started = time.monotonic()
    build(SEED, tmp_path / "timing")
    duration = time.monotonic() - started
    rng = random.Random(5)
    outcomes = []
    for _ in range(4):
        build(GAOQING, out)
        child = subprocess.Popen([sys.executable, "-m", "policykg", "build", str(SEED), "--out", str(out),
                                  "--format", FORMATS, "-q"], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, env=ENV, cwd=ROOT)
        time.sleep(rng.uniform(0.3, 1.1) * duration)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        after = snapshot(out)
        assert set(after) == set(old)
        for name, content in after.items():
            assert content in (old[name], new[name]), name
        outcomes.append("old" if after == old else "new" if after == new else "mixed")
    assert "mixed" not in outcomes


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
