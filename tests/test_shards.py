"""Drawing every unit of a corpus from shards: runs of plans read side by side into stores of their
own. The rows, and so the views, must be those of the whole graph read into one store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import GAOQING

from policykg.errors import GraphLoadError, ViewQueryError
from policykg.sparql.engines import load_engine
from policykg.views import networks as nw
from policykg.views import pages as views
from policykg.views import shards as sh

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "real"
# plans of different shapes, two of one province (01 holds two documents), and Gaoqing's
# discrepancies between body and annex
DOCUMENTS = ("01", "02", "03", "21", "53", "60")


@pytest.fixture(scope="module")
def corpus_graph(tmp_path_factory):
    from policykg.rdf.build import build

    out = tmp_path_factory.mktemp("shards-corpus")
    build([GAOQING] + [next(CORPUS.glob(f"{k}_*")) for k in DOCUMENTS], out=out)
    return out


@pytest.fixture(scope="module")
def whole(corpus_graph):
    return nw.ViewData.fetch(load_engine([corpus_graph], store=False))


def sharded(folder: Path, count: int) -> sh.Shards:
    source = nw.for_every_unit(load_engine([folder]), [folder], shards=count)
    assert isinstance(source, sh.Shards)
    return source


@pytest.mark.parametrize("count", [2, 3, 8])
def test_the_rows_from_shards_are_the_rows_from_one_store(corpus_graph, whole, count):
    source = sharded(corpus_graph, count)
    # runs of about equal bytes: eight plans of unequal size make fewer than eight
    assert len(source) == count if count < 8 else 1 < len(source) <= count
    parts = nw.ViewData.fetch(source)
    assert parts == whole  # the same rows, in the same order
    assert whole.measure_units and whole.annex_row_units and whole.discrepancies and whole.structure


def test_the_views_from_shards_are_the_views_from_one_store(corpus_graph, tmp_path):
    one = views.build_views(load_engine([corpus_graph], store=False), tmp_path / "one", lang="zh")
    three = views.build_views(sharded(corpus_graph, 3), tmp_path / "three", lang="zh", close_source=True)
    assert [p.relative_to(tmp_path / "three") for p in three.files] == [p.relative_to(tmp_path / "one") for p in one.files]
    for p in three.files:
        assert p.read_bytes() == (tmp_path / "one" / p.relative_to(tmp_path / "three")).read_bytes(), p


def test_each_plan_is_in_one_shard_with_the_units_it_names(corpus_graph):
    source = sharded(corpus_graph, 3)
    plan_sets = []
    for engine in source.engines:
        rows = engine.run("PREFIX pkg: <https://w3id.org/policykg/ns#> SELECT ?p WHERE { ?p a pkg:Plan }",
                          trusted=True).rows
        plan_sets.append({r[0].value for r in rows})
        # every shard has the vocabulary, and a name for each unit its plans name
        unnamed = engine.run(
            "PREFIX pkg: <https://w3id.org/policykg/ns#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
            "SELECT ?u WHERE { ?m pkg:responsibleUnit ?u FILTER NOT EXISTS { ?u skos:prefLabel ?n } }",
            trusted=True).rows
        assert unnamed == []
        kinds = engine.run("PREFIX pkg: <https://w3id.org/policykg/ns#> SELECT ?k WHERE { ?k a pkg:DiscrepancyKind }",
                           trusted=True).rows
        assert kinds
    assert all(plan_sets)
    assert sum(len(s) for s in plan_sets) == len(set().union(*plan_sets)) == len(DOCUMENTS) + 2  # 01 holds two


def test_a_store_is_let_go_of_once_its_plans_are_read(corpus_graph):
    on_store = load_engine([corpus_graph])
    source = nw.for_every_unit(on_store, [corpus_graph], shards=2)
    assert on_store.opened is None
    source.close()
    assert all(engine.store is None for engine in source.engines)


def test_a_small_corpus_is_read_whole_and_a_big_one_a_shard_a_core(corpus_graph, monkeypatch):
    engine = load_engine([corpus_graph])
    try:
        assert sh.shard_count(engine.opened) == 1  # far below SHARD_FROM_BYTES
        monkeypatch.setattr(sh, "SHARD_FROM_BYTES", 0)
        monkeypatch.setattr(sh.os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
        assert sh.shard_count(engine.opened) == 3
        monkeypatch.setattr(sh.os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
        assert sh.shard_count(engine.opened) == sh.MAX_SHARDS
        monkeypatch.setattr(sh.os, "sched_getaffinity", lambda pid: {0}, raising=False)
        assert sh.shard_count(engine.opened) == 1
    finally:
        engine.close()
    # one shard: the files into one store, as before
    whole_engine = nw.for_every_unit(load_engine([corpus_graph]), [corpus_graph])
    assert not isinstance(whole_engine, sh.Shards) and whole_engine.opened is None


def test_runs_follow_the_file_and_balance_its_bytes(corpus_graph):
    engine = load_engine([corpus_graph])
    try:
        index = engine.opened.index
        runs = sh.runs(engine.opened, 2)
        in_file_order = sorted(index.plans, key=lambda iri: index.plans[iri][0])
        assert [iri for run in runs for iri in run] == in_file_order
        sizes = [sum(index.plans[iri][1] for iri in run) for run in runs]
        biggest = max(length for _, length in index.plans.values())
        assert abs(sizes[0] - sizes[1]) <= biggest
    finally:
        engine.close()


def test_an_index_that_does_not_match_the_trig_is_an_error(corpus_graph, tmp_path):
    import shutil

    copy = tmp_path / "graph"
    shutil.copytree(corpus_graph, copy)
    plans = copy / "store" / "plans.json"
    index = json.loads(plans.read_text(encoding="utf-8"))
    iri = sorted(index["plans"])[1]
    index["plans"][iri][0] += 1  # one byte off
    plans.write_text(json.dumps(index), encoding="utf-8")
    with pytest.raises(GraphLoadError, match=f"policykg.trig: bytes .* are not the graph of {iri}"):
        nw.for_every_unit(load_engine([copy]), [copy], shards=2)


def test_a_graph_that_does_not_parse_is_an_error_naming_the_file(corpus_graph, tmp_path):
    import os
    import shutil

    copy = tmp_path / "graph"
    shutil.copytree(corpus_graph, copy)
    trig = copy / "policykg.trig"
    stamp = trig.stat()
    index = json.loads((copy / "store" / "plans.json").read_text(encoding="utf-8"))
    offset, length = index["plans"][sorted(index["plans"])[-1]]
    data = bytearray(trig.read_bytes())
    at = data.index(b" .\n", offset, offset + length)
    data[at + 1:at + 2] = b"{"  # the same size, no longer Turtle
    trig.write_bytes(bytes(data))
    os.utime(trig, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # so the store still takes it for its own
    with pytest.raises(GraphLoadError, match="policykg.trig: cannot read the graph: SyntaxError"):
        nw.for_every_unit(load_engine([copy]), [copy], shards=2)


def test_a_query_folder_of_ones_own_is_not_read_in_shards(corpus_graph, tmp_path):
    with pytest.raises(ViewQueryError, match="not in shards"):
        nw.ViewData.fetch(sharded(corpus_graph, 2), query_dir=tmp_path)


# ---- merging the shards' rows

DISTINCT = "PREFIX p: <http://x/>\nSELECT DISTINCT ?a ?b WHERE {\n  ?a p:b ?b .\n}\nORDER BY ?b ?a\n"
ALL = DISTINCT.replace("DISTINCT ", "")


def rows(*pairs):
    return [{"a": a, "b": b} for a, b in pairs]


def test_distinct_rows_are_kept_once_and_others_as_often_as_they_come():
    parts = [rows(("u1", "x"), ("u2", "y")), rows(("u1", "x"), ("u3", "z"))]
    assert sh.merge_rows("q", DISTINCT, parts) == rows(("u1", "x"), ("u2", "y"), ("u3", "z"))
    assert sh.merge_rows("q", ALL, parts) == rows(("u1", "x"), ("u1", "x"), ("u2", "y"), ("u3", "z"))


def test_rows_are_merged_in_sparqls_order():
    # numbers by value (2 before 10), text by code point, unbound first; each part already sorted
    numbers = [rows(("a", 2), ("a", 10)), rows(("b", 3), ("b", 11))]
    assert [r["b"] for r in sh.merge_rows("q", ALL, numbers)] == [2, 3, 10, 11]
    text = [rows(("a", "10"), ("a", "2")), rows(("b", "3"))]
    assert [r["b"] for r in sh.merge_rows("q", ALL, text)] == ["10", "2", "3"]
    mixed = [rows(("a", None), ("a", 5), ("a", "七")), rows(("b", None), ("b", 1.5), ("b", "一"))]
    assert [(r["b"], r["a"]) for r in sh.merge_rows("q", ALL, mixed)] == [
        (None, "a"), (None, "b"), (1.5, "b"), (5, "a"), ("一", "b"), ("七", "a")]
    ties = [rows(("b", 1)), rows(("a", 1))]  # the second key decides
    assert [r["a"] for r in sh.merge_rows("q", ALL, ties)] == ["a", "b"]


def test_a_query_the_merge_cannot_order_is_an_error():
    parts = [rows(("a", 1)), rows(("b", 2))]
    with pytest.raises(ViewQueryError, match="q: cannot be read in shards"):
        sh.merge_rows("q", ALL.replace("ORDER BY ?b ?a\n", ""), parts)
    with pytest.raises(ViewQueryError, match="q: cannot be read in shards"):
        sh.merge_rows("q", ALL.replace("ORDER BY ?b ?a", "ORDER BY DESC(?b)"), parts)
    with pytest.raises(ViewQueryError, match=r"q: cannot merge .*ORDER BY \?c is not selected"):
        sh.merge_rows("q", ALL.replace("ORDER BY ?b ?a", "ORDER BY ?b ?c"), parts)


def test_every_view_query_can_be_merged():
    for name in ("measure_units", "annex_row_units", "structure", "pilot_task_leads", "units",
                 "discrepancy_units", "discrepancies", "task_units", "plan_info"):
        text = nw.query_text("view-" + name.replace("_", "-"))
        assert sh.merge_rows(name, text, [[], []]) == []


def test_visualize_reads_a_big_corpus_in_shards_and_writes_the_same_files(corpus_graph, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from policykg.cli.main import cli

    loaded = []
    real = sh.load_shards
    monkeypatch.setattr(sh, "load_shards", lambda *a, **k: loaded.append(a[1]) or real(*a, **k))
    runner = CliRunner()
    whole = runner.invoke(cli, ["visualize", "-g", str(corpus_graph), "--out", str(tmp_path / "whole")])
    assert whole.exit_code == 0, whole.output
    assert loaded == []  # far below SHARD_FROM_BYTES: one store
    monkeypatch.setattr(sh, "SHARD_FROM_BYTES", 0)
    monkeypatch.setattr(sh.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    split = runner.invoke(cli, ["visualize", "-g", str(corpus_graph), "--out", str(tmp_path / "split")])
    assert split.exit_code == 0, split.output
    assert loaded == [2]
    files = sorted(p.relative_to(tmp_path / "whole") for p in (tmp_path / "whole").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "split") for p in (tmp_path / "split").rglob("*") if p.is_file())
    for name in files:
        assert (tmp_path / "whole" / name).read_bytes() == (tmp_path / "split" / name).read_bytes(), name
