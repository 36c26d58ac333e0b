"""Debian's Chromium, headless, as the benchmarks and screenshots launch it.

The flags keep a root, offline, GPU-less machine quiet: no sandbox (root), no background
networking or component updates (the network is closed), a fresh profile each launch.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

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


@contextmanager
def offline_tab(width: int, height: int) -> Iterator[Any]:
    """A tab of a fresh headless Chromium (Playwright, no browser download) that may load
    file: URLs and nothing else, so a page that reaches for the network shows it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport={"width": width, "height": height})
            tab.route(
                "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
            )
            yield tab
        finally:
            browser.close()
