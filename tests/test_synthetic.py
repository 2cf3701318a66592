"""The synthetic corpus: deterministic, and parsed into exactly what the generator wrote.

Expectations come from the generator's own record of each document (IntendedPlan), never from
the parser's output."""

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT

from policykg.corpus.synthetic import COLLECTIVES, generate_corpus, generate_plan


def names(mentions):
    return [m.name for m in mentions]


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    generate_corpus(4, tmp_path / "a", seed=5)
    generate_corpus(4, tmp_path / "b", seed=5)
    generate_corpus(4, tmp_path / "c", seed=6)
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == [f"synthetic-0000{i}.txt" for i in range(1, 5)]
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert any((tmp_path / "a" / n).read_bytes() != (tmp_path / "c" / n).read_bytes() for n in files)
    # Document i does not depend on the corpus size, nor on the hash seed (CLI in a fresh process).
    env = {**os.environ, "PYTHONHASHSEED": "977", "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "policykg", "generate", "2", "--out", str(tmp_path / "d"),
                    "--seed", "5"], cwd=ROOT, env=env, check=True, capture_output=True)
    for name in files[:2]:
        assert (tmp_path / "d" / name).read_bytes() == (tmp_path / "a" / name).read_bytes()


@pytest.mark.parametrize("index", range(1, 13))
def test_parser_reads_what_the_generator_wrote(tmp_path, index):
    from policykg.rdf.reconcile import reconcile
    from policykg.rdf.registry import load_registry
    from policykg.text.parse import parse_plan

    text, intended = generate_plan(index, seed=0)
    path = tmp_path / intended.file_name
    path.write_text(text, encoding="utf-8")
    doc = parse_plan(path)
    meta = doc.metadata
    assert (meta.doc_number, meta.issuer, meta.issued, meta.title, meta.jurisdiction) == (
        intended.doc_number, intended.issuer, intended.issued, intended.title, intended.county)
    assert [(s.number, s.start_year, s.end_year, [g.text for g in s.goals]) for s in doc.stages] == [
        (s.number, s.start_year, s.end_year, list(s.goals)) for s in intended.stages]
    assert [(pt.number, pt.title, names(pt.lead_units)) for pt in doc.pilot_tasks] == [
        (pt.number, pt.title, list(pt.leads)) for pt in intended.pilot_tasks]
    assert [(wt.number, wt.title) for wt in doc.work_tasks()] == [
        (wt.number, wt.title) for pt in intended.pilot_tasks for wt in pt.work_tasks]
    assert [(m.text, names(m.units)) for m in doc.measures()] == [
        (m.text, list(m.units)) for m in intended.measures()]
    assert [(s.title, names(s.bodies)) for s in doc.safeguards] == [
        (t, list(b)) for t, b in zip(intended.safeguard_titles, intended.safeguard_bodies)]
    # Annex: one row per measure, merged cells filled from above.
    assert [(r.pilot_task, names(r.lead_units), r.work_task, r.text, names(r.units)) for r in doc.annex] == [
        (r.pilot_task, list(r.leads), r.work_task, r.text, list(r.units)) for r in intended.annex]
    place = load_registry().for_name(meta.jurisdiction)
    found = [(d.kind, d.subject[1]) for d in reconcile(doc, place.resolve).discrepancies]
    assert found == list(intended.discrepancies)


def test_corpus_spans_many_counties_with_mostly_unregistered_units():
    plans = [generate_plan(i)[1] for i in range(1, 201)]
    assert len({p.county for p in plans}) >= 30
    assert sum(1 for p in plans if p.discrepancies) >= 20
    assert {u for p in plans for m in p.measures() for u in m.units} & set(COLLECTIVES)


def test_parallel_build_equals_sequential_build(tmp_path):
    from policykg.rdf.build import build

    generate_corpus(10, tmp_path / "src", seed=3)
    one = build([tmp_path / "src"], out=tmp_path / "one", workers=1)
    two = build([tmp_path / "src"], out=tmp_path / "two", workers=2)
    for name in ("policykg.ttl", "policykg.trig"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    assert one.triples == two.triples == len(one.graph)
    assert 800 * 10 <= one.triples <= 1400 * 10  # about a thousand triples a document


def test_bench_small_run_gives_json_with_the_figures(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "policykg", "bench", "--docs", "3", "--json",
         "--query", "co-responsibility", "--query", "plans-per-jurisdiction"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )
    figures = json.loads(done.stdout)
    assert {"command", "machine", "docs", "triples", "generate_seconds", "build", "load", "queries",
            "targets"} <= set(figures)
    assert figures["docs"] == 3 and figures["triples"] > 2000
    assert {"seconds", "peak_pss_mb", "peak_rss_largest_process_mb", "files"} <= set(figures["build"])
    assert figures["build"]["peak_pss_mb"] > 10
    assert set(figures["queries"]) == {"co-responsibility", "plans-per-jurisdiction"}
    for row in figures["queries"].values():
        assert {"rows", "rdflib_seconds", "oxigraph_seconds", "raw_pyoxigraph_seconds",
                "overhead_vs_raw", "raw_pyoxigraph_values_seconds", "overhead_vs_raw_values",
                "oxigraph_speedup_vs_rdflib"} <= set(row)
        assert row["same_rows_as_rdflib"] is True
    assert figures["machine"]["nproc"] >= 1
    # the host's speed now, from building the documents in one process (a plan takes milliseconds)
    speed = figures["machine"]["host_speed"]
    assert speed["plans"] == 3 and 0.1 < speed["cpu_ms_per_plan"] < 10_000
    assert 0.1 < speed["reference_ms"] < 10_000  # the host alone, whatever the code
