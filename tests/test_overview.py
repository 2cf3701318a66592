"""The corpus overview: jurisdictions → units by type and plans → a plan's views on demand.

The documents are synthetic; expected figures come from what the generator says it wrote into
them (IntendedPlan), never from the parser or the graph."""

import re
from collections import Counter, defaultdict

import pytest
from click.testing import CliRunner

from policykg.corpus.synthetic import generate_plan
from policykg.views import overview as ov

SEED = 5


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Nine documents from several counties (none from Gaoqing, whose registry renames units), and
    the folder their graph was built into."""
    from policykg.rdf.build import build

    folder = tmp_path_factory.mktemp("overview")
    (folder / "src").mkdir()
    plans = []
    for index in range(1, 40):
        text, plan = generate_plan(index, SEED)
        if plan.county == "高青县":
            continue
        (folder / "src" / plan.file_name).write_text(text, encoding="utf-8")
        plans.append(plan)
        if len(plans) == 9:
            break
    build([folder / "src"], out=folder / "graph")
    return plans, folder / "graph"


@pytest.fixture(scope="module")
def views(built, tmp_path_factory):
    from policykg.sparql.engines import load_engine

    plans, graph = built
    out = tmp_path_factory.mktemp("overview-views")
    result = ov.build_overview(load_engine([graph]), out, graph=[str(graph)])
    return plans, out, result


def _cells(row_html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row_html)]


def test_index_lists_every_county_with_its_plans_tasks_and_measures(views):
    plans, out, result = views
    html = (out / "index.html").read_text(encoding="utf-8")
    rows = {cells[0]: cells for cells in map(_cells, re.findall(r"<tr>(<td>.*?)</tr>", html))}
    by_county = defaultdict(list)
    for p in plans:
        by_county[p.county].append(p)
    assert set(rows) == set(by_county)
    for county, mine in by_county.items():
        assert int(rows[county][1]) == len(mine)
        assert int(rows[county][2]) == sum(len(p.pilot_tasks) for p in mine)
        assert int(rows[county][3]) == sum(len(p.measures()) for p in mine)
    assert f"{len(plans)} 个方案 · {len(by_county)} 个地区" in html
    assert result.counts["plans"] == len(plans)
    # one page per county besides the index, each linked from it
    assert len(result.files) == 1 + len(by_county)
    for href in re.findall(r'<a href="(jurisdictions/[^"]+)"', html):
        assert (out / href).is_file()


def _units_named(plans):
    """Per unit name: the plans, measures and pilot tasks (led) the body names it in."""
    named = defaultdict(lambda: [set(), 0, 0])
    for k, plan in enumerate(plans):
        for pt in plan.pilot_tasks:
            for unit in set(pt.leads):
                named[unit][0].add(k)
                named[unit][2] += 1
            for wt in pt.work_tasks:
                for m in wt.measures:
                    for unit in set(m.units):
                        named[unit][0].add(k)
                        named[unit][1] += 1
    return {u: (len(ks), ms, ls) for u, (ks, ms, ls) in named.items()}


def test_county_page_lists_its_units_with_plans_measures_and_leads(views):
    plans, out, _ = views
    county = Counter(p.county for p in plans).most_common(1)[0][0]
    mine = [p for p in plans if p.county == county]
    index = (out / "index.html").read_text(encoding="utf-8")
    href = re.search(rf'<a href="([^"]+)">{county}</a>', index).group(1)
    page = (out / href).read_text(encoding="utf-8")
    units = {cells[0]: tuple(int(x) for x in cells[2:5])
             for cells in map(_cells, re.findall(r"<tr>(<td>.*?)</tr>", page)) if len(cells) == 5}
    assert units == _units_named(mine)
    # and its plans, each with the slug that draws its views
    for p in mine:
        assert f"<td>{p.title}</td>" in page
        assert f"<code>{p.file_name.rsplit('.', 1)[0]}</code>" in page
    assert "--plan SLUG --out" in page


def test_a_plans_title_links_to_its_views_once_they_are_drawn(built, tmp_path):
    from policykg.cli.main import cli

    plans, graph = built
    slug = plans[0].file_name.rsplit(".", 1)[0]
    runner = CliRunner()
    first = runner.invoke(cli, ["visualize", "-g", str(graph), "--overview", "--out", str(tmp_path)])
    assert first.exit_code == 0, first.output
    pages = list((tmp_path / "jurisdictions").glob("*.html"))
    assert not any(f"plans/{slug}/index.html" in p.read_text(encoding="utf-8") for p in pages)
    drawn = runner.invoke(cli, ["visualize", "-g", str(graph), "--plan", slug, "--out", str(tmp_path / "plans" / slug)])
    assert drawn.exit_code == 0, drawn.output
    again = runner.invoke(cli, ["visualize", "-g", str(graph), "--overview", "--out", str(tmp_path)])
    assert again.exit_code == 0, again.output
    linked = [p for p in pages if f'href="../plans/{slug}/index.html"' in p.read_text(encoding="utf-8")]
    assert len(linked) == 1
    assert (tmp_path / "plans" / slug / "index.html").is_file()


def test_visualize_writes_the_overview_from_the_threshold_on(built, tmp_path, monkeypatch):
    from policykg.cli.main import cli

    plans, graph = built
    runner = CliRunner()
    monkeypatch.setattr(ov, "OVERVIEW_FROM", len(plans) + 1)
    below = runner.invoke(cli, ["visualize", "-g", str(graph), "--out", str(tmp_path / "below")])
    assert below.exit_code == 0, below.output
    assert (tmp_path / "below" / "co-responsibility.html").is_file()
    assert not (tmp_path / "below" / "jurisdictions").exists()
    monkeypatch.setattr(ov, "OVERVIEW_FROM", len(plans))
    at = runner.invoke(cli, ["visualize", "-g", str(graph), "--out", str(tmp_path / "at")])
    assert at.exit_code == 0, at.output
    assert (tmp_path / "at" / "jurisdictions").is_dir()
    assert not (tmp_path / "at" / "co-responsibility.html").exists()
    forced = runner.invoke(cli, ["visualize", "-g", str(graph), "--every-unit", "--out", str(tmp_path / "forced")])
    assert forced.exit_code == 0, forced.output
    assert (tmp_path / "forced" / "co-responsibility.html").is_file()


def test_overview_is_byte_identical_across_runs_and_engines(built, tmp_path):
    from policykg.sparql.engines import load_engine

    _, graph = built
    first = ov.build_overview(load_engine([graph]), tmp_path, graph=[str(graph)])
    before = {p: p.read_bytes() for p in first.files}
    again = ov.build_overview(load_engine([graph], "rdflib"), tmp_path, graph=[str(graph)])
    assert again.files == first.files
    assert {p: p.read_bytes() for p in again.files} == before


def test_overview_pages_escape_every_text():
    hostile = '<script>alert(1)</script>"&'
    plans = [{"plan": "urn:p", "slug": hostile, "title": hostile, "docNumber": hostile, "issued": hostile,
              "jurisdiction": "urn:j", "jSlug": "../../etc", "jZh": hostile, "jEn": None,
              "pilotTasks": 1, "measures": 2}]
    units = [{"unit": "urn:u", "nameZh": hostile, "nameEn": hostile, "type": "unknown", "typeZh": hostile,
              "typeEn": None, "jurisdiction": "urn:j", "plans": 1, "measures": 2, "leads": 0}]
    data = ov.OverviewData(plans, units)
    [j] = data.jurisdictions.values()
    assert j["file"] == "jurisdictions/etc.html"  # no way out of the folder
    for page in (ov.index_page(data, "zh", ov.plan_command([hostile], "views")),
                 ov.jurisdiction_page(j, data, "en", ov.plan_command(None, "views"), set())):
        assert "<script" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;" in page
