from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from creatormix.domain.campaigns import Stage, Terms
from creatormix.domain.plan import DealType, Goal, PlannedCreator, PlanRecord, Quantiles
from creatormix.errors import InvalidOption, NotFound
from creatormix.workspace import Workspace


def test_a_campaign_by_hand_shortlists_one_deal_per_creator_with_catalog_tier(
    camp_ws: Workspace,
) -> None:
    deals = camp_ws.campaign_deals("Spring launch")
    assert [(d.handle, d.tier, d.followers, d.stage) for d in deals] == [
        ("anna.fit", "micro", 25000, Stage.SHORTLISTED),
        ("bigstar", "macro", 800000, Stage.SHORTLISTED),
    ]
    assert deals[0].discount_code.startswith("ANNAFIT-")


def test_a_campaign_from_a_plan_copies_costs_and_expectations(camp_ws: Workspace) -> None:
    plan = PlanRecord(
        plan_id=3,
        created_at=datetime(2025, 1, 1),
        goal=Goal.SALES,
        budget=1000.0,
        currency="EUR",
        selections=(
            PlannedCreator(
                "instagram",
                "mia",
                "nano",
                DealType.GIFTED,
                80.0,
                {"engagements": Quantiles(400, 200, 380, 700)},
                ("cheap reach",),
            ),
            PlannedCreator("tiktok", "zed", "micro", DealType.PAID, 300.0),
        ),
    )
    c = camp_ws.create_campaign_from_plan("From plan", plan, "https://shop.example/p")
    assert (c.plan_id, c.currency) == (3, "EUR")
    deals = camp_ws.campaign_deals(c.campaign_id)
    assert [(d.platform, d.handle, d.source, d.planned_cost) for d in deals] == [
        ("instagram", "mia", "plan", 80.0),
        ("tiktok", "zed", "plan", 300.0),
    ]
    assert deals[0].expected["engagements"].p90 == 700
    assert deals[0].followers == 4000 and deals[1].followers is None
    assert deals[0].terms.deal_type is DealType.GIFTED


def test_from_a_plan_id_that_does_not_exist_says_which(camp_ws: Workspace) -> None:
    with pytest.raises(NotFound, match="plan #3"):
        camp_ws.create_campaign_from_plan_id("X", 3, "https://shop.example/")


def test_moves_are_appended_events_and_the_history_keeps_every_step(camp_ws: Workspace) -> None:
    camp_ws.move_deal("Spring launch", "@anna.fit", Stage.CONTACTED, note="DM sent")
    camp_ws.move_deal(
        "Spring launch",
        "@anna.fit",
        Stage.AGREED,
        terms=Terms(deal_type=DealType.PAID, fee=450.0, deliverables="1 reel"),
    )
    deal, warning = camp_ws.move_deal("Spring launch", "@anna.fit", Stage.NEGOTIATING)
    assert warning is not None and "back" in warning
    deal, events = camp_ws.deal_history("Spring launch", "anna.fit")
    assert [e.stage for e in events] == [
        Stage.SHORTLISTED,
        Stage.CONTACTED,
        Stage.AGREED,
        Stage.NEGOTIATING,
    ]
    assert deal.stage is Stage.NEGOTIATING
    assert (deal.terms.fee, deal.terms.deliverables, deal.last_note) == (450.0, "1 reel", "DM sent")


def test_a_later_amount_without_currency_is_in_the_campaign_currency_and_old_ones_keep_theirs(
    camp_ws: Workspace,
) -> None:
    camp_ws.move_deal(
        "Spring launch",
        "@anna.fit",
        Stage.AGREED,
        terms=Terms(fee=450.0, product_value=60.0, currency="eur"),
    )
    deal, _ = camp_ws.move_deal("Spring launch", "@anna.fit", terms=Terms(shipping=10.0))
    assert deal.currencies == {"fee": "EUR", "product_value": "EUR", "shipping": "USD"}
    deal, _ = camp_ws.move_deal(
        "Spring launch", "@anna.fit", terms=Terms(shipping=12.0, currency="USD")
    )
    assert deal.currencies["fee"] == "EUR" and deal.terms.fee == 450.0
    with pytest.raises(InvalidOption, match=r"the fee of @anna\.fit is in EUR"):
        camp_ws.campaign_report("Spring launch", draws=200, learn=False)
    rep = camp_ws.campaign_report("Spring launch", rates={"EUR": 1.1}, draws=200, learn=False)
    [anna] = [o for o in rep.creators if o.key == "@anna.fit"]
    assert anna.spend_parts["fees"] == 495.0 and anna.spend_parts["products"] == 66.0
    assert anna.spend_parts["shipping"] == 12.0
    with pytest.raises(InvalidOption, match="--currency GBP applies to the amounts given with it"):
        camp_ws.move_deal("Spring launch", "@anna.fit", terms=Terms(currency="GBP"))


def test_a_move_without_anything_to_record_is_refused(camp_ws: Workspace) -> None:
    with pytest.raises(InvalidOption, match="nothing to record"):
        camp_ws.move_deal("Spring launch", "@anna.fit")
    with pytest.raises(NotFound, match="no deal"):
        camp_ws.move_deal("Spring launch", "@mia", Stage.CONTACTED)


def test_due_lists_deals_without_a_new_event_after_n_days(camp_ws: Workspace) -> None:
    contacted = camp_ws.campaign_deals("Spring launch")[0].created_at + timedelta(hours=1)
    camp_ws.move_deal("Spring launch", "@anna.fit", Stage.CONTACTED, at=contacted)
    camp_ws.move_deal("Spring launch", "@bigstar", Stage.CONTACTED, at=contacted)
    replied = contacted + timedelta(days=6)
    camp_ws.move_deal(
        "Spring launch", "@bigstar", note="they replied, waiting for rates", at=replied
    )
    due = camp_ws.due("Spring launch", after_days=5, now=contacted + timedelta(days=9))
    assert [r.handle for r in due] == ["anna.fit"]
    assert "no new event for 9 day" in due[0].reason


def test_links_export_has_creator_tracking_url_and_discount_code(
    camp_ws: Workspace, tmp_path: Path
) -> None:
    out = tmp_path / "links.csv"
    camp_ws.export_links("Spring launch", out)
    rows = list(csv.DictReader(out.open()))
    assert [r["creator"] for r in rows] == ["@anna.fit", "@bigstar"]
    assert all(r["tracking_url"].startswith("http://localhost:8080/r/") for r in rows)
    assert rows[0]["destination_url"].endswith(
        "utm_source=instagram&utm_medium=influencer&utm_campaign=spring-launch&utm_content=anna.fit"
    )
    codes = {r["discount_code"] for r in rows}
    assert len(codes) == 2


def test_discount_and_link_codes_are_unique_across_the_workspace(camp_ws: Workspace) -> None:
    camp_ws.create_campaign("Autumn", "https://shop.example/a", ["@anna.fit", "@mia"])
    links = camp_ws.campaign_links("Spring launch") + camp_ws.campaign_links("Autumn")
    assert len({link.discount_code for link in links}) == 4
    assert len({link.tracking_url.rsplit("/", 1)[1] for link in links}) == 4


def test_only_registered_destinations_become_redirect_targets(camp_ws: Workspace) -> None:
    targets = camp_ws.redirect_targets()
    assert len(targets) == 2
    assert all(url.startswith("https://shop.example/spring?") for url in targets.values())
    with pytest.raises(InvalidOption, match="absolute http"):
        camp_ws.add_destination("Spring launch", "javascript:alert(1)")


def test_shopify_orders_import_groups_line_items_and_is_idempotent(
    camp_ws: Workspace, orders_file: Path
) -> None:
    f = orders_file
    report = camp_ws.import_file("orders", f)
    assert report.rows_read == 9 and report.rows_rejected == 0
    assert any("Email" in w.message for w in report.warnings)  # never stored
    again = camp_ws.import_file("orders", f)
    assert again.skipped
    orders = camp_ws.store.table("order_facts").count().to_pyarrow().as_py()
    assert orders == 7  # 7 orders, the duplicated line counted once
    cols = camp_ws.store.table("order_facts").columns
    assert not any("email" in c for c in cols)


def test_report_attributes_by_code_subtracts_refunds_and_needs_rates(
    camp_ws: Workspace, orders_file: Path
) -> None:
    live = datetime(2099, 3, 1)  # the fixture's orders are from March 2099
    camp_ws.move_deal(
        "Spring launch",
        "@anna.fit",
        Stage.CONTENT_LIVE,
        terms=Terms(fee=450.0, reach=10_000, engagements=900),
        at=live,
    )
    camp_ws.move_deal(
        "Spring launch",
        "@bigstar",
        Stage.PAID,
        terms=Terms(fee=5000.0, reach=300_000, engagements=9000),
        at=live,
    )
    camp_ws.import_file("orders", orders_file)
    with pytest.raises(InvalidOption, match=r"order #1003 is in EUR .*--rate EUR="):
        camp_ws.campaign_report("Spring launch")
    rep = camp_ws.campaign_report("Spring launch", rates={"EUR": 1.10}, draws=500)
    by = {o.key: o for o in rep.creators}
    # anna: #1001 90 + #1002 (50 - 20 refunded); #1005 cancelled
    assert by["@anna.fit"].orders == 2 and by["@anna.fit"].revenue == pytest.approx(120.0)
    # bigstar: #1003 200 EUR at 1.10; #1004 fully refunded
    assert by["@bigstar"].orders == 1 and by["@bigstar"].revenue == pytest.approx(220.0)
    assert rep.total.revenue == pytest.approx(340.0)
    assert rep.unknown_codes == {"WELCOME10": 1}
    assert rep.unattributed_orders == 2  # WELCOME10 and the order without a code
    assert rep.total.spend == pytest.approx(5450.0)
    assert rep.total.cpe.value == pytest.approx(5450 / 9900)
    assert (
        rep.total.cpe.low is not None
        and rep.total.cpe.low < rep.total.cpe.value < rep.total.cpe.high
    )
    assert any(s.startswith("micro creators delivered engagements at") for s in rep.comparisons)


def test_report_records_learned_rates_latest_version_per_campaign(camp_ws: Workspace) -> None:
    camp_ws.move_deal(
        "Spring launch",
        "@anna.fit",
        Stage.CONTENT_LIVE,
        terms=Terms(fee=450.0, reach=10_000, engagements=900),
    )
    camp_ws.campaign_report("Spring launch", draws=200)
    camp_ws.move_deal("Spring launch", "@anna.fit", None, terms=Terms(engagements=1000))
    camp_ws.campaign_report("Spring launch", draws=200)
    rates = {(r.tier, r.metric): r for r in camp_ws.learned_rates()}
    assert rates[("micro", "engagement_rate")].successes == 1000
    assert rates[("micro", "engagement_rate")].trials == 25000
    assert rates[("micro", "reach_rate")].successes == 10_000
    # bigstar is shortlisted: the one live creator is the only contributor, and says so
    assert {r.source for r in camp_ws.learned_rates()} == {"campaign 'Spring launch' @anna.fit"}
    prior = camp_ws.planning_priors().get("instagram", "micro", "engagement_rate")
    assert "campaign 'Spring launch' @anna.fit (1 creator(s)" in prior.source
    t = camp_ws.store.table("learned_rates")
    assert set(t.columns) == {
        "platform",
        "tier",
        "metric",
        "successes",
        "trials",
        "source",
        "campaign_id",
        "computed_at",
    }
    assert t.count().to_pyarrow().as_py() == 2 * len(camp_ws.learned_rates())


def test_a_generic_orders_csv_with_map_attributes_by_last_click_within_the_window(
    camp_ws: Workspace, tmp_path: Path
) -> None:
    from creatormix.domain.imports import ImportOptions
    from creatormix.store.clicks import JournalWriter, encode, journal_dir

    anna = next(d for d in camp_ws.campaign_deals("Spring launch") if d.handle == "anna.fit")
    clicked = datetime(2099, 5, 1, 12, 0)
    us = int((clicked - datetime(1970, 1, 1)).total_seconds() * 1_000_000)
    writer = JournalWriter(journal_dir(camp_ws.target))
    writer.write(encode(us, anna.link_code, "v1", "chrome", ""))
    writer.close()
    f = tmp_path / "orders.csv"
    f.write_text(
        "order,when,amount,cur,campaign,content\n"
        "A-1,2099-05-03,80.00,USD,spring-launch,anna.fit\n"  # 2 days after the click
        "A-2,2099-07-01,50.00,USD,spring-launch,anna.fit\n"  # 61 days after: outside 30
        "A-3,2099-05-04,abc,USD,spring-launch,anna.fit\n"  # malformed amount: rejected
    )
    options = ImportOptions(
        mapping={
            "order": "order_id",
            "when": "ordered_at",
            "amount": "total",
            "cur": "currency",
            "campaign": "utm_campaign",
            "content": "utm_content",
        }
    )
    report = camp_ws.import_file("orders", f, options, rejects_path=tmp_path / "rej.csv")
    assert (report.rows_accepted, report.rows_rejected) == (2, 1)
    assert report.rejects[0].line == 4 and report.rejects[0].column == "amount"
    camp_ws.move_deal("Spring launch", "@anna.fit", Stage.AGREED, terms=Terms(fee=100.0))
    rep = camp_ws.campaign_report("Spring launch", draws=200, learn=False)
    [anna_out] = [o for o in rep.creators if o.key == "@anna.fit"]
    assert (anna_out.clicks, anna_out.orders, anna_out.revenue) == (1, 1, 80.0)
    assert rep.unattributed_orders == 1


def test_analytics_exports_add_sessions_per_creator(camp_ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "ga4.csv"
    f.write_text(
        "Date,Session source,Session medium,Session campaign,Session manual ad content,Sessions,Key events\n"
        "20990301,instagram,influencer,spring-launch,anna.fit,120,4\n"
        "20990302,instagram,influencer,spring-launch,anna.fit,80,1\n"
        "20990302,google,organic,(organic),(not set),999,9\n"
    )
    assert camp_ws.import_file("analytics", f).rows_accepted == 3
    assert camp_ws.import_file("analytics", f).skipped
    camp_ws.move_deal("Spring launch", "@anna.fit", Stage.AGREED, terms=Terms(fee=100.0))
    rep = camp_ws.campaign_report("Spring launch", draws=200, learn=False)
    [anna_out] = [o for o in rep.creators if o.key == "@anna.fit"]
    assert (anna_out.sessions, anna_out.analytics_conversions) == (200, 5)
    from creatormix.workspace import report_csv, report_html

    row = next(csv.DictReader(report_csv(rep).splitlines()))
    assert (row["key"], row["sessions"], row["analytics_conversions"]) == (
        "@anna.fit",
        "200.0",
        "5.0",
    )
    assert "<th>sessions</th>" in report_html(rep) and "<td>200</td>" in report_html(rep)


def test_a_deal_can_point_only_to_a_registered_destination(camp_ws: Workspace) -> None:
    with pytest.raises(InvalidOption, match="register it first"):
        camp_ws.move_deal(
            "Spring launch", "@bigstar", terms=Terms(destination="https://shop.example/b")
        )
    camp_ws.add_destination("Spring launch", "https://shop.example/b")
    deal, _ = camp_ws.move_deal(
        "Spring launch", "@bigstar", terms=Terms(destination="https://shop.example/b")
    )
    assert camp_ws.redirect_targets()[deal.link_code].startswith(
        "https://shop.example/b?utm_source="
    )


def test_import_warns_about_codes_of_no_deal(camp_ws: Workspace, orders_file: Path) -> None:
    report = camp_ws.import_file("orders", orders_file)
    messages = " ".join(w.message for w in report.warnings)
    assert "9 row(s) read: 9 make 7 order(s) (7 new, 0 updated;" in messages
    assert report.rows_merged == 2
    assert "WELCOME10 (1)" in messages


def test_a_later_export_of_the_same_order_supersedes_it(
    camp_ws: Workspace, orders_file: Path, tmp_path: Path
) -> None:
    camp_ws.import_file("orders", orders_file)
    code = camp_ws.campaign_links("Spring launch")[0].discount_code
    later = tmp_path / "later.csv"
    later.write_text(
        "Name,Financial Status,Currency,Subtotal,Total,Discount Code,Created at,Refunded Amount\n"
        f"#1001,refunded,USD,90.00,113.00,{code},2099-03-02 10:14:12 +0100,113.00\n"
    )
    camp_ws.import_file("orders", later)
    camp_ws.move_deal("Spring launch", "@anna.fit", Stage.AGREED, terms=Terms(fee=1.0))
    rep = camp_ws.campaign_report("Spring launch", rates={"EUR": 1.1}, draws=200, learn=False)
    [anna] = [o for o in rep.creators if o.key == "@anna.fit"]
    assert (anna.orders, anna.revenue) == (1, 30.0)  # #1001 now refunded; #1002 remains


def test_delivered_reach_and_engagements_come_from_the_deals_sponsored_posts(
    camp_ws: Workspace, tmp_path: Path
) -> None:
    from creatormix.domain.imports import ImportOptions
    from creatormix.domain.platform import Platform

    live = datetime(2030, 6, 1)
    posts = tmp_path / "posts.csv"
    posts.write_text(
        "handle,post id,date,likes,comments,views,sponsored\n"
        "anna.fit,p1,2030-06-01,500,40,9000,yes\n"  # delivered
        "anna.fit,p2,2030-06-05,300,10,,yes\n"  # delivered, no views
        "anna.fit,p3,2030-06-03,900,50,20000,no\n"  # organic: not the deal's
        "anna.fit,p4,2030-07-30,100,5,1000,yes\n"  # too late
    )
    camp_ws.import_file("posts", posts, ImportOptions(platform=Platform.INSTAGRAM))
    camp_ws.move_deal(
        "Spring launch", "@anna.fit", Stage.CONTENT_LIVE, terms=Terms(fee=100.0), at=live
    )
    rep = camp_ws.campaign_report("Spring launch", draws=200, learn=False)
    [anna] = [o for o in rep.creators if o.key == "@anna.fit"]
    assert (anna.reach, anna.engagements) == (9000, 850)
    camp_ws.move_deal("Spring launch", "@anna.fit", None, terms=Terms(post_ids=("p3",)))
    rep = camp_ws.campaign_report("Spring launch", draws=200, learn=False)
    [anna] = [o for o in rep.creators if o.key == "@anna.fit"]
    assert (anna.reach, anna.engagements) == (20000, 950)


def _generic(ws: Workspace, path: Path, text: str, **mapping: str) -> None:
    from creatormix.domain.imports import ImportOptions

    path.write_text(text)
    ws.import_file("orders", path, ImportOptions(mapping=mapping))


def test_a_narrower_re_import_merges_field_by_field_and_blanks_nothing(
    camp_ws: Workspace, tmp_path: Path
) -> None:
    code = camp_ws.campaign_links("Spring launch")[0].discount_code
    camp_ws.move_deal("Spring launch", "@anna.fit", Stage.AGREED, terms=Terms(fee=10.0))
    _generic(
        camp_ws,
        tmp_path / "full.csv",
        f"order,when,amount,cur,code\nA-1,2099-05-03,80.00,EUR,{code}\n",
        order="order_id",
        when="ordered_at",
        amount="total",
        cur="currency",
        code="discount_code",
    )
    _generic(
        camp_ws,
        tmp_path / "narrow.csv",
        "order,amount,status\nA-1,80.00,partially_refunded\n",
        order="order_id",
        amount="total",
        status="financial_status",
    )
    from creatormix.store import campaigns as cstore

    [order] = cstore.orders_current(camp_ws.store)
    assert (order.currency, order.discount_codes, order.financial_status) == (
        "EUR",
        (code,),
        "partially_refunded",
    )
    assert order.ordered_at == datetime(2099, 5, 3)
    rep = camp_ws.campaign_report("Spring launch", rates={"EUR": 1.5}, draws=200, learn=False)
    [anna] = [o for o in rep.creators if o.key == "@anna.fit"]
    assert (anna.orders, anna.revenue) == (1, 120.0)


def test_an_undated_order_is_in_no_campaigns_unattributed_count(
    camp_ws: Workspace, tmp_path: Path
) -> None:
    camp_ws.create_campaign("Autumn", "https://shop.example/a", ["@mia"])
    _generic(
        camp_ws,
        tmp_path / "o.csv",
        "order,amount,cur\nU-1,50.00,USD\n",
        order="order_id",
        amount="total",
        cur="currency",
    )
    for name in ("Spring launch", "Autumn"):
        rep = camp_ws.campaign_report(name, draws=200, learn=False)
        assert (rep.unattributed_orders, rep.undated_orders) == (0, 1)
        assert any("without a date" in n for n in rep.notes)


def _journal(ws: Workspace, lines: list[tuple[datetime, str, str]]) -> None:
    from creatormix.store.clicks import JournalWriter, encode, journal_dir

    writer = JournalWriter(journal_dir(ws.target))
    for at, code, family in lines:
        us = int((at - datetime(1970, 1, 1)).total_seconds() * 1_000_000)
        writer.write(encode(us, code, "v", family, ""))
    writer.close()


def test_bot_clicks_are_left_out_of_clicks_cpc_and_learning_and_counted_apart(
    camp_ws: Workspace,
) -> None:
    anna = camp_ws.campaign_deals("Spring launch")[0]
    at = datetime(2099, 5, 1)
    _journal(camp_ws, [(at, anna.link_code, "chrome"), (at, anna.link_code, "bot")])
    camp_ws.move_deal(
        "Spring launch",
        "@anna.fit",
        Stage.CONTENT_LIVE,
        terms=Terms(fee=100.0, reach=1000.0, engagements=50.0),
    )
    rep = camp_ws.campaign_report("Spring launch", draws=200)
    [out] = [o for o in rep.creators if o.key == "@anna.fit"]
    assert (out.clicks, out.bot_clicks, rep.bot_clicks) == (1, 1, 1)
    assert out.cpc.value == 100.0
    assert any("1 bot click(s)" in n for n in rep.notes)
    clicks = [r for r in camp_ws.learned_rates() if r.metric == "click_rate"]
    assert sum(r.successes for r in clicks) == 1
    both = camp_ws.campaign_report("Spring launch", draws=200, learn=False, bots=True)
    assert [o.clicks for o in both.creators if o.key == "@anna.fit"] == [2]


def test_pending_orders_are_reported_apart_and_imports_warn_about_them(
    camp_ws: Workspace, tmp_path: Path
) -> None:
    code = camp_ws.campaign_links("Spring launch")[0].discount_code
    f = tmp_path / "o.csv"
    f.write_text(
        "Name,Financial Status,Currency,Subtotal,Total,Discount Code,Created at\n"
        f"#1,paid,USD,30.00,30.00,{code},2099-05-03 10:00:00 +0000\n"
        f"#2,pending,USD,20.00,20.00,{code},2099-05-03 11:00:00 +0000\n"
        f"#3,authorized,,25.00,25.00,{code},2099-05-03 12:00:00 +0000\n"
    )
    imported = camp_ws.import_file("orders", f)
    messages = " ".join(w.message for w in imported.warnings)
    assert "2 order(s) are pending payment" in messages and "#2, #3" in messages
    assert "1 order(s) have no currency" in messages
    camp_ws.move_deal("Spring launch", "@anna.fit", Stage.AGREED, terms=Terms(fee=10.0))
    rep = camp_ws.campaign_report("Spring launch", draws=200, learn=False)
    [anna] = [o for o in rep.creators if o.key == "@anna.fit"]
    assert (anna.orders, anna.revenue) == (1, 30.0)
    assert (anna.pending_orders, anna.pending_revenue) == (2, 45.0)
    assert any("pending payment" in n and "@anna.fit 2 order(s)" in n for n in rep.notes)


def test_a_rate_for_the_campaigns_own_currency_is_refused(camp_ws: Workspace) -> None:
    with pytest.raises(InvalidOption, match="USD is the campaign's own currency"):
        camp_ws.campaign_report("Spring launch", rates={"usd": 3.0}, draws=200, learn=False)


def test_a_row_without_an_order_name_is_rejected_under_the_files_own_column_name(
    camp_ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "o.csv"
    f.write_text(
        "Name,Financial Status,Currency,Subtotal,Created at\n"
        "#1,paid,USD,30.00,2099-05-03 10:00:00 +0000\n"
        ",paid,USD,10.00,2099-05-03 11:00:00 +0000\n"
    )
    report = camp_ws.import_file("orders", f)
    assert (report.rows_accepted, report.rows_rejected) == (1, 1)
    [reject] = report.rejects
    assert (reject.line, reject.column, reject.value) == (3, "Name", "")
    assert "order name is empty" in reject.reason


def test_code_orders_do_not_count_as_click_conversions_but_as_a_code_rate(
    camp_ws: Workspace, tmp_path: Path
) -> None:
    """anna: 2 clicks, 2 code orders from shoppers who never clicked and 1 order that came
    through her link (it also typed her code); bigstar: code orders and no click at all."""
    anna, big = camp_ws.campaign_deals("Spring launch")
    at = datetime(2099, 5, 1)
    _journal(camp_ws, [(at, anna.link_code, "chrome"), (at, anna.link_code, "firefox")])
    landing = "/spring?utm_campaign=spring-launch&utm_content=anna.fit"
    f = tmp_path / "o.csv"
    f.write_text(
        "Name,Financial Status,Currency,Subtotal,Discount Code,Created at,Landing Site\n"
        f"#1,paid,USD,30.00,{anna.discount_code},2099-05-02 10:00:00 +0000,\n"
        f"#2,paid,USD,30.00,{anna.discount_code},2099-05-02 11:00:00 +0000,\n"
        f"#3,paid,USD,30.00,{anna.discount_code},2099-05-02 12:00:00 +0000,{landing}\n"
        f"#4,paid,USD,30.00,{big.discount_code},2099-05-02 12:00:00 +0000,\n"
        f"#5,paid,USD,30.00,{big.discount_code},2099-05-02 13:00:00 +0000,\n"
    )
    camp_ws.import_file("orders", f)
    for handle in ("@anna.fit", "@bigstar"):
        camp_ws.move_deal(
            "Spring launch",
            handle,
            Stage.CONTENT_LIVE,
            at=datetime(2099, 4, 30),
            terms=Terms(fee=100.0, reach=1000.0, engagements=50.0),
        )
    rep = camp_ws.campaign_report("Spring launch", draws=200)
    assert [o.orders for o in rep.creators] == [3, 2]  # every order is still the creator's
    got = {
        (r.source.split("@")[-1], r.metric): (r.successes, r.trials)
        for r in camp_ws.learned_rates()
        if r.metric in ("conversion_rate", "code_rate")
    }
    assert got == {
        ("anna.fit", "conversion_rate"): (1, 2),  # was (2, 2): code orders capped at clicks
        ("anna.fit", "code_rate"): (2, 1000),
        ("bigstar", "code_rate"): (2, 1000),
    }
