"""Asking the graph: engines, the query catalog, parameters, the safety check, results, endpoints, the server."""
