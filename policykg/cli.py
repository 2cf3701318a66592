"""The ``policykg`` command: a thin click layer over the library."""

from __future__ import annotations

import sys

import click

from . import __version__
from .errors import PolicyKGError

# Exit status for bad input (a document, a query, a registry): the user can fix it.
EXIT_BAD_INPUT = 2


@click.group()
@click.version_option(__version__, prog_name="policykg")
def cli() -> None:
    """Knowledge graphs of Chinese government implementation plans.

    Example: policykg build sources/ --out graph/
    """


# SPARQL layer: query, queries, serve, push (policykg/query_cli.py)
from .query_cli import register as _register_query_commands  # noqa: E402

_register_query_commands(cli)


def main() -> None:
    try:
        cli(standalone_mode=True)
    except PolicyKGError as err:  # pragma: no cover - click handles most paths
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_BAD_INPUT)
