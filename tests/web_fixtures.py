"""Shared helpers of the web tests: the app over the repository's graph, a hostile graph built from a fixture, HTML checks."""

from __future__ import annotations

import html.parser
import warnings
from pathlib import Path

TESTS = Path(__file__).parent
HOSTILE_SEEDS = TESTS / "fixtures" / "web_hostile"


def client(app):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's TestClient warns that it will move from httpx to httpx2
        from starlette.testclient import TestClient

        return TestClient(app)


def build_hostile(graph_dir: Path) -> Path:
    """Build the hostile fixture (markup in a label, an alias, a note and a quote) into ``graph_dir``; return its documents folder."""
    from peacegraph.build import Inputs, build

    build(Inputs.from_seeds(HOSTILE_SEEDS), graph_dir=graph_dir, reason=False)
    return HOSTILE_SEEDS / "documents"


class Markup(html.parser.HTMLParser):
    """Collects what can run in a page: script elements and their text, event-handler attributes, elements by name."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict] = []
        self.handlers: list[tuple[str, str, str]] = []
        self.tags: list[tuple[str, dict]] = []
        self._in_script: dict | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.handlers.append((tag, name, value or ""))
        if tag == "script":
            self._in_script = {"attrs": attributes, "text": ""}
            self.scripts.append(self._in_script)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            self._in_script["text"] += data
        else:
            self.text.append(data)


def parse(page: str) -> Markup:
    parser = Markup()
    parser.feed(page)
    parser.close()
    return parser


def assert_inert(page: str, where: str) -> None:
    """Nothing in the page runs but the site's own script files and JSON data blocks."""
    markup = parse(page)
    assert not markup.handlers, f"{where}: event-handler attributes {markup.handlers}"
    for script in markup.scripts:
        kind = script["attrs"].get("type", "")
        if kind == "application/json":
            assert "</script" not in script["text"].lower(), f"{where}: a JSON block closes its script element"
            continue
        assert script["attrs"].get("src"), f"{where}: an inline script: {script['text'][:80]!r}"
        assert not script["text"].strip(), f"{where}: a script element with both src and text"
    assert not [a for tag, a in markup.tags if tag in ("img", "object", "embed")], f"{where}: an element the pages never make"
    frames = [a.get("src", "") for tag, a in markup.tags if tag == "iframe"]
    assert all(src.endswith(("/graph", ".graph.html")) for src in frames), f"{where}: frames {frames}"
