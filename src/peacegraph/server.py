"""Serving the graph (the PyPI ``oxigraph`` server) and publishing it (SPARQL 1.1 Graph Store Protocol)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from peacegraph import paths
from peacegraph.engines import USER_AGENT, RemoteError
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


@dataclass
class PublishReport:
    url: str
    method: str
    bytes_sent: int
    status: int
    files: list[str]

    def __str__(self) -> str:
        return f"{self.method} {self.url}: HTTP {self.status}; sent {self.bytes_sent} bytes of Turtle from {', '.join(self.files)}"


def store_url(endpoint: str, graph: str | None) -> str:
    """The Graph Store Protocol URL for the default graph or a named one.

    >>> store_url("http://127.0.0.1:7878/store", None)
    'http://127.0.0.1:7878/store?default'
    >>> store_url("http://127.0.0.1:7878/store", "https://w3id.org/peacegraph/graph")
    'http://127.0.0.1:7878/store?graph=https%3A%2F%2Fw3id.org%2Fpeacegraph%2Fgraph'
    """
    joiner = "&" if "?" in endpoint else "?"
    if graph:
        return f"{endpoint}{joiner}graph={urllib.parse.quote(graph, safe='')}"
    return f"{endpoint}{joiner}default"


def publish(
    endpoint: str,
    graph: str | None = None,
    replace: bool = True,
    graph_dir: Path | None = None,
    timeout: float = 60.0,
    user: str | None = None,
    password: str | None = None,
) -> PublishReport:
    """Send graph/peacegraph.ttl to a Graph Store Protocol endpoint (PUT replaces, POST merges)."""
    path = paths.graph_file(graph_dir)
    if not path.is_file():
        raise GraphMissingError(f"{path} does not exist; run 'peacegraph build' first")
    body = path.read_bytes()
    url = store_url(endpoint, graph)
    method = "PUT" if replace else "POST"
    request = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": "text/turtle", "User-Agent": USER_AGENT})
    opener = urllib.request.build_opener()
    if user:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, url, user, password or "")
        opener = urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(manager), urllib.request.HTTPDigestAuthHandler(manager))
    nothing = f"nothing was stored: {len(body)} bytes of {path.name} were not accepted"
    try:
        with opener.open(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as err:
        detail = err.read().decode("utf-8", "replace")[:300] if err.fp else ""
        raise RemoteError(f"{method} {url} answered HTTP {err.code} {err.reason}: {' '.join(detail.split())}; {nothing}") from err
    except urllib.error.URLError as err:
        raise RemoteError(f"cannot reach {url}: {err.reason}; {nothing}") from err
    except (TimeoutError, OSError) as err:
        raise RemoteError(f"{method} {url} failed: {err}; the store may or may not hold the upload, check it before retrying") from err
    return PublishReport(url, method, len(body), status, [path.name])
