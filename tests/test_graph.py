"""The RDF graph: ontology terms, provenance, SHACL, determinism, exports."""

import os
import subprocess
import sys

import pytest
from conftest import GAOQING, ROOT
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

PREFIXES = """
PREFIX pkg: <https://w3id.org/policykg/ns#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
PLAN = "https://w3id.org/policykg/id/plan/gaoqing/gaoqing-urban-rural-pilot-2022"


def rows(graph, query):
    return [tuple(str(v) if v is not None else None for v in row) for row in graph.query(PREFIXES + query)]


def test_plan_metadata(built):
    g = built.graph
    plan = URIRef(PLAN)
    assert (plan, None, None) in g
    [(number, issued, publisher, place)] = rows(g, f"""
        SELECT ?n ?d ?pub ?place WHERE {{
          <{PLAN}> a pkg:Plan, prov:Plan ; dcterms:identifier ?n ; dcterms:issued ?d ;
                  dcterms:publisher/skos:prefLabel ?pub ; pkg:jurisdiction/skos:prefLabel ?place }}""")
    assert (number, issued, publisher, place) == ("高政办字〔2022〕21号", "2022-06-08", "高青县人民政府办公室", "高青县")


def test_lead_units_in_body_and_annex(built):
    found = rows(built.graph, """
        SELECT ?n ?unit ?part WHERE {
          ?pt a pkg:PilotTask ; pkg:number ?n ; pkg:qualifiedAssignment ?a .
          ?a pkg:role pkg:lead ; pkg:assignedUnit/skos:prefLabel ?unit ; pkg:fromPart/skos:notation ?part }""")
    four = {(unit, part) for n, unit, part in found if n == "4"}
    assert four == {("县自然资源局", "body"), ("县农业农村局", "body"), ("市生态环境局高青分局", "body"),
                    ("县自然资源局", "annex")}
    plain = rows(built.graph, """
        SELECT ?unit WHERE { ?pt pkg:number 4 ; pkg:leadUnit/skos:prefLabel ?unit }""")
    assert sorted(u for (u,) in plain) == sorted(["县自然资源局", "县农业农村局", "市生态环境局高青分局"])


def test_structure_measure_work_task_pilot_task_plan(built):
    [(wt, pt, plan)] = rows(built.graph, """
        SELECT ?wtn ?ptn ?plan WHERE {
          ?m dcterms:identifier "8.3" ; dcterms:isPartOf ?wt .
          ?wt a pkg:WorkTask ; pkg:number ?wtn ; dcterms:isPartOf ?pt .
          ?pt a pkg:PilotTask ; pkg:number ?ptn ; dcterms:isPartOf ?plan }""")
    assert (wt, pt, plan) == ("8", "3", PLAN)


def test_annex_claims_are_kept_as_qualified_assignments(built):
    found = rows(built.graph, """
        SELECT ?unit ?part WHERE {
          ?m dcterms:identifier "8.1" ; pkg:qualifiedAssignment ?a .
          ?a pkg:assignedUnit/skos:prefLabel ?unit ; pkg:fromPart/skos:notation ?part }""")
    assert ("县自然资源局", "body") in found and ("县自然资源局", "annex") not in found
    assert ("县农业农村局", "annex") in found and ("县农业农村局", "body") not in found
    # The body stays the source of the plain links.
    plain = {u for (u,) in rows(built.graph, 'SELECT ?u WHERE { ?m dcterms:identifier "8.1" ; pkg:responsibleUnit/skos:prefLabel ?u }')}
    assert plain == {"县发展改革局", "县自然资源局", "各镇办"}


def test_provenance_spans(built, gaoqing_text):
    found = rows(built.graph, """
        SELECT ?start ?end ?line ?part WHERE {
          ?m dcterms:identifier "4.2" ; pkg:sourceSpan ?s .
          ?s pkg:startOffset ?start ; pkg:endOffset ?end ; pkg:line ?line ; pkg:fromPart/skos:notation ?part ;
             pkg:inDocument ?doc . ?doc pkg:sourceFile "gaoqing-urban-rural-pilot-2022.txt" }""")
    [(start, end, line, part)] = found
    assert gaoqing_text[int(start):int(end)].startswith("建设农村集体土地确权发证信息化")
    assert (line, part) == ("79", "body")
    annex = rows(built.graph, "SELECT ?line WHERE { ?e pkg:row 28 ; pkg:sourceSpan/pkg:line ?line }")
    assert annex == [("193",)]
    # Every measure, annex entry, assignment, goal and task has a span.
    missing = rows(built.graph, """
        SELECT ?x WHERE {
          VALUES ?c { pkg:Measure pkg:AnnexEntry pkg:Assignment pkg:Goal pkg:PilotTask pkg:WorkTask }
          ?x a ?c FILTER NOT EXISTS { ?x pkg:sourceSpan ?s } }""")
    assert missing == []


def test_stages_as_time_intervals(built):
    found = rows(built.graph, """
        SELECT ?n ?start ?end ?b WHERE { ?s a pkg:Stage, time:Interval ; pkg:number ?n ; pkg:startYear ?start ;
           pkg:endYear ?end ; time:hasBeginning/time:inXSDgYear ?b } ORDER BY ?n""")
    assert found == [("1", "2020", "2022", "2020"), ("2", "2023", "2025", "2023")]
    derived = rows(built.graph, """
        SELECT ?goal WHERE { ?goal pkg:namesPilotTask ?pt . ?pt pkg:number 2 }""")
    assert derived == [(f"{PLAN}/stage/1/goal/2",)]


def test_units_from_the_registry(built):
    found = rows(built.graph, """
        SELECT ?type ?reg WHERE { ?u skos:prefLabel "各镇办"@zh ;
           org:classification/skos:notation ?type ; pkg:registered ?reg }""")
    assert found == [("township-collective", "true")]
    variants = {a for (a,) in rows(built.graph, """
        SELECT ?alt WHERE { ?u skos:prefLabel "县住房城乡建设局"@zh ; skos:altLabel ?alt }""")}
    assert "县住房和城乡建设局" in variants
    iri = rows(built.graph, 'SELECT ?u WHERE { ?u skos:prefLabel "县公安局"@zh }')
    assert iri == [("https://w3id.org/policykg/id/unit/gaoqing/public-security-bureau",)]


def test_discrepancies_in_the_graph(built):
    kinds = rows(built.graph, """
        SELECT ?kind (COUNT(?d) AS ?n) WHERE { ?d a pkg:Discrepancy ; pkg:kind/skos:notation ?kind } GROUP BY ?kind""")
    counts = dict(kinds)
    assert counts["lead-units"] == "1" and counts["work-task"] == "3" and counts["unit-name"] == "2"
    about = rows(built.graph, """
        SELECT ?body ?annex WHERE { ?d pkg:kind pkg:leadUnits ; pkg:about ?pt ; pkg:bodyValue ?body ;
           pkg:annexValue ?annex . ?pt pkg:number 4 }""")
    assert about == [("县自然资源局、县农业农村局、市生态环境局高青分局", "县自然资源局")]


def test_conforms_to_shapes(built):
    from policykg.rdf.shapes import validation_report

    conforms, report = validation_report(built.graph)
    assert conforms, report


def test_shapes_catch_a_broken_graph(built):
    from policykg.rdf.shapes import validation_report

    broken = Graph()
    for triple in built.graph:
        broken.add(triple)
    broken.remove((URIRef(f"{PLAN}/measure/4.2"), URIRef("https://w3id.org/policykg/ns#text"), None))
    broken.add((URIRef(f"{PLAN}/stage/1"), URIRef("https://w3id.org/policykg/ns#endYear"), Literal(1999)))
    conforms, report = validation_report(broken)
    assert not conforms
    assert "measure/4.2" in report and "stage/1" in report


def test_committed_graph_equals_a_fresh_build(built):
    committed = (ROOT / "graph" / "policykg.ttl").read_bytes()
    fresh = next(p for p in built.files if p.suffix == ".ttl").read_bytes()
    assert committed == fresh, "graph/policykg.ttl is stale: run `policykg build`"


@pytest.mark.parametrize("suffix,fmt", [(".ttl", "turtle"), (".nt", "nt"), (".jsonld", "json-ld"), (".trig", "trig")])
def test_every_export_reads_back_isomorphic(built, suffix, fmt):
    path = next(p for p in built.files if p.suffix == suffix)
    if fmt == "trig":
        from rdflib import Dataset

        back = Graph()
        for s, p, o, _ in Dataset().parse(path, format="trig").quads():
            back.add((s, p, o))
    else:
        back = Graph().parse(path, format=fmt)
    assert isomorphic(back, built.graph)


def test_two_builds_are_byte_identical_across_hash_seeds_and_folders(tmp_path):
    outputs = []
    for seed, cwd in (("1", ROOT), ("4242", tmp_path)):
        out = tmp_path / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        subprocess.run(
            [sys.executable, "-m", "policykg", "build", str(GAOQING), "--out", str(out),
             "--format", "turtle,nt,jsonld,trig", "-q"],
            cwd=cwd, env=env, check=True, capture_output=True,
        )
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()})  # not the store
    assert outputs[0] == outputs[1]
    assert set(outputs[0]) == {"policykg.ttl", "policykg.nt", "policykg.jsonld", "policykg.trig"}


def test_namespace_is_configurable(tmp_path):
    from policykg.rdf.build import build

    result = build([GAOQING], out=None, namespace="http://example.org/kg/", validate=False)
    subjects = {str(s) for s in result.graph.subjects()}
    assert "http://example.org/kg/plan/gaoqing/gaoqing-urban-rural-pilot-2022/measure/4.2" in subjects
    assert not any(s.startswith("https://w3id.org/policykg/id/") for s in subjects)


def test_unregistered_unit_enters_the_graph_flagged(tmp_path, gaoqing_text):
    from policykg.rdf.build import build
    from policykg.rdf.report import summary

    path = tmp_path / "plan.txt"
    path.write_text(gaoqing_text.replace("（责任单位：县农业农村局，各镇办）", "（责任单位：县新设局，各镇办）", 1),
                    encoding="utf-8")
    result = build([path], out=None)
    found = rows(result.graph, """
        SELECT ?u ?reg ?type WHERE { ?u skos:prefLabel "县新设局"@zh ; pkg:registered ?reg ;
           org:classification/skos:notation ?type }""")
    # not in the registry, so flagged; typed by the registry's rules for unit names: a county 局
    assert found == [("https://w3id.org/policykg/id/unit/gaoqing/xian-xin-she-ju", "false", "government-department")]
    assert "县新设局" in summary(result).split("units not in the registry")[1]


def test_a_merged_annex_cell_is_one_claim_derived_from_every_row_it_spans(built):
    # Rows 1-3 of the annex share one 责任单位 cell (rows 2 and 3 leave it empty).
    found = rows(built.graph, """
        SELECT ?row WHERE {
          ?m dcterms:identifier "1.1" ; pkg:qualifiedAssignment ?a .
          ?a pkg:fromPart pkg:annex ; pkg:assignedUnit/skos:prefLabel "县科技局"@zh ; prov:wasDerivedFrom ?e .
          ?e pkg:row ?row } ORDER BY ?row""")
    assert found == [("1",), ("2",), ("3",)]
    claims = rows(built.graph, """
        SELECT ?a WHERE { ?m dcterms:identifier "1.1" ; pkg:qualifiedAssignment ?a .
          ?a pkg:fromPart pkg:annex ; pkg:assignedUnit/skos:prefLabel "县科技局"@zh }""")
    assert len(claims) == 1


def test_library_to_graph_gives_the_built_graph(built, doc, place, rec):
    """The Python API (parse_plan -> reconcile -> to_graph) and the build agree."""
    from policykg.rdf.mapping import PlanInput, to_graph

    assert isomorphic(to_graph([PlanInput(doc, place, rec)]), built.graph)
