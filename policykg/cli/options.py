"""Options that several commands share, so they have one name and one meaning everywhere."""

from __future__ import annotations

import os

import click

DEFAULT_GRAPH = "graph"

# Click's own -h, beside --help, on every command.
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}

graph_option = click.option(
    "--graph", "-g", "graph", multiple=True, metavar="PATH",
    help="Graph file or directory (.ttl .nt .trig .nq); repeatable. Default: graph/ "
         "(or $POLICYKG_GRAPH).",
)


def graph_paths(graph: tuple[str, ...]) -> list[str]:
    """The graph files or folders a command reads: as given, else $POLICYKG_GRAPH, else graph/."""
    if graph:
        return list(graph)
    return [os.environ.get("POLICYKG_GRAPH", DEFAULT_GRAPH)]
