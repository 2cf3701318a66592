"""GraphML and GEXF written by policykg.views.xmlexport: the very bytes networkx's writers give."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import networkx as nx
import numpy as np
import pytest

from policykg.views import networks as nw
from policykg.views.pages import build_networks
from policykg.views.xmlexport import gexf_text, graphml_text


def networkx_graphml(g: nx.Graph) -> str:
    buf = io.BytesIO()
    nx.write_graphml(g, buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8")


def networkx_gexf(g: nx.Graph) -> str:
    text = "\n".join(nx.generate_gexf(g, encoding="utf-8", version="1.2draft"))
    return re.sub(r'\s+lastmodifieddate="[^"]*"', "", text)


def same_as_networkx(g: nx.Graph) -> None:
    assert graphml_text(g) == networkx_graphml(g)
    assert gexf_text(g) == networkx_gexf(g)


def hostile_graph() -> nx.Graph:
    g = nx.Graph(name='名<&>"\'', part="body")
    odd = 'a&b<c>"\'\t\n\r x'
    g.add_node(odd, label="标签 😀 &", n=1, f=1.5, b=True, s='\t tab \n nl \r cr "q" <>&\'')
    g.add_node("bare")
    g.add_node("c", n=2.0, f=float("inf"), b=False, s="", label_zh="县")  # n: a float where it was an int
    g.add_edge(odd, "bare", weight=2, kind='k"')
    g.add_edge("bare", "c")
    g.add_edge("c", "c", weight=1.5)
    return g


def test_the_gaoqing_networks_are_written_as_networkx_writes_them(gaoqing_graph):
    nets = build_networks(nw.ViewData.fetch(gaoqing_graph))
    for g in nets.values():
        h = nw.export_graph(g)
        assert len(h) > 10
        same_as_networkx(h)


def test_hostile_text_mixed_types_and_bare_nodes_and_edges_as_networkx_writes_them():
    g = hostile_graph()
    same_as_networkx(g)
    root = ET.fromstring(graphml_text(g).encode("utf-8"))  # well-formed, the text as written
    assert 'a&b<c>"\'\t\n\r x' in {el.get("id") for el in root.iter() if el.tag.endswith("node")}
    assert "标签 😀 &" in {el.get("label") for el in ET.fromstring(gexf_text(g)).iter()}


def test_empty_and_directed_graphs_as_networkx_writes_them():
    same_as_networkx(nx.Graph())
    d = nx.DiGraph(name="d")
    d.add_edge("x", "y", weight=1)
    d.add_edge("y", "x")
    d.add_node("z", flag=True)
    same_as_networkx(d)


def test_what_the_writers_here_leave_to_networkx_still_comes_out_as_networkx_writes_it():
    g = nx.Graph()
    g.add_node("a", viz={"size": 3.0}, start=1)  # GEXF gives these names a meaning
    g.add_edge("a", "b", label="ab", id="e7")
    assert gexf_text(g) == networkx_gexf(g)
    h = nx.Graph()
    h.add_node("a", n=np.float64(0.5))  # a type of its own
    assert graphml_text(h) == networkx_graphml(h)
    assert 'attr.type="float"' in graphml_text(h)  # networkx names numpy floats so
    h.graph["id"] = "g1"
    assert graphml_text(h) == networkx_graphml(h.copy())
    assert h.graph["id"] == "g1"  # networkx's writer takes it out of the graph it writes


@pytest.mark.parametrize("write", [graphml_text, gexf_text])
def test_a_character_xml_does_not_allow_is_refused(write):
    g = nx.Graph()
    g.add_node("a", label_zh="县\x01局")
    with pytest.raises(ValueError, match="U\\+0001"):
        write(g)


def test_the_escapers_keep_nothing_once_a_document_is_written():
    from policykg.views import xmlexport

    g = hostile_graph()
    for write in (graphml_text, gexf_text):
        write(g)
        assert [f.cache_info().currsize for f in (xmlexport._text, xmlexport._lxml_attr, xmlexport._etree_attr)] == [0, 0, 0]
