"""A self-contained interactive HTML page: Cytoscape.js and the data inlined, no request to any other host.

Pan, zoom, search by label or alias, a legend of types, and a click on a node
lists its facts with dates, roles, quotes and sources. The library is vendored
from npm (see ``vendor/VENDOR.md``); a Content-Security-Policy forbids the page
any network access, so it works offline and cannot leak what is looked at.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from importlib import resources

from peacegraph.export.cytoscape import elements
from peacegraph.export.model import PropertyGraph

#: The vendored graph library (npm package cytoscape), inlined into the page.
LIBRARY = "cytoscape.min.js"


def _asset(folder: str, name: str) -> str:
    return resources.files("peacegraph.export").joinpath(folder, name).read_text(encoding="utf-8")


def script_json(data: object) -> str:
    """JSON safe inside a ``<script>`` element (no ``</script>`` or ``<!--`` can appear).

    >>> script_json({"a": "</script>"})
    '{"a": "\\\\u003c/script>"}'
    """
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def html(graph: PropertyGraph) -> bytes:
    title = f"peacegraph: {graph.view}" if graph.view else "peacegraph"
    data = {"view": graph.view, **elements(graph)}
    parts = {
        "TITLE": html_lib.escape(title),
        "DATA": script_json(data),
        "LIBRARY": _asset("vendor", LIBRARY).replace("</script", "<\\/script"),
        "APP": _asset("assets", "graph.js"),
    }
    page = re.sub(r"@@(TITLE|DATA|LIBRARY|APP)@@", lambda m: parts[m.group(1)], _asset("assets", "graph.html"))
    return page.encode("utf-8")
