"""The ``--json`` of the main reading commands on the demo, and what the terminal shows of them,
byte for byte, against files under ``tests/snapshots/cli_json/``.

One scenario on a small demo (seed 7, 400 creators) under a frozen clock: a stored target, two
listings, the audit of the weakest sampled creator, the page of a creator with every vetting
section, a sales plan with tier-share and creator-count rules and a frontier, then a campaign
made from that plan with paid, gifted (in EUR) and declined deals, a Shopify order export using
its codes, and its report. Discount and link codes are random by design; they are the only
values replaced (by the deal's handle) before comparing. DuckDB runs on one thread here: its
parallel sums round differently in the last bits from one run to the next, which a byte-for-byte
comparison would see.

A change of behaviour shows as a readable diff of these files; when it is meant, rewrite them
with ``CREATORMIX_UPDATE_SNAPSHOTS=1 python -m pytest tests/cli/test_json_snapshots.py`` and
commit the diff with the change that caused it.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from creatormix.cli.app import app
from creatormix.workspace import Workspace

pytestmark = pytest.mark.slow

SNAPSHOTS = Path(__file__).resolve().parents[1] / "snapshots" / "cli_json"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
UPDATE = os.environ.get("CREATORMIX_UPDATE_SNAPSHOTS") == "1"
START = datetime(2026, 10, 2, 9, 0)  # the day after the demo's own "now" (demo.DEMO_NOW)
ENV = {"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb", "LOGNAME": "snapshot", "USER": "snapshot"}

SHOWN = "instagram:elpo.beauty"
LIST_ARGS = [
    *("creators", "list", "--tier", "micro,mid", "--country", "FR,BE,DE"),
    *("--min-er", "2%", "--sort", "er", "--limit", "15"),
]
PLAN_ARGS = [
    *("plan", "--name", "Snapshot launch", "--goal", "sales", "--budget", "8k"),
    *("--aov", "60", "--margin", "60%", "--ship-to", "FR,BE,DE", "--niche", "beauty"),
    *("--tier-share", "micro>=30%", "--max-creators", "12", "--budgets", "2k,4k,8k"),
    *("--scenarios", "500", "--json"),
]


class Clock:
    """``store.core.utcnow`` frozen at a time the scenario moves on; the real clock once stopped
    (a module imported while frozen keeps this object, which then tells the real time)."""

    def __init__(self, real: object, start: datetime) -> None:
        self.real = real
        self.now: datetime | None = start

    def __call__(self) -> datetime:
        return self.now if self.now is not None else self.real()  # type: ignore[operator]

    def advance(self, **delta: float) -> None:
        assert self.now is not None
        self.now += timedelta(**delta)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Every snapshotted command's stdout, codes replaced, keyed by snapshot name."""
    import creatormix.store.core as core

    real = core.utcnow
    clock = Clock(real, START)
    with pytest.MonkeyPatch.context() as mp:
        for name, module in list(sys.modules.items()):  # wherever the function is bound by name
            if name.startswith("creatormix") and getattr(module, "utcnow", None) is real:
                mp.setattr(module, "utcnow", clock)
        for key, value in ENV.items():
            mp.setenv(key, value)
        import creatormix.store.dialects as dialects

        connect = dialects._connect_once

        def one_thread(path: Path, *, read_only: bool) -> object:
            con = connect(path, read_only=read_only)
            con.execute("SET threads = 1")
            return con

        mp.setattr(dialects, "_connect_once", one_thread)
        try:
            yield _scenario(tmp_path_factory.mktemp("snapshots"), clock)
        finally:
            clock.now = None


def _scenario(folder: Path, clock: Clock) -> dict[str, str]:
    db = folder / "demo.duckdb"
    Workspace.build_demo(db, seed=7, creators=400).close()
    out: dict[str, str] = {}

    def run(*args: str) -> str:
        clock.advance(minutes=1)
        result = CliRunner().invoke(app, ["--db", str(db), *args], env=ENV)
        assert result.exit_code == 0, f"{args}: exit {result.exit_code}: {result.output}"
        return result.stdout

    run("target", "set", "--ship-to", "FR,BE", "--age", "18-34", "--keywords", "vegan skincare")
    out["creators_list"] = run(*LIST_ARGS, "--json")
    out["creators_list_by_price"] = run(
        "creators", "list", "--sort", "price", "--limit", "8", "--json"
    )
    out["audit_all"] = run("audit", "--all", "--sampled", "--limit", "10", "--json")
    weakest = json.loads(out["audit_all"])["creators"][0]
    ref = f"{weakest['platform']}:{weakest['handle']}"
    out["audit"] = run("audit", ref, "--json")
    # a creator of the target's countries with posts, a follower sample and all four audience
    # dimensions, so every section of the page has something to say
    out["creators_show"] = run("creators", "show", SHOWN, "--posts", "5", "--json")
    out["plan"] = run(*PLAN_ARGS)

    picks = [s["handle"] for s in json.loads(out["plan"])["selections"]]
    run("campaign", "create", "Launch", "--from-plan", "1", "-d", "https://shop.example/launch")
    clock.advance(hours=2)
    paid, gifted, declined, other = picks[:4]
    run("campaign", "move", "Launch", "@" + paid, "agreed", "--fee", "2400", "--type", "paid")
    run("campaign", "move", "Launch", "@" + gifted, "agreed", "--type", "gifted")
    run(
        *("campaign", "move", "Launch", "@" + gifted, "product-sent"),
        *("--product-value", "80", "--shipping", "12", "--currency", "EUR"),
    )
    run("campaign", "move", "Launch", "@" + declined, "declined", "--note", "no reply")
    run("campaign", "move", "Launch", "@" + other, "contacted", "--hours", "3")
    clock.advance(hours=1)
    run(
        *("campaign", "move", "Launch", "@" + paid, "content-live"),
        *("--reach", "20000", "--engagements", "900"),
    )
    run("campaign", "move", "Launch", "@" + gifted, "content-live")
    links = json.loads(run("campaign", "links", "Launch", "--json"))["links"]
    codes = {r["creator"][1:]: r["discount_code"] for r in links}
    orders = (FIXTURES / "shopify_orders.csv").read_text()
    orders = orders.replace("@@anna.fit@@", codes[paid]).replace("@@bigstar@@", codes[gifted])
    orders = orders.replace("2099-03-0", "2026-10-0")  # a week of orders after the posts
    (folder / "orders.csv").write_text(orders)
    run("import", "orders", str(folder / "orders.csv"), "--json")
    clock.advance(days=18)
    out["report"] = run("report", "Launch", "--rate", "EUR=1.1", "--draws", "300", "--json")
    # the same views as the terminal draws them (fixed width, no colour)
    out["creators_list.txt"] = run(*LIST_ARGS)
    out["creators_show.txt"] = run("creators", "show", SHOWN, "--posts", "5")
    out["audit.txt"] = run("audit", ref)
    out["audit_all.txt"] = run("audit", "--all", "--limit", "12")
    out["plan.txt"] = run("plans", "show", "1")
    out["report.txt"] = run("report", "Launch", "--rate", "EUR=1.1", "--draws", "300", "--no-learn")

    replace = {}
    for r in links:
        replace[r["discount_code"]] = f"<discount code of {r['creator']}>"
        replace[r["tracking_url"].rsplit("/", 1)[1]] = f"<link code of {r['creator']}>"
    for name, text in out.items():
        for code, placeholder in replace.items():
            text = text.replace(code, placeholder)
        out[name] = text
    return out


def test_the_creator_page_of_the_scenario_has_every_section(outputs: dict[str, str]) -> None:
    page = json.loads(outputs["creators_show"])
    assert page["recent_posts"] and page["snapshots"] and page["sources"]
    vetting = page["vetting"]
    assert vetting["authenticity"]["fake_measured"] and len(vetting["audience"]) == 4
    assert vetting["fit"] is not None and vetting["relevance"] is not None


@pytest.mark.parametrize(
    "name",
    [
        "creators_list",
        "creators_list_by_price",
        "creators_show",
        "audit",
        "audit_all",
        "plan",
        "report",
        "creators_list.txt",
        "creators_show.txt",
        "audit.txt",
        "audit_all.txt",
        "plan.txt",
        "report.txt",
    ],
)
def test_output_is_byte_identical_to_its_snapshot(outputs: dict[str, str], name: str) -> None:
    path = SNAPSHOTS / (name if name.endswith(".txt") else f"{name}.json")
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(outputs[name], encoding="utf-8")
    assert path.exists(), f"no snapshot {path}; write it with CREATORMIX_UPDATE_SNAPSHOTS=1"
    expected = path.read_text(encoding="utf-8")
    if outputs[name] != expected:
        import difflib

        diff = difflib.unified_diff(
            expected.splitlines(), outputs[name].splitlines(), "snapshot", "now", lineterm=""
        )
        pytest.fail(
            f"{name}: the output differs from {path.relative_to(SNAPSHOTS.parents[1])} (if the change "
            "is meant, rewrite the snapshots, see the module docstring):\n"
            + "\n".join(list(diff)[:60])
        )
