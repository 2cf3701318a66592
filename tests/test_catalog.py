"""The query catalog: headers, parameters, and every query on both embedded engines."""

import pytest
from conftest import ROOT

from policykg.sparql.catalog import UnknownQueryError, load_catalog, parse_header
from policykg.sparql.engines import load_engine
from policykg.sparql.params import ParameterError
from policykg.sparql.safety import check_query

GRAPH = ROOT / "graph"
FIXTURE = [ROOT / "tests" / "fixtures" / "mini_plan.ttl", ROOT / "ontology" / "policykg.ttl"]
REQUIRED = {
    "lead-units": ("pilot_task", "pilot_task_title", "unit", "unit_en", "source"),
    "responsibility": ("work_task", "measure", "unit", "unit_en", "source"),
    "co-responsibility": ("unit_a", "unit_b", "shared_measures"),
    "unit-load": ("unit", "unit_en", "lead_pilot_tasks", "work_tasks", "measures"),
    "discrepancies": ("kind", "subject", "body_value", "annex_value"),
    "measures-of-unit": ("work_task", "measure", "text"),
    "tasks-of-unit": ("task", "kind", "title", "role"),
    "search": ("work_task", "measure", "text"),
    "stage-goals": ("stage", "start_year", "end_year", "goal", "pilot_task"),
}
# values for required parameters, and variants for the optional ones
# Corpus queries: tested for rows on a multi-plan build in test_catalog_corpus.py; on these
# one-plan graphs some have none (every unit registered, no spans in the fixture).
CORPUS_QUERIES = {"units-across-plans", "corpus-co-responsibility", "unregistered-units",
                  "plans-per-jurisdiction", "unit-load-per-plan", "plans"}
# Units named for a task as a whole: the Gaoqing plan names none (its pilot tasks' leads are
# view-pilot-task-leads'); both engines are compared on real documents that do (test_real_corpus).
OTHER_SHAPES = {"view-task-units", "joint-issuers"}  # joint issuers: the Gaoqing plan has one issuer
PARAMS = {"units-across-plans": {"min_plans": "1"}, "measures-of-unit": {"unit": "县公安局"}, "tasks-of-unit": {"unit": "县公安局"}, "search": {"keyword": "生态"},
          "unit-partners": {"unit": "县公安局"}}
CATALOG = load_catalog()


def test_the_issue_names_and_columns_are_there_plus_four_more():
    for name, columns in REQUIRED.items():
        assert CATALOG.get(name).columns == columns
    assert len(CATALOG) >= len(REQUIRED) + 4


def test_headers_say_what_each_query_answers():
    for q in CATALOG:
        # README: each header has a title in Chinese and English and the question it answers
        assert q.title_zh.strip() and q.title_en.strip(), q.name
        assert "?" in q.question, q.name
        assert any("\u4e00" <= ch <= "\u9fff" for ch in q.title_zh), q.name


def test_header_parsing():
    h = parse_header(
        "# title-zh: 甲\n# title-en: A\n# question: Why?\n#   Because.\n"
        "# param lang = zh (zh|en): label\n#   language\n# param unit: a unit\n"
        "# columns: a, b\n#   notes\nSELECT * {}\n", "x.rq")
    assert h["question"] == "Why? Because."
    lang, unit = h["params"]
    assert (lang.name, lang.default, lang.choices, lang.description) == ("lang", "zh", ("zh", "en"), "label language")
    assert unit.required and not lang.required
    assert h["columns"] == "a, b" and h["columns-note"] == "notes"


def test_unknown_name_lists_the_names():
    with pytest.raises(UnknownQueryError) as err:
        CATALOG.get("lead-unit")
    assert "lead-units" in str(err.value) and "stage-goals" in str(err.value)
    assert "Did you mean 'lead-units'" in str(err.value)


def test_missing_and_bad_parameters_are_named():
    with pytest.raises(ParameterError, match="needs parameter 'unit'"):
        CATALOG.get("measures-of-unit").bind({})
    with pytest.raises(ParameterError, match="no parameter 'colour'"):
        CATALOG.get("lead-units").bind({"colour": "red"})
    with pytest.raises(ParameterError, match="one of zh, en"):
        CATALOG.get("co-responsibility").bind({"lang": "fr"})


@pytest.mark.parametrize("name", CATALOG.names)
def test_catalog_queries_pass_the_safety_check(name):
    # the command line trusts catalog queries (for start-up time); this is why it may
    check_query(CATALOG.get(name).bind(PARAMS.get(name, {})))


@pytest.fixture(scope="module", params=["gaoqing", "fixture"])
def engines(request):
    paths = [GRAPH] if request.param == "gaoqing" else FIXTURE
    return load_engine(paths, "oxigraph"), load_engine(paths, "rdflib")


@pytest.mark.parametrize("name", CATALOG.names)
def test_every_query_gives_equal_results_on_both_engines(engines, name):
    q = CATALOG.get(name)
    variants = [PARAMS.get(name, {})]
    if q.parameter("lang"):
        variants.append({**variants[0], "lang": "en"})
    if q.parameter("collectives"):
        variants += [{**variants[0], "collectives": "exclude"},
                     {**variants[0], "collectives": "include"}]
    nonempty = 0
    for values in variants:
        ox, rd = (e.run(q.bind(values), trusted=True) for e in engines)
        assert ox.columns == rd.columns == list(q.columns)
        assert ox.rows == rd.rows, (name, values)
        nonempty += bool(ox.rows)
    assert nonempty or name in CORPUS_QUERIES | OTHER_SHAPES, f"{name} gives no rows: the comparison would prove nothing"


NOTHING_MATCHES = {"measures-of-unit": {"unit": "不存在局"}, "tasks-of-unit": {"unit": "不存在局"},
                   "search": {"keyword": "不存在的词语"}, "unit-partners": {"unit": "不存在局"}}


@pytest.mark.parametrize("name", sorted(NOTHING_MATCHES))
def test_a_question_about_nothing_in_the_graph_gives_no_rows_on_both_engines(engines, name):
    """rdflib 7 answers a grouped sub-query that matches nothing with one row with nothing bound
    (RDFLib/rdflib#3382): joined with the units' names, unit-partners listed every unit of the
    graph as a partner of a unit that is not in it."""
    for e in engines:
        assert e.run(CATALOG.get(name).bind(NOTHING_MATCHES[name]), trusted=True).rows == [], (name, e)


@pytest.fixture(scope="module")
def engines_without_plans():
    paths = [ROOT / "ontology" / "policykg.ttl"]  # the vocabulary (its unit types have names) and no plan
    return load_engine(paths, "oxigraph"), load_engine(paths, "rdflib")


@pytest.mark.parametrize("name", CATALOG.names)
def test_a_graph_with_no_plans_gives_the_same_rows_on_both_engines(engines_without_plans, name):
    ox, rd = (e.run(CATALOG.get(name).bind(PARAMS.get(name, {})), trusted=True) for e in engines_without_plans)
    assert ox.rows == rd.rows
