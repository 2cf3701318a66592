"""Result formats against what their specifications say, case by case.

The W3C "SPARQL 1.1 Query Results CSV and TSV Formats" and "SPARQL 1.1 Query Results JSON Format"
recommendations for the data formats; the README (``policykg query -f table``, issue 14) for the
table. Expected values are written from those texts, not taken from the writer's output.
"""

import os
import shutil
import sys

import pytest

from policykg.sparql.results import (
    FORMATS,
    XSD,
    Result,
    Term,
    display_width,
    from_json_dict,
    to_csv,
    to_json,
    to_table,
    to_tsv,
    write,
)


def one(term, column="x"):
    return Result([column], [(term,)])


# --------------------------------------------------------------------------- the model


def test_unbound_cells_are_none_in_values_and_left_out_of_dicts():
    r = Result(["unit", "task"], [(Term.literal("县公安局"), None), (None, Term.uri("http://x/t"))])
    assert r.values() == [("县公安局", None), (None, "http://x/t")]
    assert r.dicts() == [{"unit": "县公安局"}, {"task": "http://x/t"}]


# --------------------------------------------------------------------------- table


def test_a_combining_mark_takes_no_column_and_the_text_after_it_counts():
    # e + COMBINING ACUTE ACCENT shows as one column; the wide 县 after it as two
    assert display_width("e\u0301县") == 3


def test_table_cells_are_one_line_with_blank_nodes_marked_and_unbound_cells_blank():
    r = Result(["a", "b"], [(None, Term.literal("第一行\n第二行\t末尾")), (Term.bnode("b0"), None)])
    lines = to_table(r).splitlines()
    assert lines[2] == " " * 6 + "第一行 第二行 末尾"  # column a: 4 wide ("_:b0"), blank; two spaces
    assert lines[3] == "_:b0"  # nothing is written for the unbound last cell, not even spaces
    assert all(line == line.rstrip() for line in lines)


def test_the_row_count_is_singular_for_one_row():
    assert to_table(one(Term.literal("a"))).splitlines()[-1] == "(1 row)"
    assert to_table(Result(["x"], [])).splitlines()[-1] == "(0 rows)"


def test_an_ask_table_is_the_word_true_or_false():
    assert to_table(Result([], boolean=True, form="ask")) == "true\n"
    assert to_table(Result([], boolean=False, form="ask")) == "false\n"


def test_a_table_uses_the_whole_width_it_is_given_and_cuts_with_an_ellipsis():
    r = Result(["a", "b"], [(Term.literal("x" * 30), Term.literal("y" * 30))])
    row = to_table(r, width=40).splitlines()[2]
    # 40 columns: two columns of 19 with two spaces between; each cell 18 characters and …
    assert row == "x" * 18 + "…" + "  " + "y" * 18 + "…"
    assert display_width(row) == 40


def test_wide_characters_are_cut_on_whole_characters():
    r = Result(["a"], [(Term.literal("县公安局县公安局县公安局"),)])
    row = to_table(r, width=9).splitlines()[2]
    assert row == "县公安局…"  # 8 columns of characters and the …: a 县 would not fit in the last one


def test_columns_are_not_narrowed_below_eight_when_the_width_cannot_be_met():
    r = Result(["c1", "c2", "c3", "c4"], [tuple(Term.literal("z" * 20) for _ in range(4))])
    lines = to_table(r, width=20).splitlines()
    assert lines[1] == "  ".join(["-" * 8] * 4)
    assert lines[2] == "  ".join(["z" * 7 + "…"] * 4)


def test_on_a_terminal_the_table_fits_the_terminal(monkeypatch):
    class Terminal:
        def isatty(self):
            return True

        def write(self, text):
            pass

    monkeypatch.setattr(sys, "stdout", Terminal())
    monkeypatch.setattr(shutil, "get_terminal_size", lambda *a, **k: os.terminal_size((30, 24)))
    r = Result(["a"], [(Term.literal("w" * 100),)])
    assert to_table(r).splitlines()[2] == "w" * 29 + "…"


# --------------------------------------------------------------------------- CSV


def test_csv_blank_nodes_use_the_turtle_label_form():
    # W3C CSV: "Blank nodes use the _:label form from Turtle"
    assert to_csv(one(Term.bnode("b0"))) == "x\r\n_:b0\r\n"


def test_csv_ask_answers_are_crlf_lines_under_askresult():
    # W3C CSV/TSV define SELECT only; the _askResult header is the convention of Apache Jena's
    # writers, with CSV's CRLF line ends
    assert to_csv(Result([], boolean=True, form="ask")) == "_askResult\r\ntrue\r\n"
    assert to_csv(Result([], boolean=False, form="ask")) == "_askResult\r\nfalse\r\n"


# --------------------------------------------------------------------------- TSV


def test_tsv_ask_answers_are_lines_under_a_variable_askresult():
    assert to_tsv(Result([], boolean=True, form="ask")) == "?_askResult\ntrue\n"
    assert to_tsv(Result([], boolean=False, form="ask")) == "?_askResult\nfalse\n"


def test_tsv_blank_nodes_and_escapes_follow_turtle():
    assert to_tsv(one(Term.bnode("b0"))).splitlines()[1] == "_:b0"
    # Turtle's ECHAR: \\ for a backslash, \r for a carriage return (TSV cells may hold neither raw)
    assert to_tsv(one(Term.literal("a\\b\rc"))).splitlines()[1] == '"a\\\\b\\rc"'


def test_tsv_typed_literals_are_quoted_with_their_datatype():
    cell = to_tsv(one(Term.literal("2022-06-08", XSD + "date"))).splitlines()[1]
    assert cell == '"2022-06-08"^^<http://www.w3.org/2001/XMLSchema#date>'


@pytest.mark.parametrize("value, datatype, bare", [
    # Turtle INTEGER [+-]?[0-9]+, DECIMAL [+-]?[0-9]*\.[0-9]+, DOUBLE with an exponent e or E
    ("+5", "integer", True),
    ("X5", "integer", False),  # ill-typed: bare it would not be a Turtle number
    ("1.50", "decimal", True),
    ("-0.5", "decimal", True),
    ("1", "decimal", False),  # bare 1 reads back as xsd:integer
    ("1.x", "decimal", False),
    ("x.5", "decimal", False),
    ("1e3", "double", True),
    ("2.5E-3", "double", True),
    ("1.5", "double", False),  # bare 1.5 reads back as xsd:decimal
    ("1eX", "double", False),
    ("INF", "double", False),
])
def test_tsv_writes_a_number_bare_only_when_turtle_reads_it_back_as_that_datatype(value, datatype, bare):
    cell = to_tsv(one(Term.literal(value, XSD + datatype))).splitlines()[1]
    assert cell == (value if bare else f'"{value}"^^<{XSD}{datatype}>')


def test_tsv_a_plain_literal_that_looks_like_a_number_stays_a_string():
    assert to_tsv(one(Term.literal("1e5"))).splitlines()[1] == '"1e5"'


# --------------------------------------------------------------------------- JSON


def test_json_blank_nodes_are_bnode_bindings_and_read_back():
    # W3C JSON: a blank node is {"type": "bnode", "value": "label"}
    data = {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "bnode", "value": "b0"}}]}}
    assert to_json(one(Term.bnode("b0"))) == (
        '{\n  "head": {\n    "vars": [\n      "x"\n    ]\n  },\n  "results": {\n    "bindings": [\n'
        '      {\n        "x": {\n          "type": "bnode",\n          "value": "b0"\n        }\n'
        "      }\n    ]\n  }\n}\n"
    )
    back = from_json_dict(data)
    assert back.columns == ["x"] and back.rows == [(Term("bnode", "b0"),)]


def test_json_keeps_chinese_text_as_characters():
    # JSON is UTF-8 (RFC 8259); \\u escapes would make the file unreadable to a person
    assert '"value": "县公安局"' in to_json(one(Term.literal("县公安局")))


def test_json_ask_results_read_back_as_ask():
    for value in (True, False):
        back = from_json_dict({"head": {}, "boolean": value})
        assert (back.columns, back.rows, back.boolean, back.form) == ([], [], value, "ask")


@pytest.mark.parametrize("data", [{}, {"head": {}}, {"head": {"vars": []}}, {"results": {"bindings": []}}])
def test_json_an_endpoints_empty_answer_reads_as_no_rows(data):
    # a SELECT with no results; some endpoints leave out the empty members
    back = from_json_dict(data)
    assert (back.columns, back.rows, back.boolean) == ([], [], None)


# --------------------------------------------------------------------------- write


def test_write_chooses_the_writer_and_names_the_formats_on_a_mistake():
    r = one(Term.literal("a"))
    assert write(r, "csv") == "x\r\na\r\n"
    assert write(r, "tsv") == '?x\n"a"\n'
    with pytest.raises(ValueError, match=r"unknown format 'xml'; choose one of table, csv, tsv, json$"):
        write(r, "xml")
    assert FORMATS == ("table", "csv", "tsv", "json")
