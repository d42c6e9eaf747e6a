"""Graphviz DOT, and SVG or PNG rendered from it by Graphviz's ``dot`` (Debian package ``graphviz``)."""

from __future__ import annotations

import shutil
import subprocess

from peacegraph.errors import PeacegraphError
from peacegraph.export.model import PropertyGraph
from peacegraph.export.style import family

#: Above this many nodes the layout switches from layered (dot) to force-directed (neato).
LAYERED_MAX_NODES = 40
#: Seconds Graphviz may take to render.
RENDER_TIMEOUT = 120


def quote(text: str) -> str:
    r"""A DOT double-quoted string.

    >>> print(quote('say "hi"\nnow'))
    "say \"hi\"\nnow"
    """
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def wrap(text: str, width: int = 24) -> str:
    """Break a long label into lines of about ``width`` characters.

    >>> wrap("2023 Azerbaijani offensive in Nagorno-Karabakh")
    '2023 Azerbaijani\\noffensive in Nagorno-\\nKarabakh'
    """
    import textwrap

    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=True)) or text


def dot(graph: PropertyGraph) -> bytes:
    """DOT text: nodes filled and shaped by kind, edges labelled with the property and date."""
    layered = len(graph.nodes) <= LAYERED_MAX_NODES
    lines = [
        f"digraph {quote('peacegraph ' + graph.view)} {{",
        "  graph ["
        + ", ".join(
            [
                f"label={quote('peacegraph: ' + graph.view)}",
                "labelloc=t",
                "fontname=Helvetica",
                "fontsize=14",
                "rankdir=LR" if layered else 'layout=neato, overlap=false, splines=true, sep="+8"',
            ]
        )
        + "];",
        '  node [style="filled", fontname=Helvetica, fontsize=10, penwidth=0.5];',
        '  edge [fontname=Helvetica, fontsize=8, color="#555555", fontcolor="#333333"];',
    ]
    for node in graph.nodes:
        _, fill, shape, _ = family(node)
        tooltip = f"{node.label} ({node.type_label})" if node.type_label else node.label
        lines.append(
            f"  {quote(node.id)} [label={quote(wrap(node.label))}, fillcolor={quote(fill + 'cc')}, shape={shape}, tooltip={quote(tooltip)}];"
        )
    for edge in graph.edges:
        label = edge.display_label + (f"\n{edge.date}" if edge.date else "")
        tooltip = " | ".join(edge.sources) or edge.predicate
        dashed = ", style=dashed" if edge.modal else ""
        lines.append(f"  {quote(edge.source)} -> {quote(edge.target)} [label={quote(label)}, tooltip={quote(tooltip)}{dashed}];")
    lines.append("}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def render(dot_text: bytes, fmt: str) -> bytes:
    """Run Graphviz ``dot -T<fmt>`` on DOT text; PeacegraphError if Graphviz is missing or fails."""
    exe = shutil.which("dot")
    if exe is None:
        raise PeacegraphError(
            f"cannot render {fmt}: Graphviz's 'dot' is not installed; install it (Debian: apt-get install graphviz) or export --format dot"
        )
    try:
        done = subprocess.run([exe, f"-T{fmt}"], input=dot_text, capture_output=True, timeout=RENDER_TIMEOUT, check=False)
    except subprocess.TimeoutExpired as err:
        raise PeacegraphError(
            f"Graphviz took more than {RENDER_TIMEOUT}s; export a smaller view (e.g. neighbourhood) or --format dot"
        ) from err
    if done.returncode != 0:
        raise PeacegraphError(f"Graphviz failed ({done.returncode}): {done.stderr.decode('utf-8', 'replace').strip()}")
    return done.stdout


def svg(graph: PropertyGraph) -> bytes:
    return render(dot(graph), "svg")


def png(graph: PropertyGraph) -> bytes:
    return render(dot(graph), "png")
