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
from citegraph.graph.lineage import lineage, render_lineage
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


#: Whether vis-network draws a node's label at the current zoom, and its size on screen.
LABEL_ON_SCREEN = """id => {
  const node = window.citegraph.network.body.nodes[id];
  const px = node.labelModule.fontOptions.size * window.citegraph.network.getScale();
  return {px: px, drawn: px >= node.options.scaling.label.drawThreshold - 1};
}"""
COLOUR = "id => window.citegraph.network.body.nodes[id].options.color.background"


def redraw(page: Page) -> None:
    """One drawn frame, so afterDrawing handlers have run."""
    page.evaluate("window.citegraph.network.redraw()")
    page.wait_for_timeout(100)


def test_top_nodes_are_labelled_at_every_zoom_the_rest_once_zoomed_in(
    offline: Offline, tmp_path: Path
) -> None:
    count = 200
    nodes = {f"w{i}": Node(f"w{i}", "Work", {"name": f"work {i}"}) for i in range(count)}
    rels = [Relationship("CITES", f"w{i}", f"w{i % 5}") for i in range(5, count)]
    rels += [Relationship("CITES", f"w{i}", "w0") for i in range(1, 5)]
    path = render(PropertyGraph(nodes, rels), tmp_path / "many.html", title="many")
    page = offline.open(path)
    redraw(page)
    hub, leaf = node_id(page, "work 0"), node_id(page, "work 199")
    assert page.evaluate("id => window.citegraph.nodes.get(id).top", hub)
    assert not page.evaluate("id => window.citegraph.nodes.get(id).top", leaf)
    assert page.evaluate("window.citegraph.network.getScale()") < 0.5, "zoomed out to fit"
    top = page.evaluate(LABEL_ON_SCREEN, hub)
    assert top["drawn"] and top["px"] >= 12
    assert page.evaluate("id => window.citegraph.network.body.nodes[id].labelModule.visible()", hub)
    assert not page.evaluate(LABEL_ON_SCREEN, leaf)["drawn"], "small nodes wait for a zoom"

    page.evaluate("window.citegraph.network.moveTo({scale: 1.2})")
    redraw(page)
    shown = [page.evaluate(LABEL_ON_SCREEN, i)["drawn"] for i in range(count)]
    assert all(shown)
    assert page.evaluate(LABEL_ON_SCREEN, hub)["px"] < 20, "top labels shrink back when zoomed in"
    offline.assert_clean(path)


def hover(page: Page, node: int) -> None:
    box = page.locator("#cg-graph canvas").bounding_box()
    assert box
    point = page.evaluate(
        "id => window.citegraph.network.canvasToDOM(window.citegraph.network.getPosition(id))",
        node,
    )
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])


def test_hover_and_click_dim_all_but_the_neighbours(offline: Offline, page_path: Path) -> None:
    page = offline.open(page_path)
    lima = node_id(page, f"Councils in Lima {BREAKOUT}")
    near = [node_id(page, n) for n in (f"Review {XSS}", "Rational choice theory")]
    near.append(node_id(page, "Social change and crime rate trends"))
    far = [node_id(page, n) for n in ("Routine activity theory", "Cohen, L. E.")]
    before = {i: page.evaluate(COLOUR, i) for i in [lima, *near, *far]}

    hover(page, lima)
    page.wait_for_function(f"({COLOUR})({far[0]}) === '#e4e4e4'", timeout=5_000)
    assert [page.evaluate(COLOUR, i) for i in far] == ["#e4e4e4", "#e4e4e4"]
    assert {i: page.evaluate(COLOUR, i) for i in [lima, *near]} == {
        i: before[i] for i in [lima, *near]
    }
    page.mouse.move(2, 790)
    page.wait_for_function(f"({COLOUR})({far[0]}) !== '#e4e4e4'", timeout=5_000)
    assert {i: page.evaluate(COLOUR, i) for i in before} == before

    hover(page, lima)
    page.mouse.down()
    page.mouse.up()
    page.mouse.move(2, 790)
    page.wait_for_timeout(200)
    assert page.evaluate("window.citegraph.network.getSelectedNodes()") == [lima]
    assert page.evaluate(COLOUR, far[1]) == "#e4e4e4", "a click keeps the highlight"
    page.mouse.click(2, 790)
    page.wait_for_function(f"({COLOUR})({far[1]}) !== '#e4e4e4'", timeout=5_000)
    offline.assert_clean(page_path)


def set_range(page: Page, selector: str, value: int) -> None:
    page.eval_on_selector(
        selector,
        "(box, v) => { box.value = String(v); box.dispatchEvent(new Event('input')); }",
        value,
    )


def test_year_range_hides_works_outside_it(offline: Offline, page_path: Path) -> None:
    page = offline.open(page_path)
    hidden = "id => window.citegraph.network.body.nodes[id].options.hidden"
    cohen = node_id(page, "Social change and crime rate trends")
    lima = node_id(page, f"Councils in Lima {BREAKOUT}")
    undated = [node_id(page, n) for n in (f"Review {XSS}", "Routine activity theory")]
    assert page.locator("#cg-year-text").inner_text() == "1979–2015"
    set_range(page, "#cg-year-from", 2000)
    assert page.evaluate(hidden, cohen) is True
    assert page.evaluate(hidden, lima) is False
    assert [page.evaluate(hidden, i) for i in undated] == [False, False], "no year: stays"
    assert page.locator("#cg-year-text").inner_text() == "2000–2015"
    set_range(page, "#cg-year-to", 1990)
    assert page.locator("#cg-year-text").inner_text() == "1990–1990", "the ends never cross"
    assert page.evaluate(hidden, lima) is True
    set_range(page, "#cg-year-from", 1979)
    set_range(page, "#cg-year-to", 2015)
    assert page.evaluate("window.citegraph.nodes.get({filter: n => n.hidden}).length") == 0
    offline.assert_clean(page_path)


def two_cliques() -> PropertyGraph:
    """Two groups of five works citing each other, joined by one citation."""
    nodes = {f"w{i}": Node(f"w{i}", "Work", {"name": f"work {i}"}) for i in range(10)}
    rels = [
        Relationship("CITES", f"w{a}", f"w{b}")
        for group in (range(5), range(5, 10))
        for a in group
        for b in group
        if a < b
    ]
    rels.append(Relationship("CITES", "w4", "w5"))
    return PropertyGraph(nodes, rels)


def test_colour_by_community(offline: Offline, tmp_path: Path) -> None:
    path = render(two_cliques(), tmp_path / "cliques.html", title="cliques")
    page = offline.open(path)
    ids = [node_id(page, f"work {i}") for i in range(10)]
    assert {page.evaluate(COLOUR, i) for i in ids} == {"#4e79a7"}, "by label: all works alike"
    page.select_option("#cg-colour", "community")
    colours = [page.evaluate(COLOUR, i) for i in ids]
    assert len(set(colours[:5])) == 1 and len(set(colours[5:])) == 1
    assert colours[0] != colours[5]
    page.select_option("#cg-colour", "label")
    assert {page.evaluate(COLOUR, i) for i in ids} == {"#4e79a7"}
    offline.assert_clean(path)


def test_lineage_labels_are_readable_at_the_default_zoom(offline: Offline, tmp_path: Path) -> None:
    graph = sample_graph()
    graph.relationships.append(Relationship("DERIVES_FROM", "t:rct", "t:rat"))
    for i in range(12):  # a row of works wider than the window: fitting it zooms out
        graph.nodes[f"w:u{i}"] = Node(f"w:u{i}", "Work", {"name": f"User {i}", "year": 2000 + i})
        graph.relationships.append(Relationship("USES_THEORY", f"w:u{i}", "t:rat"))
    path = render_lineage(graph, lineage(graph, "Routine activity theory"), tmp_path / "l.html")
    page = offline.open(path)
    redraw(page)
    count = page.evaluate("window.citegraph.nodes.length")
    assert count >= 16
    assert page.evaluate("window.citegraph.network.getScale()") < 0.8
    sizes = [page.evaluate(LABEL_ON_SCREEN, i) for i in range(count)]
    assert all(s["drawn"] and s["px"] >= 12 for s in sizes), sizes
    offline.assert_clean(path)
