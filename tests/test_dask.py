"""`policykg build --executor dask`: the per-document work on a Dask cluster gives the same bytes
as local processes, refuses what they refuse, and says in one line what is wrong with the cluster."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import GAOQING, ROOT

from policykg.errors import DocumentsError, InputError
from policykg.rdf import executors
from policykg.rdf.build import build
from policykg.rdf.executors import DaskExecutor

distributed = pytest.importorskip("distributed", reason="Dask is the optional extra policykg[dask]; .ci/run installs it")

GRAPH_FILES = ("policykg.ttl", "policykg.trig")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Gaoqing and 40 synthetic plans over several counties, so units are shared across plans and
    the Dask executor sends several chunks to each worker."""
    from policykg.corpus.synthetic import generate_corpus

    folder = tmp_path_factory.mktemp("corpus")
    generate_corpus(40, folder, seed=11)
    (folder / GAOQING.name).write_bytes(GAOQING.read_bytes())
    return folder


@pytest.fixture(scope="module")
def local_build(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("local") / "graph"
    build([corpus], out=out, workers=2)
    return out


@pytest.fixture(scope="module")
def threads_cluster():
    """Two workers of one thread each, in this process (two threads build at once)."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as cluster:
        yield cluster


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "policykg", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


def test_a_dask_cluster_in_this_process_builds_the_same_bytes(corpus, local_build, threads_cluster, tmp_path):
    with distributed.Client(threads_cluster) as client, distributed.get_task_stream(client) as stream:
        out = tmp_path / "graph"
        result = build([corpus], out=out, executor=DaskExecutor(client=client))
    assert len(result.plans) == 41
    chunks = [task for task in stream.data if task["key"].startswith("_dask_chunk")]
    assert len(chunks) == -(-41 // executors.DASK_CHUNK)  # every document was built on the cluster
    assert {task["worker"] for task in chunks} == set(threads_cluster.scheduler_info["workers"])
    for name in GRAPH_FILES:
        assert (out / name).read_bytes() == (local_build / name).read_bytes(), name


def test_the_cli_on_a_two_process_cluster_builds_the_same_bytes(corpus, local_build, tmp_path):
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=":0") as cluster:
        out = tmp_path / "graph"
        result = run_cli("build", corpus, "--out", out, "-q", "--executor", "dask",
                         "--scheduler", cluster.scheduler_address)
        with distributed.Client(cluster) as client:
            executed = client.run(lambda dask_worker: dask_worker.state.executed_count)
    assert sum(executed.values()) >= -(-41 // executors.DASK_CHUNK)  # the documents were built there
    assert result.returncode == 0, result.stderr
    for name in GRAPH_FILES:
        assert (out / name).read_bytes() == (local_build / name).read_bytes(), name
    # the store was loaded from them, as with the local executor
    from policykg.sparql.engines import load_engine

    engine = load_engine([out])
    assert engine.opened is not None
    assert int(engine.run("SELECT (COUNT(?p) AS ?n) WHERE { ?p a <https://w3id.org/policykg/ns#Plan> }",
                          trusted=True).rows[0][0].value) == 41
    engine.close()


def test_documents_refused_on_dask_are_each_named_as_locally(corpus, threads_cluster, tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    for path in sorted(corpus.glob("synthetic-*.txt"))[:20]:
        (sources / path.name).write_bytes(path.read_bytes())
    (sources / "synthetic-00003.txt").write_text("没有标题的文字\n", encoding="utf-8")
    (sources / "synthetic-00017.txt").write_text("", encoding="utf-8")
    with pytest.raises(DocumentsError) as local:
        build([sources], out=tmp_path / "a", workers=2)
    with distributed.Client(threads_cluster) as client, pytest.raises(DocumentsError) as remote:
        build([sources], out=tmp_path / "b", executor=DaskExecutor(client=client))
    assert str(remote.value) == str(local.value)
    assert "synthetic-00003.txt" in str(remote.value) and "synthetic-00017.txt" in str(remote.value)
    assert not (tmp_path / "b").exists()


def test_workers_that_cannot_read_the_sources_are_refused_in_one_line(corpus, threads_cluster, tmp_path,
                                                                      monkeypatch):
    monkeypatch.setattr(executors, "_readable", lambda path: False)  # a worker on another machine
    with distributed.Client(threads_cluster) as client, pytest.raises(InputError) as err:
        build([corpus], out=tmp_path / "graph", executor=DaskExecutor(client=client))
    assert "cannot read it" in str(err.value) and "shared folder" in str(err.value)
    assert "\n" not in str(err.value)
    assert not (tmp_path / "graph").exists()


def test_no_scheduler_at_the_address_is_one_error_line(monkeypatch):
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(InputError) as err:
        DaskExecutor("tcp://127.0.0.1:9")
    assert str(err.value).startswith("--scheduler tcp://127.0.0.1:9: no Dask scheduler answers there")


@pytest.mark.parametrize("args, message", [
    (["--executor", "dask"], "error: --executor dask needs --scheduler ADDRESS"),
    (["--scheduler", "tcp://127.0.0.1:8786"], "error: --scheduler is for --executor dask"),
])
def test_executor_options_that_do_not_fit_are_one_error_line(tmp_path, args, message):
    result = run_cli("build", GAOQING, "--out", tmp_path / "graph", *args)
    assert result.returncode == 2
    assert result.stderr.strip() == message or result.stderr.strip().startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "graph").exists()


def test_without_dask_installed_the_error_is_one_line(tmp_path):
    # distributed made unimportable, as where the extra is not installed
    code = ("import sys; sys.modules['distributed'] = None; from policykg.cli import main; "
            "sys.argv = ['policykg'] + sys.argv[1:]; main()")
    result = subprocess.run([sys.executable, "-c", code, "build", str(GAOQING), "--out", str(tmp_path / "graph"),
                             "--executor", "dask", "--scheduler", "tcp://127.0.0.1:8786"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip() == ("error: --executor dask needs Dask's distributed scheduler: "
                                     "pip install 'policykg[dask]'")
    assert not (tmp_path / "graph").exists()
