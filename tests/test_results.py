"""Result formats: aligned tables with Chinese text, W3C CSV/TSV/JSON, CSV formula neutralising."""

import csv
import io
import json

from policykg.sparql.results import (
    XSD,
    Result,
    Term,
    display_width,
    from_json_dict,
    to_csv,
    to_json,
    to_table,
    to_tsv,
)


def sample():
    return Result(
        ["unit", "n", "note"],
        [
            (Term.literal("县公安局", lang="zh"), Term.literal("3", XSD + "integer"), None),
            (Term.uri("https://w3id.org/policykg/id/unit/x"), Term.literal("12", XSD + "integer"),
             Term.literal('=HYPERLINK("x")')),
            (Term.literal("All towns", lang="en"), Term.literal("-1", XSD + "integer"),
             Term.literal("a\tb\n\"c\"")),
        ],
    )


def test_display_width_counts_wide_characters_twice():
    assert display_width("县公安局") == 8
    assert display_width("abc") == 3
    assert display_width("（１）") == 6  # fullwidth forms


def test_table_columns_line_up_on_screen():
    lines = to_table(sample()).splitlines()
    header, rule, first, second = lines[:4]
    # the second column starts at the same screen column in every row
    col = display_width(header[: header.index("n ")])
    assert display_width(first[: first.index("3")]) == col
    assert display_width(second[: second.index("12")]) == col
    assert lines[-1] == "(3 rows)"


def test_csv_follows_w3c_and_neutralises_formulas():
    text = to_csv(sample())
    assert text.startswith("unit,n,note\r\n")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == ["县公安局", "3", ""]  # lexical forms, unbound is empty
    assert rows[2][0] == "https://w3id.org/policykg/id/unit/x"
    assert rows[2][2] == "'=HYPERLINK(\"x\")"
    assert rows[3][1] == "'-1"
    assert rows[3][2] == "a\tb\n\"c\""  # quoted, not altered


def test_tsv_writes_terms_in_sparql_syntax():
    lines = to_tsv(sample()).splitlines()
    assert lines[0] == "?unit\t?n\t?note"
    assert lines[1] == '"县公安局"@zh\t3\t'
    assert lines[2].startswith("<https://w3id.org/policykg/id/unit/x>\t12\t")
    assert lines[3] == '"All towns"@en\t-1\t"a\\tb\\n\\"c\\""'


def test_json_is_sparql_results_json_and_reads_back():
    data = json.loads(to_json(sample()))
    assert data["head"]["vars"] == ["unit", "n", "note"]
    first = data["results"]["bindings"][0]
    assert first["unit"] == {"type": "literal", "value": "县公安局", "xml:lang": "zh"}
    assert first["n"]["datatype"] == XSD + "integer"
    assert "note" not in first  # unbound variables are left out
    assert from_json_dict(data).rows == sample().rows


def test_ask_results():
    r = Result([], boolean=True, form="ask")
    assert json.loads(to_json(r)) == {"head": {}, "boolean": True}
    assert to_table(r) == "true\n"


# OWASP's CSV injection guidance: a cell starting with =, +, -, @, tab (0x09) or carriage return
# (0x0D) is read as a formula by some spreadsheet; each gets a leading '. Other text is unchanged.
FORMULA_STARTS = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def test_csv_neutralises_every_formula_start():
    result = Result(["v"], [(Term.literal(cell),) for cell in FORMULA_STARTS + ["县公安局", "1=1", " =1"]])
    rows = list(csv.reader(io.StringIO(to_csv(result), newline="")))
    assert [row[0] for row in rows[1:]] == ["'" + cell for cell in FORMULA_STARTS] + ["县公安局", "1=1", " =1"]
