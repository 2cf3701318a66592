"""Round trips and determinism for every export, on the Gaoqing plan, the seed documents and
the hostile document: read back by pyoxigraph (an independent parser) each file is
isomorphic to the graph written and still conforms to the SHACL shapes; two builds under
different hash seeds and working directories write the same bytes."""

import os
import subprocess
import sys

import pytest
from conftest import GAOQING, ROOT
from rdfcheck import plain_strings, read_with_oxigraph
from rdflib.compare import isomorphic
from test_hostile import hostile_text

SEEDS = sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))
FORMATS = ("turtle", "nt", "jsonld", "trig")
SUFFIXES = (".ttl", ".nt", ".jsonld", ".trig")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inputs")
    hostile = folder / "hostile-plan.txt"
    hostile.write_text(hostile_text(), encoding="utf-8")
    return {"gaoqing": [GAOQING], "seeds": SEEDS, "hostile": [hostile], "all": [GAOQING, *SEEDS, hostile]}


@pytest.fixture(scope="module")
def builds(inputs, tmp_path_factory):
    from policykg.rdf.build import build

    return {name: build(paths, out=tmp_path_factory.mktemp(name), formats=FORMATS)
            for name, paths in inputs.items() if name != "all"}


@pytest.mark.parametrize("name", ["gaoqing", "seeds", "hostile"])
@pytest.mark.parametrize("suffix", SUFFIXES)
def test_export_read_by_oxigraph_is_isomorphic(builds, name, suffix):
    result = builds[name]
    path = next(p for p in result.files if p.suffix == suffix)
    back = plain_strings(read_with_oxigraph(path))
    assert len(back) == len(result.graph)
    assert isomorphic(back, plain_strings(result.graph))


@pytest.mark.parametrize("name", ["seeds", "hostile"])
@pytest.mark.parametrize("suffix", [".ttl", ".jsonld"])
def test_export_read_back_still_conforms(builds, name, suffix):
    from policykg.rdf.shapes import validation_report

    path = next(p for p in builds[name].files if p.suffix == suffix)
    conforms, report = validation_report(read_with_oxigraph(path))
    assert conforms, report


def test_gaoqing_read_back_from_ntriples_conforms(builds):
    from policykg.rdf.shapes import validation_report

    path = next(p for p in builds["gaoqing"].files if p.suffix == ".nt")
    conforms, report = validation_report(read_with_oxigraph(path))
    assert conforms, report


def test_read_back_sees_a_damaged_file(builds, tmp_path):
    """The round trip would notice a lost triple: the check can fail."""
    path = next(p for p in builds["seeds"].files if p.suffix == ".nt")
    damaged = tmp_path / "damaged.nt"
    damaged.write_bytes(b"\n".join(path.read_bytes().split(b"\n")[1:]))
    assert not isomorphic(plain_strings(read_with_oxigraph(damaged)), plain_strings(builds["seeds"].graph))


def test_all_sources_build_byte_identical_across_hash_seeds_and_folders(inputs, tmp_path):
    outputs = []
    for seed, cwd in (("0", ROOT), ("31337", tmp_path)):
        out = tmp_path / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        result = subprocess.run(
            [sys.executable, "-m", "policykg", "build", *map(str, inputs["all"]), "--out", str(out),
             "--format", ",".join(FORMATS), "--registry", str(ROOT / "ontology" / "registry"), "-q"],
            cwd=cwd, env=env, capture_output=True, text=True,
        )
        assert result.returncode == 0, result.stderr
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()})  # not the store
    assert set(outputs[0]) == {f"policykg{s}" for s in SUFFIXES}
    for name in outputs[0]:
        assert outputs[0][name] == outputs[1][name], name


def test_trig_keeps_literals_with_line_breaks_verbatim():
    """The TriG writer indents each plan's Turtle: it must not re-indent inside literals."""
    import pyoxigraph as ox

    from policykg.rdf.export import named_graph, prefix_header, turtle_fragment
    from policykg.rdf.terms import Lit, nt_line

    value = "第一行\n\n    缩进的第三行\u2028第四段\r\n末尾 \"\"\" '''"
    line = nt_line(("https://example.org/s", "https://example.org/p", Lit(value, None, "zh")))
    trig = prefix_header({}) + named_graph("https://example.org/g", [turtle_fragment([line], {})])
    quads = list(ox.parse(trig, format=ox.RdfFormat.TRIG))
    assert [q.object.value for q in quads] == [value]
    assert [q.graph_name.value for q in quads] == ["https://example.org/g"]
