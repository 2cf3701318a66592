"""Bad input: a clear error naming file, line and problem, exit 2, and nothing written."""

import codecs
import subprocess
import sys

import pytest
from conftest import GAOQING

CLI = [sys.executable, "-m", "policykg"]


def run_build(sources, out, cwd=None):
    return subprocess.run([*CLI, "build", str(sources), "--out", str(out), "-q"],
                          capture_output=True, text=True, cwd=cwd)


def good_graph(tmp_path):
    """A graph folder holding an earlier good build."""
    out = tmp_path / "graph"
    result = run_build(GAOQING, out)
    assert result.returncode == 0, result.stderr
    return out, {p.name: (p.read_bytes() if p.is_file() else (p / "manifest.json").read_bytes()) for p in out.iterdir()}


def replace_line(text, number, new):
    lines = text.split("\n")
    lines[number - 1] = new(lines[number - 1])
    return "\n".join(lines)


CASES = {
    "empty": (lambda text: "", None, "file is empty"),
    "whitespace only": (lambda text: "\n\n  \n", None, "file is empty"),
    "not a plan": (lambda text: "Dear colleagues,\n\nplease find the minutes attached.\n", 1,
                   "not an implementation plan"),
    "plan without tasks": (lambda text: "一、指导思想\n\n以此为指导。\n\n二、基本原则\n\n坚持原则。\n", 1,
                           "no tasks found"),
    "annotation never closes": (
        lambda text: replace_line(text, 77, lambda l: l.replace("各镇办）", "各镇办")), 77,
        "责任单位 annotation is not closed"),
    "annotation never closes at a heading": (
        lambda text: replace_line(text, 85, lambda l: l.replace("各镇办）", "各镇办")), 85,
        "责任单位 annotation is not closed"),
    "table row with a cell too many": (
        lambda text: replace_line(text, 171, lambda l: l + "\t多余"), 171,
        "table row has 6 cells, the header on line 170 has 5"),
    "table row with a cell too few": (
        lambda text: replace_line(text, 193, lambda l: l.rsplit("\t", 1)[0]), 193,
        "table row has 4 cells, the header on line 190 has 5"),
    "an item naming units before any task": (  # it would assign the list it closes: there is none
        lambda text: replace_line(text, 54, lambda l: "1. 责任单位：县公安局。"), 54,
        "responsibility annotation before any numbered task"),
    "duplicate work task number": (
        lambda text: replace_line(text, 63, lambda l: l.replace("2. ", "1. ", 1)), 63,
        "work task number 1 is used twice (first on line 57)"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_document_is_refused_and_leaves_the_graph(tmp_path, gaoqing_text, case):
    mutate, line, problem = CASES[case]
    out, before = good_graph(tmp_path)
    bad = tmp_path / "bad.txt"
    bad.write_text(mutate(gaoqing_text), encoding="utf-8")
    result = run_build(bad, out)
    assert result.returncode == 2
    where = f"{bad}:{line}: " if line else f"{bad}: "
    assert result.stderr.startswith(f"error: {where}"), result.stderr
    assert problem in result.stderr
    assert "Traceback" not in result.stderr
    assert {p.name: (p.read_bytes() if p.is_file() else (p / "manifest.json").read_bytes()) for p in out.iterdir()} == before


def test_undecodable_bytes_name_the_line(tmp_path):
    data = GAOQING.read_bytes()
    lines = data.split(b"\n")
    lines[58] = lines[58][:30] + b"\xff\xfe" + lines[58][30:]
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\n".join(lines))
    out, before = good_graph(tmp_path)
    result = run_build(bad, out)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {bad}:59: undecodable bytes")
    assert {p.name: (p.read_bytes() if p.is_file() else (p / "manifest.json").read_bytes()) for p in out.iterdir()} == before


def test_missing_source(tmp_path):
    result = run_build(tmp_path / "nope.txt", tmp_path / "graph")
    assert result.returncode == 2 and "no such file or folder" in result.stderr
    assert not (tmp_path / "graph").exists()


def test_two_sources_with_the_same_plan_name_are_refused(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / "in" / folder).mkdir(parents=True)
        (tmp_path / "in" / folder / GAOQING.name).write_bytes(GAOQING.read_bytes())
    result = run_build(tmp_path / "in", tmp_path / "graph")
    assert result.returncode == 2 and "would be written as the same plan" in result.stderr
    assert not (tmp_path / "graph").exists()


ENCODINGS = {
    "utf-8 with BOM": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "gb18030": lambda text: text.encode("gb18030"),
    "gbk": lambda text: text.encode("gbk"),
    "crlf": lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    "utf-16 with BOM": lambda text: text.encode("utf-16"),
}


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_other_encodings_and_line_endings_build_the_same_graph(tmp_path, gaoqing_text, encoding):
    (tmp_path / "variant").mkdir()
    variant = tmp_path / "variant" / GAOQING.name
    variant.write_bytes(ENCODINGS[encoding](gaoqing_text))
    original, converted = tmp_path / "original", tmp_path / "converted"
    assert run_build(GAOQING, original).returncode == 0
    result = run_build(variant, converted)
    assert result.returncode == 0, result.stderr
    assert (converted / "policykg.ttl").read_bytes() == (original / "policykg.ttl").read_bytes()


def test_killed_build_leaves_the_previous_graph(tmp_path):
    """A build killed part-way (here: before it writes) must not touch the old files."""
    out, before = good_graph(tmp_path)
    proc = subprocess.Popen([*CLI, "build", str(GAOQING), "--out", str(out), "--format", "turtle,nt,jsonld,trig"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import time

    time.sleep(0.5)
    proc.kill()
    proc.wait()
    after = {p.name: (p.read_bytes() if p.is_file() else (p / "manifest.json").read_bytes()) for p in out.iterdir() if not p.name.startswith(".")}
    leftovers = [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    for name, content in before.items():
        assert after[name] == content
    assert leftovers == [] or all(name.startswith(".") for name in leftovers)
