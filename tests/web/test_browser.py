"""The issue's scenarios in a real browser: Playwright drives Debian's Chromium against a real
`creatormix serve` on the demo workspace. A failing scenario leaves a screenshot of its page
under the test's tmp dir."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.conftest import ADMIN, BOARD_CAMPAIGN, MEMBER, PASSWORD, RESULTS_CAMPAIGN, WebServer

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 90_000  # a loaded 2-core CI machine


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (scripts/ensure/chromium installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(
    browser: object, web: WebServer, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)  # type: ignore[attr-defined]
    context.set_default_timeout(TIMEOUT_MS)
    pg = context.new_page()
    yield pg
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        pg.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
        (tmp_path / "failure.html").write_text(pg.content())
    context.close()


def login(pg: object, web: WebServer, email: str = MEMBER) -> None:
    pg.goto(web.url + "/login")  # type: ignore[attr-defined]
    pg.fill("input[name=email]", email)  # type: ignore[attr-defined]
    pg.fill("input[name=password]", PASSWORD)  # type: ignore[attr-defined]
    pg.click("button[type=submit]")  # type: ignore[attr-defined]
    pg.wait_for_url(re.compile(r".*/catalog.*"))  # type: ignore[attr-defined]


def test_log_in(page: object, web: WebServer) -> None:
    page.goto(web.url + "/plans")  # type: ignore[attr-defined]
    assert "/login?next=/plans" in page.url  # type: ignore[attr-defined]
    page.fill("input[name=email]", MEMBER)  # type: ignore[attr-defined]
    page.fill("input[name=password]", "not the password")  # type: ignore[attr-defined]
    page.click("button[type=submit]")  # type: ignore[attr-defined]
    assert "wrong email or password" in page.inner_text("p.error")  # type: ignore[attr-defined]
    page.fill("input[name=password]", PASSWORD)  # type: ignore[attr-defined]
    page.click("button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r".*/plans$"))  # type: ignore[attr-defined]
    assert MEMBER in page.inner_text("header")  # type: ignore[attr-defined]


def test_search_the_catalog_with_two_filters_and_open_a_creator(
    page: object, web: WebServer
) -> None:
    login(page, web)
    page.check("input[name=tier][value=micro]")  # type: ignore[attr-defined]
    page.fill("input[name=min_followers]", "20k")  # type: ignore[attr-defined]
    page.click("#filters button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r".*tier=micro.*min_followers=20k.*"))  # type: ignore[attr-defined]
    rows = page.locator("#creators tbody tr")  # type: ignore[attr-defined]
    assert rows.count() > 0
    tiers = page.locator("#creators tbody tr td:nth-child(4)").all_inner_texts()  # type: ignore[attr-defined]
    assert set(tiers) == {"micro"}
    followers = page.locator("#creators tbody tr td:nth-child(5)").all_inner_texts()  # type: ignore[attr-defined]
    assert all(float(f.rstrip("k")) >= 20 for f in followers), followers
    handle = rows.first.locator("a").inner_text()
    rows.first.locator("a").click()
    page.wait_for_selector("#creator-handle")  # type: ignore[attr-defined]
    assert page.inner_text("#creator-handle").startswith(handle)  # type: ignore[attr-defined]
    assert page.locator("#authenticity-reasons li").count() > 0  # type: ignore[attr-defined]
    page.wait_for_selector(".chart .main-svg")  # type: ignore[attr-defined]  # Plotly drew an SVG


def test_upload_a_creators_file_with_bad_rows_and_download_its_rejects(
    page: object, web: WebServer, tmp_path: Path
) -> None:
    upload = tmp_path / "new_creators.csv"
    upload.write_text(
        "handle,platform,followers,country\n"
        "browser_new_one,instagram,12000,FR\n"
        "browser_new_two,instagram,not-a-number,FR\n"
        "browser_new_three,instagram,45000,BE\n"
        "browser_new_four,instagram,-5,BE\n"
    )
    login(page, web)
    page.goto(web.url + "/imports")  # type: ignore[attr-defined]
    page.select_option("select[name=kind]", "creators")  # type: ignore[attr-defined]
    page.set_input_files("input[name=file]", str(upload))  # type: ignore[attr-defined]
    page.click("#upload button[type=submit]")  # type: ignore[attr-defined]
    summary = page.wait_for_selector("#import-summary")  # type: ignore[attr-defined]
    text = summary.inner_text()
    assert re.search(r"2 accepted, .*2 rejected of 4 records", text), text
    with page.expect_download() as got:  # type: ignore[attr-defined]
        page.click("#rejects-link")  # type: ignore[attr-defined]
    rejects = Path(got.value.path()).read_text()
    assert "not-a-number" in rejects and rejects.count("\n") == 3  # header and two rows
    # a display and an exact column of one name: the page says which it loaded, as the terminal does
    paired = tmp_path / "paired.csv"
    paired.write_text("name,platform,followers,followers\nbrowser_pair,instagram,17.8K,17899\n")
    page.goto(web.url + "/imports")  # type: ignore[attr-defined]
    page.select_option("select[name=kind]", "creators")  # type: ignore[attr-defined]
    page.set_input_files("input[name=file]", str(paired))  # type: ignore[attr-defined]
    page.click("#upload button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("#import-inferences li.inferred")  # type: ignore[attr-defined]
    lines = page.locator("#import-inferences li.inferred").all_inner_texts()  # type: ignore[attr-defined]
    assert any(line.endswith("loaded the exact one (followers#2)") for line in lines), lines


def test_build_a_plan_and_see_the_frontier_chart(page: object, web: WebServer) -> None:
    login(page, web)
    page.goto(web.url + "/plans/new")  # type: ignore[attr-defined]
    page.fill("input[name=budget]", "not money")  # type: ignore[attr-defined]
    page.click("#make-plan")  # type: ignore[attr-defined]
    error = page.wait_for_selector("#field-error")  # type: ignore[attr-defined]
    assert error.get_attribute("data-field") == "budget"
    assert "not an amount (there is no number in it)" in error.inner_text()
    assert page.get_attribute("input[name=budget]", "aria-invalid") == "true"  # type: ignore[attr-defined]
    page.fill("input[name=name]", "Browser plan")  # type: ignore[attr-defined]
    page.fill("input[name=budget]", "6k")  # type: ignore[attr-defined]
    page.fill("input[name=time_limit]", "10")  # type: ignore[attr-defined]
    page.fill("input[name=scenarios]", "500")  # type: ignore[attr-defined]
    page.click("#make-plan")  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r".*/plans/\d+$"))  # type: ignore[attr-defined]
    assert "Browser plan" in page.inner_text("h1")  # type: ignore[attr-defined]
    assert page.locator("#picks tbody tr").count() > 0  # type: ignore[attr-defined]
    assert page.inner_text("#frontier-answer").strip()  # type: ignore[attr-defined]
    page.wait_for_selector("#frontier-chart svg.main-svg")  # type: ignore[attr-defined]
    assert page.locator("#frontier-chart .scatterlayer .trace").count() >= 2  # type: ignore[attr-defined]
    plan_url = page.url  # type: ignore[attr-defined]
    page.goto(web.url + "/plans")  # type: ignore[attr-defined]
    page.click(f"a[href='{plan_url.removeprefix(web.url)}']")  # type: ignore[attr-defined]
    page.wait_for_selector("#frontier-chart svg.main-svg")  # type: ignore[attr-defined]  # reopened, not re-run


def test_move_a_deal_across_three_stages(page: object, web: WebServer) -> None:
    login(page, web)
    page.goto(web.url + "/campaigns")  # type: ignore[attr-defined]
    page.click(f"text={BOARD_CAMPAIGN}")  # type: ignore[attr-defined]
    card = page.locator("#lane-shortlisted .card").first  # type: ignore[attr-defined]
    creator = card.get_attribute("data-creator")
    for stage, note in (
        ("contacted", "DM sent"),
        ("negotiating", "asked for rates"),
        ("agreed", "400 for one reel"),
    ):
        moving = page.locator(f".card[data-creator='{creator}']")  # type: ignore[attr-defined]
        moving.locator("select[name=stage]").select_option(stage)
        moving.locator("input[name=note]").fill(note)
        moving.locator("button[type=submit]").click()
        page.wait_for_selector(f"#lane-{stage} .card[data-creator='{creator}']")  # type: ignore[attr-defined]
    events = page.locator("#events tbody tr").all_inner_texts()  # type: ignore[attr-defined]
    mine = [e for e in events if MEMBER in e]
    assert [m.split("\t")[-1] for m in mine[:3]] == [
        "agreed: 400 for one reel",
        "negotiating: asked for rates",
        "contacted: DM sent",
    ]
    code = page.locator(f".card[data-creator='{creator}'] code").inner_text()  # type: ignore[attr-defined]
    assert code and page.locator("#links").inner_text().count(code) == 1  # type: ignore[attr-defined]


def test_open_the_results_of_a_campaign_whose_orders_were_imported(
    page: object, web: WebServer
) -> None:
    login(page, web, ADMIN)
    page.goto(web.url + "/campaigns")  # type: ignore[attr-defined]
    page.click(f"#campaigns a:text('{RESULTS_CAMPAIGN}')")  # type: ignore[attr-defined]
    page.click("main p.hint a[href$='/results']")  # type: ignore[attr-defined]
    summary = page.wait_for_selector("#report-summary")  # type: ignore[attr-defined]
    assert re.search(r"[1-9]\d* order\(s\)", summary.inner_text()), summary.inner_text()
    assert "By creator" in page.inner_text("main")  # type: ignore[attr-defined]
    page.wait_for_selector(".chart svg.main-svg")  # type: ignore[attr-defined]


def test_log_out_and_be_refused(page: object, web: WebServer) -> None:
    login(page, web)
    page.click("#logout")  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r".*/login$"))  # type: ignore[attr-defined]
    page.goto(web.url + "/catalog")  # type: ignore[attr-defined]
    assert "/login?next=/catalog" in page.url  # type: ignore[attr-defined]
    response = page.request.get(web.url + "/api/v1/me")  # type: ignore[attr-defined]
    assert response.status == 401
