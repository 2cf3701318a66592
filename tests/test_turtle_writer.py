"""Each plan's Turtle is written in Python (policykg.rdf.turtle), where it went through pyoxigraph's
writer: the bytes must be pyoxigraph's, whatever the triples hold, and the Python path must be the
one taken for what plans hold."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policykg.rdf import turtle
from policykg.rdf.build import TURTLE_PREFIXES
from policykg.rdf.export import turtle_fragment
from policykg.rdf.mapping import PlanInput, concept_triples, header_triples, plan_triples
from policykg.rdf.terms import XSD, Lit, nt_line, nt_lines

PKG = TURTLE_PREFIXES["pkg"]
DATA = "https://w3id.org/policykg/id/plan/x/"
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
LOCAL = st.builds("".join, st.lists(st.sampled_from(list("abcXYZ019-._~/中é") + ["%20", "\U0001F600"]), max_size=8))
IRIS = st.one_of(
    st.builds(lambda local: PKG + local, LOCAL),  # under a prefix: prefixed, escaped or in full
    st.builds(lambda local: XSD + local, LOCAL),
    st.builds(lambda local: DATA + local, LOCAL),
    st.sampled_from([turtle.RDF_TYPE, PKG, "http://example.org/other#p"]),
)
DATATYPES = st.sampled_from([XSD + n for n in ("integer", "decimal", "double", "boolean", "date", "gYear",
                                               "string")] + [PKG + "odd", "http://example.org/dt"])
NUMBERISH = st.sampled_from(["0", "-0", "+5", "007", "1.", ".5", "1.50", "1e3", "2.5E-3", ".e1", "1.e-2",
                             "INF", "true", "false", "True", "", " 1", "2022-06-08", "2022"])
LITERALS = st.one_of(
    st.builds(lambda v: Lit(v), TEXT),
    st.builds(lambda v, lang: Lit(v, lang=lang), TEXT, st.sampled_from(["zh", "en", "zh-Hans", "EN-gb", "x-a1"])),
    st.builds(lambda v, dt: Lit(v, datatype=dt), st.one_of(NUMBERISH, TEXT), DATATYPES),
)
TRIPLES = st.tuples(st.one_of(IRIS, st.sampled_from(["_:b1", "_:b2"])), IRIS,
                    st.one_of(IRIS, LITERALS, st.sampled_from(["_:b1"])))


def pyoxigraph_bytes(triples) -> bytes:
    return turtle_fragment([nt_line(t) for t in triples], TURTLE_PREFIXES)


def sorted_as_a_plan(triples):
    """In the order a build writes them: by their N-Triples lines."""
    return [t for t, _ in sorted(nt_lines(triples).items(), key=lambda item: item[1])]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TRIPLES, min_size=1, max_size=15))
def test_the_bytes_are_pyoxigraphs_whatever_the_terms(triples):
    triples = sorted_as_a_plan(triples)
    assert turtle.TurtleWriter(TURTLE_PREFIXES).fragment(triples) == pyoxigraph_bytes(triples)


def test_a_writer_gives_the_same_bytes_after_it_has_written_other_fragments():
    writer = turtle.TurtleWriter(TURTLE_PREFIXES)
    first = [(DATA + "a", PKG + "text", Lit("一")), (DATA + "a", turtle.RDF_TYPE, PKG + "Measure")]
    second = [(DATA + "b", turtle.RDF_TYPE, PKG + "Measure"), (DATA + "b", PKG + "line", Lit("3", XSD + "integer"))]
    writer.fragment(first)
    assert writer.fragment(second) == pyoxigraph_bytes(second)
    assert writer.fragment(first) == pyoxigraph_bytes(first)


def _python_path(triples) -> bytes:
    """The Python path alone: fails where it would hand the fragment to pyoxigraph."""
    return turtle.TurtleWriter(TURTLE_PREFIXES)._write(triples)


def test_what_a_plan_holds_is_written_in_python(doc, place, rec):
    """Every term form of the Gaoqing plan and the vocabulary: none sends a plan to pyoxigraph."""
    triples = sorted_as_a_plan(plan_triples(PlanInput(doc, place, rec)))
    assert len(triples) > 1000
    assert _python_path(triples) == pyoxigraph_bytes(triples)
    vocabulary = sorted_as_a_plan(header_triples("https://w3id.org/policykg/id/") + concept_triples())
    assert _python_path(vocabulary) == pyoxigraph_bytes(vocabulary)


@pytest.mark.parametrize("term, form", [
    (Lit("a\tb\x01\u2028\ufffe\"\\"), r'"a\tb\u0001' + "\u2028" + r'\uFFFE\"\\"'),
    (Lit("5", XSD + "integer"), "5"),
    (Lit("5.0", XSD + "double"), '"5.0"^^xsd:double'),
    (Lit("5e0", XSD + "double"), "5e0"),
    (Lit("x", lang="zh-Hans"), '"x"@zh-hans'),
    (Lit("x", XSD + "string"), '"x"'),  # xsd:string written as a plain literal
    (Lit("2022", XSD + "gYear"), '"2022"^^xsd:gYear'),
    (PKG + "Measure", "pkg:Measure"),
    (DATA + "measure/1", f"<{DATA}measure/1>"),
])
def test_term_forms(term, form):
    triples = [(DATA + "s", PKG + "p", term)]
    expected = f"<{DATA}s> pkg:p {form} .\n".encode()
    assert _python_path(triples) == expected == pyoxigraph_bytes(triples)


@pytest.mark.parametrize("term", ["_:b1", PKG + "a.b", PKG + "-a", PKG + "a%20b", PKG + "中"])
def test_other_forms_go_to_pyoxigraph(term):
    triples = [(DATA + "s", PKG + "p", term)]
    with pytest.raises(turtle._Unplain):
        _python_path(triples)
    assert turtle.TurtleWriter(TURTLE_PREFIXES).fragment(triples) == pyoxigraph_bytes(triples)


def test_no_triples_no_text():
    # a plan whose triples all sit under its own IRI has no shared fragment: nothing is written
    assert turtle.TurtleWriter(TURTLE_PREFIXES).fragment([]) == b"" == turtle_fragment([], TURTLE_PREFIXES)
