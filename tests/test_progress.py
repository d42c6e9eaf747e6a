"""Progress shows on a terminal only: never in pipes (logs, CI) and never with --quiet."""

from __future__ import annotations

import os
import pty
import subprocess
import sys


def _run(args: list[str], tty: bool) -> str:
    """Run peacegraph with stderr on a pseudo-terminal (tty) or a pipe; return what stderr got."""
    if not tty:
        done = subprocess.run([sys.executable, "-m", "peacegraph", *args], capture_output=True, text=True)
        return done.stderr
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "peacegraph", *args], stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait()
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_build_shows_its_stages_on_a_terminal_only(mini_seeds, tmp_path):
    args = ["build", "--seeds", str(mini_seeds), "--no-reason", "--force", "--graph-dir", str(tmp_path / "g")]
    assert "shacl: validating" in _run(args, tty=True)
    assert "validating" not in _run(args, tty=False)
    assert "validating" not in _run([*args, "--quiet"], tty=True)


def test_export_shows_a_spinner_on_a_terminal_only(built_dir, tmp_path):
    args = ["export", "agreements", "--format", "turtle", "-o", str(tmp_path / "a.ttl"), "--graph-dir", str(built_dir)]
    assert "exporting agreements as turtle" in _run(args, tty=True)
    assert "exporting" not in _run(args, tty=False)


def test_publish_shows_bytes_sent_on_a_terminal_only(built_dir):
    from .faults import running_fault_server

    with running_fault_server() as server:
        args = ["publish", "--endpoint", server.base + "/created", "--graph-dir", str(built_dir)]
        shown = _run(args, tty=True)
        assert "PUT peacegraph.ttl" in shown
        assert "PUT peacegraph.ttl" not in _run(args, tty=False)
