"""GraphML and GEXF text of an exported network, written line by line.

The bytes are those of networkx's own writers (``nx.write_graphml``, which uses lxml, and
``nx.generate_gexf``; the tests hold them to it), for the graphs
:func:`policykg.views.networks.export_graph` makes: attributes of type str, int, float or bool.
networkx builds an element tree of every attribute before writing it, which took 9 of the 11
seconds of a 1,000-plan corpus's views; a graph with anything else (another value type, or one
of the names GEXF gives a meaning to, such as ``viz`` or ``start``) goes to networkx's writers.
Either way a character XML does not allow (a control character) is refused with ValueError, as
lxml refuses it.
"""

from __future__ import annotations

import re
from functools import lru_cache

import networkx as nx

_TYPES = {str: "string", int: "long", float: "double", bool: "boolean"}  # in both formats
# Attribute names networkx's GEXF writer takes out of the attvalues (label on nodes and weight on
# edges are handled here; the others send the graph to networkx)
_GEXF_NODE_SPECIAL = {"id", "pid", "start", "end", "viz", "parents", "spells"}
_GEXF_EDGE_SPECIAL = {"id", "label", "type", "start", "end", "viz", "spells", "key", "networkx_key"}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

GRAPHML_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'
)
GEXF_HEAD = (
    '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">'
)


# Escapers, as lxml and ElementTree escape; cached, as the same values recur all through a
# network, and each refuses what XML does not allow.

@lru_cache(maxsize=1 << 16)
def _text(value: str) -> str:
    """Element content as ElementTree escapes it."""
    _check(value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@lru_cache(maxsize=1 << 16)
def _lxml_text(value: str) -> str:
    return _text(value).replace("\r", "&#13;")


@lru_cache(maxsize=1 << 16)
def _lxml_attr(value: str) -> str:
    return _lxml_text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


@lru_cache(maxsize=1 << 16)
def _etree_attr(value: str) -> str:
    return (_text(value).replace('"', "&quot;").replace("\r", "&#13;").replace("\n", "&#10;")
            .replace("\t", "&#09;"))


def _forget() -> None:
    """Empty the escapers' caches: a long-lived process (the server) keeps none of a document."""
    for cached in (_text, _lxml_text, _lxml_attr, _etree_attr):
        cached.cache_clear()


def _check(value: str) -> None:
    bad = _NOT_XML.search(value)
    if bad:
        raise ValueError(f"{value!r}: character U+{ord(bad.group()):04X} is not allowed in XML")


class _Unsupported(Exception):
    """The graph has something the writers here do not write as networkx does."""


def _type_name(value: object) -> str:
    try:
        return _TYPES[type(value)]
    except KeyError:
        raise _Unsupported from None


def graphml_text(g: nx.Graph) -> str:
    """The GraphML document ``nx.write_graphml(g, path)`` writes (lxml, pretty-printed)."""
    if g.is_multigraph() or "id" in g.graph:
        return _networkx_graphml(g)
    try:
        return _graphml(g)
    except _Unsupported:
        return _networkx_graphml(g)
    finally:
        _forget()


def _graphml(g: nx.Graph) -> str:
    keys: dict[tuple, str] = {}  # (name, type, scope) → key id, numbered as networkx numbers them
    graph_data = {k: v for k, v in g.graph.items() if k not in ("node_default", "edge_default")}
    scopes = (("graph", [graph_data]), ("node", [d for _, d in g.nodes(data=True)]),
              ("edge", [d for _, _, d in g.edges(data=True)]))
    for scope, dicts in scopes:
        for d in dicts:
            for k, v in d.items():
                keys.setdefault((str(k), _type_name(v), scope), f"d{len(keys)}")
    out = [GRAPHML_HEAD]
    for (name, kind, scope), key in reversed(keys.items()):
        out.append(f'<key id="{key}" for="{scope}" attr.name="{_lxml_attr(name)}" attr.type="{kind}"/>\n')
    out.append(f'<graph edgedefault="{"directed" if g.is_directed() else "undirected"}">')

    def data(d: dict, scope: str, indent: str) -> None:
        for k, v in d.items():
            out.append(f'{indent}<data key="{keys[(str(k), _TYPES[type(v)], scope)]}">{_lxml_text(str(v))}</data>\n')

    data(graph_data, "graph", "")
    for n, d in g.nodes(data=True):
        if d:
            out.append(f'<node id="{_lxml_attr(str(n))}">\n')
            data(d, "node", "  ")
            out.append("</node>\n")
        else:
            out.append(f'<node id="{_lxml_attr(str(n))}"/>\n')
    for u, v, d in g.edges(data=True):
        tag = f'<edge source="{_lxml_attr(str(u))}" target="{_lxml_attr(str(v))}"'
        if d:
            out.append(tag + ">\n")
            data(d, "edge", "  ")
            out.append("</edge>\n")
        else:
            out.append(tag + "/>\n")
    out.append("</graph></graphml>")
    return "".join(out)


def _networkx_graphml(g: nx.Graph) -> str:
    import io

    buf = io.BytesIO()
    # a copy: networkx takes the graph's "id" out of it; lxml refuses characters XML does not allow
    nx.write_graphml(g.copy(), buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8")


def gexf_text(g: nx.Graph) -> str:
    """The lines of ``nx.generate_gexf(g)`` (GEXF 1.2draft) joined by newlines, without the
    ``lastmodifieddate`` networkx stamps on them (so that the file is the same every day)."""
    if (g.is_multigraph() or g.graph.get("mode") == "dynamic"
            or any(_GEXF_NODE_SPECIAL.intersection(d) for _, d in g.nodes(data=True))
            or any(_GEXF_EDGE_SPECIAL.intersection(d) for _, _, d in g.edges(data=True))):
        return _networkx_gexf(g)
    try:
        return _gexf(g)
    except _Unsupported:
        return _networkx_gexf(g)
    finally:
        _forget()


def _gexf(g: nx.Graph) -> str:
    attr_ids: dict[str, dict[str, str]] = {"node": {}, "edge": {}}
    declared: dict[str, list[str]] = {"node": [], "edge": []}
    counter = iter(range(1 << 62))

    def attvalues(d: dict, scope: str) -> list[str]:
        lines = []
        ids = attr_ids[scope]
        for k, v in d.items():
            kind = _type_name(v)
            if k not in ids:  # the first value's type is the attribute's
                ids[k] = str(next(counter))
                declared[scope].append(f'      <attribute id="{ids[k]}" title="{_etree_attr(str(k))}" type="{kind}" />')
            if kind == "boolean":
                value = "true" if v else "false"
            else:
                value = str(v)
                if kind == "double":
                    value = _SPECIAL_FLOATS.get(value, value)
            lines.append(f'          <attvalue for="{ids[k]}" value="{_etree_attr(value)}" />')
        return lines

    def element(tag: str, attrs: str, d: dict, scope: str) -> list[str]:
        if not d:
            return [f"      <{tag} {attrs} />"]
        return [f"      <{tag} {attrs}>", "        <attvalues>", *attvalues(d, scope), "        </attvalues>",
                f"      </{tag}>"]

    nodes = []
    for n, d in g.nodes(data=True):
        rest = {k: v for k, v in d.items() if k != "label"}
        attrs = f'id="{_etree_attr(str(n))}" label="{_etree_attr(str(d.get("label", n)))}"'
        nodes.extend(element("node", attrs, rest, "node"))
    edges = []
    for i, (u, v, d) in enumerate(g.edges(data=True)):
        rest = {k: w for k, w in d.items() if k != "weight"}
        attrs = f'source="{_etree_attr(str(u))}" target="{_etree_attr(str(v))}" id="{i}"'
        if "weight" in d:
            attrs += f' weight="{_etree_attr(str(d["weight"]))}"'
        edges.extend(element("edge", attrs, rest, "edge"))
    graph = (f'  <graph defaultedgetype="{"directed" if g.is_directed() else "undirected"}" mode="static" '
             f'name="{_etree_attr(str(g.graph.get("name", "")))}">')
    out = [GEXF_HEAD, "  <meta>", f"    <creator>NetworkX {_text(nx.__version__)}</creator>", "  </meta>", graph]
    for scope in ("edge", "node"):  # networkx puts each class's list first when it opens it
        if declared[scope]:
            out.extend((f'    <attributes mode="static" class="{scope}">', *declared[scope], "    </attributes>"))
    out.extend(["    <nodes>", *nodes, "    </nodes>"] if nodes else ["    <nodes />"])
    out.extend(["    <edges>", *edges, "    </edges>"] if edges else ["    <edges />"])
    out.extend(["  </graph>", "</gexf>"])
    return "\n".join(out).encode("ascii", "xmlcharrefreplace").decode("ascii")


_SPECIAL_FLOATS = {"inf": "INF", "nan": "NaN", "-inf": "-INF"}


def _networkx_gexf(g: nx.Graph) -> str:
    text = "\n".join(nx.generate_gexf(g, encoding="utf-8", version="1.2draft"))
    _check(text)  # ElementTree would write them
    return re.sub(r'\s+lastmodifieddate="[^"]*"', "", text, count=1)
