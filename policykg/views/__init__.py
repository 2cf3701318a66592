"""Drawing the graph: networks from view queries, node layout, page rendering, the views folder."""
