"""The screenshots of docs/web.md: a demo workspace served by a real `creatormix serve`, each page
opened in Debian's Chromium (Playwright), a PNG per page in docs/img/.

    python scripts/screenshots.py [--out docs/img] [--creators 1500]

Needs the dev extra (playwright) and /usr/bin/chromium (scripts/ensure/chromium).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

EMAIL, PASSWORD = "ana@brand.example", "screenshots only 1"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def prepare(db: Path, creators: int) -> dict[str, str]:
    """The demo, an admin, a shortlist, a plan, a campaign with moved deals and imported orders."""
    from creatormix.domain.campaigns import Stage
    from creatormix.domain.query import CreatorQuery
    from creatormix.domain.requests import PlanRequest
    from creatormix.workspace import Workspace

    Workspace.build_demo(db, creators=creators).close()
    with Workspace.open(db) as ws, ws.acting_as(EMAIL):
        ws.add_user(EMAIL, "admin", PASSWORD)
        refs = [
            f"{p.creator.platform.value}:{p.creator.handle}"
            for p in ws.list_creators(CreatorQuery(tiers=("micro",), limit=12)).creators
        ]
        ws.shortlist_add("Spring launch", refs, "strong engagement, ships to FR", create=True)
        plan = ws.plan(
            PlanRequest(
                overrides={
                    "name": "Spring",
                    "goal": "engagement",
                    "budget": "8k",
                    "scenarios": 1000,
                }
            )
        )
        c = ws.create_campaign_from_plan_id(
            "Spring launch", plan.plan_id, "https://shop.example/spring"
        )
        deals = ws.campaign_deals(c.campaign_id)
        for d, stages in zip(
            deals,
            (
                [Stage.CONTACTED],
                [Stage.CONTACTED, Stage.NEGOTIATING],
                [Stage.CONTACTED, Stage.AGREED],
            ),
            strict=False,
        ):
            for s in stages:
                ws.move_deal(
                    c.campaign_id,
                    f"{d.platform}:{d.handle}",
                    s,
                    note=f"{s.value} by the screenshot script",
                )
        links = ws.campaign_links(c.campaign_id)
        text = (ROOT / "tests" / "fixtures" / "shopify_orders.csv").read_text()
        text = text.replace("@@anna.fit@@", links[0].discount_code).replace(
            "@@bigstar@@", links[1].discount_code
        )
        orders = db.with_name("orders.csv")
        orders.write_text(text.replace(",EUR,", ",USD,"))
        ws.import_file("orders", orders)
        return {"creator": refs[0], "plan": str(plan.plan_id), "campaign": c.slug, "shortlist": "1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    parser.add_argument("--creators", type=int, default=1500)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="creatormix-shots-") as tmp:
        db = Path(tmp) / "demo.duckdb"
        ids = prepare(db, args.creators)
        port = free_port()
        env = dict(
            os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")
        )
        server = subprocess.Popen(
            [sys.executable, "-m", "creatormix", "--db", str(db), "serve", "--port", str(port)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    urllib.request.urlopen(base + "/api/health", timeout=2)
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit("the server did not start") from None
                    time.sleep(0.2)  # polling a starting process: no event to wait on
            pages = [
                ("catalog", "/catalog?tier=micro&min_followers=20k&sort=er"),
                ("creator", f"/creators/{ids['creator']}"),
                ("shortlist", f"/shortlists/{ids['shortlist']}"),
                ("imports", "/imports"),
                ("plan-builder", "/plans/new"),
                ("plan", f"/plans/{ids['plan']}"),
                ("board", f"/campaigns/{ids['campaign']}"),
                ("results", f"/campaigns/{ids['campaign']}/results"),
                ("audit-log", "/admin/audit"),
                ("api-docs", "/api/v1/docs"),
            ]
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                page = browser.new_page(viewport={"width": 1360, "height": 860})
                page.set_default_timeout(120_000)
                page.goto(base + "/login")
                page.fill("input[name=email]", EMAIL)
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_url("**/catalog")
                for name, path in pages:
                    page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    if page.locator("[data-chart]").count():
                        page.wait_for_selector("[data-chart] .main-svg")
                    page.screenshot(path=str(args.out / f"web-{name}.png"))
                    print(f"{args.out / f'web-{name}.png'}  {path}")  # noqa: T201
                browser.close()
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
