"""The corpus catalog queries on a small multi-document build.

The documents are synthetic; the expected figures are counted from what the generator says it
wrote into them (IntendedPlan), so they do not come from the parser or the graph."""

from collections import Counter, defaultdict
from itertools import combinations

import pytest

from policykg.corpus.synthetic import COLLECTIVES, generate_plan

SEED = 11


def _choose_documents():
    """Three documents of one county, and three of three others (none from the registry's
    Gaoqing, whose registry renames some units)."""
    by_county = defaultdict(list)
    for index in range(1, 400):
        text, plan = generate_plan(index, SEED)
        if plan.county != "高青县":
            by_county[plan.county].append((index, text, plan))
    crowded = next(c for c in sorted(by_county) if len(by_county[c]) >= 3)
    others = [c for c in sorted(by_county) if c != crowded][:3]
    return by_county[crowded][:3] + [by_county[c][0] for c in others]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The intended plans, and the folder their graph was built into."""
    from policykg.rdf.build import build

    folder = tmp_path_factory.mktemp("corpus")
    chosen = _choose_documents()
    for _, text, plan in chosen:
        (folder / "src").mkdir(exist_ok=True)
        (folder / "src" / plan.file_name).write_text(text, encoding="utf-8")
    build([folder / "src"], out=folder / "graph")
    return [plan for _, _, plan in chosen], folder / "graph"


@pytest.fixture(scope="module")
def corpus(built):
    from policykg.sparql.engines import OxigraphEngine, RdflibEngine

    plans, graph = built
    files = [graph / "policykg.ttl"]
    return plans, OxigraphEngine.from_files(files), RdflibEngine.from_files(files)


def run(engine, name, **params):
    from policykg.sparql.catalog import load_catalog

    query = load_catalog().get(name)
    return [tuple(t.value if t is not None else None for t in row)
            for row in engine.run(query.bind(params), trusted=True).rows]


def both(corpus, name, **params):
    _, ox, rdf = corpus
    rows = run(ox, name, **params)
    assert sorted(rows) == sorted(run(rdf, name, **params))
    return rows


def test_plans_per_jurisdiction(corpus):
    plans = corpus[0]
    rows = both(corpus, "plans-per-jurisdiction")
    expected = Counter(p.county for p in plans)
    assert {r[0]: int(r[1]) for r in rows} == dict(expected)
    crowded = plans[0].county
    [row] = [r for r in rows if r[0] == crowded]
    mine = [p for p in plans if p.county == crowded]
    assert row[2] == min(p.issued for p in mine).isoformat()
    assert row[3] == max(p.issued for p in mine).isoformat()
    assert int(row[4]) == sum(len(p.pilot_tasks) for p in mine)
    assert int(row[5]) == sum(len(p.measures()) for p in mine)
    assert rows[0][0] == crowded  # most plans first


def _named_in(plan):
    """Per unit name: (measures naming it, pilot tasks it leads) in the body of ``plan``."""
    measures, leads = Counter(), Counter()
    for pt in plan.pilot_tasks:
        leads.update(pt.leads)
        for wt in pt.work_tasks:
            for m in wt.measures:
                measures.update(set(m.units))
    return measures, leads


def test_units_across_plans(corpus):
    plans = corpus[0]
    expected = {}
    seen = defaultdict(set)
    totals = defaultdict(lambda: [0, 0])
    for k, plan in enumerate(plans):
        measures, leads = _named_in(plan)
        for unit in set(measures) | set(leads):
            seen[(unit, plan.county)].add(k)
            totals[(unit, plan.county)][0] += measures[unit]
            totals[(unit, plan.county)][1] += leads[unit]
    for key, ks in seen.items():
        expected[key] = (len(ks), *totals[key])
    rows = both(corpus, "units-across-plans", min_plans="1")
    assert {(r[0], r[1]): (int(r[2]), int(r[3]), int(r[4])) for r in rows} == expected
    many = both(corpus, "units-across-plans")  # default: named in two plans or more
    assert {(r[0], r[1]) for r in many} == {k for k, v in expected.items() if v[0] >= 2}
    assert many and all(r[1] == plans[0].county for r in many)  # only the county with 3 plans


def test_co_responsibility_across_the_corpus(corpus):
    plans = corpus[0]
    shared = defaultdict(lambda: [0, set(), set()])
    for k, plan in enumerate(plans):
        for m in plan.measures():
            for a, b in combinations(sorted(set(m.units)), 2):
                entry = shared[(a, b)]
                entry[0] += 1
                entry[1].add(k)
                entry[2].add(plan.county)
    expected = {pair: (n, len(ks), len(cs)) for pair, (n, ks, cs) in shared.items()}
    rows = both(corpus, "corpus-co-responsibility")
    assert {(r[0], r[1]): (int(r[2]), int(r[3]), int(r[4])) for r in rows} == expected
    counts = [int(r[2]) for r in rows]
    assert counts == sorted(counts, reverse=True)
    without = both(corpus, "corpus-co-responsibility", collectives="exclude", min_measures="2")
    assert {(r[0], r[1]) for r in without} == {
        pair for pair, v in expected.items() if v[0] >= 2 and not (set(pair) & set(COLLECTIVES))}


def test_unit_load_per_plan(corpus):
    plans = corpus[0]
    rows = both(corpus, "unit-load-per-plan")
    found = defaultdict(dict)
    titles = {}
    for plan_iri, title, unit, leads, measures in rows:
        slug = plan_iri.rsplit("/", 1)[-1]
        found[slug][unit] = (int(leads), int(measures))
        titles[slug] = title
    assert len(found) == len(plans)
    for plan in plans:
        slug = plan.file_name[:-len(".txt")]
        measures, leads = _named_in(plan)
        assert found[slug] == {u: (leads[u], measures[u]) for u in set(measures) | set(leads)}
        assert titles[slug] == plan.title


@pytest.mark.parametrize("engine", [1, 2], ids=["oxigraph", "rdflib"])
def test_unit_load_per_plan_order(corpus, engine):
    """Plans in IRI order, then busiest units first, then unit names: the order the question
    promises (the query sorts by a copy of the plan's IRI, not the IRI itself)."""
    rows = run(corpus[engine], "unit-load-per-plan")
    keys = [(plan, -int(measures), -int(leads), unit) for plan, _, unit, leads, measures in rows]
    assert keys == sorted(keys)
    assert len({plan for plan, *_ in keys}) == len(corpus[0]) > 1


@pytest.mark.parametrize("engine", [1, 2], ids=["oxigraph", "rdflib"])
def test_unit_partners_across_the_corpus(corpus, engine):
    """A name several counties use asks about each county's unit of that name: one row per
    partner unit (names repeat across counties), counted from the measures naming both, in
    the order promised (most shared measures first, then name, then pilot tasks)."""
    plans = corpus[0]
    named = Counter(u for plan in plans for m in plan.measures() for u in set(m.units))
    unit = next(u for u, _ in named.most_common() if len({p.county for p in plans
                                                          if any(u in m.units for m in p.measures())}) > 1)
    shared = defaultdict(lambda: [set(), set()])
    for k, plan in enumerate(plans):
        for t, pt in enumerate(plan.pilot_tasks):
            for w, wt in enumerate(pt.work_tasks):
                for n, m in enumerate(wt.measures):
                    if unit in m.units:
                        for partner in set(m.units) - {unit}:
                            shared[(partner, plan.county)][0].add((k, t, w, n))
                            shared[(partner, plan.county)][1].add((k, t))
    expected = sorted((name, len(ms), len(pts)) for (name, _), (ms, pts) in shared.items())
    rows = [(r[0], int(r[1]), int(r[2])) for r in run(corpus[engine], "unit-partners", unit=unit)]
    assert sorted(rows) == expected
    assert rows == sorted(rows, key=lambda r: (-r[1], r[0], -r[2]))


def _slug(plan):
    return plan.file_name[:-len(".txt")]


def _body_responsibility(plan):
    """(work task, measure id, unit) for every unit named for a measure, in the text's order."""
    return [(str(wt.number), f"{wt.number}.{k}", unit)
            for pt in plan.pilot_tasks for wt in pt.work_tasks
            for k, m in enumerate(wt.measures, start=1) for unit in m.units]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_plan_questions_on_one_plan_of_the_corpus(built, engine):
    """--plan scopes a question about one plan to that plan's named graph: the rows are what
    its text says, in its order, with nothing from the county's other plans."""
    from policykg.sparql.engines import load_engine

    plans, graph = built
    for plan in plans[:2] + plans[-1:]:  # two plans of the crowded county, one of another
        scoped = load_engine([graph], engine, plan=_slug(plan))
        rows = run(scoped, "responsibility")
        assert [r[:3] for r in rows if r[4] == "body"] == _body_responsibility(plan)
        leads = [(str(pt.number), pt.title, unit) for pt in plan.pilot_tasks for unit in pt.leads]
        assert [r[:3] for r in run(scoped, "lead-units") if r[4] == "body"] == leads
        [row] = run(scoped, "plans")
        assert row[:3] == (_slug(plan), plan.doc_number, plan.title)
        assert row[4] == plan.issued.isoformat()
        assert (int(row[5]), int(row[6])) == (len(plan.pilot_tasks), len(plan.measures()))


def test_plan_questions_on_the_whole_corpus_keep_plans_apart(corpus):
    """Unscoped, the plans of one county repeat task numbers and share units: no row of one
    plan may be merged into another's, and rows come plan by plan."""
    plans = corpus[0]
    rows = [r for r in both(corpus, "responsibility") if r[4] == "body"]
    assert len(rows) == sum(len(_body_responsibility(p)) for p in plans)
    # rows come plan by plan, in the order of the plans' IRIs
    slugs = corpus[1].run("SELECT ?slug ?plan WHERE { ?plan <https://w3id.org/policykg/ns#slug> ?slug }",
                          trusted=True)
    iris = dict(slugs.values())
    in_order = sorted(plans, key=lambda p: iris[_slug(p)])
    assert [r[:3] for r in rows] == [r for p in in_order for r in _body_responsibility(p)]
    assert {r[0] for r in both(corpus, "plans")} == {_slug(p) for p in plans}


def test_a_plan_is_named_by_slug_iri_document_number_or_title(built):
    from collections import Counter

    from policykg.sparql.engines import GraphLoadError, load_engine

    plans, graph = built
    plan = plans[-1]
    by_slug = run(load_engine([graph], plan=_slug(plan)), "responsibility")
    assert run(load_engine([graph], plan=plan.doc_number), "responsibility") == by_slug
    assert run(load_engine([graph], "rdflib", plan=plan.doc_number), "responsibility") == by_slug
    titles = Counter(p.title for p in plans)
    if titles[plan.title] == 1:
        assert run(load_engine([graph], plan=plan.title), "responsibility") == by_slug
    shared = [t for t, n in titles.items() if n > 1]
    if shared:  # two plans of one county may bear one title: say so, do not pick one
        with pytest.raises(GraphLoadError, match=f"names {titles[shared[0]]} plans"):
            load_engine([graph], plan=shared[0])


def test_plan_option_errors_name_the_problem(built):
    from policykg.sparql.engines import GraphLoadError, load_engine

    plans, graph = built
    with pytest.raises(GraphLoadError, match="no plan 'nope' in the graph; it has: .*" + _slug(plans[0])):
        load_engine([graph], plan="nope")
    with pytest.raises(GraphLoadError, match="--plan needs the graph with one named graph per plan"):
        load_engine([graph / "policykg.ttl"], plan=_slug(plans[0]))


def test_query_command_plan_option_and_note(built):
    from click.testing import CliRunner

    from policykg.cli.main import cli

    plans, graph = built
    runner = CliRunner()
    one = runner.invoke(cli, ["query", "responsibility", "-g", str(graph), "--plan", _slug(plans[0]),
                              "-f", "csv"])
    assert one.exit_code == 0, one.output
    lines = one.stdout.splitlines()
    assert lines[0] == "work_task,measure,unit,unit_en,source"
    assert [tuple(line.split(",")[:3]) for line in lines[1:] if line.endswith(",body")] == \
        _body_responsibility(plans[0])
    assert "note:" not in one.stderr
    whole = runner.invoke(cli, ["query", "responsibility", "-g", str(graph), "-f", "csv"])
    assert whole.exit_code == 0
    assert f"the graph holds {len(plans)} plans" in whole.stderr and "--plan SLUG" in whole.stderr
    corpus_wide = runner.invoke(cli, ["query", "units-across-plans", "-g", str(graph)])
    assert corpus_wide.exit_code == 0 and "note:" not in corpus_wide.stderr
    remote = runner.invoke(cli, ["query", "responsibility", "--plan", "x", "--endpoint", "http://127.0.0.1:9/q"])
    assert remote.exit_code == 2 and "--plan works on the local graph" in remote.stderr


def test_visualize_one_plan_of_the_corpus(built, tmp_path):
    """`policykg visualize --plan` draws that plan alone: its title, its measures and units."""
    from click.testing import CliRunner

    from policykg.cli.main import cli

    plans, graph = built
    plan, other = plans[0], plans[-1]  # plans[0]'s county has two more plans, which share its units
    done = CliRunner().invoke(cli, ["visualize", "--graph", str(graph), "--plan", _slug(plan),
                                    "--out", str(tmp_path / "views")])
    assert done.exit_code == 0, done.output
    measures, leads = _named_in(plan)
    assert f"({len(set(measures) | set(leads))} units, {len(plan.measures())} measures" in done.stdout
    index = (tmp_path / "views" / "index.html").read_text(encoding="utf-8")
    assert plan.title in index and other.title not in index
    assert f"<b>{len(plan.pilot_tasks)}</b> 试验任务" in index
    assert f"<b>{len(plan.measures())}</b> 具体措施" in index
    bad = CliRunner().invoke(cli, ["visualize", "--graph", str(graph), "--plan", "nope",
                                   "--out", str(tmp_path / "bad")])
    assert bad.exit_code == 2 and "no plan 'nope' in the graph" in bad.stderr
    assert not (tmp_path / "bad").exists()


def test_views_of_a_whole_corpus_name_how_many_plans(built, tmp_path):
    from policykg.views import pages as views
    from policykg.views.networks import load_graph

    plans, graph = built
    result = views.build_views(load_graph([graph]), tmp_path / "views", lang="en")
    index = (result.out / "index.html").read_text(encoding="utf-8")
    assert f"<h1>{len(plans)} plans</h1>" in index and f"<b>{len(plans)}</b> plans" in index
    assert all(p.title not in index.split("<h2>")[0] for p in plans)


def test_view_queries_give_the_same_rows_in_the_same_order_on_every_engine(tmp_path):
    """The views read the store, the files, or rdflib: their queries must order every row, also
    where plans tie (here one plan issued twice: every measure 1.1 names the same unit at the same
    place in both)."""
    from conftest import GAOQING

    from policykg.rdf.build import build
    from policykg.sparql.engines import OxigraphEngine, RdflibEngine
    from policykg.views.networks import run_select

    for name in ("first-issue.txt", "second-issue.txt"):
        (tmp_path / "src").mkdir(exist_ok=True)
        (tmp_path / "src" / name).write_bytes(GAOQING.read_bytes())
    build([tmp_path / "src"], out=tmp_path / "graph")
    files = [tmp_path / "graph" / "policykg.ttl"]
    store = OxigraphEngine.from_store(files, None, lambda _: None)
    assert store is not None
    engines = [store, OxigraphEngine.from_files(files), RdflibEngine.from_files(files)]
    for name in ("view-measure-units", "view-annex-row-units", "view-structure", "view-pilot-task-leads",
                 "view-units", "view-discrepancy-units", "view-discrepancies", "view-plan-info"):
        first, *others = (run_select(name, engine) for engine in engines)
        assert first, name
        for rows in others:
            assert rows == first, name
