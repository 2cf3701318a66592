"""The build's Oxigraph store: opened when it matches the files, refused when stale, consistent
for a reader while a build replaces it, and answering as the files do."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from conftest import GAOQING, ROOT

from policykg.rdf.build import build
from policykg.rdf.export import TEMP_MARK
from policykg.rdf.store import STORE_DIR, verify
from policykg.sparql.catalog import load_catalog
from policykg.sparql.engines import load_engine

PLAN = "https://w3id.org/policykg/id/plan/gaoqing/gaoqing-urban-rural-pilot-2022"
COUNT_PLANS = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a <https://w3id.org/policykg/ns#Plan> }"
COUNT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def count(engine, query=COUNT_PLANS) -> int:
    return int(engine.run(query, trusted=True).rows[0][0].value)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Gaoqing and three synthetic plans (two counties, so units are shared across plans)."""
    from policykg.corpus.synthetic import generate_corpus

    folder = tmp_path_factory.mktemp("corpus")
    generate_corpus(3, folder, seed=3)
    (folder / GAOQING.name).write_bytes(GAOQING.read_bytes())
    return folder


def test_the_build_writes_a_store_marked_with_the_files_it_came_from(tmp_path):
    out = tmp_path / "graph"
    build([GAOQING], out=out)
    assert sorted(p.name for p in out.iterdir()) == ["policykg.trig", "policykg.ttl", STORE_DIR]
    assert verify(out) == []
    (out / "policykg.trig").write_bytes(b"")
    assert verify(out) == ["policykg.trig"]


def test_a_matching_store_is_opened_not_the_files(tmp_path):
    out = tmp_path / "graph"
    build([GAOQING], out=out)
    engine = load_engine([out])
    assert engine.opened is not None
    triples = count(engine, COUNT_TRIPLES)
    engine.close()
    # Garble the Turtle but keep its size and time: only an engine that reads the store answers.
    ttl = out / "policykg.ttl"
    stat = ttl.stat()
    ttl.write_bytes(b"#" * stat.st_size)
    os.utime(ttl, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    engine = load_engine([out])
    assert count(engine, COUNT_TRIPLES) == triples
    assert count(engine) == 1
    engine.close()
    assert count(load_engine([out], store=False), COUNT_TRIPLES) == 0  # the garbled file holds nothing


def test_a_stale_store_is_refused_and_the_files_read(tmp_path):
    out = tmp_path / "graph"
    build([GAOQING], out=out)
    ttl = out / "policykg.ttl"
    ttl.write_bytes(ttl.read_bytes() + b"<urn:x:added> a <https://w3id.org/policykg/ns#Plan> .\n")
    notes = []
    engine = load_engine([out], notify=notes.append)
    assert engine.opened is None
    assert count(engine) == 2  # the file as it is now
    assert len(notes) == 1 and "was not loaded from" in notes[0] and "policykg.ttl" in notes[0]


def test_a_store_from_another_layout_or_without_manifest_is_refused(tmp_path):
    out = tmp_path / "graph"
    build([GAOQING], out=out)
    (out / STORE_DIR / "manifest.json").unlink()
    notes = []
    engine = load_engine([out], notify=notes.append)
    assert engine.opened is None and count(engine) == 1
    assert "incomplete" in notes[0]


def test_query_command_says_when_it_reads_the_files(tmp_path):
    from click.testing import CliRunner

    from policykg.cli.main import cli

    out = tmp_path / "graph"
    build([GAOQING], out=out)
    (out / "policykg.ttl").touch()  # same bytes, newer time: not provably what the store holds
    result = CliRunner().invoke(cli, ["query", "plans", "-g", str(out), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "note:" in result.stderr and "reading the graph files instead" in result.stderr
    assert "高政办字〔2022〕21号" in result.stdout


@pytest.mark.parametrize("plan", [None, "gaoqing-urban-rural-pilot-2022"])
def test_every_catalog_question_answers_on_the_store_as_on_the_files(corpus, tmp_path, plan):
    out = tmp_path / "graph"
    build([corpus], out=out)
    on_store = load_engine([out], plan=plan)
    on_files = load_engine([out], plan=plan, store=False)
    assert on_store.opened is not None and on_files.opened is None
    assert len(on_store) == len(on_files)
    params = {"unit": "县公安局", "keyword": "户籍"}  # the required parameters, as the plan names them
    for entry in load_catalog():
        text = entry.bind({p.name: params[p.name] for p in entry.parameters if p.required})
        a = on_store.run(text, trusted=True)
        b = on_files.run(text, trusted=True)
        assert sorted(map(str, a.rows)) == sorted(map(str, b.rows)), entry.name
    # a user's query runs in a forked child: on the store too
    assert count(on_store, COUNT_TRIPLES) == int(on_store.run(COUNT_TRIPLES).rows[0][0].value)
    if plan:  # GRAPH patterns see the plan's graph, and on the store no other
        graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        assert [row[0].value for row in on_store.run(graphs).rows] == [PLAN]
        assert PLAN in {row[0].value for row in on_files.run(graphs).rows}
    on_store.close()


@pytest.mark.parametrize("wanted", ["gaoqing-urban-rural-pilot-2022", "gaoqing/gaoqing-urban-rural-pilot-2022",
                                    PLAN, f"<{PLAN}>", "高政办字〔2022〕21号", "高青县城乡融合发展试验区实施方案"])
def test_plan_named_on_the_store_as_on_the_files(corpus, tmp_path, wanted):
    out = tmp_path / "graph"
    build([corpus], out=out)
    on_store = load_engine([out], plan=wanted)
    assert on_store.opened is not None and on_store.default_graph[0].value == PLAN
    assert count(on_store) == 1 == count(load_engine([out], plan=wanted, store=False))


def test_an_unknown_plan_is_refused_on_the_store_as_on_the_files(corpus, tmp_path):
    from policykg.errors import GraphLoadError

    out = tmp_path / "graph"
    build([corpus], out=out)
    messages = []
    for use_store in (True, False):
        with pytest.raises(GraphLoadError) as caught:
            load_engine([out], plan="no-such-plan", store=use_store)
        messages.append(str(caught.value))
    assert messages[0] == messages[1] and "gaoqing-urban-rural-pilot-2022" in messages[0]


def test_a_reader_keeps_the_store_it_opened_while_a_build_replaces_it(corpus, tmp_path):
    out = tmp_path / "graph"
    build([GAOQING], out=out)
    reader = load_engine([out])
    plan_reader = load_engine([out], plan=PLAN)
    assert count(reader) == 1
    build([corpus], out=out)  # four plans now
    assert count(reader) == 1  # still the store it opened, whole
    assert count(plan_reader) == 1
    assert reader.run(COUNT_PLANS).rows[0][0].value == "1"  # and in a forked child
    kept = [p for p in tmp_path.iterdir() if TEMP_MARK in p.name]
    assert len(kept) == 1, "the previous outputs, still read, are left beside the new ones"
    fresh = load_engine([out])
    assert count(fresh) == 4
    reader.close()
    plan_reader.close()
    build([corpus], out=out)  # the first outputs, unread now, are removed; the second are read
    assert len([p for p in tmp_path.iterdir() if TEMP_MARK in p.name]) == 1
    assert count(fresh) == 4
    fresh.close()
    build([GAOQING], out=out)
    assert [p.name for p in tmp_path.iterdir()] == ["graph"]
    assert count(load_engine([out])) == 1


READER = textwrap.dedent("""
    import json, sys, time
    from policykg.sparql.engines import load_engine
    out, seconds = sys.argv[1], float(sys.argv[2])
    query = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a <https://w3id.org/policykg/ns#Plan> }"
    held = load_engine([out], notify=print)
    first = held.run(query, trusted=True).rows[0][0].value
    seen = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        engine = load_engine([out], notify=print)
        seen.append((engine.opened is not None, engine.run(query, trusted=True).rows[0][0].value))
        engine.close()
        assert held.run(query, trusted=True).rows[0][0].value == first, "the held store changed"
    print(json.dumps({"first": first, "seen": sorted(set(seen)), "reads": len(seen)}))
""")


def test_readers_during_rebuilds_see_the_old_or_the_new_graph(corpus, tmp_path):
    import json

    out = tmp_path / "graph"
    build([GAOQING], out=out)
    reader = subprocess.Popen([sys.executable, "-c", READER, str(out), "6"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for sources in ([corpus], [GAOQING], [corpus], [GAOQING]):
        build(sources, out=out)
    stdout, stderr = reader.communicate(timeout=120)
    assert reader.returncode == 0, stderr
    lines = stdout.splitlines()
    assert len(lines) == 1, stdout  # no note: never a store beside files of another build
    report = json.loads(lines[0])
    assert report["first"] == "1"
    assert report["reads"] > 0
    # every read opened a store that matched its files, and saw one whole graph
    assert {tuple(x) for x in report["seen"]} <= {(True, "1"), (True, "4")}


def test_serve_opens_the_store(tmp_path):
    import json
    import time
    import urllib.parse
    import urllib.request

    from policykg.sparql.server import OxigraphServer

    out = tmp_path / "graph"
    build([GAOQING], out=out)
    start = time.perf_counter()
    with OxigraphServer.for_graph([out]) as server:
        ready = time.perf_counter() - start
        assert server.opened is not None and server._cleanup is None  # no temporary copy
        url = server.query_url + "?" + urllib.parse.urlencode({"query": COUNT_TRIPLES})
        req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(req, timeout=30) as response:
            served = int(json.load(response)["results"]["bindings"][0]["n"]["value"])
    files = load_engine([out], store=False)
    assert served == len(files)  # the union once: not the plans' graphs counted again
    assert ready < 15


def test_outputs_stay_deterministic_with_the_store(corpus, tmp_path):
    texts = []
    for name in ("a", "b"):
        out = tmp_path / name
        build([corpus], out=out, workers=1 if name == "a" else 2)
        texts.append({p.name: p.read_bytes() for p in out.iterdir() if p.is_file()})
    assert texts[0] == texts[1] and set(texts[0]) == {"policykg.ttl", "policykg.trig"}
    plain = tmp_path / "plain"
    build([corpus], out=plain, store=False)
    assert {p.name: p.read_bytes() for p in plain.iterdir()} == texts[0]


def test_a_signal_to_serve_on_the_store_ends_oxigraph_and_leaves_the_store(tmp_path):
    import signal

    import psutil

    from policykg.sparql.server import free_port

    out = tmp_path / "graph"
    build([GAOQING], out=out)
    proc = subprocess.Popen([sys.executable, "-m", "policykg", "serve", "-g", str(out), "--port", str(free_port())],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert proc.stdout.readline().startswith("SPARQL endpoint"), proc.stderr.read()
        children = [c for c in psutil.Process(proc.pid).children(recursive=True) if "oxigraph" in " ".join(c.cmdline())]
        assert children and any("/proc/self/fd/" in " ".join(c.cmdline()) for c in children)  # the store, not a copy
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        gone, alive = psutil.wait_procs(children, timeout=10)
        assert alive == []
    finally:
        if proc.poll() is None:
            proc.kill()
    assert verify(out) == [] and count(load_engine([out])) == 1


def test_the_store_holds_the_graph_once_and_finds_each_plans_graph_in_the_trig(corpus, tmp_path):
    import json

    import pyoxigraph as ox

    out = tmp_path / "graph"
    result = build([corpus], out=out)
    store = ox.Store.read_only(str(out / STORE_DIR / "db"))
    assert len(store) == result.triples and not list(store.named_graphs())
    del store
    index = json.loads((out / STORE_DIR / "plans.json").read_text(encoding="utf-8"))
    trig = (out / "policykg.trig").read_bytes()
    assert index["file"] == "policykg.trig" and len(index["plans"]) == 4
    assert trig[:index["prelude"]].startswith(b"@prefix") and b"{" not in trig[:index["prelude"]]
    for iri, (offset, length) in index["plans"].items():
        graph = trig[offset:offset + length]
        assert graph.startswith(f"<{iri}> {{\n".encode()) and graph.endswith(b"\n}\n")
    # every plan's graph, end to end, and nothing else
    spans = sorted(index["plans"].values())
    assert spans[0][0] == index["prelude"] and spans[-1][0] + spans[-1][1] == len(trig)
    assert all(a[0] + a[1] == b[0] for a, b in zip(spans, spans[1:]))


def test_a_build_built_again_or_refused_leaves_no_store_half_loaded(tmp_path):
    """The store loads while the plans are built: a second pass (two unit names that share a
    slug) starts it again, and a refused build leaves nothing of it beside the outputs."""
    from policykg.errors import DocumentError

    text = GAOQING.read_text(encoding="utf-8")
    src = tmp_path / "src"
    src.mkdir()
    # 县甲乙局 and 县假已局 are both xian-jia-yi-ju in pinyin: distinct units, one slug
    (src / "a.txt").write_text(text.replace("县公安局", "县甲乙局"), encoding="utf-8")
    (src / "b.txt").write_text(text.replace("县公安局", "县假已局"), encoding="utf-8")
    out = tmp_path / "graph"
    result = build([src], out=out)
    assert "plans-first-pass" in result.timings
    engine = load_engine([out])
    assert engine.opened is not None and len(engine) == result.triples
    assert count(engine) == 2
    units = "SELECT (COUNT(DISTINCT ?u) AS ?n) WHERE { ?u <http://www.w3.org/2004/02/skos/core#prefLabel> ?l " \
            "FILTER(STR(?l) IN ('县甲乙局', '县假已局')) }"
    assert count(engine, units) == 2
    engine.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph", "src"]
    (src / "c.txt").write_text("这不是一个方案。\n", encoding="utf-8")
    with pytest.raises(DocumentError):
        build([src], out=out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph", "src"]
    assert count(load_engine([out])) == 2


def test_a_graph_file_that_cannot_be_written_while_the_store_finishes_leaves_nothing(tmp_path, monkeypatch):
    """The store's last load and compaction run while the graph files are written: a failure to
    write them waits for that thread, and leaves neither a folder nor the earlier build changed."""
    from policykg.errors import OutputError
    from policykg.rdf import build as build_module

    out = tmp_path / "graph"
    build([GAOQING], out=out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    started = []

    def full_disk(pieces, digests, name):
        def write(target):
            started.append(name)
            raise OSError(28, "No space left on device")
        return write

    monkeypatch.setattr(build_module, "_streamed", full_disk)
    with pytest.raises(OutputError, match="No space left"):
        build([GAOQING], out=out)
    assert started == ["policykg.ttl"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph"]
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert count(load_engine([out])) == 1
