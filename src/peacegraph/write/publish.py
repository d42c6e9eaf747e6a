"""Publishing graph/ to a store through the SPARQL 1.1 Graph Store Protocol."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from peacegraph import paths
from peacegraph.errors import GraphMissingError
from peacegraph.query.engines import USER_AGENT, RemoteError


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
