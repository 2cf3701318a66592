"""The views' compiled graph algorithms (policykg.views.rustgraph) against what they mean."""

import networkx as nx
import pytest

from policykg.views.rustgraph import betweenness, spring_positions, to_rustworkx


def test_betweenness_counts_the_shortest_paths_through_a_node():
    # a path a-b-c-d: b lies on the shortest paths a-c and a-d, c on a-d and b-d; of the three
    # pairs of other nodes, normalised
    g = nx.path_graph(["a", "b", "c", "d"])
    assert betweenness(g) == pytest.approx({"a": 0.0, "b": 2 / 3, "c": 2 / 3, "d": 0.0})
    # a star: the hub is on every shortest path between two leaves
    star = nx.star_graph(5)
    assert betweenness(star) == pytest.approx({0: 1.0, 1: 0.0, 2: 0.0, 3: 0.0, 4: 0.0, 5: 0.0})
    # two shortest paths a-b-d and a-c-d: b and c carry half of the pair a-d each
    square = nx.Graph([("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")])
    assert betweenness(square)["b"] == pytest.approx(0.5 / 3)


def test_betweenness_is_unweighted_and_equals_networkx_on_a_larger_graph():
    g = nx.connected_watts_strogatz_graph(300, 6, 0.2, seed=3)
    for u, v in g.edges:
        g.edges[u, v]["weight"] = (u * v) % 7 + 1  # must not count: betweenness is unweighted here
    ours, theirs = betweenness(g), nx.betweenness_centrality(g, normalized=True)
    assert set(ours) == set(g)
    assert max(abs(ours[n] - theirs[n]) for n in g) < 1e-12
    assert max(ours.values()) > 0.01


def test_betweenness_of_tiny_graphs_is_zero():
    assert betweenness(nx.Graph()) == {}
    assert betweenness(nx.Graph([("a", "b")])) == {"a": 0.0, "b": 0.0}


def test_the_copy_keeps_the_induced_subgraph_in_the_order_given():
    g = nx.Graph()
    g.add_edge("x", "y", weight=3)
    g.add_edge("y", "z")
    g.add_edge("z", "x", weight=2)
    g.add_edge("x", "x", weight=9)  # a self-loop: no part of a layout or of a shortest path
    h = to_rustworkx(g, ["z", "x"], "weight")
    assert h.nodes() == ["z", "x"]
    assert sorted(h.weighted_edge_list()) == [(0, 1, 2.0)]
    assert to_rustworkx(g, ["x", "y", "z"]).num_edges() == 3
    d = nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c")])  # directed: one undirected edge per pair
    assert to_rustworkx(d, ["a", "b", "c"]).num_edges() == 2


def test_spring_positions_are_seeded_scaled_and_pull_neighbours_together():
    g = nx.barbell_graph(12, 0)  # two cliques joined by one edge
    nodes = list(g)
    a = spring_positions(g, nodes, seed=7, scale=5.0)
    assert a == spring_positions(g, nodes, seed=7, scale=5.0)
    assert a != spring_positions(g, nodes, seed=8, scale=5.0)
    assert set(a) == set(g)
    assert max(abs(c) for xy in a.values() for c in xy) <= 5.0 + 1e-9

    def dist(u, v):
        return ((a[u][0] - a[v][0]) ** 2 + (a[u][1] - a[v][1]) ** 2) ** 0.5

    inside = [dist(u, v) for u in range(12) for v in range(u + 1, 12)]
    across = [dist(u, v) for u in range(3) for v in range(15, 18)]
    assert max(inside) < min(across)
