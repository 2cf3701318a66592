"""The ``policykg`` command: a thin click layer over the library."""

from __future__ import annotations

import sys

import click

from . import __version__
from .errors import PolicyKGError

# Exit status for bad input (a document, a query, a registry): the user can fix it.
EXIT_BAD_INPUT = 2


class _Group(click.Group):
    """Turns policykg's own errors into one line on stderr and exit status 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except PolicyKGError as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(EXIT_BAD_INPUT)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="policykg")
def cli() -> None:
    """Knowledge graphs of Chinese government implementation plans.

    Example: policykg build sources/ --out graph/
    """


@cli.command()
@click.argument("sources", nargs=-1, type=click.Path())
@click.option("--out", default="graph", show_default=True, type=click.Path(file_okay=False),
              help="Folder to write the graph files to.")
@click.option("--format", "formats", default="turtle,trig", show_default=True,
              help="Comma-separated formats to write: turtle, nt, jsonld, trig.")
@click.option("--namespace", default=None,
              help="Namespace for the data IRIs (default https://w3id.org/policykg/id/).")
@click.option("--registry", "registry_dir", default=None, type=click.Path(file_okay=False),
              help="Folder of unit registries (default ontology/registry/).")
@click.option("--quiet", "-q", is_flag=True, help="Print only the files written.")
def build(sources, out, formats, namespace, registry_dir, quiet):
    """Parse plans into an RDF graph, validate it and write it to OUT.

    SOURCES are .txt files or folders of them (default: sources/). Nothing is written
    unless every document parses and the graph conforms to the SHACL shapes.

    Example: policykg build sources/ --out graph/ --format turtle,nt,jsonld,trig
    """
    from .build import build as run_build
    from .mapping import DEFAULT_NAMESPACE
    from .registry import DEFAULT_REGISTRY_DIR
    from .report import summary

    result = run_build(
        list(sources) or ["sources"],
        progress=_progress,
        out=out,
        formats=tuple(f.strip() for f in formats.split(",") if f.strip()),
        namespace=namespace or DEFAULT_NAMESPACE,
        registry_dir=registry_dir or DEFAULT_REGISTRY_DIR,
    )
    if quiet:
        for path in result.files:
            click.echo(str(path))
    else:
        click.echo(summary(result))


def _progress(items, total):
    """A progress bar over many documents on a terminal; nothing otherwise."""
    if total < 2 or not sys.stderr.isatty():
        yield from items
        return
    with click.progressbar(items, length=total, label="building plans", file=sys.stderr) as bar:
        yield from bar


@cli.command()
@click.argument("graph_file", default="graph/policykg.ttl", type=click.Path(dir_okay=False))
def validate(graph_file):
    """Check a built graph against the SHACL shapes in ontology/shapes.ttl.

    Exits 0 when it conforms, 1 with the report when it does not.

    Example: policykg validate graph/policykg.ttl
    """
    from pathlib import Path

    from rdflib import Graph
    from rdflib.util import guess_format

    from .validate import validation_report

    path = Path(graph_file)
    if not path.exists():
        raise PolicyKGError(f"{path}: no such file; run `policykg build` first")
    try:
        graph = Graph().parse(path, format=guess_format(str(path)) or "turtle")
    except Exception as err:
        raise PolicyKGError(f"{path}: cannot be read as RDF: {err}") from None
    conforms, report = validation_report(graph)
    if conforms:
        click.echo(f"{path}: conforms ({len(graph)} triples)")
    else:
        click.echo(report)
        sys.exit(1)


# SPARQL layer: query, queries, serve, push (policykg/query_cli.py)
from .query_cli import register as _register_query_commands  # noqa: E402

_register_query_commands(cli)


def main() -> None:
    cli()
