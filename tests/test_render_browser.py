"""The pages in headless Chromium, offline: they draw, search, filter and run no injected code.

Needs Debian's `chromium` (CI installs it) and the `playwright` Python package, driving
that Chromium directly (no `playwright install`). A missing browser fails these tests on
purpose: a page that does not draw is the bug they exist to catch.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

from citegraph.graph.evidence import evidence_map, heatmap_html
from citegraph.graph.property_graph import Node, PropertyGraph, Relationship
from citegraph.graph.render import FREEZE_AFTER, render

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CITEGRAPH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
XSS = "<img src=x onerror=alert(1)>"
BREAKOUT = "</script><script>window.pwned = 1</script>"
#: Records every way injected code could show itself; the page under test must leave it empty.
TRAP = """
window.__alerts = [];
window.alert = function (m) { window.__alerts.push(String(m)); };
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).is_file(), f"{CHROMIUM} missing: apt-get install chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Offline:
    """A page whose every non-file request is aborted and remembered."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("dialog", self._dialog)
        page.route("**/*", self._route)
        page.add_init_script(TRAP)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    @staticmethod
    def _route(route: Route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    def open(self, path: Path, ready: bool = True) -> Page:
        self.page.goto(path.as_uri())
        if ready:
            self.page.wait_for_function("window.citegraphReady === true", timeout=60_000)
        return self.page

    def assert_clean(self, path: Path) -> None:
        assert self.requests == [path.as_uri()], "nothing but the page itself was fetched"
        assert self.errors == []
        assert self.dialogs == []
        assert self.page.evaluate("window.__alerts") == []
        assert self.page.evaluate("window.pwned") is None


@pytest.fixture
def offline(browser: Browser) -> Iterator[Offline]:
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    yield Offline(context.new_page())
    context.close()


def sample_graph() -> PropertyGraph:
    """A review citing two works, with a theory, a person, a finding and hostile titles."""
    nodes = [
        Node("w:review", "Work", {"name": f"Review {XSS}", "title": f"Review {XSS}"}),
        Node("w:cohen", "Work", {"name": "Social change and crime rate trends", "year": 1979}),
        Node("w:lima", "Work", {"name": f"Councils in Lima {BREAKOUT}", "year": 2015}),
        Node("t:rat", "Theory", {"name": "Routine activity theory", "description": XSS}),
        Node("t:rct", "Theory", {"name": "Rational choice theory", "description": "Choice."}),
        Node("p:cohen", "Person", {"name": "Cohen, L. E.", "family": "Cohen"}),
        Node(
            "f:1",
            "Finding",
            {
                "name": "Councils cut burglary",
                "claim": "Councils cut burglary",
                "source": f"Councils {XSS}",
                "sources": ["review.md:5 (review)"],
            },
        ),
    ]
    rels = [
        Relationship("CITES", "w:review", "w:cohen", {"contexts": [XSS]}),
        Relationship("CITES", "w:review", "w:lima"),
        Relationship("CITES", "w:lima", "w:cohen"),
        Relationship("USES_THEORY", "w:review", "t:rat"),
        Relationship("USES_THEORY", "w:lima", "t:rct"),
        Relationship("PROPOSED_IN", "t:rat", "w:cohen"),
        Relationship("AUTHORED", "p:cohen", "w:cohen", {"position": 1}),
        Relationship("REPORTS", "w:review", "f:1"),
    ]
    return PropertyGraph({n.iri: n for n in nodes}, rels)


@pytest.fixture
def page_path(tmp_path: Path) -> Path:
    return render(sample_graph(), tmp_path / "graph.html", title=f"Graph {XSS}")


def node_id(page: Page, name: str) -> int:
    found: int = page.evaluate(
        "name => window.citegraph.nodes.get({filter: n => n.name === name})[0].id", name
    )
    return found


def test_graph_draws_offline(offline: Offline, page_path: Path) -> None:
    page = offline.open(page_path)
    assert page.locator("#cg-graph canvas").count() == 1
    assert page.evaluate("window.citegraph.nodes.length") == 7
    assert page.evaluate("Object.keys(window.citegraph.network.body.nodes).length") == 7
    assert page.evaluate("window.citegraph.edges.length") == 8
    assert page.locator("h1").inner_text() == f"Graph {XSS}"
    offline.assert_clean(page_path)


def test_search_selects_and_focuses_a_node(offline: Offline, page_path: Path) -> None:
    page = offline.open(page_path)
    page.fill("#cg-search", "theory")
    page.press("#cg-search", "Enter")
    buttons = page.locator("#cg-results button")
    assert buttons.all_inner_texts() == [
        "Theory: Rational choice theory",
        "Theory: Routine activity theory",
    ]
    assert page.evaluate("window.citegraph.network.getSelectedNodes()") == [
        node_id(page, "Rational choice theory")
    ]
    buttons.nth(1).click()
    assert page.evaluate("window.citegraph.network.getSelectedNodes()") == [
        node_id(page, "Routine activity theory")
    ]
    page.fill("#cg-search", "no such node")
    page.click("#cg-find")
    assert page.locator("#cg-status").inner_text() == "nothing found"
    offline.assert_clean(page_path)


def test_label_filters_hide_and_show(offline: Offline, page_path: Path) -> None:
    page = offline.open(page_path)
    hidden = "window.citegraph.nodes.get({filter: n => n.hidden}).map(n => n.kind)"
    page.uncheck('input[data-label="Work"]')
    assert sorted(page.evaluate(hidden)) == ["Work", "Work", "Work"]
    review = node_id(page, f"Review {XSS}")
    assert page.evaluate(f"window.citegraph.network.body.nodes[{review}].options.hidden")
    page.fill("#cg-search", "councils")
    page.press("#cg-search", "Enter")
    assert page.locator("#cg-results button").all_inner_texts() == [
        "Finding: Councils cut burglary"
    ], "hidden works are not found"
    page.check('input[data-label="Work"]')
    assert page.evaluate(hidden) == []
    offline.assert_clean(page_path)


def test_hostile_titles_show_as_text_and_run_nothing(offline: Offline, page_path: Path) -> None:
    page = offline.open(page_path)
    review = node_id(page, f"Review {XSS}")
    box = page.locator("#cg-graph canvas").bounding_box()
    assert box
    point = page.evaluate(
        f"window.citegraph.network.canvasToDOM(window.citegraph.network.getPosition({review}))"
    )
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    tooltip = page.locator(".vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5_000)
    assert f"Review {XSS}" in tooltip.inner_text()
    assert tooltip.locator("img").count() == 0
    assert page.locator("img").count() == 0
    offline.assert_clean(page_path)


def test_big_graph_stabilises_then_freezes(offline: Offline, tmp_path: Path) -> None:
    count = FREEZE_AFTER + 100
    nodes = {f"w{i}": Node(f"w{i}", "Work", {"name": f"work {i}"}) for i in range(count)}
    rels = [Relationship("CITES", f"w{i}", f"w{i // 3}") for i in range(1, count)]
    path = render(PropertyGraph(nodes, rels), tmp_path / "big.html", title="big")
    page = offline.open(path)
    assert page.evaluate("window.citegraph.nodes.length") == count
    assert page.evaluate("window.citegraph.network.physics.physicsEnabled") is False
    offline.assert_clean(path)


def test_heatmap_cells_open_their_works(offline: Offline, tmp_path: Path) -> None:
    graph = sample_graph()
    graph.nodes["s:1"] = Node("s:1", "Strategy", {"name": "Community participation"})
    graph.nodes["c:PE"] = Node("c:PE", "Country", {"name": "Peru", "iso2": "PE"})
    graph.relationships += [Relationship("ABOUT", "f:1", "s:1"), Relationship("IN", "f:1", "c:PE")]
    path = tmp_path / "heatmap.html"
    path.write_text(heatmap_html(evidence_map(graph), f"Map {XSS}"))
    page = offline.open(path, ready=False)
    section = page.locator("section.cell").first
    assert not section.is_visible()
    page.click("td a")
    assert section.is_visible()
    assert f"Review {XSS}" in section.inner_text()
    offline.assert_clean(path)
