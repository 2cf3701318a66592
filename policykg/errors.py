"""Errors a user can act on: each names what was wrong and where."""

from __future__ import annotations


class PolicyKGError(Exception):
    """Base class of every error policykg raises on purpose."""


class DocumentError(PolicyKGError):
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


class RegistryError(PolicyKGError):
    """The unit registry is malformed."""


class ValidationError(PolicyKGError):
    """The graph does not conform to the SHACL shapes."""

    def __init__(self, report: str):
        self.report = report
        super().__init__("the graph does not conform to the SHACL shapes:\n" + report)

    def __reduce__(self):
        return (ValidationError, (self.report,))
