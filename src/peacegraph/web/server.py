"""``peacegraph serve``: the PyPI ``oxigraph`` server, behind a small proxy that keeps it read-only and local.

The oxigraph server (``serve-read-only``) evaluates queries and serves its
query page, bound to a free port on 127.0.0.1 only. In front of it, on the
address the user asked for, a small proxy of our own:

- answers ``/query`` (GET, POST form, POST ``application/sparql-query``) by
  forwarding exactly the text it checked, after refusing SERVICE (which would
  make this machine fetch any URL a visitor names) unless ``--allow-service``;
- forwards the query page and its assets, and refuses everything else
  (``/update``, ``/store``, PUT, DELETE ...) with 403 or 405.

The store is loaded fresh from the current graph/ each time: into a
temporary folder that is removed on exit (a ``peacegraph-store-<pid>-*``
folder left by a killed run is removed by the next one), or into
``--location``, which must be empty or a store an earlier ``serve`` made
(it is emptied and loaded again). The oxigraph server dies with this
process. A busy port is reported before anything is loaded.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from peacegraph.errors import GraphMissingError, PeacegraphError, QueryError
from peacegraph.query.limits import die_with_parent

#: In a --location folder: marks it as a store made by ``peacegraph serve`` (holds the graph's sha256).
MARKER = ".peacegraph-store"
#: Prefix of the temporary store folders (followed by the owning pid).
TEMP_PREFIX = "peacegraph-store-"
#: Largest query a visitor may send (bytes).
MAX_QUERY_BYTES = 1_000_000
#: Seconds a visitor may take to send a request.
REQUEST_SECONDS = 30
#: What the oxigraph server may serve besides /query: its page and the page's assets.
PAGE_PATHS = ("/", "/yasgui.min.css", "/yasgui.min.js", "/logo.svg")


class ServerError(PeacegraphError):
    """The oxigraph server could not be found or started, or the address is unusable."""


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
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "RUST_BACKTRACE": "0"})
    if done.returncode != 0:
        raise ServerError(f"oxigraph load failed: {_last_line(done.stderr)}")


def serve_command(location: Path, host: str, port: int, timeout: int | None = None) -> list[str]:
    """The read-only oxigraph server's command line."""
    command = [oxigraph_binary(), "serve-read-only", "--location", str(location), "--bind", f"{host}:{port}"]
    if timeout:
        command += ["--timeout-s", str(timeout)]
    return command


def start_server(location: Path, host: str = "127.0.0.1", port: int = 7878, timeout: int | None = None) -> subprocess.Popen:
    """Start the read-only oxigraph server in the background, to die with this process (tests, benchmark)."""
    parent = os.getpid()
    return subprocess.Popen(
        serve_command(location, host, port, timeout),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "RUST_BACKTRACE": "0"},
        preexec_fn=lambda: _die_with(parent),
    )


def _die_with(parent: int) -> None:
    die_with_parent(parent)


def _last_line(text: str) -> str:
    from peacegraph.query.http import shown

    lines = [line for line in text.splitlines() if line.strip()]
    return shown(lines[0] if lines else "no message", 300)


# ---------------------------------------------------------------------------
# The store folder
# ---------------------------------------------------------------------------


def graph_digest(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def prepare_location(location: Path | None, files: list[Path]) -> tuple[Path, bool]:
    """A store holding exactly ``files``: (its folder, whether it is temporary and must be removed)."""
    for path in files:
        if not path.is_file():
            raise GraphMissingError(f"{path} does not exist; run 'peacegraph build' first")
    if location is None:
        remove_stale_stores()
        folder = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-"))
        try:
            load_store(folder, files)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return folder, True
    if location.is_symlink() or (location.exists() and not location.is_dir()):
        raise ServerError(f"--location {location} is not a folder; give an empty or new folder")
    if location.exists():
        entries = list(location.iterdir())
        if entries and not (location / MARKER).is_file():
            raise ServerError(f"--location {location} is not empty and was not made by 'peacegraph serve'; give an empty or new folder")
        for entry in entries:  # a store from an earlier run: emptied, so the graph served is exactly today's
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    location.mkdir(parents=True, exist_ok=True)
    (location / MARKER).write_text("loading\n", encoding="utf-8")
    load_store(location, files)
    (location / MARKER).write_text(graph_digest(files) + "\n", encoding="utf-8")
    return location, False


def remove_stale_stores(folder: Path | None = None) -> list[Path]:
    """Remove temporary stores whose ``peacegraph serve`` is gone (killed before it could clean up)."""
    folder = folder or Path(tempfile.gettempdir())
    removed = []
    for entry in folder.glob(f"{TEMP_PREFIX}*-*"):
        pid = entry.name.removeprefix(TEMP_PREFIX).split("-", 1)[0]
        if not pid.isdigit() or entry.is_symlink() or not entry.is_dir() or entry.stat().st_uid != os.getuid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
        except PermissionError:
            pass
    return removed


# ---------------------------------------------------------------------------
# The proxy
# ---------------------------------------------------------------------------


def bind_error(err: OSError, host: str, port: int) -> ServerError:
    """A failed bind, as one line saying what to do."""
    if err.errno == errno.EADDRINUSE:
        return ServerError(f"cannot listen on {host}:{port}: the address is already in use; stop what uses it or pass --port")
    if isinstance(err, socket.gaierror):
        return ServerError(f"cannot listen on {host}:{port}: unknown host; pass --host 127.0.0.1 or an address of this machine")
    return ServerError(f"cannot listen on {host}:{port}: {err.strerror or err}")


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to host:port and listening (for the web engine's server), or ServerError in one line."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        # proto IPPROTO_TCP, not 0: asyncio turns Nagle off (TCP_NODELAY) only on sockets that say so, and
        # with Nagle on, every response waited for the client's delayed ACK (44 ms p50 for any page).
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    except OSError as err:
        raise bind_error(err, host, port) from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as err:
        sock.close()
        raise bind_error(err, host, port) from None
    return sock


class Proxy(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host: str, port: int, allow_service: bool):
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        try:
            super().__init__((host, port), _Handler)
        except OSError as err:
            raise bind_error(err, host, port) from None
        self.allow_service = allow_service
        self.backend = ("127.0.0.1", 0)
        self.query_timeout = 30


class _Handler(BaseHTTPRequestHandler):
    server: Proxy
    timeout = REQUEST_SECONDS
    server_version = "peacegraph"

    def log_message(self, *args):  # one line per request on stderr would drown the banner
        pass

    def _plain(self, status: int, text: str, extra: dict[str, str] | None = None) -> None:
        body = (text + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        path, _, query = self.path.partition("?")
        if path == "/query":
            try:
                params = urllib.parse.parse_qs(query, keep_blank_values=True, strict_parsing=False, encoding="utf-8", errors="strict")
            except (UnicodeDecodeError, ValueError):
                return self._plain(400, "the query string is not UTF-8 URL-encoded text")
            return self._query(params)
        if path in PAGE_PATHS:
            return self._forward("GET", path, None, {})
        return self._plain(404, "not found: this server answers SPARQL queries at /query and shows its query page at /")

    def do_POST(self):
        path, _, query = self.path.partition("?")
        if path != "/query":
            return self._read_only()
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            return self._plain(411, "send the query with a Content-Length")
        if int(length) > MAX_QUERY_BYTES:
            return self._plain(413, f"the query is larger than {MAX_QUERY_BYTES} bytes")
        body = self.rfile.read(int(length))
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        try:
            if kind == "application/sparql-query":
                text = body.decode("utf-8")
                params = {"query": [text]}
            elif kind == "application/x-www-form-urlencoded":
                params = urllib.parse.parse_qs(body.decode("ascii"), keep_blank_values=True, encoding="utf-8", errors="strict")
            else:
                return self._plain(415, "send application/sparql-query or an application/x-www-form-urlencoded form with 'query'")
        except (UnicodeDecodeError, ValueError):
            return self._plain(400, "the query is not UTF-8 text")
        return self._query(params)

    def _read_only(self):
        return self._plain(403 if self.command in ("POST", "PUT") else 405, "this server is read-only: updates and uploads are refused")

    do_PUT = do_DELETE = do_PATCH = _read_only

    def _query(self, params: dict[str, list[str]]):
        from peacegraph.query import sparqltext

        if set(params) - {"query"}:
            unknown = ", ".join(sorted(set(params) - {"query"}))
            return self._plain(400, f"only the 'query' parameter is supported here, not: {unknown[:200]}")
        values = params.get("query", [])
        if len(values) != 1:
            return self._plain(400, "give the query once, as the 'query' parameter")
        text = sparqltext.canonical(values[0])
        if not self.server.allow_service:
            try:
                sparqltext.refuse_service(text)
            except QueryError as err:
                return self._plain(403, str(err).replace("pass --allow-service", "start the server with --allow-service"))
        headers = {"Content-Type": "application/sparql-query; charset=utf-8"}
        if self.headers.get("Accept"):
            headers["Accept"] = self.headers["Accept"]
        return self._forward("POST", "/query", text.encode("utf-8"), headers)

    def _forward(self, method: str, path: str, body: bytes | None, headers: dict[str, str]):
        host, port = self.server.backend
        connection = http.client.HTTPConnection(host, port, timeout=self.server.query_timeout + 10)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            self.send_response(answer.status)
            for key in ("Content-Type", "Content-Length"):
                if answer.getheader(key):
                    self.send_header(key, answer.getheader(key))
            self.end_headers()
            while True:
                chunk = answer.read(65536)
                if not chunk:
                    break
                self.wfile.write(chunk)
        except (OSError, http.client.HTTPException):
            with contextlib.suppress(OSError):
                self._plain(502, "the SPARQL server behind this one did not answer")
        finally:
            connection.close()


# ---------------------------------------------------------------------------
# serve()
# ---------------------------------------------------------------------------


def serve(files: list[Path], host: str, port: int, location: Path | None, timeout: int, allow_service: bool, echo=None) -> None:
    """Serve ``files`` read-only on host:port until interrupted; clean up whatever happens.

    ``echo(text, err=False)`` prints the banner (click.echo by default).
    """
    if echo is None:
        import click

        echo = click.echo
    proxy = Proxy(host, port, allow_service)  # first, so a busy port is reported before any work
    folder, temporary = None, False
    backend = None
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGHUP)}
    for sig in previous:
        signal.signal(sig, _stop)
    try:
        folder, temporary = prepare_location(location, files)
        backend, backend_port = _start_backend(folder, timeout)
        proxy.backend = ("127.0.0.1", backend_port)
        proxy.query_timeout = timeout
        where = f"http://{'[' + host + ']' if ':' in host else host}:{proxy.server_address[1]}"
        echo(f"Serving {files[0]} READ-ONLY (updates{'' if allow_service else ' and SERVICE'} are refused) on {where}/")
        echo(f"  SPARQL endpoint: {where}/query   query page: {where}/")
        if host not in ("127.0.0.1", "localhost", "::1"):
            echo(f"  warning: bound to {host}, so other machines can reach it", err=True)
        watcher = threading.Thread(target=_watch, args=(backend, proxy), daemon=True)
        watcher.start()
        proxy.serve_forever(poll_interval=0.2)
        if backend.poll() is not None:
            raise ServerError(f"the oxigraph server stopped (exit code {backend.returncode}): {_last_line(backend.stderr_tail())}")
    except KeyboardInterrupt:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        proxy.server_close()
        if backend is not None and backend.poll() is None:
            backend.terminate()
            try:
                backend.wait(10)
            except subprocess.TimeoutExpired:
                backend.kill()
                backend.wait()
        if temporary and folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def _stop(signum, frame):
    raise KeyboardInterrupt


def _watch(backend, proxy: Proxy) -> None:
    backend.wait()
    proxy.shutdown()


class _Backend(subprocess.Popen):
    """The oxigraph server process, with the last lines it wrote to stderr."""

    def start_draining(self) -> None:
        self.tail: deque[str] = deque(maxlen=20)

        def drain():
            for line in self.stderr:
                self.tail.append(line.decode("utf-8", "replace"))

        threading.Thread(target=drain, daemon=True).start()

    def stderr_tail(self) -> str:
        return "".join(self.tail)


def _start_backend(folder: Path, timeout: int) -> tuple[_Backend, int]:
    parent = os.getpid()
    for _ in range(5):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        process = _Backend(
            serve_command(folder, "127.0.0.1", port, timeout),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, "RUST_BACKTRACE": "0"},
            preexec_fn=lambda: _die_with(parent),
        )
        process.start_draining()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return process, port
            except OSError:
                time.sleep(0.05)
        if process.poll() is None:
            process.kill()
            process.wait()
            raise ServerError("the oxigraph server did not start within 30 s")
        time.sleep(0.1)
        if "in use" not in process.stderr_tail():
            raise ServerError(f"the oxigraph server did not start: {_last_line(process.stderr_tail())}")
    raise ServerError("the oxigraph server found no free port on 127.0.0.1")
