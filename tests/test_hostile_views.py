"""Hostile content in the network views: GraphML and GEXF stay valid XML holding the text
as written; every HTML page, opened in headless Chromium, shows it as text and runs none of it."""

import xml.etree.ElementTree as ET

import pytest
from test_hostile import FORMULA_UNITS, IMG, SCRIPT, hostile_text

HOSTILE_UNITS = [*FORMULA_UNITS[1:], "县<imgsrc=xonerror=alert(1)>办公室"]  # as split_units writes them


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    from policykg.rdf.build import build
    from policykg.views import pages as views
    from policykg.views.networks import load_graph

    folder = tmp_path_factory.mktemp("hostile-views")
    source = folder / "hostile-plan.txt"
    source.write_text(hostile_text(), encoding="utf-8")
    build([source], out=folder / "graph")
    return views.build_views(load_graph([folder / "graph"]), folder / "views", lang="zh").out


def xml_texts(path):
    root = ET.parse(path).getroot()  # raises on anything that is not well-formed XML
    return {v for el in root.iter() for v in (el.text, *el.attrib.values()) if v}


@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
def test_network_files_are_valid_xml_with_the_names_as_written(hostile_site, suffix):
    files = sorted((hostile_site / "data").glob(f"*{suffix}"))
    assert files
    found = set()
    for path in files:
        found |= xml_texts(path)
    for name in HOSTILE_UNITS:
        assert name in found, name


def test_no_page_refers_to_outside_resources(hostile_site):
    from policykg.views.render import outside_references

    for path in hostile_site.rglob("*.html"):
        assert outside_references(path.read_text(encoding="utf-8")) == [], path


@pytest.mark.browser
def test_pages_show_hostile_text_as_text_and_run_none_of_it(hostile_site, visit):
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 6
    seen_as_text = ""
    for path in pages:
        v = visit(path)
        if v.page.query_selector("#network") is not None:
            v.wait_ready()
        else:
            v.page.wait_for_load_state("load")
        assert v.dialogs == [], path
        assert v.console_errors() == [], path
        assert v.outside_requests() == [], path
        injected = v.page.evaluate(
            """() => ({
                 imgs: document.querySelectorAll('img[src="x"], img[onerror], iframe').length,
                 scripts: [...document.scripts].filter(s => (!s.type || /javascript|module/.test(s.type))
                                                          && /onerror=alert|alert\\("x"\\)/.test(s.textContent)).length,
                 handlers: [...document.querySelectorAll('*')].filter(e =>
                             [...e.attributes].some(a => a.name.startsWith('on'))).length })""")
        assert injected == {"imgs": 0, "scripts": 0, "handlers": 0}, (path, injected)
        seen_as_text += v.page.inner_text("body")
        v.close()
    for fragment in ("@SUM(1)局", "-2+3局", "县<imgsrc=xonerror=alert(1)>办公室"):
        assert fragment in seen_as_text, fragment
    # the pilot task the body names 县<img…>办公室 responsible for as a whole: its sheet's table
    # and the outline show the task's title and the unit as text
    assert "整体负责的任务" in seen_as_text and f"加快{SCRIPT}乡村" in seen_as_text
    assert SCRIPT in seen_as_text or IMG in seen_as_text  # measure or task text shown literally
    # the index names the body that signs with the issuer, as text
    assert "联合发文：县<imgsrc=xonerror=alert(1)>数据局" in seen_as_text  # names lose their spaces
