"""Unique reach in whole plans: the two objectives, the stated bound, follower samples, code orders."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from creatormix.workspace import Workspace
from tests.planning.test_plan_cli import run

AWARENESS = ("--goal", "awareness", "--budget", "5000", "--no-frontier", "--scenarios", "600")


def _plan(db: Path, *flags: str) -> tuple[str, dict[str, object]]:
    args = ["plan", *flags, "--no-save"]
    return run(*args, db=db), json.loads(run(*args, "--json", db=db))


def test_the_plan_says_which_reach_objective_it_counted_and_how_close_to_optimal(
    demo_copy: Path,
) -> None:
    out, views = _plan(demo_copy, *AWARENESS)
    assert views["reach_objective"] == "views" and views["metric"] == "reach"  # the default
    assert "Reach objective: views (distinct people expected to see at least one post)" in out
    out, aud = _plan(demo_copy, *AWARENESS, "--reach", "audience")
    assert aud["reach_objective"] == "audience" and aud["metric"] == "audience"
    assert aud["brief"]["reach"] == "audience"  # type: ignore[index]
    assert "Reach objective: audience (distinct followers" in out
    assert "unique audience" in out and "← goal" in out
    for data in (views, aud):
        o = data["optimality"]
        assert isinstance(o, dict) and o["bound"] is not None and o["gap"] is not None
        assert o["bound"] >= o["value"] - 1e-6 and o["gap"] < 0.02, o
    o = aud["optimality"]
    assert isinstance(o, dict)
    said = "proven optimal" if o["gap"] <= 1e-9 else f"within {o['gap']:.2%} of optimal"
    assert f"Optimality: {said}" in out
    # a follower seeing at least one post is a follower: views never exceed the audience
    totals = aud["totals"]
    assert isinstance(totals, dict)
    assert totals["reach"]["mean"] <= totals["audience"]["mean"]


def test_a_reach_objective_that_does_not_exist_is_one_line_with_the_choices(
    demo_copy: Path, tmp_path: Path
) -> None:
    out = run("plan", *AWARENESS, "--reach", "eyeballs", db=demo_copy, code=2)
    assert "reach = 'eyeballs'" in out and "choose audience" in out and "Traceback" not in out
    brief = tmp_path / "brief.toml"
    brief.write_text('goal = "awareness"\nbudget = 3000\nreach = "unique audience"\n')
    data = json.loads(run("plan", "--brief", str(brief), "--no-frontier", "--json", db=demo_copy))
    assert data["reach_objective"] == "audience"


def _one_pool(ws: Workspace, n: int) -> list[tuple[str, str, int]]:
    """``n`` nano and micro creators of the demo's largest niche x country pool."""
    from creatormix.planning.overlap import pool_keys

    c = ws.planning_candidates()
    keys = pool_keys(c)
    small = np.isin(c.tier, ["nano", "micro"]) & (c.followers < 60_000)
    values, counts = np.unique(keys[small], return_counts=True)
    pool = values[np.argmax(counts)]
    idx = np.flatnonzero(small & (keys == pool))[:n]
    return [(str(c.platform[i]), str(c.handle[i]), int(c.followers[i])) for i in idx]


def test_follower_samples_measure_the_overlap_and_widen_the_band(
    demo_ws: Workspace, tmp_path: Path
) -> None:
    creators = _one_pool(demo_ws, 6)
    refs = ",".join(f"{p}:{h}" for p, h, _ in creators)
    brief = {
        "goal": "awareness",
        "reach": "audience",
        "budget": "1m",
        "deals.types": "paid",
        "frontier.enabled": False,
        "constraints.must_include": refs,
        "constraints.max_creators": 6,
        "scenarios": 2000,
    }
    before = demo_ws.plan(demo_ws.brief(overrides=brief), save=False)
    # paid posts are sure: without follower data the audience has no spread at all
    assert before.totals["audience"].p10 == pytest.approx(before.totals["audience"].p90)
    rng = np.random.default_rng(0)
    pool = 3 * max(f for _, _, f in creators)
    lines = ["creator,follower"]
    for p, h, followers in creators:
        # a uniform sample of 400 followers (the creator's audience: a random part of the pool)
        audience = rng.choice(pool, followers, replace=False)
        lines += [f"{p}:{h},u{u}" for u in rng.choice(audience, 400, replace=False)]
    f = tmp_path / "samples.csv"
    f.write_text("\n".join(lines) + "\n")
    report = demo_ws.import_followers(f)
    assert any("plans read it as a sample" in w for w in report.warnings)
    after = demo_ws.plan(demo_ws.brief(overrides=brief), save=False)
    picks = {s.handle: s for s in after.picks}
    for _, h, _ in creators:
        assert picks[h].overlap.startswith("its sample of 400 followers; pool "), picks[h].overlap
        assert "measured from samples of 400 followers from 6 creators" in picks[h].overlap
    assert any("capture-recapture" in n for n in after.notes)
    band = after.totals["audience"]
    assert band.p10 < band.mean < band.p90  # the pool size's error, carried into the band
    # the pool the samples measured is the one they were drawn from, within the error stated
    note = next(n for n in after.notes if "capture-recapture" in n)
    found = re.search(r"a pool of ([\d,]+) followers \(±(\d+)%\)", note)
    assert found, note
    measured, error = float(found[1].replace(",", "")), float(found[2]) / 100
    assert abs(np.log(measured / pool)) < 2.5 * np.log1p(error), note
    from creatormix.views.planning import plan_view

    view = plan_view(after)
    assert {h for h, _ in view.overlap} == {h for _, h, _ in creators}


def test_a_sales_plan_counts_the_code_orders_campaigns_measured(demo_copy: Path) -> None:
    from creatormix.domain.plan import LearnedRate
    from creatormix.store import campaigns as cstore

    flags = ("--goal", "sales", "--aov", "40", "--budget", "3000", "--no-frontier")
    _, before = _plan(demo_copy, *flags, "--scenarios", "600")
    assert not [p for p in before["priors"] if p["metric"] == "code_rate"]  # type: ignore[union-attr]
    rows = [
        LearnedRate(platform, tier, "code_rate", 30, 100_000, f"campaign 'Spring' @{tier}")
        for platform in ("instagram", "tiktok", "youtube")
        for tier in ("nano", "micro", "mid", "macro", "mega")
    ]
    with Workspace.open(demo_copy) as ws, ws.store.transaction():
        cstore.append_learned_rates(ws.store, rows, 1, datetime(2026, 1, 1))
    out, after = _plan(demo_copy, *flags, "--scenarios", "600")
    learned = [p for p in after["priors"] if p["metric"] == "code_rate"]  # type: ignore[union-attr]
    assert learned and all(p["origin"] == "learned" for p in learned)
    assert "code rate" in " ".join(out.split())
    totals_before, totals_after = before["totals"], after["totals"]
    assert isinstance(totals_before, dict) and isinstance(totals_after, dict)
    assert totals_after["conversions"]["mean"] > totals_before["conversions"]["mean"]
