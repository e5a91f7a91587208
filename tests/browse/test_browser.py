"""One real browser: headless Chromium from the system's packages, driven by Playwright,
against `gloss serve` running as a real process over the bundled notes' glossary.

Nothing is downloaded: Playwright is pointed at /usr/bin/chromium (Debian's `chromium`
package; `.ci/run` installs it with `fonts-noto-cjk`). Without it the test skips, saying so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("GLOSS_CHROMIUM", "/usr/bin/chromium"))
# What headless Chromium needs on a machine with no display, no sandbox user namespaces
# (CI runs as root) and no network beyond 127.0.0.1.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-default-apps"]


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium and fonts-noto-cjk "
                    "(`apt-get install chromium fonts-noto-cjk`, as .ci/run does)")
    pytest.importorskip("playwright", reason="the test extra's playwright is not installed")
    return CHROMIUM


@pytest.fixture(scope="module")
def served(bundled_glossary: Path, gloss_command: str) -> Iterator[str]:
    """The URL of `gloss serve` on a free port, as a real subprocess."""
    process = subprocess.Popen(
        [gloss_command, "serve", "--db", str(bundled_glossary), "--port", "0"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        line = process.stderr.readline()  # printed once the socket listens
        assert line.startswith("Serving the glossary at http://127.0.0.1:"), line
        yield line.split(" at ", 1)[1].split()[0]
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_search_sokufukubu_then_flanks_page_in_a_real_browser(chromium: Path,
                                                              served: str) -> None:
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="gloss-chromium-")
    try:
        with sync_playwright() as driver:
            browser = driver.chromium.launch_persistent_context(
                profile, executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.goto(served)
                page.fill("input[name=q]", "sokufukubu")
                page.press("input[name=q]", "Enter")
                page.wait_for_url("**/?q=sokufukubu")
                page.click("ol.gloss-hits a.gloss-term >> text=flank")
                page.wait_for_url("**/glossary/terms/flank")
                assert page.inner_text("h1.gloss-headword") == "flank"
                ruby = page.locator("ruby").first
                assert ruby.locator("rt").inner_text() == "そくふくぶ"
                assert "側腹部" in ruby.inner_text()
                sentence = page.locator("blockquote.gloss-sentence").first
                assert sentence.locator("mark").inner_text().lower() == "flank"
                assert "ecchymosis over the left flank" in sentence.inner_text()
            finally:
                browser.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
