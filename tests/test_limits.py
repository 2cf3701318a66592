"""Limits: inputs far larger than any real plan, big-but-allowed inputs in bounded time, and
two sources that would write the same plan."""

import subprocess
import sys
import time

import pytest
from conftest import GAOQING, ROOT

ENV_PATH = {"PYTHONPATH": str(ROOT)}


def sparse(path, size):
    with open(path, "wb") as handle:
        handle.truncate(size)  # a hole: no disk, no time
    return path


def run_build(*args, cwd=ROOT):
    import os

    return subprocess.run([sys.executable, "-m", "policykg", "build", *map(str, args), "-q"],
                          capture_output=True, text=True, cwd=cwd, env={**os.environ, **ENV_PATH})


def test_a_100_mb_source_is_refused_at_once(tmp_path):
    from policykg.errors import DocumentError
    from policykg.text.decode import MAX_SOURCE_BYTES, read_source

    huge = sparse(tmp_path / "huge.txt", 100 * 1024 * 1024)
    started = time.monotonic()
    with pytest.raises(DocumentError) as caught:
        read_source(huge)
    assert time.monotonic() - started < 1
    assert caught.value.path == str(huge) and caught.value.line is None
    assert f"file is {100 * 1024 * 1024} bytes, larger than the {MAX_SOURCE_BYTES} bytes" in caught.value.problem


def test_one_byte_over_the_limit_is_refused_and_the_limit_itself_is_read(tmp_path):
    from policykg.errors import DocumentError
    from policykg.text.decode import MAX_SOURCE_BYTES, read_source

    with pytest.raises(DocumentError, match="larger than"):
        read_source(sparse(tmp_path / "over.txt", MAX_SOURCE_BYTES + 1))
    at = tmp_path / "at.txt"
    at.write_bytes(b"a" * MAX_SOURCE_BYTES)  # text: a file of NUL bytes is refused for them
    assert len(read_source(at).text) == MAX_SOURCE_BYTES


def test_cli_refuses_a_huge_source_and_keeps_the_graph(tmp_path):
    out = tmp_path / "graph"
    assert run_build(GAOQING, "--out", out).returncode == 0
    before = {p.name: (p.read_bytes() if p.is_file() else (p / "manifest.json").read_bytes()) for p in out.iterdir()}
    huge = sparse(tmp_path / "huge.txt", 100 * 1024 * 1024)
    result = run_build(huge, "--out", out)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {huge}: file is 104857600 bytes, larger than")
    assert "Traceback" not in result.stderr
    assert {p.name: (p.read_bytes() if p.is_file() else (p / "manifest.json").read_bytes()) for p in out.iterdir()} == before


def test_a_long_plan_parses_in_linear_time(gaoqing_text):
    """Line numbers for spans used to rebuild the list of line starts on every lookup:
    quadratic in the number of lines (a 15 MB plan took minutes)."""
    from policykg.text.decode import SourceText
    from policykg.text.parse import parse_source

    filler = "坚持城乡融合发展正确方向，坚持农业农村优先发展。\n\n" * 40000
    text = gaoqing_text.replace("二、基本原则", filler + "二、基本原则", 1)
    doc = parse_source(SourceText.from_text("long.txt", text))
    assert len(doc.measures()) == 20
    # the time it takes is guarded by the ratio test below, not by a limit far above normal


def test_line_lookups_cost_about_what_indexing_the_lines_costs():
    """A span's line number is a binary search in the line starts, built once: one lookup per
    line costs about what indexing the lines costs (linear baseline, measured here). Rebuilding
    the starts on every lookup made it quadratic: 10,000 lookups took over 100 times the indexing."""
    from policykg.text.decode import SourceText

    lines = 10000
    text = "坚持城乡融合发展正确方向，坚持农业农村优先发展。\n" * lines
    started = time.perf_counter()
    source = SourceText.from_text("long.txt", text)
    indexing = time.perf_counter() - started
    width = len(text) // lines
    started = time.perf_counter()
    found = [source.line_of(offset) for offset in range(0, len(text), width)]
    lookups = time.perf_counter() - started
    assert found == list(range(1, lines + 1))  # each line's first character is on that line
    assert lookups < 5 * indexing, (lookups, indexing)


def test_two_files_whose_names_give_the_same_slug_are_refused(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("gaoqing plan.txt", "gaoqing-plan.txt"):
        (folder / name).write_bytes(GAOQING.read_bytes())
    result = run_build(folder, "--out", tmp_path / "graph")
    assert result.returncode == 2
    assert "would be written as the same plan (gaoqing/gaoqing-plan)" in result.stderr
    assert not (tmp_path / "graph").exists()


def test_the_same_file_named_twice_is_refused(tmp_path):
    result = run_build(GAOQING, GAOQING, "--out", tmp_path / "graph")
    assert result.returncode == 2 and "would be written as the same plan" in result.stderr


def test_very_long_names_give_bounded_distinct_slugs():
    """A 5,000-character unit name made a 25,000-character slug: its views sheet could not be
    written (file name too long)."""
    from policykg.text.slugs import MAX_SLUG, slugify

    a, b = "县" + "很长的名字" * 1000 + "局", "县" + "很长的名字" * 1000 + "处"
    assert len(slugify(a)) <= MAX_SLUG and len(slugify(b)) <= MAX_SLUG
    assert slugify(a) != slugify(b)
    assert slugify(a).startswith("xian-hen-zhang-de-ming-zi")
    # The same name gets the same slug in another process with another hash seed (slugify is
    # cached: comparing two calls here would compare the cached value with itself). Slugs are
    # IRIs and file names: two builds must agree on them.
    import os

    code = "import sys; from policykg.text.slugs import slugify; print(slugify(sys.argv[1]))"
    for seed in ("1", "2"):
        other = subprocess.run([sys.executable, "-c", code, a], capture_output=True, text=True, check=True,
                               env={**os.environ, **ENV_PATH, "PYTHONHASHSEED": seed})
        assert other.stdout.strip() == slugify(a)
    assert slugify("县公安局") == "xian-gong-an-ju"
