"""Parameters are bound as escaped literals: a value cannot add SPARQL of its own."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policykg.errors import ParameterError
from policykg.sparql.engines import OxigraphEngine
from policykg.sparql.params import bind, dollar_variables, sparql_string, strip_comments


def test_only_variable_tokens_are_replaced():
    q = 'SELECT * WHERE { ?s <http://x/$a> "$a" . FILTER(?o = $a) } # $a'
    assert [name for _, _, name in dollar_variables(q)] == ["a"]
    assert bind(q, {"a": "v"}) == 'SELECT * WHERE { ?s <http://x/$a> "$a" . FILTER(?o = "v") } # $a'


def test_injection_stays_inside_the_literal():
    evil = '" } SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } #'
    bound = bind("SELECT ?v WHERE { BIND($x AS ?v) }", {"x": evil})
    assert "SERVICE" in bound
    result = OxigraphEngine().run(bound)  # checked as a user query: it must be safe and run
    assert result.values() == [(evil,)]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_string_round_trips(value):
    engine = OxigraphEngine()
    got = engine.run("SELECT ?v WHERE { BIND($x AS ?v) }", {"x": value}, trusted=True)
    assert got.values() == [(value,)]


def test_language_tag_must_be_a_tag():
    assert sparql_string("a", "zh") == '"a"@zh'
    assert sparql_string("a", "zh-Hans-CN") == '"a"@zh-Hans-CN'
    # BCP 47 tags are ASCII letters and digits in pieces joined by -: anything else is refused
    # with the error that says so (not any exception: a crash would also "raise").
    for bad in ('zh" . }', "zh cn", "中文", "zh_CN", "zh-"):
        with pytest.raises(ParameterError, match="not a language tag"):
            sparql_string("a", bad)


def test_strip_comments_keeps_strings_and_iris():
    q = '# workload\n# task\nSELECT ?s WHERE { ?s <http://x/#frag> "# not a comment" } # end\n'
    assert strip_comments(q) == '\n\nSELECT ?s WHERE { ?s <http://x/#frag> "# not a comment" } \n'
