"""Click commands of the SPARQL layer: ``query``, ``queries``, ``serve`` and ``push``.

A thin layer over :mod:`policykg.sparql.engines`, :mod:`~policykg.sparql.catalog`, :mod:`~policykg.sparql.results`,
:mod:`~policykg.sparql.remote` and :mod:`~policykg.sparql.server`; :func:`register` adds them to the CLI group.
Heavy libraries are imported by those modules only when a command needs them.
"""

from __future__ import annotations

import sys

import click

from ..text.decode import visible as terminal_safe
from .options import CONTEXT_SETTINGS, graph_option, graph_paths

# Queries the views are drawn from: internal, listed by `policykg queries --all`.
VIEW_PREFIX = "view-"


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    from ..sparql.params import ParameterError

    values = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ParameterError(f"--param takes NAME=VALUE, not {pair!r}")
        values[key.strip()] = value
    return values


@click.command("query", context_settings=CONTEXT_SETTINGS)
@click.argument("name", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter of the query; repeatable.")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]),
              default="table", show_default=True, help="Output format (W3C SPARQL results "
              "formats for csv, tsv and json).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Label language of unit names, for queries that offer the choice.")
@click.option("-e", "--expr", "expr", metavar="SPARQL", help="Run this ad hoc query.")
@click.option("--file", "query_file", type=click.Path(exists=True, dir_okay=False),
              help="Run the query in this .rq file.")
@graph_option
@click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph",
              show_default=True, help="Embedded engine: pyoxigraph (fast) or rdflib.")
@click.option("--plan", metavar="SLUG", help="Ask about this plan alone: its slug (as "
              "'policykg query plans' lists), document number (文号), title or IRI; reads the "
              "plans' named graphs.")
@click.option("--endpoint", metavar="URL", help="Run on this SPARQL 1.1 query endpoint instead.")
@click.option("--timeout", type=float, default=30.0, show_default=True,
              help="Time limit in seconds.")
@click.option("--store/--no-store", "use_store", default=True, show_default=True,
              help="Open the build's Oxigraph store (GRAPH/store/) when it matches the graph files, "
                   "instead of reading them.")
def query_command(name, params, fmt, lang, expr, query_file, graph, engine, plan, endpoint, timeout,
                  use_store):
    """Run a named catalog query, or an ad hoc one, on the graph or an endpoint.

    Queries typed by a user may not use SERVICE, FROM / FROM NAMED or updates on the
    embedded engines: they would reach the network or the file system.

    \b
    Example:
      policykg query lead-units
      policykg query measures-of-unit --param unit=县公安局 --format csv
      policykg query co-responsibility --lang en -p collectives=exclude
      policykg query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
      policykg query responsibility --plan gaoqing-urban-rural-pilot-2022
      policykg query lead-units --endpoint http://127.0.0.1:7878/query
    """
    from ..sparql.params import ParameterError, bind, dollar_variables
    from ..sparql.results import write

    values = _parse_params(params)
    chosen = [x for x in (name, expr, query_file) if x]
    if len(chosen) != 1:
        raise ParameterError(
            "give exactly one of: a query NAME (see: policykg queries), -e 'SPARQL' or --file q.rq"
        )
    if name:
        from ..sparql.catalog import load_catalog

        entry = load_catalog().get(name)
        if lang and entry.parameter("lang") is not None:
            values.setdefault("lang", lang)
        elif lang:
            _note(f"--lang {lang} is ignored: {name} has no choice of label language "
                  "(policykg queries NAME shows its parameters)")
        text, trusted, source = entry.bind(values), True, str(entry.path)
    else:
        if query_file:
            with open(query_file, encoding="utf-8") as f:
                text, source = f.read(), query_file
        else:
            text, source = expr, "-e"
        if lang and "lang" not in {n for _, _, n in dollar_variables(text)}:
            _note(f"--lang {lang} is ignored: the query does not use $lang")
        elif lang:
            values.setdefault("lang", lang)
        text, trusted = bind(text, values), False
    if endpoint:
        if plan:
            raise ParameterError(
                "--plan works on the local graph (it reads the plan's graph from the TriG); on policykg "
                "serve, ask /queries/NAME.csv?plan=SLUG"
            )
        from ..sparql.remote import RemoteEngine

        runner = RemoteEngine(endpoint)
    else:
        from ..sparql.engines import load_engine

        runner = load_engine(graph_paths(graph), engine, plan=plan, store=use_store, notify=_note)
    result = runner.run(text, trusted=trusted, timeout=timeout, source=source)
    output = write(result, fmt)
    if fmt == "table" or sys.stdout.isatty():  # a name must not reverse or hide the terminal's text
        output = terminal_safe(output)
    click.echo(output, nl=False)
    if name and not result.rows and values.get("unit") and entry.parameter("unit") is not None:
        _note_if_no_such_unit(runner, values["unit"], timeout)
    if name and entry.scope == "plan" and not plan:
        _note_if_several_plans(runner, name, timeout)


def _note_if_no_such_unit(runner, unit: str, timeout: float) -> None:
    """No rows for a unit may mean the graph has no unit of that name: say so, with close names."""
    from ..sparql.hints import unknown_unit

    unknown = unknown_unit(runner, unit, timeout=timeout)
    if unknown is not None:
        _note(unknown.message())


def _note(message: str) -> None:
    click.echo(terminal_safe(f"note: {message}"), err=True)


def _note_if_several_plans(runner, name: str, timeout: float) -> None:
    """Rows of a question about one plan do not say which plan they come from: on a graph of
    several plans, say so (on stderr) and how to ask about one."""
    count = runner.run(
        "SELECT (COUNT(DISTINCT ?plan) AS ?n) WHERE { ?plan a <https://w3id.org/policykg/ns#Plan> }",
        trusted=True, timeout=timeout,
    ).rows
    plans = int(count[0][0].value) if count and count[0][0] is not None else 0
    if plans > 1:
        click.echo(
            f"note: the graph holds {plans} plans and the rows of {name} do not say which plan "
            "they come from; ask about one with --plan SLUG "
            "(policykg query plans lists them)",
            err=True,
        )


@click.command("queries", context_settings=CONTEXT_SETTINGS)
@click.argument("name", required=False)
@click.option("--all", "show_all", is_flag=True,
              help="Also list the view-* queries the network views are drawn from.")
def queries_command(name, show_all):
    """List the questions of the query catalog (queries/*.rq), or describe one.

    \b
    Example:
      policykg queries
      policykg queries measures-of-unit
      policykg queries --all
    """
    from ..sparql.catalog import load_catalog
    from ..sparql.results import display_width

    catalog = load_catalog()
    if name:
        q = catalog.get(name)
        click.echo(f"{q.name}: {q.title_zh} / {q.title_en}")
        click.echo(f"  question: {q.question}")
        for p in q.parameters:
            extra = "required" if p.required else f"default {p.default}"
            if p.choices:
                extra += f"; one of {', '.join(p.choices)}"
            click.echo(f"  --param {p.name}=…  ({extra}) {p.description}")
        click.echo(f"  columns: {', '.join(q.columns)}")
        if q.columns_note:
            click.echo(f"    {q.columns_note}")
        if q.scope == "plan":
            click.echo("  scope: one plan; on a graph of several, add --plan SLUG")
        click.echo(f"  file: {q.path}")
        return
    shown = [q for q in catalog if show_all or not q.name.startswith(VIEW_PREFIX)]
    width = max(len(q.name) for q in shown)
    zh_width = max(display_width(q.title_zh) for q in shown)
    for q in shown:
        params = " ".join(f"{p.name}=" if p.required else f"[{p.name}]" for p in q.parameters)
        pad = " " * (zh_width - display_width(q.title_zh))
        click.echo(f"{q.name:<{width}}  {q.title_zh}{pad}  {q.title_en}" + (f"  ({params})" if params else ""))


@click.command("serve", context_settings=CONTEXT_SETTINGS)
@graph_option
@click.option("--port", type=int, default=None, help="Port on 127.0.0.1 (default: a free one).")
@click.option("--timeout", type=int, default=30, show_default=True,
              help="Time limit of each query, in seconds.")
@click.option("--store/--no-store", "use_store", default=True, show_default=True,
              help="Serve the build's Oxigraph store (GRAPH/store/) when it matches the graph files, "
                   "instead of loading them into a temporary store.")
def serve_command(graph, port, timeout, use_store):
    """Serve the graph read-only with the Oxigraph SPARQL server on 127.0.0.1.

    Opens the build's Oxigraph store (GRAPH/store/) when it matches the graph files, else loads
    them into a temporary store, and runs `oxigraph serve-read-only` on it behind a checking
    front that also serves a query page (offline, the catalog's questions as examples) at / and
    the catalog as URLs at /queries/NAME.csv|tsv|json?PARAM=VALUE. Updates are refused. Stop it
    with Ctrl-C.

    \b
    Example:
      policykg serve --port 7878
      policykg serve -g corpus-graph/ --timeout 60
      curl 'http://127.0.0.1:7878/queries/measures-of-unit.csv?unit=县公安局'
    """
    import signal

    from ..sparql.server import OxigraphServer

    def log(line: str) -> None:
        click.echo(terminal_safe(line), err=True)

    def stop_on_signal(signum, frame):
        raise KeyboardInterrupt

    # Ctrl-C too: a process started in the background by a shell without job control inherits
    # SIGINT ignored, and Python then leaves it ignored (serve could not be stopped with it)
    for signum in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)):  # kill, a closed terminal
        if signum is not None:
            signal.signal(signum, stop_on_signal)
    server = OxigraphServer.for_graph(graph_paths(graph), port, store=use_store, timeout_s=timeout, log=log)
    try:
        server.start()
        click.echo(f"SPARQL endpoint: {server.query_url}")
        click.echo(f"query page:      {server.url}")
        click.echo(f"catalog as URLs: {server.queries_url}")
        click.echo("read-only, queries checked as `policykg query` checks them; press Ctrl-C to stop")
        server.wait()
    except KeyboardInterrupt:
        click.echo("stopping", err=True)
    finally:
        server.stop()


@click.command("push", context_settings=CONTEXT_SETTINGS)
@click.option("--endpoint", required=True, metavar="URL",
              help="Graph Store Protocol endpoint, e.g. http://host:7878/store")
@click.option("--graph-iri", "graph_iri", metavar="IRI",
              help="Target named graph on the server (default: its default graph).")
@graph_option
@click.option("--append", is_flag=True, help="Add to the target graph (POST) instead of "
              "replacing it (PUT).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=60.0, show_default=True,
              help="Time limit of the whole upload, in seconds.")
def push_command(endpoint, graph_iri, graph, append, timeout):
    """Upload the graph to a SPARQL server with the Graph Store Protocol.

    \b
    Example:
      policykg push --endpoint http://127.0.0.1:7878/store --graph-iri https://w3id.org/policykg/id/graph/gaoqing
      policykg push -g corpus-graph/ --endpoint http://127.0.0.1:7878/store --append
    """
    from ..sparql.remote import push

    n = push(graph_paths(graph), endpoint, graph_iri, replace=not append, timeout=timeout)
    target = f"graph <{graph_iri}>" if graph_iri else "the default graph"
    click.echo(f"uploaded {n} triples to {target} at {endpoint}")


COMMANDS = (query_command, queries_command, serve_command, push_command)


def register(group: click.Group) -> None:
    """Add the SPARQL commands to the ``policykg`` command group."""
    for command in COMMANDS:
        group.add_command(command)
