"""Loading graph files into both engines."""

import pytest
from conftest import ROOT

from policykg.sparql.engines import GraphLoadError, load_engine

FIXTURE = ROOT / "tests" / "fixtures" / "mini_plan.ttl"


def test_turtle_ntriples_and_trig_load_the_same_triples(tmp_path):
    from rdflib import Dataset, Graph, URIRef

    g = Graph().parse(FIXTURE)
    g.serialize(tmp_path / "a.nt", format="nt")
    ds = Dataset()
    named = ds.graph(URIRef("https://example.org/g"))
    for t in g:
        named.add(t)
    ds.serialize(tmp_path / "b.trig", format="trig")
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    for engine in ("oxigraph", "rdflib"):
        for path in (FIXTURE, tmp_path / "a.nt", tmp_path / "b.trig"):
            e = load_engine([path], engine)
            assert e.run(count).values() == [(str(len(g)),)], (engine, path.name)


def test_missing_or_unknown_files_are_named(tmp_path):
    with pytest.raises(GraphLoadError, match="no such file"):
        load_engine([tmp_path / "nope.ttl"])
    (tmp_path / "x.xml").write_text("<rdf/>")
    with pytest.raises(GraphLoadError, match="unknown graph format"):
        load_engine([tmp_path / "x.xml"])
    with pytest.raises(GraphLoadError, match="no graph files"):
        load_engine([tmp_path / "empty"] if (tmp_path / "empty").mkdir() is None else [])
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n")
    for engine in ("oxigraph", "rdflib"):
        with pytest.raises(GraphLoadError, match="bad.ttl: cannot read"):
            load_engine([bad], engine)


def test_a_trusted_query_stopped_at_its_time_limit_leaves_no_pyoxigraph_error(tmp_path):
    """The views and the server's per-plan questions run trusted queries in a thread; one stopped
    at its limit used to leave pyoxigraph's result to be freed by another thread, which printed
    `RuntimeError: … PyQuerySolutions is unsendable …` when the process ended."""
    import subprocess
    import sys

    script = tmp_path / "stop.py"
    script.write_text(
        "import time\n"
        "from policykg.errors import QueryTimeoutError\n"
        "from policykg.sparql.engines import load_engine\n"
        f"e = load_engine([{str(ROOT / 'graph')!r}], store=False)\n"
        "try:\n"
        "    e.run('SELECT ?a ?b ?c WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }', trusted=True, timeout=0.2)\n"
        "except QueryTimeoutError:\n"
        "    print('stopped')\n"
        "time.sleep(1)\n",
        encoding="utf-8",
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "stopped"
    assert "unsendable" not in done.stderr and "RuntimeError" not in done.stderr, done.stderr
