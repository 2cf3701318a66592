"""The build at corpus scale: the plans' Turtle is kept on disk, not in the build's memory, the
files are streamed from it in the same bytes, and the store is loaded from the files."""

from __future__ import annotations

import tracemalloc

import pyoxigraph as ox
import pytest

from policykg.rdf.assemble import Fragments
from policykg.rdf.build import build
from policykg.rdf.store import STORE_DIR, verify


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    from policykg.corpus.synthetic import generate_corpus

    folder = tmp_path_factory.mktemp("corpus")
    generate_corpus(30, folder, seed=5)
    return folder


def test_fragments_come_back_by_plan_iri_with_their_bytes(tmp_path):
    fragments = Fragments(tmp_path)
    fragments.add("https://x/plan/b", b"b-own\n", b"b-shared\n")
    fragments.add("https://x/plan/a", "甲-own\n".encode(), b"")
    fragments.add("https://x/plan/c", b"", b"c-shared\n")
    assert list(fragments.in_order()) == [
        ("https://x/plan/a", "甲-own\n".encode(), b""),
        ("https://x/plan/b", b"b-own\n", b"b-shared\n"),
        ("https://x/plan/c", b"", b"c-shared\n"),
    ]
    assert list(tmp_path.iterdir()) == []  # an anonymous file: nothing left behind, even if killed


def _peak_python_memory(sources, out) -> int:
    tracemalloc.start()
    try:
        build(sources, out=out, workers=1, store=False)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_build_does_not_hold_the_corpus_graph_in_memory(corpus, tmp_path):
    small = tmp_path / "small"
    small.mkdir()
    for path in sorted(corpus.iterdir())[:10]:
        (small / path.name).write_bytes(path.read_bytes())
    build([next(small.iterdir())], out=None, workers=1, store=False)  # what is loaded once, loaded
    peak_small = _peak_python_memory([small], tmp_path / "g10")
    peak_large = _peak_python_memory([corpus], tmp_path / "g30")
    written_small = sum((tmp_path / "g10" / n).stat().st_size for n in ("policykg.ttl", "policykg.trig"))
    written_large = sum((tmp_path / "g30" / n).stat().st_size for n in ("policykg.ttl", "policykg.trig"))
    # Holding the plans' Turtle and then the joined files, as the build did, grew the peak by
    # 2.5 times what the files grow (measured); streaming them from disk, by less than half.
    assert peak_large - peak_small < 1.0 * (written_large - written_small)


def test_a_store_is_loaded_even_when_the_turtle_and_trig_are_not_kept(corpus, tmp_path):
    out = tmp_path / "graph"
    result = build([corpus], out=out, formats=("nt",))
    assert sorted(p.name for p in out.iterdir()) == ["policykg.nt", STORE_DIR]
    assert sorted(p.name for p in (out / STORE_DIR).iterdir()) == [".gitignore", "db", "manifest.json",
                                                                   "readers.lock"]
    assert verify(out) == []
    store = ox.Store.read_only(str(out / STORE_DIR / "db"))
    lines = (out / "policykg.nt").read_bytes().count(b"\n")
    assert len(list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))) == lines == result.triples
    plans = {q.subject.value for q in store.quads_for_pattern(
        None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        ox.NamedNode("https://w3id.org/policykg/ns#Plan"))}
    assert len(plans) == 30
    assert not list(store.named_graphs())  # one graph: the plans' are read from the TriG, and none was kept


def test_fragments_go_to_the_temporary_folder_when_none_can_be_made_beside_the_outputs(tmp_path):
    fragments = Fragments("/proc/self")  # files cannot be created there
    fragments.add("https://x/plan/a", b"own\n", b"shared\n")
    assert list(fragments.in_order()) == [("https://x/plan/a", b"own\n", b"shared\n")]
