"""PDF output: headless Chromium prints the report's own HTML.

Chromium is used rather than WeasyPrint because it is the browser the tests render
the HTML in (one engine for what is checked and what is printed), it embeds the
system CJK fonts (Debian ``fonts-noto-cjk``) and it needs no Python package.
``make sysdeps`` installs it. ``$FREIGHTHUB_CHROMIUM`` names another binary.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from freighthub.errors import FreighthubError
from freighthub.report.html import render_html

__all__ = [
    "MissingToolError",
    "chromium_version",
    "find_chromium",
    "heading_pages",
    "print_pdf",
    "print_report_pdf",
]

_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_TIMEOUT_S = 120


class MissingToolError(FreighthubError):
    """A system program the command needs is not installed."""


def find_chromium() -> Path | None:
    """The Chromium binary: ``$FREIGHTHUB_CHROMIUM`` or the first on ``PATH``."""
    named = os.environ.get("FREIGHTHUB_CHROMIUM")
    if named:
        return Path(named) if Path(named).is_file() else None
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def require_chromium() -> Path:
    """The Chromium binary.

    Raises
    ------
    MissingToolError
        If no Chromium is installed.
    """
    binary = find_chromium()
    if binary is None:
        raise MissingToolError(
            "PDF engine not found: chromium is not installed (run `make sysdeps`, "
            "set FREIGHTHUB_CHROMIUM, or leave pdf out of --format)"
        )
    return binary


def chromium_flags(user_data_dir: Path) -> list[str]:
    """Flags for a headless, offline, throw-away Chromium run."""
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--no-first-run",
        "--no-default-browser-check",
        f"--user-data-dir={user_data_dir}",
    ]


def chromium_version(binary: Path) -> str:
    """The ``--version`` line of a Chromium binary (for the manifest)."""
    done = subprocess.run(
        [str(binary), "--version"], capture_output=True, text=True, timeout=30, check=False
    )
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return lines[-1].strip() if lines else "unknown"


def print_pdf(html_path: Path, pdf_path: Path, binary: Path) -> None:
    """Print ``html_path`` to ``pdf_path`` with headless Chromium (A4, backgrounds).

    Raises
    ------
    FreighthubError
        If Chromium fails or writes no PDF.
    """
    with tempfile.TemporaryDirectory(prefix="freighthub-chromium-") as profile:
        cmd = [
            str(binary),
            *chromium_flags(Path(profile)),
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf_path}",
            html_path.resolve().as_uri(),
        ]
        try:
            done = subprocess.run(
                cmd, capture_output=True, text=True, timeout=_TIMEOUT_S, check=False
            )
        except subprocess.TimeoutExpired:
            raise FreighthubError(f"chromium did not print the PDF within {_TIMEOUT_S} s") from None
    if done.returncode != 0 or not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        tail = " ".join(done.stderr.strip().splitlines()[-2:])
        raise FreighthubError(f"chromium failed to print the PDF (exit {done.returncode}): {tail}")


def heading_pages(pdf_path: Path, titles: Sequence[str]) -> tuple[int, ...] | None:
    """The page (1-based) each section title starts on, read back with ``pdftotext``.

    Each title is looked for as a line of its own (the contents number their lines,
    ``1. Summary of findings``, so they never match), title by title, going forward.

    Returns
    -------
    tuple or None
        One page per title; ``None`` if poppler's ``pdftotext`` is not installed, fails,
        or a title is not found (the contents are then printed without page numbers).
    """
    tool = shutil.which("pdftotext")
    if tool is None or not titles:
        return None
    try:
        done = subprocess.run(
            [tool, "-enc", "UTF-8", str(pdf_path), "-"],
            capture_output=True,
            text=True,
            timeout=_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        return None
    pages = [{line.strip() for line in page.splitlines()} for page in done.stdout.split("\f")]
    found: list[int] = []
    start = 0
    for title in titles:
        page = next((i for i in range(start, len(pages)) if title in pages[i]), None)
        if page is None:
            return None
        found.append(page + 1)
        start = page
    return tuple(found)


def print_report_pdf(doc: dict[str, Any], html_path: Path, pdf_path: Path, binary: Path) -> None:
    """Print a report with the page of each section in its contents.

    The report page ``html_path`` (rendered from ``doc``) is printed once; the page each
    section starts on is read back (:func:`heading_pages`), and a copy of the page with
    those numbers in the contents is printed in its place. Without ``pdftotext`` the
    first print is kept (contents without page numbers).

    Raises
    ------
    FreighthubError
        If Chromium fails or writes no PDF.
    """
    print_pdf(html_path, pdf_path, binary)
    pages = heading_pages(pdf_path, [s["title"] for s in doc["sections"]])
    if pages is None:
        return
    paged = html_path.with_name(f".{html_path.stem}.paged.html")
    try:
        paged.write_text(render_html(doc, contents_pages=pages), encoding="utf-8")
        print_pdf(paged, pdf_path, binary)
    finally:
        paged.unlink(missing_ok=True)
