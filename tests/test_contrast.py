"""The colours of site.css that carry meaning without text stand out at 3:1 (WCAG 1.4.11):
control borders, the focus outline and the attendance chart's segments and legend. Text
contrast is axe-core's (the browser tests); the browser walk also measures the borders and
focus outlines as rendered."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).parent.parent / "registration" / "static" / "site.css").read_text()
WHITE = "#ffffff"


def variable(name: str) -> str:
    found = re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{6}})", CSS)
    assert found, name
    return found.group(1)


def declaration(selector: str, prop: str) -> str:
    """The value of `prop` in the rule for `selector`, variables resolved."""
    rule = re.search(rf"(?m)^{re.escape(selector)} \{{([^}}]*)\}}", CSS)
    assert rule, selector
    value = re.search(rf"(?:^|;|\s){prop}:\s*([^;]+)", rule.group(1))
    assert value, (selector, prop)
    text = value.group(1).strip()
    used = re.search(r"var\(--([\w-]+)\)", text)
    return variable(used.group(1)) if used else text


def luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("background", [WHITE, "bg"])
def test_control_borders_and_the_focus_outline_stand_out(background: str) -> None:
    behind = WHITE if background == WHITE else variable(background)
    assert contrast(variable("line"), behind) >= 3
    assert contrast(variable("focus"), behind) >= 3
    for control in (
        ".field input, .field select, .field textarea",
        "form.filters select",
        ".press-summary textarea",
    ):
        assert declaration(control, "border") == variable("line"), control


def test_chart_segments_stand_out_from_the_gaps_and_the_track() -> None:
    track = declaration("svg.bar", "background")
    assert declaration("svg.bar rect", "stroke") == "#fff"  # a white gap between segments
    for part in ("in-person", "online", "no-show"):
        fill = declaration(f".bar-{part}", "fill")
        assert fill == declaration(f".key-{part}", "background"), part  # legend = chart
        assert contrast(fill, WHITE) >= 3, part
        assert contrast(fill, track) >= 3, part
