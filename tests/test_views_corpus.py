"""How the views are made at corpus scale: the tasks' half (unit-task page, task networks' exports)
made by a child process, the files read instead of the store when every unit is drawn, view
queries two at a time."""

from __future__ import annotations

import pytest

from policykg.errors import RuntimeFailure, ViewQueryError
from policykg.views import networks as nw
from policykg.views import pages as views


@pytest.fixture(scope="module")
def in_process(mini_graph, tmp_path_factory):
    out = tmp_path_factory.mktemp("in-process")
    return views.build_views(mini_graph, out, lang="zh")


def test_the_tasks_half_made_by_a_child_gives_the_same_files(mini_graph, in_process, tmp_path, monkeypatch):
    monkeypatch.setattr(views, "IN_CHILD_FROM", 0)  # the mini graph is far below it
    forked = views.build_views(mini_graph, tmp_path, lang="zh")
    assert [p.relative_to(tmp_path) for p in forked.files] == [p.relative_to(in_process.out) for p in in_process.files]
    named = [str(p.relative_to(tmp_path)) for p in forked.files]
    assert named[:4] == ["co-responsibility.html", "co-responsibility-annex.html", "unit-task.html", "structure.html"]
    assert named[4:13] == ["data/unit-metrics.csv"] + [f"data/{key}.{ext}" for key in (
        "co-responsibility", "co-responsibility-annex", "unit-task", "structure") for ext in ("graphml", "gexf")]
    assert named[-1] == "index.html"
    for p in forked.files:
        assert p.read_bytes() == (in_process.out / p.relative_to(tmp_path)).read_bytes(), p


@pytest.mark.parametrize("in_child", [0, 10**9])
def test_closing_the_source_after_its_queries_gives_the_same_files(in_process, tmp_path, monkeypatch, in_child):
    from conftest import MINI, ONTOLOGY

    monkeypatch.setattr(views, "IN_CHILD_FROM", in_child)
    engine = nw.load_graph([MINI, ONTOLOGY])
    closed = views.build_views(engine, tmp_path, lang="zh", close_source=True)
    assert engine.store is None  # let go of: the graph is freed while the other half is made
    with pytest.raises(ViewQueryError, match="view-units: .*the engine was closed"):
        nw.run_select("view-units", engine)
    assert [p.relative_to(tmp_path) for p in closed.files] == [p.relative_to(in_process.out) for p in in_process.files]
    for p in closed.files:
        assert p.read_bytes() == (in_process.out / p.relative_to(tmp_path)).read_bytes(), p


@pytest.mark.parametrize("in_child", [0, 10**9])
def test_a_failure_to_write_the_exports_is_one_error(mini_graph, tmp_path, monkeypatch, in_child):
    def broken(g, folder, key):
        if key == "structure":  # written by the tasks' half
            raise OSError(28, "No space left on device")
        return []

    monkeypatch.setattr(views, "IN_CHILD_FROM", in_child)
    monkeypatch.setattr(nw, "write_network_files", broken)  # the forked child inherits it
    with pytest.raises(RuntimeFailure, match="data: cannot write the GraphML/GEXF exports: OSError.*No space left"):
        views.build_views(mini_graph, tmp_path, lang="zh")


def test_a_failure_in_the_child_says_what_it_was_making(mini_graph, tmp_path, monkeypatch):
    def broken(*args, **kw):
        raise KeyError("pilotTask")

    monkeypatch.setattr(views, "IN_CHILD_FROM", 0)
    monkeypatch.setattr(nw, "unit_task_network", broken)
    with pytest.raises(RuntimeFailure, match="cannot make .*/unit-task.html and the task networks' exports: KeyError"):
        views.build_views(mini_graph, tmp_path, lang="zh")


def test_a_child_that_stops_is_one_error(mini_graph, tmp_path, monkeypatch):
    import os

    monkeypatch.setattr(views, "IN_CHILD_FROM", 0)
    monkeypatch.setattr(nw, "unit_task_network", lambda *a, **k: os._exit(9))  # killed, as by the OOM killer
    with pytest.raises(RuntimeFailure, match="unit-task.html and the task networks' exports: the process making it stopped"):
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


def test_the_collector_runs_less_often_while_the_views_are_made_and_as_before_after(mini_graph, tmp_path, monkeypatch):
    import gc

    seen = []
    real = nw.co_responsibility_network

    def spy(*args, **kw):
        seen.append(gc.get_threshold()[0])
        return real(*args, **kw)

    monkeypatch.setattr(nw, "co_responsibility_network", spy)
    before = gc.get_threshold()
    views.build_views(mini_graph, tmp_path / "ok", lang="zh")
    assert seen and min(seen) >= 100_000 > before[0]
    assert gc.get_threshold() == before
    monkeypatch.setattr(nw, "unit_task_network", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        views.build_views(mini_graph, tmp_path / "broken", lang="zh")
    assert gc.get_threshold() == before
