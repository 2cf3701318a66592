"""The command line: a click layer over the library (``policykg --help``)."""

from .main import cli, main

__all__ = ["cli", "main"]
