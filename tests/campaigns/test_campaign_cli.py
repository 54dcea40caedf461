"""The campaign commands in process, effects checked through the library."""

from __future__ import annotations

import csv
import json
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from creatormix.cli.app import app
from creatormix.domain.plan import DealType, Goal, PlanRecord, Quantiles
from creatormix.domain.plan_result import PlanPick
from creatormix.workspace import Workspace

runner = CliRunner()


def run(db: Path, *args: str) -> str:
    result = runner.invoke(app, ["--db", str(db), *args], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.output


def test_the_issue_walkthrough_from_create_to_report(
    camp_ws: Workspace, tmp_path: Path, orders_file: Path
) -> None:
    db = camp_ws.target.location
    camp_ws.close()
    out = run(
        db,
        "campaign",
        "create",
        "Summer",
        "-d",
        "https://shop.example/summer",
        "-c",
        "@mia",
        "-c",
        "@anna.fit",
    )
    assert "2 deal(s)" in out
    run(db, "campaign", "move", "Summer", "@anna.fit", "contacted", "--note", "first DM")
    run(
        db,
        "campaign",
        "move",
        "Summer",
        "@anna.fit",
        "agreed",
        "--fee",
        "450",
        "--type",
        "paid",
        "--due",
        "2099-01-01",
    )
    deals = json.loads(run(db, "campaign", "deals", "Summer", "--json"))["deals"]
    assert {d["handle"]: d["stage"] for d in deals} == {"mia": "shortlisted", "anna.fit": "agreed"}
    history = json.loads(run(db, "campaign", "history", "Summer", "@anna.fit", "--json"))["events"]
    assert [e["stage"] for e in history] == ["shortlisted", "contacted", "agreed"]
    export = tmp_path / "links.csv"
    run(db, "campaign", "links", "Summer", "--export", str(export))
    rows = list(csv.DictReader(export.open()))
    assert {"creator", "tracking_url", "discount_code"} <= set(rows[0])
    assert json.loads(run(db, "campaign", "due", "--json"))["due"] == []
    imported = json.loads(run(db, "import", "orders", str(orders_file), "--json"))
    assert imported["rows_accepted"] == 7
    html = tmp_path / "report.html"
    table = tmp_path / "report.csv"
    run(
        db,
        "campaign",
        "move",
        "Spring launch",
        "@anna.fit",
        "content-live",
        "--fee",
        "300",
        "--reach",
        "9000",
        "--engagements",
        "700",
    )
    rep = json.loads(
        run(
            db,
            "report",
            "Spring launch",
            "--rate",
            "EUR=1.1",
            "--html",
            str(html),
            "--csv",
            str(table),
            "--json",
            "--draws",
            "300",
        )
    )
    assert rep["total"]["orders"] == 3  # bigstar is only shortlisted, but its code sold
    text = html.read_text()
    assert (
        'src="http' not in text and "Plotly.newPlot" in text and len(text) > 1_000_000
    )  # plotly.js inline
    assert next(csv.DictReader(table.open()))["level"] == "creator"
    plain = run(db, "report", "Spring launch", "--rate", "EUR=1.1", "--no-learn", "--draws", "300")
    assert "By tier" in plain


def test_errors_are_one_line_with_an_exit_code(camp_ws: Workspace) -> None:
    db = camp_ws.target.location
    camp_ws.close()
    result = runner.invoke(
        app, ["--db", str(db), "campaign", "move", "Spring launch", "@anna.fit", "dancing"]
    )
    assert result.exit_code == 2 and "unknown stage 'dancing'" in result.output
    result = runner.invoke(app, ["--db", str(db), "report", "Nope"])
    assert result.exit_code == 3 and "no campaign 'Nope'" in result.output
    result = runner.invoke(
        app,
        [
            "--db",
            str(db),
            "campaign",
            "create",
            "X",
            "-d",
            "https://s.example/",
            "--from-plan",
            "3",
        ],
    )
    assert result.exit_code == 3 and "plan #3" in result.output


def test_the_terminal_report_shows_analytics_sessions_and_refuses_a_rate_for_its_own_currency(
    camp_ws: Workspace, tmp_path: Path
) -> None:
    db = camp_ws.target.location
    camp_ws.close()
    ga4 = tmp_path / "ga4.csv"
    ga4.write_text(
        "Date,Session source,Session medium,Session campaign,Session manual ad content,Sessions\n"
        "20990301,instagram,influencer,spring-launch,anna.fit,321\n"
    )
    run(db, "import", "analytics", str(ga4))
    run(db, "campaign", "move", "Spring launch", "@anna.fit", "agreed", "--fee", "100")
    out = run(db, "report", "Spring launch", "--no-learn", "--draws", "200")
    assert "sessions" in out and "321" in out and "cross-check" in out
    result = runner.invoke(
        app, ["--db", str(db), "report", "Spring launch", "--rate", "USD=3", "--no-learn"]
    )
    assert result.exit_code != 0 and "USD is the campaign's own currency" in result.output


def _plan_with_a_gift_and_a_metric_without_range() -> PlanRecord:
    nan = math.nan
    return PlanRecord(
        3,
        datetime(2025, 1, 1),
        Goal.SALES,
        1000.0,
        "USD",
        (
            PlanPick(
                platform="instagram",
                handle="mia",
                tier="nano",
                deal_type=DealType.GIFTED,
                cost=80.0,
                expected={"engagements": Quantiles(240, 0, 300, 700)},
                probability=0.6,
            ),
            PlanPick(
                platform="instagram",
                handle="anna.fit",
                tier="micro",
                deal_type=DealType.PAID,
                cost=300.0,
                fee=250.0,
                expected={
                    "engagements": Quantiles(900, 500, 850, 1400),
                    "clicks": Quantiles(nan, nan, nan, nan),  # the plan predicted no range
                },
            ),
        ),
    )


def test_planned_vs_delivered_rows_say_when_there_is_no_range_and_when_a_gift_may_never_post(
    camp_ws: Workspace, tmp_path: Path
) -> None:
    camp_ws.create_campaign_from_plan(
        "From plan", _plan_with_a_gift_and_a_metric_without_range(), "https://shop.example/p"
    )
    db = camp_ws.target.location
    camp_ws.close()
    deals = run(db, "campaign", "deals", "From plan")
    anna = next(line for line in deals.splitlines() if "@anna.fit" in line)
    assert "$250" in anna  # the fee the plan priced it at (was "—")
    run(db, "campaign", "move", "From plan", "@mia", "product-sent", "--product-value", "60")
    run(db, "campaign", "move", "From plan", "@anna.fit", "content-live", "--fee", "300",
        "--engagements", "1000", "--reach", "9000")  # fmt: skip
    page = tmp_path / "r.html"
    out = run(db, "report", "From plan", "--no-learn", "--draws", "200", "--html", str(page))
    rows = {tuple(c.strip() for c in line.split("│")[1:3]): line for line in out.splitlines()}
    assert "no planned range" in rows[("@anna.fit", "clicks")]  # was "within P10-P90"
    # live a moment ago: no verdict yet (was "within P10-P90" of the whole plan at once)
    assert "too early: live for 0 h" in rows[("@anna.fit", "engagements")]
    gift = rows[("@mia", "engagements")]
    assert "0–700 (60% post)" in gift and "not posted yet (plan: 60% chance)" in gift
    assert "include the chance the creator never posts" in out
    html = page.read_text()
    table = html[html.index("<h2>Planned vs delivered") :]
    assert "nan" not in table.split("</table>")[0]  # was "nan–nan"
    assert "<td>@anna.fit</td><td>clicks</td><td>—</td><td>—</td>" in table
    # the chart draws only rows judged against a range: none yet (anna went live a moment ago)
    assert '"@anna.fit engagements"' not in html and '"@anna.fit clicks"' not in html
    rep = json.loads(run(db, "report", "From plan", "--no-learn", "--draws", "200", "--json"))
    verdicts = {(p["handle"], p["metric"]): p for p in rep["planned_vs_delivered"]}
    assert verdicts[("@mia", "engagements")]["probability"] == 0.6


def test_the_orders_import_summary_adds_up_line_items_new_updated_and_rejected_orders(
    camp_ws: Workspace, orders_file: Path, tmp_path: Path
) -> None:
    db = camp_ws.target.location
    camp_ws.close()
    first = run(db, "import", "orders", str(orders_file))
    # 9 rows: #1001 has two line items and its first row once more, so 7 orders
    assert "7 accepted, 2 merged into duplicates, 0 rejected of 9 records" in first
    assert "9 row(s) read: 9 make 7 order(s) (7 new, 0 updated;" in first
    later = tmp_path / "later.csv"
    later.write_text(
        "Name,Financial Status,Currency,Subtotal,Refunded Amount,Created at,Lineitem quantity\n"
        "#1002,refunded,USD,50.00,50.00,2099-03-03 08:59:40 +0100,1\n"
        "#1010,paid,USD,20.00,,2099-03-08 10:00:00 +0100,1\n"
        "#1010,,,,,,2\n"
        ",paid,USD,10.00,,2099-03-08 11:00:00 +0100,1\n"
        '"#1011,paid\n'
    )
    result = runner.invoke(
        app, ["--db", str(db), "import", "orders", str(later), "--json"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    rep = json.loads(result.output)
    assert (rep["rows_read"], rep["rows_accepted"], rep["rows_merged"], rep["rows_rejected"]) == (
        5,
        2,
        1,
        2,
    )
    assert rep["rows_accepted"] + rep["rows_merged"] + rep["rows_rejected"] == rep["rows_read"]
    [summary] = [w["message"] for w in rep["warnings"] if "row(s) read" in w["message"]]
    assert summary.startswith("5 row(s) read: 3 make 2 order(s) (1 new, 1 updated;")
    assert summary.endswith(", 2 rejected")


def test_a_campaign_from_a_plan_costs_outreach_hours_at_the_plans_hourly_rate(
    demo_ws: Workspace,
) -> None:
    overrides: dict[str, object] = {"goal": "engagement", "budget": "4k", "scenarios": 500}
    overrides |= {"frontier.enabled": False, "deals.hourly_cost": 55}
    brief = demo_ws.brief(overrides=overrides)
    plan = demo_ws.plan(brief)
    db = demo_ws.target.location
    demo_ws.close()
    args = ["campaign", "create", "-d", "https://shop.example/", "--from-plan", str(plan.plan_id)]
    made = json.loads(run(db, *args[:2], "From plan", *args[2:], "--json"))
    assert made["campaign"]["outreach_rate"] == 55.0  # was 0: recorded hours cost nothing
    own = json.loads(run(db, *args[:2], "Own rate", *args[2:], "--outreach-rate", "20", "--json"))
    assert own["campaign"]["outreach_rate"] == 20.0
    first = plan.selections[0]
    run(db, "campaign", "move", "From plan", f"{first.platform}:{first.handle}", "contacted",
        "--hours", "2")  # fmt: skip
    rep = json.loads(run(db, "report", "From plan", "--no-learn", "--draws", "200", "--json"))
    assert rep["total"]["spend_parts"]["outreach"] == 110.0


def test_an_event_dated_before_its_deal_was_created_is_refused_and_nothing_is_recorded(
    camp_ws: Workspace,
) -> None:
    created = camp_ws.campaign_deals("Spring launch")[0].created_at
    db = camp_ws.target.location
    camp_ws.close()
    before = json.loads(run(db, "campaign", "history", "Spring launch", "@anna.fit", "--json"))
    for move in (["content-live", "--reach", "9000"], ["--note", "typed in late"]):
        result = runner.invoke(
            app,
            [
                "--db",
                str(db),
                "campaign",
                "move",
                "Spring launch",
                "@anna.fit",
                *move,
                "--at",
                "2020-03-01",
            ],
            env={"COLUMNS": "200", "NO_COLOR": "1"},
        )
        assert result.exit_code == 2, result.output
        assert "@anna.fit: --at 2020-03-01 00:00 is before the deal was created" in result.output
        assert f"({created:%Y-%m-%d %H:%M} UTC)" in result.output
    after = json.loads(run(db, "campaign", "history", "Spring launch", "@anna.fit", "--json"))
    assert after == before
    # a time with an offset is compared in UTC: 01:00+02:00 on the creation day is 23:00 before it
    day = f"{created:%Y-%m-%d}T01:00+02:00"
    result = runner.invoke(
        app,
        [
            "--db",
            str(db),
            "campaign",
            "move",
            "Spring launch",
            "@anna.fit",
            "--note",
            "x",
            "--at",
            day,
        ],
    )
    assert result.exit_code == 2 and "is before the deal was created" in result.output
    out = run(
        db, "campaign", "move", "Spring launch", "@anna.fit", "contacted", "--at", "2099-01-01"
    )
    assert "contacted since 2099-01-01 00:00" in out


def test_campaign_due_gives_a_date_and_whole_days_counted_from_it(camp_ws: Workspace) -> None:
    db = camp_ws.target.location
    camp_ws.close()
    today = datetime.now(UTC).date()
    yesterday = today - timedelta(days=1)
    run(db, "campaign", "move", "Spring launch", "@anna.fit", "agreed", "--due", f"{yesterday}")
    run(db, "campaign", "move", "Spring launch", "@bigstar", "contacted")
    out = run(db, "campaign", "due", "--after", "0")
    [late] = [line for line in out.splitlines() if "@anna.fit" in line]
    cells = [c.strip() for c in late.split("│")[1:-1]]
    assert cells[3:] == [f"{yesterday}", "1", f"deliverable due on {yesterday}, 1 day(s) ago"]
    [waiting] = [line for line in out.splitlines() if "@bigstar" in line]
    cells = [c.strip() for c in waiting.split("│")[1:-1]]
    assert cells[3:] == [
        f"{today}",
        "0",
        f"no new event for 0 day(s): contacted on {today}; follow up",
    ]
    [r] = json.loads(run(db, "campaign", "due", "--json"))["due"]
    assert (r["handle"], r["days"]) == ("anna.fit", 1)


def test_the_html_report_writes_the_same_figures_as_the_terminal(
    camp_ws: Workspace, tmp_path: Path
) -> None:
    import re

    db = camp_ws.target.location
    camp_ws.close()
    run(db, "campaign", "move", "Spring launch", "@anna.fit", "content-live", "--fee", "450.5",
        "--reach", "12345", "--engagements", "876.4")  # fmt: skip
    page = tmp_path / "r.html"
    out = run(db, "report", "Spring launch", "--no-learn", "--draws", "200", "--html", str(page))
    terminal = out[out.index("By creator") :]
    [row] = [line for line in terminal.splitlines() if "@anna.fit" in line][:1]
    shown = [c.strip() for c in row.split("│")[1:9]]
    html = page.read_text()
    creators = html[html.index("<h2>By creator") :]
    first = creators[creators.index("<tr><td>@anna.fit") :].split("</tr>")[0]
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td>(.*?)</td>", first)]
    assert cells[:8] == shown  # was 12,345 and 876 beside the terminal's 12.3k and 876
    assert shown[3:5] == ["12.3k", "876"]
