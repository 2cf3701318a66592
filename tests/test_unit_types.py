"""Units the registry does not list are typed by the form of their names (ontology/registry/unit-types.ttl).

The expected types are what the names say to a reader of Chinese government documents: 局 is a
bureau of a government, 团市委 the city's Communist Youth League committee, 市高法院 a court.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT

from policykg.errors import RegistryError
from policykg.rdf.registry import DEFAULT_REGISTRY_DIR, load_registry, type_by_name

CORPUS = ROOT / "corpus" / "real"

UNIT_TYPES = """
    PREFIX pkg: <https://w3id.org/policykg/ns#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    PREFIX org: <http://www.w3.org/ns/org#>
    SELECT ?name ?type ?registered WHERE {
      ?u a pkg:Unit ; skos:prefLabel ?name ; pkg:registered ?registered ; org:classification/skos:notation ?type }"""


@pytest.fixture(scope="module")
def types():
    from policykg.rdf.build import build

    docs = [next(CORPUS.glob(f"{k}_*")) for k in ("37", "39", "40", "53", "74")]
    result = build([*docs, ROOT / "sources"], out=None)
    return {str(r.name): (str(r.type), r.registered.toPython()) for r in result.graph.query(UNIT_TYPES)}


@pytest.mark.parametrize("name, expected", [
    # 37 (Chongqing, 21 departments and bodies sign it)
    ("市民政局", "government-department"),
    ("市住房城乡建委", "government-department"),  # a 委员会 of the government, not a Party 市委
    ("市委政法委", "party-department"),
    ("市委网信办", "party-department"),
    ("团市委", "mass-organization"),
    ("市妇联", "mass-organization"),
    ("市高法院", "judicial-organ"),
    ("市检察院", "judicial-organ"),
    ("市妇儿工委办", "coordinating-body"),  # the office of the women and children's working committee
    # 39: the grid company
    ("国网重庆电力", "enterprise"),
    # 40 (Enyang district): every town and subdistrict, as one name
    ("各镇（街道）", "collective"),
    ("区税务局", "branch-office"),  # tax bureaus are run from Beijing, not by the district
    # 53 (Shenyang): the joint issuers
    ("国家税务总局沈阳市税务局", "branch-office"),
    ("中国人民银行辽宁省分行营业管理部", "financial-institution"),
    ("沈阳住房公积金管理中心", "public-service-institution"),
    # 74 (Jiangxi market regulation bureau): its own divisions
    ("省局信用监管处", "internal-division"),
])
def test_an_unregistered_unit_is_typed_by_its_name(types, name, expected):
    assert types[name] == (expected, False)


def test_a_registered_unit_keeps_the_type_its_registry_gives(types):
    # the Gaoqing registry: 市生态环境局高青分局 is the municipal bureau's county branch, a narrower
    # type than the rules' branch office
    assert types["市生态环境局高青分局"] == ("municipal-bureau-branch", True)
    assert types["县公安局"] == ("county-government-department", True)


def test_the_first_rule_in_order_wins():
    rules = load_registry().type_rules
    assert [r.order for r in rules] == sorted(r.order for r in rules)
    assert type_by_name("各县区人民政府", rules) == "Collective"  # before 政府 makes it a government
    assert type_by_name("市人民政府办公厅", rules) == "GovernmentDepartment"  # not the government itself
    assert type_by_name("县委", rules) == "PartyDepartment"
    assert type_by_name("市委办公室", rules) == "PartyDepartment"
    assert type_by_name("县金融证券服务中心", rules) == "PublicServiceInstitution"  # a 中心, not a broker
    # bodies a county plan names besides departments: the armed forces department, the people's
    # congress and the political consultative conference (the 中央军委 before 中央 makes it Party)
    assert type_by_name("县人武部", rules) == "MilitaryOrgan"
    assert type_by_name("中央军委国防动员部", rules) == "MilitaryOrgan"
    assert type_by_name("县人大常委会办公室", rules) == "PeoplesCongress"
    assert type_by_name("县政协", rules) == "PoliticalConsultativeConference"
    assert type_by_name("大地", rules) == "UnknownType"


def test_county_types_narrow_the_general_ones(built):
    rows = {(str(a), str(b)) for a, b in built.graph.query("""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?narrow ?broad WHERE { ?n skos:broader ?b . ?n skos:notation ?narrow . ?b skos:notation ?broad }""")}
    assert ("county-government-department", "government-department") in rows
    assert ("township-collective", "collective") in rows


def test_collectives_of_any_place_are_left_out_on_request(tmp_path):
    from policykg.rdf.build import build
    from policykg.sparql.catalog import load_catalog
    from policykg.sparql.engines import load_engine

    build([next(CORPUS.glob("40_*"))], out=tmp_path)
    engine = load_engine([tmp_path], "oxigraph")
    query = load_catalog().get("co-responsibility")

    def names(collectives):
        rows = engine.run(query.bind({"collectives": collectives}), trusted=True).rows
        return {str(v) for row in rows for v in row[:2]}

    # 40's annotations end with 责任单位：各镇（街道）
    assert "各镇（街道）" in names("include")
    assert "各镇（街道）" not in names("exclude") and names("exclude")


@pytest.mark.parametrize("rule, message", [
    ('pkg:order 5 ; pkg:assignsType pkg:Enterprise ; pkg:namePattern "公司(" ', "not a regular expression"),
    ('pkg:order 10 ; pkg:assignsType pkg:Enterprise ; pkg:namePattern "公司" ', "two unit type rules have pkg:order 10"),
    ('pkg:order 5 ; pkg:namePattern "公司" ', "needs pkg:order, pkg:namePattern and pkg:assignsType"),
])
def test_a_bad_rule_is_refused_naming_its_file(tmp_path, rule, message):
    folder = tmp_path / "registry"
    shutil.copytree(DEFAULT_REGISTRY_DIR, folder)
    (folder / "zz-extra.ttl").write_text(
        "@prefix pkg: <https://w3id.org/policykg/ns#> .\n"
        f"<urn:x:rule> a pkg:UnitTypeRule ; {rule}.\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=message) as err:
        load_registry(folder)
    assert "zz-extra.ttl" in str(err.value)


def test_a_registry_folder_without_rules_leaves_unregistered_units_untyped(tmp_path):
    folder = tmp_path / "registry"
    folder.mkdir()
    shutil.copy(DEFAULT_REGISTRY_DIR / "gaoqing.ttl", folder)
    registry = load_registry(folder)
    assert registry.type_rules == ()
    assert registry.for_name("某市").resolve("市民政局").unit_type == "UnknownType"
