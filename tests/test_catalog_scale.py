"""A guard, not a benchmark: Oxigraph's planner can turn a small change in a query into a
hundredfold slowdown (an OPTIONAL moved, a subquery added: 0.1 s became 60 s at a million
triples). Every catalog query must finish on a 100-plan corpus (about 116k triples, where each
takes under 0.1 s on the development machine) well inside a generous time limit: one of the
rewrites tried for lead-units took 24 s here. The figures themselves come from `policykg bench`."""

import pytest

from policykg.sparql.catalog import load_catalog
from policykg.sparql.engines import load_engine

LIMIT = 10.0  # seconds; a hundred times what any query needs here
CATALOG = load_catalog()
PARAMS = {"measures-of-unit": {"unit": "县财政局"}, "tasks-of-unit": {"unit": "县财政局"}, "search": {"keyword": "生态"},
          "unit-partners": {"unit": "县财政局"}}


@pytest.fixture(scope="module")
def corpus_engine(tmp_path_factory):
    from policykg.corpus.synthetic import generate_corpus
    from policykg.rdf.build import build

    folder = tmp_path_factory.mktemp("scale")
    generate_corpus(100, folder / "src", seed=0)
    build([folder / "src"], out=folder / "graph")
    return load_engine([folder / "graph"])


@pytest.mark.parametrize("name", CATALOG.names)
def test_every_catalog_query_finishes_on_a_corpus(corpus_engine, name):
    query = CATALOG.get(name)
    result = corpus_engine.run(query.bind(PARAMS.get(name, {})), trusted=True, timeout=LIMIT)
    assert result.columns == list(query.columns)
    # the synthetic annexes never add a unit; the synthetic plans name units for measures and
    # pilot tasks' leads only (view-task-units is run on real documents in test_real_corpus.py)
    # and one issuer each (joint-issuers is run on real jointly issued plans in test_real_corpus.py)
    if name not in ("annex-only-claims", "view-task-units", "joint-issuers"):
        assert result.rows, f"{name} gives no rows on a 100-plan corpus"
