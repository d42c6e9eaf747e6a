"""Real servers for tests, on 127.0.0.1 only: the oxigraph server, started and stopped by fixtures."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from peacegraph.web.server import load_store, oxigraph_binary


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up within {seconds} s")


@contextmanager
def oxigraph_server(location: Path, files: list[Path] | None = None, read_only: bool = True):
    """Run `oxigraph serve[-read-only]` on a free 127.0.0.1 port; yield its base URL; stop it."""
    if files:
        load_store(location, files)
    location.mkdir(parents=True, exist_ok=True)
    port = free_port()
    mode = "serve-read-only" if read_only else "serve"
    process = subprocess.Popen(
        [oxigraph_binary(), mode, "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/query?query=ASK%7B%7D")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
