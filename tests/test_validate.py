"""The compiled SHACL check the build uses agrees with pySHACL: on a good graph, and on graphs
broken one constraint component at a time."""

import pytest

from policykg.rdf.terms import XSD, Lit

PKG = "https://w3id.org/policykg/ns#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.fixture(scope="module")
def triples(tmp_path_factory):
    from policykg.corpus.synthetic import generate_plan
    from policykg.rdf.mapping import PlanInput, concept_triples, plan_triples
    from policykg.rdf.reconcile import reconcile
    from policykg.rdf.registry import load_registry
    from policykg.text.parse import parse_plan

    text, plan = generate_plan(2, seed=0)
    path = tmp_path_factory.mktemp("doc") / plan.file_name
    path.write_text(text, encoding="utf-8")
    doc = parse_plan(path)
    place = load_registry().for_name(doc.metadata.jurisdiction)
    return plan_triples(PlanInput(doc, place, reconcile(doc, place.resolve))) + concept_triples()


def first(triples, predicate):
    return next(t for t in triples if t[1] == predicate)


def replace(triples, old, new):
    return [new if t == old else t for t in triples] if new else [t for t in triples if t != old]


def breakages(triples):
    """(constraint component, broken triples)"""
    span = first(triples, PKG + "startOffset")
    end = next(t for t in triples if t[0] == span[0] and t[1] == PKG + "endOffset")
    start_year = first(triples, PKG + "startYear")
    role = first(triples, PKG + "role")
    ident = next(t for t in triples if t[1] == DCT + "identifier" and "/measure/" in t[0])
    label = next(t for t in triples if t[1] == SKOS + "prefLabel" and "/unit/" in t[0])
    publisher = first(triples, DCT + "publisher")
    number = first(triples, PKG + "number")
    title = next(t for t in triples if t[1] == PKG + "title" and "/pilot-task/" in t[0])
    return [
        ("minCount", replace(triples, end, None)),
        ("maxCount", triples + [(title[0], PKG + "title", Lit("另一个标题", None, "zh"))]),
        ("lessThan", replace(triples, span, (span[0], span[1], Lit(end[2].value, XSD + "integer")))),
        ("lessThanOrEquals", replace(triples, start_year, (start_year[0], start_year[1], Lit("2999", XSD + "integer")))),
        ("in", replace(triples, role, (role[0], role[1], PKG + "observer"))),
        ("pattern", replace(triples, ident, (ident[0], ident[1], Lit("第一条")))),
        ("languageIn", replace(triples, label, (label[0], label[1], Lit(label[2].value, None, "en")))),
        ("uniqueLang", triples + [(label[0], label[1], Lit(label[2].value + "（另称）", None, "zh"))]),
        ("class", replace(triples, publisher, (publisher[0], publisher[1], PKG + "NotAUnit"))),
        ("datatype", replace(triples, number, (number[0], number[1], Lit(number[2].value)))),
        ("minInclusive", replace(triples, number, (number[0], number[1], Lit("0", XSD + "integer")))
         if "/pilot-task/" in number[0] or "/work-task/" in number[0] else None),
    ]


def pyshacl_conforms(triples):
    from rdflib import Graph

    from policykg.rdf.shapes import validation_report
    from policykg.rdf.terms import to_rdflib

    graph = Graph()
    for s, p, o in triples:
        graph.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    return validation_report(graph)[0]


def test_good_graph_conforms_for_both(triples):
    from policykg.rdf.shapes import Shapes

    assert Shapes.load().violations(triples) == []
    assert pyshacl_conforms(triples)


def test_each_broken_constraint_fails_in_both(triples):
    from policykg.errors import ValidationError
    from policykg.rdf.shapes import Shapes

    shapes = Shapes.load()
    checked = []
    for component, broken in breakages(triples):
        if broken is None:
            continue
        found = shapes.violations(broken)
        assert found, component
        assert not pyshacl_conforms(broken), component
        with pytest.raises(ValidationError):
            shapes.check(broken)
        checked.append(component)
    assert len(checked) >= 10


def test_unsupported_shapes_are_refused(tmp_path):
    from policykg.errors import ValidationError
    from policykg.rdf.shapes import SHAPES_FILE, Shapes

    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SHAPES_FILE.read_text(encoding="utf-8").replace(
        "sh:targetClass pkg:Plan ;", "sh:targetClass pkg:Plan ; sh:closed true ;"), encoding="utf-8")
    with pytest.raises(ValidationError, match="not supported"):
        Shapes.load(shapes)


def test_a_build_stops_on_a_violation(tmp_path, monkeypatch):
    import policykg.rdf.build as build_module
    from policykg.corpus.synthetic import generate_corpus
    from policykg.errors import ValidationError

    generate_corpus(2, tmp_path / "src")
    real = build_module.plan_triples

    def broken(plan, namespace):
        return [t for t in real(plan, namespace) if t[1] != PKG + "endOffset"]

    monkeypatch.setattr(build_module, "plan_triples", broken)
    with pytest.raises(ValidationError):
        build_module.build([tmp_path / "src"], out=tmp_path / "graph", workers=1)
    assert not (tmp_path / "graph").exists()
