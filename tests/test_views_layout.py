"""The large graphs' layout (policykg.views.layout.community_layout): blocks by component and community."""

import networkx as nx

from policykg.views.layout import LARGE_GRAPH, community_layout, layout


def box(pos, nodes):
    xs, ys = [pos[n][0] for n in nodes], [pos[n][1] for n in nodes]
    return min(xs), max(xs), min(ys), max(ys)


def apart(a, b):
    return a[1] < b[0] or b[1] < a[0] or a[3] < b[2] or b[3] < a[2]


def test_small_components_are_each_a_block_of_their_own():
    # ten components: paths of 30 nodes; a path is one component, never split up
    g = nx.disjoint_union_all([nx.path_graph(30) for _ in range(10)])
    pos = community_layout(g)
    blocks = [box(pos, c) for c in nx.connected_components(g)]
    assert len(blocks) == 10
    assert all(apart(a, b) for i, a in enumerate(blocks) for b in blocks[i + 1:])


def test_a_component_above_the_limit_is_split_into_its_communities():
    # one component: twelve cliques of 40 joined in a ring by single edges; Louvain finds the cliques
    cliques = [nx.complete_graph(range(40 * i, 40 * i + 40)) for i in range(12)]
    g = nx.compose_all(cliques)
    g.add_edges_from((40 * i, 40 * ((i + 1) % 12) + 1) for i in range(12))
    assert nx.is_connected(g) and len(g) > LARGE_GRAPH
    pos = community_layout(g)
    blocks = [box(pos, c.nodes) for c in cliques]
    assert all(apart(a, b) for i, a in enumerate(blocks) for b in blocks[i + 1:])


def test_the_large_graph_layout_is_seeded():
    g = nx.disjoint_union_all([nx.cycle_graph(60) for _ in range(8)])
    assert len(g) > LARGE_GRAPH
    assert layout(g) == layout(g)
    assert layout(g, seed=1) != layout(g, seed=2)
