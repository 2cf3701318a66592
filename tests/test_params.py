"""Parameters are bound as escaped literals: a value cannot add SPARQL of its own."""

import re

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
    # any string but one holding a \uXXXX escape as text, which is refused (engines read it differently)
    engine = OxigraphEngine()
    if re.search(r"\\(?:u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})", value):
        with pytest.raises(ParameterError, match="holds the escape"):
            engine.run("SELECT ?v WHERE { BIND($x AS ?v) }", {"x": value}, trusted=True)
        return
    got = engine.run("SELECT ?v WHERE { BIND($x AS ?v) }", {"x": value}, trusted=True)
    assert got.values() == [(value,)]


def test_a_value_spelling_an_escape_is_refused_and_one_that_does_not_round_trips():
    engine = OxigraphEngine()
    with pytest.raises(ParameterError, match="holds the escape"):
        engine.run("SELECT ?v WHERE { BIND($x AS ?v) }", {"x": "\\u0000"}, trusted=True)
    assert engine.run("SELECT ?v WHERE { BIND($x AS ?v) }", {"x": "\\u00"}, trusted=True).values() == [("\\u00",)]


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


# What the scanner must know of SPARQL 1.1's grammar to find $name tokens (VAR2): string
# literals in ' " ''' """ with backslash escapes, IRIs <...> (no spaces inside, else it is the
# less-than operator), # comments to the line end, and VARNAME characters (letters, digits, _, ·).
def names(query):
    return [name for _, _, name in dollar_variables(query)]


def test_variable_names_hold_underscore_and_middle_dot():
    assert dollar_variables("?s ?p $a_b . ?s ?q $a·b . ?s ?r $x") == [(6, 10, "a_b"), (19, 23, "a·b"),
                                                                      (32, 34, "x")]


def test_a_dollar_sign_alone_is_not_a_variable():
    assert dollar_variables("$ $a") == [(2, 4, "a")]


def test_strings_of_every_quoting_hide_variables():
    assert names("?s ?p '$a' . ?s ?p \"$b\" . ?s ?p $c") == ["c"]
    assert names('?s ?p """say "$a" here""" . ?s ?p $b') == ["b"]
    assert names("?s ?p '''it's '$a' here''' . ?s ?p $b") == ["b"]
    assert names('?s ?p """line one\n$a line two""" . ?s ?p $b') == ["b"]  # long strings span lines
    assert names("?X ?p $a") == ["a"]


def test_backslash_escapes_inside_strings():
    assert names('?s ?p "a\\"$a" . ?s ?p $b') == ["b"]  # \" does not end the string
    assert names('FILTER(?o = "\\\\" || ?o = $a)') == ["a"]  # \\ is one escape; " then ends it


def test_a_broken_string_ends_at_its_line_end():
    # a short string cannot hold a line break: the parser will report it; the next line is code
    assert names('?s ?p "not closed\n?s ?q $a') == ["a"]
    assert names('?s ?p "never closed $a') == []


def test_iris_hide_variables_and_less_than_does_not():
    assert names("?s <http://example.org/X/$a> $b") == ["b"]
    assert names("?s <http://example.org/p>$a") == ["a"]
    assert names("FILTER(?o < $a)") == ["a"]
    assert names("FILTER(?o <$a && ?o > 1)") == ["a"]
    assert names("FILTER(?o <$a") == ["a"]  # ends while it could still be an IRI
    assert names("FILTER(?o < $b&&$c>0)") == ["b", "c"]  # a space right after < : no IRI
    assert names("?s <http://example.org/ns#> $a") == ["a"]  # the # inside the IRI starts no comment


def test_a_variable_at_the_very_end():
    assert dollar_variables("?s ?p $a") == [(6, 8, "a")]


def test_strip_comments_keeps_the_text_before_the_first_comment():
    assert strip_comments("SELECT * {} # c\nASK {}") == "SELECT * {} \nASK {}"


@pytest.mark.parametrize("value, escape, spelled", [
    ("县\\u516c安局", "\\u516c", "县公安局"),
    ("a\\U0001F600b", "\\U0001F600", "a\U0001F600b"),
    ("\\uE000", "\\uE000", "\ue000"),  # private use: a character, spelled
    ("\\uD800", "\\uD800", "\\uD800"),  # a lone surrogate is no character: left as written
    ("\\U00110000", "\\U00110000", "\\U00110000"),  # past U+10FFFF: no character either
    ("\\U0010FFFF", "\\U0010FFFF", "\U0010FFFF"),  # the last code point is one
    ("\\uDFFF", "\\uDFFF", "\\uDFFF"),  # the last surrogate is not
])
def test_codepoint_escapes_are_refused_with_the_characters_they_spell(value, escape, spelled):
    with pytest.raises(ParameterError) as refused:
        sparql_string(value)
    message = str(refused.value)
    assert f"the value {value} holds the escape {escape}," in message
    assert message.endswith(f"give the characters themselves: {spelled}")
