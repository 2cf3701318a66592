"""Serve the graph with the real Oxigraph server (``oxigraph serve-read-only``, PyPI ``oxigraph``).

The graph files are loaded with ``oxigraph load`` into a store directory (a temporary one by
default), then the server runs read-only on 127.0.0.1: the SPARQL 1.1 query endpoint is
``http://127.0.0.1:PORT/query`` and its YASGUI page ``http://127.0.0.1:PORT/``. Updates are refused
by the server itself (read-only mode). :class:`OxigraphServer` is a context manager that starts the
process, waits until it answers and stops it.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from ..errors import ServerError
from .engines import graph_files


def oxigraph_binary() -> Path:
    """The ``oxigraph`` executable of the PyPI package, next to the running Python first."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return beside
    found = shutil.which("oxigraph")
    if found:
        return Path(found)
    raise ServerError(
        "the oxigraph server is not installed: pip install 'oxigraph>=0.5,<0.6' "
        f"(looked in {beside.parent} and on PATH)"
    )


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def load_store(paths, location: Path) -> None:
    """Load the graph files into the Oxigraph store directory ``location``."""
    files = [str(f) for f in graph_files(paths)]
    cmd = [str(oxigraph_binary()), "load", "--location", str(location), "--file", *files]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise ServerError(f"oxigraph load failed: {proc.stderr.strip() or proc.stdout.strip()}")


class OxigraphServer:
    """``oxigraph serve-read-only`` over a store directory, on 127.0.0.1.

    >>> with OxigraphServer.for_graph(["graph/"]) as server:   # doctest: +SKIP
    ...     print(server.query_url)
    """

    def __init__(self, location: Path, port: int | None = None, *, timeout_s: int = 30,
                 cleanup: Path | None = None):
        self.location = Path(location)
        self.port = port or free_port()
        self.timeout_s = timeout_s
        self.process: subprocess.Popen | None = None
        self._cleanup = cleanup

    @classmethod
    def for_graph(cls, paths, port: int | None = None, **kwargs) -> "OxigraphServer":
        """A server over a fresh temporary store holding the graph files ``paths``."""
        tmp = Path(tempfile.mkdtemp(prefix="policykg-oxigraph-"))
        try:
            load_store(paths, tmp / "store")
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return cls(tmp / "store", port, cleanup=tmp, **kwargs)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"

    @property
    def update_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/update"

    def start(self, wait: float = 15.0) -> "OxigraphServer":
        cmd = [
            str(oxigraph_binary()), "serve-read-only", "--location", str(self.location),
            "--bind", f"127.0.0.1:{self.port}", "--union-default-graph",
            "--timeout-s", str(self.timeout_s),
        ]
        # Its own session: Ctrl-C reaches policykg, which then stops the server in order.
        self._log = tempfile.TemporaryFile()  # a pipe could fill up and block the server
        self.process = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=self._log, start_new_session=True
        )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._log.seek(0)
                err = self._log.read().decode("utf-8", "replace").strip()
                self.stop()
                raise ServerError(f"oxigraph serve-read-only exited: {err or 'no message'}")
            try:
                with urllib.request.urlopen(self.query_url + "?query=ASK%7B%7D", timeout=1):
                    return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.05)
        self.stop()
        raise ServerError(f"oxigraph did not answer on {self.url} within {wait:g} s")

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(5)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(5)
            self._log.close()
            self.process = None
        if self._cleanup is not None:
            shutil.rmtree(self._cleanup, ignore_errors=True)
            self._cleanup = None

    def wait(self) -> int:
        """Block until the server exits (or until KeyboardInterrupt)."""
        assert self.process is not None
        return self.process.wait()

    def __enter__(self) -> "OxigraphServer":
        return self.start() if self.process is None else self

    def __exit__(self, *exc) -> None:
        self.stop()
