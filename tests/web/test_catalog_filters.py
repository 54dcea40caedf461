"""The catalog's filters mean the same on the page, in its CSV export and in the REST API, over
a real server: one definition of them (web/pages/catalog.py), read the way the CLI reads them."""

from __future__ import annotations

import csv
import io

import pytest

from tests.web.conftest import VIEWER, WebServer

FILTERS = {"platform": "instagram", "tier": "micro", "min_followers": "20k", "sort": "er"}


def _api(web: WebServer, **params: str) -> dict:
    r = web.session(VIEWER).get(web.url + "/api/v1/catalog", params=params, timeout=120)
    assert r.status_code == 200, r.text[:300]
    return r.json()  # type: ignore[no-any-return]


def test_the_api_the_page_and_the_csv_apply_the_same_filters(web: WebServer) -> None:
    data = _api(web, **FILTERS, per_page="25")
    rows = data["creators"]
    assert rows and data["total"] > len(rows)
    assert all(r["platform"] == "instagram" and r["tier"] == "micro" for r in rows)
    assert all(r["followers"] >= 20_000 for r in rows)
    rates = [r["engagement_rate"]["shrunk"] for r in rows]
    assert rates == sorted(rates, reverse=True)  # sort=er, descending by default
    ascending = _api(web, **FILTERS, order="asc", per_page="25")["creators"]
    up = [r["engagement_rate"]["shrunk"] for r in ascending]
    assert up == sorted(up) and up[0] <= rates[-1]

    page = web.session(VIEWER).get(web.url + "/catalog", params=FILTERS, timeout=120)
    assert page.status_code == 200
    assert f"@{rows[0]['handle']}" in page.text

    export = web.session(VIEWER).get(web.url + "/catalog.csv", params=FILTERS, timeout=120)
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    lines = list(csv.DictReader(io.StringIO(export.text)))
    assert len(lines) == data["total"]  # every match, not one page


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"order": "up"}, "order"),
        ({"tier": "giant"}, "tier"),
        ({"min_followers": "lots"}, "min_followers"),
    ],
)
def test_a_bad_filter_is_one_clear_error_on_the_page_and_in_the_api(
    web: WebServer, params: dict[str, str], field: str
) -> None:
    value = next(iter(params.values()))
    r = web.session(VIEWER).get(web.url + "/api/v1/catalog", params=params, timeout=120)
    assert r.status_code in (400, 422), r.text[:300]
    error = r.json()["error"]
    assert value in error["message"], error
    page = web.session(VIEWER).get(web.url + "/catalog", params=params, timeout=120)
    assert page.status_code == 400 and value in page.text
    assert f'role="alert" data-field="{field}"' in page.text
