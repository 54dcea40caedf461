"""How listings order creators when the sort key alone cannot: currencies, and keys nobody has."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import run


def test_prices_in_two_currencies_sort_within_each_and_the_listing_says_so(
    tmp_path: Path,
) -> None:
    export = tmp_path / "rates.csv"
    export.write_text(
        "handle,followers,price\nann,10k,€900\nbo,12k,$500\ncy,15k,€300\ndee,20k,$2000\n"
        "eve,30k,€100\nfay,40k,\n"
    )
    db = tmp_path / "ws.duckdb"
    run("import", "creators", str(export), "-p", "ig", db=db)
    data = json.loads(run("creators", "list", "--sort", "price", "--json", db=db))
    # 2000 USD is not "more" than 900 EUR; without an exchange rate each currency is its own order
    order = [(c["currency"], c["price_per_post"]) for c in data["creators"]]
    assert order == [
        ("EUR", 900),
        ("EUR", 300),
        ("EUR", 100),
        ("USD", 2000),
        ("USD", 500),
        (None, None),
    ]
    assert data["notes"] == [
        "prices are in 2 currencies, EUR (3), USD (2): sorted by price within each currency, "
        "in that order, since no exchange rate converts them"
    ]
    shown = run("creators", "list", "--sort", "price", db=db)
    assert "note: prices are in 2 currencies, EUR (3), USD (2)" in shown
    one = json.loads(
        run("creators", "list", "--sort", "price", "--max-followers", "10k", "--json", db=db)
    )
    assert one["notes"] == []


def test_sorting_by_a_field_no_listed_creator_has_says_the_list_is_by_handle(
    tmp_path: Path,
) -> None:
    export = tmp_path / "plain.csv"
    export.write_text("handle,followers\nbo,12k\nann,10k\ncy,15k\n")
    db = tmp_path / "ws.duckdb"
    run("import", "creators", str(export), "-p", "ig", db=db)
    for key, label in (("price", "price"), ("growth", "30-day growth")):
        out = run("creators", "list", "--sort", key, "--asc", db=db)
        assert f"note: none of the 3 matching creator(s) has a {label}; listed by handle" in out
        data = json.loads(run("creators", "list", "--sort", key, "--asc", "--json", db=db))
        assert [c["handle"] for c in data["creators"]] == ["ann", "bo", "cy"]
    followers = json.loads(run("creators", "list", "--json", db=db))
    assert followers["notes"] == []
