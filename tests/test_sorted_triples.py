"""The data graph kept as sorted N-Triples lines: the same order, the same triples as sorting the objects."""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from peacegraph.load.triples import SortedTriples
from peacegraph.write.turtle import sorted_triples, turtle_body

_IRIS = st.sampled_from(["http://e/a", "http://e/a/b", "http://e/ab", "http://e/a b".replace(" ", "%20"), "http://e/\u00e9"])
_TEXT = st.text(alphabet=st.sampled_from('ab "\\\n\t\r\u00e9\u0001\u2028<>'), max_size=4)
_LITERALS = st.one_of(
    _TEXT.map(ox.Literal),
    st.tuples(_TEXT, st.sampled_from(["en", "en-gb", "hy"])).map(lambda p: ox.Literal(p[0], language=p[1])),
    st.tuples(_TEXT, _IRIS).map(lambda p: ox.Literal(p[0], datatype=ox.NamedNode(p[1]))),
)
_TRIPLES = st.builds(ox.Triple, _IRIS.map(ox.NamedNode), _IRIS.map(ox.NamedNode), st.one_of(_IRIS.map(ox.NamedNode), _LITERALS))


@settings(max_examples=300, deadline=None)
@given(st.lists(_TRIPLES, max_size=30))
def test_lines_sorted_as_bytes_are_the_triples_sorted_by_their_ntriples_form(triples):
    # Literals that are prefixes of one another ("x", "x"@en, "x"^^<..>), escapes and non-ASCII text are the cases
    # where the trailing " ." of a line could have changed the order; it must not.
    kept = SortedTriples.of(triples)
    expected = sorted_triples(triples)
    assert list(kept) == expected
    assert len(kept) == len(expected) == len(set(triples))
    assert turtle_body(kept) == turtle_body(expected)
    assert kept.read() == b"".join(f"{t} .\n".encode() for t in expected)


def test_batches_are_merged_into_one_order(monkeypatch):
    import peacegraph.load.triples as module

    monkeypatch.setattr(module, "_BATCH", 3)
    a, p = ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p")
    triples = [ox.Triple(a, p, ox.Literal(str(n))) for n in (9, 3, 7, 1, 3, 8, 2, 9)]
    assert list(SortedTriples.of(triples)) == sorted_triples(triples)


def test_no_triples():
    kept = SortedTriples.of([])
    assert (kept.read(), len(kept), list(kept)) == (b"", 0, [])
    assert turtle_body(kept) == turtle_body([]) == b""


def test_the_file_goes_with_the_object(monkeypatch):
    import gc

    import peacegraph.load.triples as module

    monkeypatch.setattr(module, "_unnamed_scratch", lambda: None)  # where O_TMPFILE is missing: a named file
    kept = SortedTriples.of([ox.Triple(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("x"))])
    path = kept.path
    assert path.exists() and path.name.startswith("peacegraph-data-")
    del kept
    gc.collect()
    assert not path.exists()


def test_a_killed_build_leaves_no_scratch_file(tmp_path):
    """SIGKILL runs no finalizer: on Linux the sorted data has no name, so nothing is left in the temporary folder."""
    import os
    import signal
    import subprocess
    import sys

    if not hasattr(os, "O_TMPFILE"):
        import pytest

        pytest.skip("no O_TMPFILE on this system: the named file is removed when the object goes, not on SIGKILL")
    code = (
        "import os, signal, pyoxigraph as ox\n"
        "from peacegraph.load.triples import SortedTriples\n"
        "kept = SortedTriples.of([ox.Triple(ox.NamedNode('http://e/a'), ox.NamedNode('http://e/p'), ox.Literal('x'))])\n"
        "assert kept.read().startswith(b'<http://e/a>')\n"
        "print(kept.path, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "TMPDIR": str(tmp_path)})
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert done.stdout.startswith("/proc/self/fd/")
    assert list(tmp_path.iterdir()) == []
