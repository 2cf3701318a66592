"""The costly graph algorithms of the views, run by rustworkx on a copy of a networkx graph.

networkx stays the graph type the views build and export; its pure-Python betweenness and spring
layout took most of the time of a corpus's views (1,700 units: 1.7 s for betweenness, against
0.04 s here). Both copies number the nodes in the order given, so results do not depend on
hash seeds; rustworkx runs single-threaded here, as its parallel betweenness adds the
shortest-path counts in an order that changes the last bits from one run to the next.
"""

from __future__ import annotations

from typing import Sequence

import networkx as nx
import rustworkx as rx

SERIAL = 2**62  # parallel_threshold: never split the work over threads


def to_rustworkx(g: nx.Graph, nodes: Sequence, weight: str | None = None) -> rx.PyGraph:
    """An undirected rustworkx copy of the subgraph of ``g`` over ``nodes`` (index i is
    ``nodes[i]``, edges in that order, no self-loops); edge data the ``weight`` attribute as a
    float (1.0 where missing), or None without ``weight``."""
    index = {n: i for i, n in enumerate(nodes)}
    adj = (g.to_undirected(as_view=True) if g.is_directed() else g).adj
    h = rx.PyGraph(multigraph=False)
    h.add_nodes_from(nodes)
    h.extend_from_weighted_edge_list(
        [(i, index[v], float(d.get(weight, 1) or 1) if weight else None)
         for i, u in enumerate(nodes) for v, d in adj[u].items() if index.get(v, -1) > i]
    )
    return h


def betweenness(g: nx.Graph) -> dict:
    """Unweighted betweenness centrality of every node, normalised as networkx normalises it
    (by the number of pairs of other nodes)."""
    nodes = sorted(g, key=str)
    if len(nodes) <= 2:
        return {n: 0.0 for n in nodes}
    got = rx.betweenness_centrality(to_rustworkx(g, nodes), normalized=True, parallel_threshold=SERIAL)
    return {n: float(got[i]) for i, n in enumerate(nodes)}


def spring_positions(g: nx.Graph, nodes: Sequence, *, seed: int, weight: str | None = "weight",
                     iterations: int = 50, scale: float = 1.0) -> dict:
    """A seeded Fruchterman-Reingold layout of ``g``'s ``nodes`` within [-scale, scale]."""
    h = to_rustworkx(g, nodes, weight)
    got = rx.spring_layout(h, seed=seed, num_iter=iterations, scale=scale,
                           weight_fn=(lambda w: w) if weight else None)
    return {n: tuple(got[i]) for i, n in enumerate(nodes)}
