"""Nothing changed, nothing rebuilt: graph/ records the hash of what it was built from.

The hash covers every input a build reads (the seeds: document texts and
metadata, fact files; the ontology; the shapes; the quality rules), the
options that change the output, and the tool itself (its version and the
source of the package, so that a changed loader is a changed input). A build
whose inputs hash to what graph/build-inputs.json records, and whose files
still have the recorded digests, has nothing to do.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from peacegraph import __version__, paths
from peacegraph.write.files import Content, content_blocks

#: Written into graph/ with the other files.
MANIFEST_FILE_NAME = "build-inputs.json"


def input_files(facts_dir: Path, documents_path: Path, ontology_path: Path, shapes_path: Path) -> list[Path]:
    """Every file a build reads, in a fixed order."""
    files = [documents_path, ontology_path, shapes_path]
    files += sorted(p for p in documents_path.parent.iterdir() if p.is_file() and p != documents_path)
    files += sorted(facts_dir.glob("*.yaml"))
    files += sorted(paths.QC_DIR.glob("*.rq"))
    package = Path(__file__).resolve().parents[1]
    files += sorted(p for p in package.rglob("*.py"))
    return files


def inputs_digest(files: list[Path], options: dict[str, str]) -> str:
    """SHA-256 over the files' names and bytes, the options and the tool's version."""
    digest = hashlib.sha256()
    digest.update(f"peacegraph {__version__}\n".encode())
    for key, value in sorted(options.items()):
        digest.update(f"option {key}={value}\n".encode())
    for path in files:
        _hash_file(digest, path)
    return digest.hexdigest()


def _hash_file(digest, path: Path) -> None:
    """Hash a file's name, size and bytes, streamed; never read a FIFO, device or folder (the loader refuses them with a message)."""
    import os
    import stat

    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            digest.update(f"special {path.name} {stat.S_IFMT(info.st_mode)}\n".encode())
            return
        digest.update(f"file {path.name} {info.st_size}\n".encode())
        os.set_blocking(fd, True)
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
    finally:
        os.close(fd)


def content_hash(data: Content) -> str:
    """SHA-256 of a file's content, given whole or as the pieces written one after another."""
    digest = hashlib.sha256()
    for block in content_blocks(data):
        digest.update(block)
    return digest.hexdigest()


def manifest_bytes(digest: str, files: dict[str, Content | None]) -> bytes:
    """The manifest for the output ``files`` (name -> bytes or pieces) built from inputs hashing to ``digest``."""
    record = {
        "inputs": digest,
        "version": __version__,
        "files": {name: content_hash(data) for name, data in sorted(files.items()) if data is not None},
    }
    return (json.dumps(record, indent=1, sort_keys=True) + "\n").encode()


def up_to_date(graph_dir: Path, digest: str) -> bool:
    """True when graph_dir was built from inputs hashing to ``digest`` and its files are as that build wrote them."""
    try:
        record = json.loads((graph_dir / MANIFEST_FILE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(record, dict) or record.get("inputs") != digest or not isinstance(record.get("files"), dict):
        return False
    for name, expected in record["files"].items():
        if name == MANIFEST_FILE_NAME or "/" in name:
            return False
        try:
            if hashlib.sha256((graph_dir / name).read_bytes()).hexdigest() != expected:
                return False
        except OSError:
            return False
    return True
