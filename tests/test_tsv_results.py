"""The Oxigraph engine reads answers from Oxigraph's TSV serialization (policykg.sparql.tsv):
every term must come out as the same Term the pyoxigraph objects give, whatever it holds."""

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policykg.sparql.engines import OxigraphEngine, _from_oxigraph
from policykg.sparql.results import XSD, Term
from policykg.sparql.tsv import TsvFormatError, parse_term, parse_tsv

# Any text but lone surrogates, which no RDF store holds.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
IRI_PIECES = st.sampled_from(list("abcXYZ019-._~/?=&+!$'()*,;:@") + ["%20", "%E4", "中", "文", "é", "\U0001F600"])
IRIS = st.builds(lambda pieces: ox.NamedNode("http://example.org/" + "".join(pieces)),
                 st.lists(IRI_PIECES, max_size=20))
LANGS = st.sampled_from(["zh", "en", "zh-Hans", "en-GB", "x-private1"])
DATATYPES = st.sampled_from(
    [XSD + n for n in ("integer", "decimal", "double", "boolean", "date", "string", "int")]
    + ["http://example.org/dt"]
)
NUMBERISH = st.sampled_from(["0", "-0", "+5", "007", "1.", ".5", "1.50", "1e3", "2.5E-3", "INF", "NaN",
                             "true", "false", "1", "abc", "", " 1", "2022-06-08"])
LITERALS = st.one_of(
    st.builds(ox.Literal, TEXT),
    st.builds(lambda v, lang: ox.Literal(v, language=lang), TEXT, LANGS),
    st.builds(lambda v, dt: ox.Literal(v, datatype=ox.NamedNode(dt)), st.one_of(NUMBERISH, TEXT), DATATYPES),
)
OBJECTS = st.one_of(LITERALS, IRIS, st.builds(ox.BlankNode))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(OBJECTS, min_size=1, max_size=12), st.booleans())
def test_tsv_path_gives_the_terms_the_objects_give(objects, with_unbound):
    store = ox.Store()
    subject = ox.NamedNode("http://example.org/s")
    for k, o in enumerate(objects):
        store.add(ox.Quad(subject, ox.NamedNode(f"http://example.org/p{k}"), o))
    query = "SELECT ?p ?o ?none WHERE { ?s ?p ?o OPTIONAL { ?o <http://example.org/x> ?none } } ORDER BY ?p"
    if not with_unbound:
        query = query.replace(" ?none WHERE", " WHERE")
    expected = [tuple(_from_oxigraph(t) for t in solution) for solution in store.query(query)]
    assert OxigraphEngine(store).run(query, trusted=True).rows == expected


def test_cells_of_every_kind():
    assert parse_term("") is None
    assert parse_term("<http://x/中>") == Term("uri", "http://x/中")
    assert parse_term("_:b0") == Term("bnode", "b0")
    assert parse_term('"a\\tb\\n\\"c\\"\\\\ \\u4E2D"') == Term("literal", 'a\tb\n"c"\\ 中')
    assert parse_term('"中文"@zh-hans') == Term("literal", "中文", None, "zh-hans")
    assert parse_term('"1"^^<http://www.w3.org/2001/XMLSchema#string>') == Term("literal", "1")
    assert parse_term('"2022-06-08"^^<http://www.w3.org/2001/XMLSchema#date>') == \
        Term("literal", "2022-06-08", XSD + "date")
    assert parse_term("-5") == Term("literal", "-5", XSD + "integer")
    assert parse_term("0.5") == Term("literal", "0.5", XSD + "decimal")
    assert parse_term("1E3") == Term("literal", "1E3", XSD + "double")
    assert parse_term("false") == Term("literal", "false", XSD + "boolean")


@pytest.mark.parametrize("cell", ['"open', "banana", '"x"^^dt', '"\\q"', "1.2.3"])
def test_cells_that_are_not_terms_are_refused(cell):
    with pytest.raises(TsvFormatError):
        parse_term(cell)


def test_a_row_of_the_wrong_width_is_refused():
    with pytest.raises(TsvFormatError, match="a row of 1 cells under 2 variables"):
        parse_tsv(b"?a\t?b\n<http://x>\n", 2)


def test_quoted_triples_fall_back_to_the_objects():
    store = ox.Store()
    inner = ox.Triple(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/b"), ox.Literal("c"))
    store.add(ox.Quad(ox.NamedNode("http://x/claim"), ox.NamedNode("http://x/says"), inner))
    rows = OxigraphEngine(store).run("SELECT ?s ?t WHERE { ?s ?p ?t }", trusted=True).rows
    assert [r[0] for r in rows] == [Term("uri", "http://x/claim")]
    assert rows[0][1] is not None and "http://x/a" in rows[0][1].value
