"""Take the screenshots in docs/ from the real notes, in a real browser.

Run by hand (not a test), with Debian's chromium and fonts-noto-cjk installed:

    .venv/bin/python docs/screenshots.py [NOTES_DIR]

NOTES_DIR defaults to ../shared/corpus/physician beside the repository. The notes are
harvested into a temporary glossary, `gloss serve` runs on a free port, and headless
Chromium (driven by Playwright, never downloading a browser) saves the home page with a
search (`fuku`), the page of a term (`flank`) and the conflicts page as docs/browse-*.png.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GLOSS = str(Path(sys.executable).parent / "gloss")
SHOTS = {"browse-home.png": "/?q=fuku", "browse-term.png": "/glossary/terms/flank",
         "browse-conflicts.png": "/glossary/conflicts"}
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--hide-scrollbars"]


def main() -> None:
    from playwright.sync_api import sync_playwright

    notes = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/corpus/physician"
    with tempfile.TemporaryDirectory(prefix="gloss-shots-") as work:
        db = Path(work) / "glossary.db"
        subprocess.run([GLOSS, "harvest", str(notes), "--db", str(db), "--silent"], check=True)
        server = subprocess.Popen([GLOSS, "serve", "--db", str(db), "--port", "0"],
                                  stderr=subprocess.PIPE, text=True)
        try:
            assert server.stderr is not None
            url = server.stderr.readline().split(" at ", 1)[1].split()[0].rstrip("/")
            with sync_playwright() as driver:
                browser = driver.chromium.launch_persistent_context(
                    str(Path(work) / "profile"), executable_path="/usr/bin/chromium",
                    headless=True, args=ARGS, viewport={"width": 1100, "height": 900},
                    device_scale_factor=1)
                page = browser.new_page()
                for name, path in SHOTS.items():
                    page.goto(url + path)
                    page.screenshot(path=str(ROOT / "docs" / name), full_page=True)
                    print(f"docs/{name}: {path}")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
