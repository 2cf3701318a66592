"""The SPARQL safety check in-process, one rule at a time, each layer on its own.

The rules are those of policykg.sparql.safety's docstring: the text is made canonical (length
bounded, control characters refused, the grammar's \\u / \\U escapes expanded once, none left);
brackets nested deeper than MAX_NESTING are refused; the word SERVICE outside strings and IRIs is
refused (the lexical layer); and the parse tree is inspected for updates, FROM / FROM NAMED and
SERVICE (the tree layer), each refusal naming the query's source and, where there is one, its
line. The engine tests (test_query_safety.py, test_security_sparql.py) run queries in forked
children, which mutation testing does not see; this file calls the check itself.
"""

import sys

import pytest

from policykg.sparql import safety
from policykg.sparql.safety import (
    QuerySyntaxError,
    UnsafeQueryError,
    canonical_text,
    check_query,
    inspect,
    nesting_depth,
    precheck,
)

# The README's limits ("longer than 50,000 characters, nests brackets deeper than 32")
LONGEST, DEEPEST = 50_000, 32
SERVICE_QUERY = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?a ?b ?c } }"


def refusal(call, *args):
    with pytest.raises((UnsafeQueryError, QuerySyntaxError)) as err:
        call(*args)
    return err.value


# --------------------------------------------------------------------------- the tree layer alone


@pytest.mark.parametrize("query", [
    SERVICE_QUERY,
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <http://example.org/sparql> { ?s ?p ?o } } }",
    "SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } } }",
    "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } } } }",
    "ASK { FILTER EXISTS { SERVICE <http://example.org/sparql> { ?s ?p ?o } } }",
])
def test_the_tree_layer_alone_finds_service_anywhere_and_names_its_iri(query):
    err = refusal(inspect, query, "q.rq")
    assert str(err) == ("q.rq: SERVICE <http://example.org/sparql> is not allowed: federated queries "
                        "would reach the network. Run the query on that endpoint with --endpoint instead")


@pytest.mark.parametrize("query", [
    "SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "ASK FROM <http://example.org/data.ttl> { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }",
])
def test_dataset_clauses_are_refused(query):
    err = refusal(check_query, query, "q.rq")
    assert isinstance(err, UnsafeQueryError)
    assert str(err) == ("q.rq: FROM and FROM NAMED are not allowed: they would make the engine load graphs "
                        "from URLs or files. Query the loaded graph without a dataset clause")


@pytest.mark.parametrize("update", [
    "INSERT DATA { <http://x/a> <http://x/b> 1 }",
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "CLEAR ALL",
    "DROP GRAPH <http://x/g>",
])
def test_updates_are_refused_as_updates_not_as_bad_syntax(update):
    err = refusal(check_query, update, "q.rq")
    assert isinstance(err, UnsafeQueryError)
    assert str(err) == ("q.rq: updates (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, ...) are not allowed; "
                        "the graph is read-only here")


def test_the_source_is_named_in_every_refusal_and_defaults_to_query():
    assert str(refusal(check_query, SERVICE_QUERY)).startswith("query:1: SERVICE is not allowed")
    assert str(refusal(inspect, SERVICE_QUERY)).startswith("query: SERVICE <")
    assert str(refusal(check_query, "SELECT * WHERE { " + "{" * 40 + "}" * 40 + " }", "my.rq")).startswith("my.rq: ")
    assert str(refusal(check_query, "DROP ALL", "my.rq")).startswith("my.rq: updates")


def test_a_syntax_error_gives_line_column_and_what_stands_there():
    err = refusal(check_query, "SELECT ?x\nWHERE { ?x ?y ?z }}", "q.rq")
    assert isinstance(err, QuerySyntaxError)
    assert (err.line, err.column) == (2, 19)
    assert str(err) == "q.rq:2:19: SPARQL syntax error: unexpected '}': no bracket is open to close"


def test_a_syntax_error_in_a_long_query_is_one_short_line():
    line = "SELECT ?x WHERE { ?x ?y " + "?z " * 30 + "}}"
    message = str(refusal(check_query, line))
    assert "\n" not in message and len(message) < 120 and "?z ?z" not in message


def test_the_checked_query_keeps_its_form_and_the_tree_the_engines_run():
    from rdflib.plugins.sparql.algebra import translateQuery

    forms = {"SELECT * WHERE { ?s ?p ?o }": "select", "ASK { ?s ?p ?o }": "ask",
             "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }": "construct", "DESCRIBE <http://x/a>": "describe"}
    for text, form in forms.items():
        checked = check_query(text)
        assert (checked.text, checked.form) == (text, form)
        assert translateQuery(checked.parsed).algebra is not None  # rdflib runs this very tree


def test_a_query_nested_to_the_limit_is_checked_with_the_default_recursion_limit(monkeypatch):
    monkeypatch.setattr(sys, "getrecursionlimit", lambda: 1000)
    raised, really = [], sys.setrecursionlimit
    monkeypatch.setattr(sys, "setrecursionlimit", lambda limit: (raised.append(limit), really(limit)))
    check_query("SELECT * WHERE { BIND(" + "(" * (DEEPEST - 2) + "1" + ")" * (DEEPEST - 2) + " AS ?x) }")
    assert raised == [safety._PARSE_RECURSION] and raised[0] >= 1000


def test_a_parser_that_runs_out_of_stack_is_a_refusal_not_a_crash(monkeypatch):
    import rdflib.plugins.sparql.parser as parser

    def overflow(text):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(parser, "parseQuery", overflow)
    err = refusal(inspect, "SELECT * WHERE { ?s ?p ?o }", "q.rq")
    assert isinstance(err, UnsafeQueryError) and str(err) == "q.rq: the query is nested too deeply to check"


# --------------------------------------------------------------------------- the lexical layer alone


def test_the_lexical_layer_alone_refuses_service_on_the_line_it_is_on():
    query = 'SELECT * WHERE {\n  BIND("""a\nb\nc""" AS ?x)\n  SERVICE <http://example.org/sparql> { ?a ?b ?c }\n}'
    err = refusal(precheck, query, "q.rq")
    assert str(err).startswith("q.rq:5: SERVICE is not allowed (also not in comments)")


@pytest.mark.parametrize("keyword", ["service", "Service", "SERVICE"])
def test_the_lexical_layer_refuses_service_in_any_case(keyword):
    query = f"select * where {{ {keyword} <http://example.org/sparql> {{ ?a ?b ?c }} }}"
    assert "SERVICE is not allowed" in str(refusal(precheck, query))


def test_service_in_a_comment_at_the_very_start_is_refused():
    query = '#"""\nSELECT * WHERE { SERVICE <http://example.org/sparql> { ?a ?b ?c } FILTER(?a = """x""") }'
    assert str(refusal(precheck, query)).startswith("query:2: SERVICE is not allowed")


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s <http://example.org/service> ?o }",
    "SELECT * WHERE { ?s ?p 'service' }",
    'SELECT * WHERE { ?s ?p """SERVICE <http://example.org/sparql> {}""" }',
    "SELECT ?service WHERE { ?service ?p ?o }",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:service ?o }",
    "PREFIX service: <http://example.org/> SELECT * WHERE { ?s service:p ?o }",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:my-service ?o }",
])
def test_service_inside_a_string_iri_or_name_is_not_the_keyword(query):
    assert precheck(query) == query
    assert check_query(query).text == query


def test_known_prefixes_are_declared_only_when_used_outside_strings():
    assert precheck("SELECT * WHERE { ?m a pkg:Measure }").startswith("PREFIX pkg: <")
    plain = 'SELECT * WHERE { ?m ?p "pkg:Measure" }'
    assert precheck(plain) == plain


# --------------------------------------------------------------------------- the canonical text


def padded(length: int) -> str:
    head = "ASK {}\n#"
    return head + "x" * (length - len(head))


def test_a_query_of_the_longest_length_allowed_passes_and_one_more_character_does_not():
    assert canonical_text(padded(LONGEST)) == padded(LONGEST)
    err = refusal(canonical_text, padded(LONGEST + 1), "q.rq")
    assert str(err) == (f"q.rq: the query is {LONGEST + 1} characters long, more than the "
                        f"{LONGEST} allowed; split it or use a shorter VALUES list")


def test_line_ends_become_lf():
    assert canonical_text("ASK {\r\n}\r# x\n") == "ASK {\n}\n# x\n"


@pytest.mark.parametrize("escape, char", [
    ("\\u0041", "A"), ("\\u00e9", "é"), ("\\uD7FF", "\ud7ff"), ("\\uE000", "\ue000"),
    ("\\U0001F600", "\U0001F600"), ("\\U0010FFFF", "\U0010FFFF"), ("\\U00000041", "A"),
])
def test_the_grammars_escapes_are_expanded(escape, char):
    assert canonical_text(f"ASK {{ FILTER('{escape}') }}") == f"ASK {{ FILTER('{char}') }}"


@pytest.mark.parametrize("escape", ["\\uD800", "\\uDFFF", "\\U00110000", "\\U0000DC00"])
def test_an_escape_that_is_no_unicode_character_is_a_syntax_error_on_its_line(escape):
    err = refusal(canonical_text, f"ASK {{\n FILTER('{escape}') }}", "q.rq")
    assert isinstance(err, QuerySyntaxError) and err.line == 2
    # no column is known: the place is file:line (it read "q.rq:2:None:")
    assert str(err) == f"q.rq:2: SPARQL syntax error: {escape} is not a Unicode character"


@pytest.mark.parametrize("spelled", ["\\u0041", "\\U00000041"])
def test_an_escape_that_spells_an_escape_is_refused_on_its_line(spelled):
    err = refusal(canonical_text, "ASK {\n}\n# \\u005C" + spelled[1:], "q.rq")
    assert isinstance(err, UnsafeQueryError)
    assert str(err) == (f"q.rq:3: the escape sequences spell another escape ({spelled[:6]}); engines read that "
                        "differently. Write the character itself")


@pytest.mark.parametrize("text, code, line", [
    ("ASK {\n\x07 }", 0x07, 2),
    ("ASK { }\n\n\x7f", 0x7F, 3),
    ("ASK {\x9f}", 0x9F, 1),
    ("ASK {\n\\u0000 }", 0x00, 2),  # the escape expands to a control character: refused after expansion
    ("ASK {\n\\u000B }", 0x0B, 2),
])
def test_control_characters_are_refused_with_their_line(text, code, line):
    err = refusal(canonical_text, text, "q.rq")
    assert isinstance(err, QuerySyntaxError) and err.line == line
    assert str(err).startswith(f"q.rq:{line}:")
    assert str(err).endswith(f": SPARQL syntax error: control character U+{code:04X} in the query")


def test_tab_lf_and_cr_are_not_control_characters_here():
    assert canonical_text("ASK\t{\r}") == "ASK\t{\n}"


# --------------------------------------------------------------------------- nesting


def nested(depth: int) -> str:
    return "SELECT * WHERE { FILTER(" + "(" * (depth - 2) + "1" + ")" * (depth - 2) + ") }"


def test_nesting_is_counted_on_brackets_of_every_kind():
    assert nesting_depth("{ ( [ ] ) } { }") == 3
    assert nesting_depth(nested(DEEPEST)) == DEEPEST
    assert nesting_depth("") == 0


def test_nesting_to_the_limit_passes_and_one_deeper_is_refused():
    assert precheck(nested(DEEPEST)) == nested(DEEPEST)
    err = refusal(precheck, nested(DEEPEST + 1), "q.rq")
    assert str(err) == f"q.rq: brackets are nested {DEEPEST + 1} deep, more than the {DEEPEST} allowed"


@pytest.mark.parametrize("text, depth", [
    ("{ '((((' }", 1),
    ('{ """\n(((\n""" }', 1),  # a long string runs over lines
    ("{ 'a\\'(((' }", 1),  # an escaped quote does not end the string
    ("{ \"a\\\"(((\" }", 1),
    ("{ 'open\n( }", 2),  # a short string ends at the line end
    ("{ <http://x/((> }", 1),
    ("{ ?a < ( ?b ) }", 2),  # < that starts no IRI is an operator
    ("( ?a < (1) && ?b > 0 )", 2),  # an IRI holds no space: this < … > is no IRI
    ("{ # ((((\n ( }", 2),  # a comment ends at the line end
    ("{ # ((((", 1),
    ("# x\n{ ( ) }", 2),
    ("( '''((''' )", 1),
])
def test_brackets_in_strings_iris_and_comments_do_not_count(text, depth):
    assert nesting_depth(text) == depth


# --------------------------------------------------------------------------- messages and line numbers


SERVICE_REFUSED = ("SERVICE is not allowed (also not in comments): federated queries would reach the network. "
                   "Run the query on that endpoint with --endpoint instead")


def test_service_at_the_end_or_start_of_a_line_is_placed_on_that_line():
    # strings and IRIs before it must not shift it to the next or the previous line
    end = 'SELECT * WHERE {\n  BIND("""a\nb""" AS ?x) SERVICE\n<http://example.org/sparql> { ?a ?b ?c }\n}'
    assert str(refusal(precheck, end, "q.rq")) == f"q.rq:3: {SERVICE_REFUSED}"
    start = 'SELECT * WHERE {\n  BIND("a" AS ?x)\nSERVICE <http://example.org/sparql> { ?a ?b ?c }\n}'
    assert str(refusal(precheck, start, "q.rq")) == f"q.rq:3: {SERVICE_REFUSED}"
    first = 'SERVICE <http://example.org/sparql> { ?a ?b "x" }'
    assert str(refusal(precheck, first, "q.rq")) == f"q.rq:1: {SERVICE_REFUSED}"


def test_lines_are_counted_from_the_start_whatever_follows():
    err = refusal(canonical_text, "\nASK {\n FILTER('\\uD800') }\n}\n", "q.rq")
    assert err.line == 3
    err = refusal(canonical_text, "\n\n\x07 ASK {\n}\n", "q.rq")
    assert err.line == 3
    err = refusal(canonical_text, "ASK {\n}\n# \\u005Cu0041\n\n", "q.rq")
    assert str(err).startswith("q.rq:3: the escape sequences spell another escape")


def test_the_source_defaults_to_query_and_is_passed_on():
    assert str(refusal(canonical_text, padded(LONGEST + 1))).startswith("query: the query is ")
    assert str(refusal(canonical_text, "ASK {\x07}")).startswith("query:1:")
    assert str(refusal(precheck, "ASK {\x07}", "q.rq")).startswith("q.rq:1:")
    assert str(refusal(check_query, "ASK {\x07}", "q.rq")).startswith("q.rq:1:")


def test_a_syntax_error_says_what_the_parser_expected():
    err = refusal(check_query, "SELECT ?x\nWHERE { ?x ?y ?z } LIMIT ten", "q.rq")
    assert str(err) == ("q.rq:2:26: SPARQL syntax error: unexpected 'ten'; expected HAVING, OFFSET, OPTIONAL, "
                        "VALUES or a digit")
    # a query that stops inside a group says which bracket is left open
    assert str(refusal(check_query, "SELECT * WHERE {\n", "q.rq")) == (
        "q.rq:2:1: SPARQL syntax error: the query ends before the '{' of line 1 is closed")


@pytest.mark.parametrize("text, depth", [
    ("{\n} # ((\n(", 1),  # a comment on a later line ends at its own line end
    ("{ # ((((\n ( }\n", 2),  # …the first one after it, not the last
    ("{ 'open", 1),  # a string that never ends runs to the end
    ("{ 'a\\\\'( ' }", 2),  # an escaped backslash does not escape the quote after it
    ("{ ?a <(?b) }", 2),  # < that starts no IRI is one character
    ("{ FILTER(?X) }", 2),  # letters are not brackets
    ("{ ?X ( ) }", 2),
    ("(){()}", 2),  # a bracket right after a closing one
])
def test_the_lexer_reads_each_character_once(text, depth):
    assert nesting_depth(text) == depth
