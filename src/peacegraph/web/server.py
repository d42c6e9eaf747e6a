"""Serving the graph with the PyPI ``oxigraph`` server (read-only SPARQL endpoint and query page)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from peacegraph.errors import GraphMissingError, PeacegraphError


class ServerError(PeacegraphError):
    """The oxigraph server could not be found or started."""


def oxigraph_binary() -> str:
    """The ``oxigraph`` command installed by the PyPI package ``oxigraph``."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise ServerError("the 'oxigraph' server command is not installed; run: python3 -m pip install oxigraph")
    return found


def load_store(location: Path, files: list[Path]) -> None:
    """Bulk-load Turtle files into an on-disk Oxigraph store at ``location``."""
    for path in files:
        if not path.is_file():
            raise GraphMissingError(f"{path} does not exist; run 'peacegraph build' first")
    command = [oxigraph_binary(), "load", "--location", str(location)]
    for path in files:
        command += ["--file", str(path)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise ServerError(f"oxigraph load failed: {done.stderr.strip()[-500:]}")


def serve_command(location: Path, host: str, port: int, timeout: int | None = None) -> list[str]:
    """The read-only server's command line."""
    command = [oxigraph_binary(), "serve-read-only", "--location", str(location), "--bind", f"{host}:{port}"]
    if timeout:
        command += ["--timeout-s", str(timeout)]
    return command


def start_server(location: Path, host: str = "127.0.0.1", port: int = 7878, timeout: int | None = None) -> subprocess.Popen:
    """Start the read-only server in the background (used by tests and the benchmark)."""
    return subprocess.Popen(serve_command(location, host, port, timeout), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def exec_server(location: Path, host: str, port: int, timeout: int | None = None) -> None:
    """Replace this process with the server (``peacegraph serve``)."""
    command = serve_command(location, host, port, timeout)
    os.execv(command[0], command)
