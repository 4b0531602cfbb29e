"""Checks axe-core leaves to people, run in the page (page_checks.js): the site's own focus
indicator on everything that takes the focus (WCAG 2.4.7), control borders at 3:1 (1.4.11)
and ids used once (labels, descriptions and the error summary's links point by id)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

CHECKS = (Path(__file__).parent / "page_checks.js").read_text(encoding="utf-8")


def focus_indicator_problems(page: Any) -> list[str]:
    """Focusable elements without the site's focus outline at 3:1 against what surrounds it."""
    return [f"{page.url} {problem}" for problem in page.evaluate(CHECKS, "focus")]


def border_problems(page: Any) -> list[str]:
    """Text fields and menus whose border is under 3:1 against the colours beside it."""
    return [f"{page.url} {problem}" for problem in page.evaluate(CHECKS, "borders")]


def duplicate_ids(page: Any) -> list[str]:
    """Ids used by more than one element of the page."""
    return [f"{page.url} {problem}" for problem in page.evaluate(CHECKS, "ids")]
