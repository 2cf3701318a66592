"""How the views are made at corpus scale: exports written by a child process, the files read
instead of the store when every unit is drawn, view queries two at a time."""

from __future__ import annotations

import pytest

from policykg.errors import RuntimeFailure
from policykg.views import networks as nw
from policykg.views import pages as views


@pytest.fixture(scope="module")
def in_process(mini_graph, tmp_path_factory):
    out = tmp_path_factory.mktemp("in-process")
    return views.build_views(mini_graph, out, lang="zh")


def test_exports_written_by_a_child_are_the_same_files(mini_graph, in_process, tmp_path, monkeypatch):
    monkeypatch.setattr(views, "EXPORT_IN_CHILD_FROM", 0)  # the mini graph is far below it
    forked = views.build_views(mini_graph, tmp_path, lang="zh")
    assert [p.relative_to(tmp_path) for p in forked.files] == [p.relative_to(in_process.out) for p in in_process.files]
    exports = [p for p in forked.files if p.parent.name == "data"]
    assert {p.suffix for p in exports} == {".csv", ".graphml", ".gexf"}
    for p in forked.files:
        assert p.read_bytes() == (in_process.out / p.relative_to(tmp_path)).read_bytes(), p


def test_a_failure_in_the_exports_child_is_one_error(mini_graph, tmp_path, monkeypatch):
    def broken(g, folder, key):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(views, "EXPORT_IN_CHILD_FROM", 0)
    monkeypatch.setattr(nw, "write_network_files", broken)  # the forked child inherits it
    with pytest.raises(RuntimeFailure, match="cannot write the GraphML/GEXF exports: OSError.*No space left"):
        views.build_views(mini_graph, tmp_path, lang="zh")


def test_every_unit_is_drawn_from_the_files_not_the_store(built, tmp_path):
    from policykg.sparql.engines import load_engine

    folder = built.files[0].parent
    on_store = load_engine([folder])
    if on_store.opened is None:
        pytest.skip("the build wrote no store")
    from_files = nw.for_every_unit(on_store, [folder])
    assert from_files is not on_store and from_files.opened is None
    assert on_store.opened is None  # the store was let go
    assert len(from_files) > 0
    # a source without a store is kept as it is
    assert nw.for_every_unit(from_files, [folder]) is from_files


def test_view_queries_two_at_a_time_give_the_rows_one_at_a_time_gives(gaoqing_graph, monkeypatch):
    together = nw.ViewData.fetch(gaoqing_graph)
    import concurrent.futures as cf

    real = cf.ThreadPoolExecutor
    monkeypatch.setattr(cf, "ThreadPoolExecutor", lambda max_workers: real(max_workers=1))
    alone = nw.ViewData.fetch(gaoqing_graph)
    assert together == alone
    assert together.measure_units and together.annex_row_units
