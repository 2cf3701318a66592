"""Never lose a good graph: a build SIGKILLed while it writes leaves the previous outputs.

The build in the child process is the real one; the child only wraps ``os.fsync`` (called
once per staged file, before any rename) to announce the moment and wait there, so the
kill lands inside the writing phase every time, not by luck.
"""

import os
import random
import signal
import subprocess
import sys
import time

import pytest
from conftest import GAOQING, ROOT

SEED = ROOT / "tests" / "fixtures" / "seeds" / "labelled-with-annex.txt"
FORMATS = "turtle,nt,jsonld,trig"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

PAUSING_BUILD = """
import os, sys, time
real_fsync, staged = os.fsync, 0
def announcing_fsync(fd):
    global staged
    real_fsync(fd)
    staged += 1
    if staged == int(sys.argv[1]):
        print("staged", staged, flush=True)
        time.sleep(600)
os.fsync = announcing_fsync
from policykg.cli.main import cli
cli(sys.argv[2:], prog_name="policykg")
"""


def build(source, out):
    result = subprocess.run([sys.executable, "-m", "policykg", "build", str(source), "--out", str(out),
                             "--format", FORMATS, "-q"], capture_output=True, text=True, env=ENV, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return snapshot(out)


def snapshot(out):
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if not p.name.startswith(".")}


@pytest.fixture(scope="module")
def old_and_new(tmp_path_factory):
    """The outputs of a good earlier build (Gaoqing) and of the build to kill (another plan)."""
    folder = tmp_path_factory.mktemp("reference")
    old, new = build(GAOQING, folder / "old"), build(SEED, folder / "new")
    assert set(old) == set(new) and all(old[name] != new[name] for name in old)
    return old, new


@pytest.mark.parametrize("after_files", [1, 2, 4])
def test_build_killed_while_writing_leaves_the_previous_graph(tmp_path, old_and_new, after_files):
    old, _ = old_and_new
    out = tmp_path / "graph"
    assert build(GAOQING, out) == old
    child = subprocess.Popen(
        [sys.executable, "-c", PAUSING_BUILD, str(after_files), "build", str(SEED), "--out", str(out),
         "--format", FORMATS, "-q"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV, cwd=ROOT,
    )
    try:
        line = child.stdout.readline()
        assert line.startswith("staged"), child.stderr.read()
        staged = [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
        assert len(staged) == after_files  # the new graph is on disk, beside the old one
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert snapshot(out) == old
    visible = [p.name for p in out.iterdir() if not p.name.startswith(".")]
    assert sorted(visible) == sorted(old)  # temporary files, if any survive the kill, are hidden
    # and the next build replaces the outputs and is not confused by the leftovers
    assert build(SEED, out) == old_and_new[1]


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
    assert "mixed" not in outcomes or outcomes.count("mixed") <= 1  # only a kill between two renames


def test_failed_write_leaves_the_previous_files(tmp_path):
    """A write that fails part-way (here: the third file) renames nothing and leaves no temp files."""
    from policykg.rdf import export

    out = tmp_path / "graph"
    out.mkdir()
    (out / "a.ttl").write_bytes(b"old a")
    (out / "b.nt").write_bytes(b"old b")
    files = {out / "a.ttl": b"new a", out / "b.nt": b"new b", out / "missing" / "c": b"new c"}
    (out / "missing").write_bytes(b"a file where a folder should be")
    with pytest.raises(OSError):
        export.write_atomically(files)
    assert (out / "a.ttl").read_bytes() == b"old a" and (out / "b.nt").read_bytes() == b"old b"
    assert sorted(p.name for p in out.iterdir()) == ["a.ttl", "b.nt", "missing"]
