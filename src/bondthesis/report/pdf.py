"""Print the report's HTML to PDF with headless Chromium (Debian's ``chromium``, on PATH).

The page is loaded from the local file with the network off; the virtual-time budget lets the
charts draw before printing.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from bondthesis.errors import ConfigError

__all__ = ["BROWSERS", "find_chromium", "print_pdf"]

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_S = 120


def find_chromium() -> str:
    """The path of a Chromium on PATH, or ConfigError saying how to install one."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise ConfigError(
        "--pdf needs Chromium and none was found on PATH (looked for "
        + ", ".join(BROWSERS)
        + "); install it (Debian/Ubuntu: `sudo apt-get install chromium fonts-noto-cjk`) or "
        "open the HTML report and print it from a browser"
    )


def print_pdf(html: Path, pdf: Path, *, browser: str | None = None) -> Path:
    """Print ``html`` to ``pdf`` (A4, backgrounds on); returns ``pdf``."""
    executable = browser or find_chromium()
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bondthesis-chromium-") as profile:
        command = [
            executable,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=20000",
            "--run-all-compositor-stages-before-draw",
            f"--print-to-pdf={pdf.resolve()}",
            html.resolve().as_uri(),
        ]
        try:
            done = subprocess.run(  # a fixed argument list, no shell
                command, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise ConfigError(
                f"Chromium did not finish printing {html} within {TIMEOUT_S} s"
            ) from exc
    if done.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        tail = (done.stderr or "").strip().splitlines()[-3:]
        raise ConfigError(
            f"Chromium could not print {html} to PDF (exit {done.returncode}): " + " | ".join(tail)
        )
    return pdf
