"""The PRISMA diagram in headless Chromium, offline: the SVG file draws on its own, and
the page shows it, its table and its audit, fetching nothing and running nothing.

Needs Debian's `chromium` (CI installs it); a missing browser fails, as the other page
tests do (tests/test_render_browser.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from playwright.sync_api import Browser, Route, sync_playwright

from citegraph.graph.ingest import ingest
from citegraph.graph.store import Store
from citegraph.graph.views.prisma import prisma, write_diagram

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).parent / "fixtures" / "prisma"
CHROMIUM = os.environ.get("CITEGRAPH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update"]  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).is_file(), f"{CHROMIUM} missing: apt-get install chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("prisma")
    ingest(Store(folder / "store"), [FIXTURES / "inconsistent-review.md"])
    with Store(folder / "store") as store:
        snapshot = store.snapshot()
        assert snapshot is not None
        [review] = prisma(snapshot).reviews
    svg, html = folder / "flow.svg", folder / "flow.html"
    write_diagram(review, "review", svg)
    write_diagram(review, "review", html)
    return svg, html


def _offline(route: Route, requests: list[str]) -> None:
    requests.append(route.request.url)
    if route.request.url.startswith("file://"):
        route.continue_()
    else:
        route.abort()


@pytest.mark.parametrize("which", [0, 1], ids=["svg", "html"])
def test_the_diagram_draws_offline(browser: Browser, drawn: tuple[Path, Path], which: int) -> None:
    page = browser.new_page(viewport={"width": 950, "height": 900})
    requests: list[str] = []
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route("**/*", lambda route: _offline(route, requests))
    page.goto(drawn[which].as_uri())
    drawing = page.evaluate(
        """() => {
            const svg = document.querySelector('svg');
            const box = svg.getBBox();
            return {
                width: box.width, height: box.height,
                boxes: svg.querySelectorAll('rect').length,
                texts: [...svg.querySelectorAll('text')].map(t => t.textContent),
                scripts: document.querySelectorAll('script').length,
            };
        }"""
    )
    assert drawing["width"] > 800 and drawing["height"] > 500, drawing
    assert drawing["boxes"] >= 12  # nine boxes and three phases
    assert "Studies included in review (n = 16)" in drawing["texts"]
    assert "text: 18, line 13" in drawing["texts"]  # the text's count, in red under the box
    assert drawing["scripts"] == 0 and not errors
    assert all(url.startswith("file://") for url in requests)
    assert page.screenshot(timeout=20000)  # it paints
    page.close()


def test_the_page_lists_the_flows_and_the_audit(browser: Browser, drawn: tuple[Path, Path]) -> None:
    page = browser.new_page()
    page.goto(drawn[1].as_uri())
    assert page.locator("#flows tr").count() > 10
    assert page.locator("#items li").count() == 12
    assert "Method audit: 12 items" in page.inner_text("body")
    page.close()


def test_inkscape_opens_and_draws_the_diagram(drawn: tuple[Path, Path], tmp_path: Path) -> None:
    """The issue asks for an SVG that opens in Inkscape too: Debian's inkscape (CI installs
    it) lists the diagram's objects and draws it to a PNG of the SVG's size."""
    svg, _ = drawn
    assert shutil.which("inkscape"), "inkscape missing: apt-get install inkscape"
    env = os.environ | {"HOME": str(tmp_path)}  # its preferences go there, not in ~
    listed = subprocess.run(
        ["inkscape", "--query-all", str(svg)], capture_output=True, text=True, env=env, timeout=120
    )
    assert listed.returncode == 0, listed.stderr
    objects = [line.split(",")[0] for line in listed.stdout.splitlines() if line.count(",") == 4]
    assert len(objects) > 20  # boxes, their texts and the arrows
    png = tmp_path / "flow.png"
    drawn_png = subprocess.run(
        ["inkscape", str(svg), "--export-type=png", f"--export-filename={png}"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert drawn_png.returncode == 0, drawn_png.stderr
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
    root = ElementTree.parse(svg).getroot()
    assert (width, height) == (
        round(float(root.get("width", "0"))),
        round(float(root.get("height", "0"))),
    )
