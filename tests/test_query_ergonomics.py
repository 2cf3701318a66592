"""The table format fits the terminal; the data formats keep whole values (issue 14)."""

from policykg.sparql.results import Result, Term, display_width, to_csv, to_table

TEXT = "建设城乡统一开放、竞争有序的要素产权市场体系，健全要素市场运行机制，完善要素交易规则和服务体系。"


def _result():
    return Result(columns=["measure", "text", "unit"],
                  rows=[(Term.literal("1.1"), Term.literal(TEXT * 4), Term.literal("县发展改革局"))])


def test_a_table_fits_the_width_it_is_given():
    table = to_table(_result(), width=80)
    for line in table.splitlines():
        assert display_width(line) <= 80, line
    row = table.splitlines()[2]
    assert "…" in row and row.startswith("1.1") and "县发展改革局" in row  # the long cell is cut, not the others


def test_piped_tables_and_csv_keep_whole_values():
    assert TEXT * 4 in to_table(_result())  # not a terminal: no limit
    assert TEXT * 4 in to_csv(_result())


def test_a_required_parameter_may_not_be_empty():
    # -p keyword= used to return every measure of the plan (issue 14)
    import pytest

    from policykg.sparql.catalog import load_catalog
    from policykg.sparql.params import ParameterError

    with pytest.raises(ParameterError, match="'keyword' of query 'search' is empty"):
        load_catalog().get("search").bind({"keyword": " "})


def test_the_graphs_prefixes_need_no_declaration_on_either_engine():
    # issue 14: without PREFIX pkg: Oxigraph printed a wall of expected characters, rdflib answered
    from conftest import ROOT

    from policykg.sparql.engines import load_engine

    bare = "SELECT (COUNT(?m) AS ?n) WHERE { ?m a pkg:Measure ; dcterms:isPartOf ?w }"
    declared = ("PREFIX pkg: <https://w3id.org/policykg/ns#> PREFIX dcterms: <http://purl.org/dc/terms/> "
                + bare)
    redefined = "PREFIX pkg: <http://example.org/other#> " + bare
    for name in ("oxigraph", "rdflib"):
        engine = load_engine([ROOT / "graph"], name)
        counts = [engine.run(q).rows[0][0].value for q in (bare, declared, redefined)]
        # the Gaoqing plan has 20 measures; a prefix the query declares itself is its own
        assert counts == ["20", "20", "0"], (name, counts)
