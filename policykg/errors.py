"""Every error policykg raises on purpose, in one hierarchy.

Each error says what was wrong and where, in one line a user can act on. Its ``exit_code`` is the
status the command line exits with: 2 for input the user can fix (a document, a registry, a query,
a parameter, a graph file), 1 for a service or run that failed (an endpoint, the server, a time limit).
"""

from __future__ import annotations

import difflib

EXIT_INPUT = 2
EXIT_RUNTIME = 1


class PolicyKGError(Exception):
    """Base class of every error policykg raises on purpose."""

    exit_code = EXIT_INPUT


# -- input the user can fix: exit status 2 --------------------------------------------------------

class InputError(PolicyKGError):
    """Input the user can fix: a document, a registry, a graph file, a query or its parameters."""


class DocumentError(InputError):
    """A source document cannot be read as a plan of the genre.

    ``str(err)`` is ``path:line: problem`` (or ``path: problem`` with no line).
    """

    def __init__(self, path: str, line: int | None, problem: str):
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {problem}")

    def __reduce__(self):  # picklable, so a build's worker process can hand it back
        return (DocumentError, (self.path, self.line, self.problem))


class DocumentsError(InputError):
    """Several documents of a corpus cannot be read: every one is listed, not only the first."""

    def __init__(self, failures: list[DocumentError], total: int):
        self.failures, self.total = failures, total
        super().__init__(f"{len(failures)} of {total} documents cannot be read:\n"
                         + "\n".join(f"  {err}" for err in failures))

    def __reduce__(self):
        return (DocumentsError, (self.failures, self.total))


class RegistryError(InputError):
    """The unit registry is missing or malformed."""


class ValidationError(InputError):
    """The graph does not conform to the SHACL shapes."""

    def __init__(self, report: str):
        self.report = report
        super().__init__("the graph does not conform to the SHACL shapes:\n" + report)

    def __reduce__(self):
        return (ValidationError, (self.report,))


class GraphLoadError(InputError):
    """The graph files cannot be found or read."""


class CatalogError(InputError):
    """A catalog file is malformed, or a name is not in the catalog."""


class UnknownQueryError(CatalogError):
    """A query name the catalog does not have; suggests the closest name."""

    def __init__(self, name: str, names: list[str]):
        self.name, self.names = name, names
        close = difflib.get_close_matches(name, names, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        super().__init__(
            f"no query named {name!r}.{hint} The catalog has: {', '.join(names)}"
            " (see: policykg queries)"
        )


class ParameterError(InputError):
    """A parameter is missing, unknown or has a value the query cannot take."""


class QuerySyntaxError(InputError):
    """The query is not valid SPARQL; ``line`` and ``column`` are 1-based."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None,
                 source: str = "query"):
        self.line, self.column, self.message = line, column, message
        where = f"{source}:{line}:{column}" if line and column else f"{source}:{line}" if line else source
        super().__init__(f"{where}: SPARQL syntax error: {message}")


class OutputError(InputError):
    """An output folder cannot be written: under a file, read-only, or on a special file system."""


class UnsafeQueryError(InputError):
    """The query would make the engine read from the network or the file system, or change data."""


# -- a service or run that failed: exit status 1 --------------------------------------------------

class RuntimeFailure(PolicyKGError):
    """Not the user's input: a service failed, or a run hit a limit."""

    exit_code = EXIT_RUNTIME


class EndpointError(RuntimeFailure):
    """The endpoint cannot be reached or refused the request. Not the user's query's fault."""


class ServerError(RuntimeFailure):
    """The Oxigraph server could not be found, loaded or started."""


class QueryTimeoutError(RuntimeFailure):
    """The query ran longer than its time limit."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(
            f"the query was stopped after {seconds:g} s (the time limit); make it more selective "
            "or allow more time with --timeout"
        )


class QueryLimitError(RuntimeFailure):
    """The query held more rows or memory than its limit, or its engine failed."""


class ViewQueryError(PolicyKGError):
    """A view's query failed; keeps the exit status of the error that caused it."""

    def __init__(self, message: str, cause: PolicyKGError | None = None):
        super().__init__(message)
        if cause is not None:
            self.exit_code = cause.exit_code
