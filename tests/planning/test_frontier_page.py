"""The frontier page (`plan --frontier f.html`) laid out as a page, checked in a real headless
Chromium: the answer in words at the top, never over the chart; the chart; then the table of
budgets by tier and mix. Geometry comes from the DOM after Plotly has drawn the chart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from creatormix.workspace import Workspace

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: scripts/ensure/chromium installs it")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _box(page: Any, selector: str) -> dict[str, float]:
    box = page.eval_on_selector(
        selector,
        "e => { const r = e.getBoundingClientRect();"
        " return {x: r.left, y: r.top + window.scrollY, w: r.width, h: r.height}; }",
    )
    assert box["w"] > 0 and box["h"] > 0, f"{selector} is not drawn: {box}"
    return box  # type: ignore[no-any-return]


def _overlap(a: dict[str, float], b: dict[str, float]) -> float:
    """The area two boxes share (0 when they only touch)."""
    w = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    h = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    return max(0.0, w) * max(0.0, h)


@pytest.mark.parametrize("width", [1280, 820])
def test_the_answer_sits_above_the_chart_and_the_table_below_it(
    demo_ws: Workspace, browser: Any, tmp_path: Path, width: int
) -> None:
    brief = demo_ws.brief(
        overrides={
            "goal": "engagement",
            "budget": "8k",
            "frontier.budgets": "2k,4k,8k,16k",
            "scenarios": 500,
        }
    )
    plan = demo_ws.plan(brief, save=False)
    assert plan.frontier is not None
    path = demo_ws.write_frontier_html(plan, tmp_path / "frontier.html")

    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(path.as_uri())
        # Plotly draws asynchronously: its drag layer exists once the axes are laid out
        page.wait_for_selector("#chart .nsewdrag", state="attached")
        answer = _box(page, "#answer")
        chart = _box(page, "#chart")
        plot = _box(page, "#chart .nsewdrag")  # the plot area, inside the axes
        legend = _box(page, "#chart g.legend")
        table = _box(page, "#frontier-table")
        shot = tmp_path / f"frontier-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        where = f"(screenshot {shot})"

        # the answer is read first and is whole: nothing of it is cut or drawn over
        text = page.inner_text("#answer")
        assert plan.frontier.answer.split(". ")[0] in " ".join(text.split()), where
        clipped = page.eval_on_selector(
            "#answer",
            "e => e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1",
        )
        assert not clipped, f"the answer is cut off {where}"
        assert _overlap(answer, plot) == 0, f"answer {answer} over the plot {plot} {where}"
        assert _overlap(answer, legend) == 0, f"answer {answer} over the legend {legend} {where}"
        assert answer["y"] + answer["h"] <= chart["y"], f"the answer is not above the chart {where}"
        # the legend does not cover the plot either, and the plot fills most of the chart
        assert _overlap(legend, plot) == 0, f"legend {legend} over the plot {plot} {where}"
        assert plot["h"] >= 0.5 * chart["h"], f"the plot uses little of its chart {where}"
        # the table of budgets by tier and mix follows the chart, one row per budget
        assert table["y"] >= chart["y"] + chart["h"], f"the table is not below the chart {where}"
        rows = page.eval_on_selector_all("#frontier-table tbody tr", "rows => rows.length")
        assert rows == len(plan.frontier.budgets), where
        headers = page.eval_on_selector_all(
            "#frontier-table thead th", "cells => cells.map(c => c.innerText.trim())"
        )
        assert headers[0] == "budget" and "best mix" in headers and "mix by tier" in headers
        assert any(h.endswith(" only") for h in headers), headers
        # no horizontal scrolling on a narrow window
        overflow = page.evaluate(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )
        assert not overflow, f"the page scrolls sideways at {width}px {where}"
    finally:
        page.close()
