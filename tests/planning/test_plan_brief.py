"""Briefs: values as people write them, and one clear line naming the key when something is wrong."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from creatormix.domain.plan import DealType, Goal
from creatormix.errors import InvalidOption
from creatormix.planning.brief import load_toml, merge, parse_brief

ROOT = Path(__file__).resolve().parents[2]


def test_values_are_read_the_way_people_write_them() -> None:
    b = parse_brief(
        {
            "goal": "engagement",
            "budget": "20k",
            "currency": "eur",
            "target": {"ship_to": "France, BE", "ages": "18-34", "languages": ["French"]},
            "deals": {"types": "paid,gifted", "product_cost": "25", "format": "reel"},
            "constraints": {
                "tier_share": {"micro": ">=30%", "macro": "<=40%", "mid": "10%-50%"},
                "country_caps": {"FR": 5, "Belgium": "40%"},
                "budget_margin": "5%",
            },
            "fx": {"usd": 0.92},
        }
    )
    assert (b.goal, b.budget, b.currency) == (Goal.ENGAGEMENT, 20000.0, "EUR")
    assert b.target.ship_to == ("FR", "BE") and b.target.ages == (18, 34)
    assert b.target.languages == ("fr",)
    assert b.deal_types == (DealType.PAID, DealType.GIFTED) and b.format.value == "video"
    shares = {s.tier: (s.min, s.max) for s in b.tier_shares}
    assert shares == {"micro": (0.3, None), "macro": (None, 0.4), "mid": (0.1, 0.5)}
    caps = {c.key: (c.max_creators, c.max_share) for c in b.country_caps}
    assert caps == {"FR": (5, None), "BE": (None, 0.4)}
    assert b.fx == {"USD": 0.92} and b.spendable == pytest.approx(19000)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"goal": "engagement", "budget": -5}, "budget = -5: must be greater than 0"),
        ({"goal": "fame", "budget": 100}, "goal = 'fame'"),
        ({"budget": 100}, "goal is missing"),
        (
            {"goal": "awareness", "budget": 100, "target": {"ship_to": "Atlantis"}},
            "target.ship_to = 'Atlantis': unknown country",
        ),
        ({"goal": "sales", "budget": 100}, "sales goals need sales.aov"),
        (
            {"goal": "engagement", "budget": 100, "deals": {"types": "affiliate"}},
            "paid, gifted and product-for-post",
        ),
        ({"goal": "engagement", "budget": 100, "colour": "red"}, "unknown key(s) colour"),
        ({"goal": "mix", "budget": 100}, "needs [weights]"),
        (
            {"goal": "engagement", "deals": {"budget": "20k", "types": "paid"}},
            "budget is inside [deals]; move it above the first [section]",
        ),
        (
            {"goal": "engagement", "budget": 100, "deals": {"months": 0}},
            "months = 0: must be at least 1",
        ),
        (
            {"goal": "engagement", "budget": 100, "deals": {"deliverables": 0}},
            "deliverables = 0: must be at least 1",
        ),
        ({"goal": "engagement", "budget": 100, "currency": "XYZ"}, "not an ISO 4217 currency"),
        (
            {"goal": "engagement", "budget": 100, "fx": {"ABC": 1.1}},
            "fx.ABC = 'ABC': not an ISO 4217",
        ),
        (
            {"goal": "engagement", "budget": 100, "target": {"ages": "18-200"}},
            "ages run from 13 to 120",
        ),
        (
            {"goal": "engagement", "budget": 100, "frontier": {"budget": 5}},
            "unknown key(s) in [frontier]",
        ),
    ],
)
def test_a_bad_value_names_its_key(data: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidOption, match=re.escape(message)):
        parse_brief(data, source="brief.toml")


@pytest.mark.parametrize(
    ("constraints", "names"),
    [
        ({"min_creators": 10, "max_creators": 5}, ["min_creators 10", "max_creators 5"]),
        (
            {"tier_share": {"micro": ">=60%", "mid": ">=50%"}},
            ["micro >= 60%", "mid >= 50%", "more than 100%"],
        ),
        (
            {"tier_share": {"micro": {"min": 0.7, "max": 0.5}}},
            ["micro share at least 70%", "at most 50%"],
        ),
        ({"must_include": "@anna", "exclude": "anna"}, ["@anna", "must_include and in exclude"]),
        ({"must_include": "a,b,c", "max_creators": 2}, ["3 must_include", "max_creators 2"]),
    ],
)
def test_impossible_constraints_say_which_ones_conflict(
    constraints: dict[str, object], names: list[str]
) -> None:
    with pytest.raises(InvalidOption, match="constraints conflict") as err:
        parse_brief({"goal": "engagement", "budget": 1000, "constraints": constraints})
    for name in names:
        assert name in str(err.value)


def test_flags_override_the_brief_file() -> None:
    base = load_toml(str(ROOT / "examples" / "brief.toml"))
    data = merge(
        base, {"budget": "5k", "constraints.tier_share.micro": ">=50%", "target.ship_to": ["DE"]}
    )
    b = parse_brief(data)
    assert b.budget == 5000 and b.target.ship_to == ("DE",)
    assert {s.tier: s.min for s in b.tier_shares}["micro"] == 0.5


def test_the_example_brief_is_valid() -> None:
    b = parse_brief(load_toml(str(ROOT / "examples" / "brief.toml")), "examples/brief.toml")
    assert b.name and b.goal is Goal.ENGAGEMENT


def test_a_broken_toml_file_names_the_file(tmp_path: Path) -> None:
    f = tmp_path / "b.toml"
    f.write_text("goal = \n")
    with pytest.raises(InvalidOption, match=r"b\.toml: not valid TOML"):
        load_toml(str(f))


def test_a_gift_without_a_product_cost_uses_a_stated_default() -> None:
    b = parse_brief({"goal": "awareness", "budget": 5000, "deals": {"types": "paid,gifted"}})
    assert b.product_cost == 30.0 and b.product_cost_assumed
    b = parse_brief(
        {"goal": "awareness", "budget": 5000, "deals": {"types": "gifted", "product_cost": 12}}
    )
    assert b.product_cost == 12 and not b.product_cost_assumed


@pytest.mark.parametrize(
    ("budget", "message"),
    [
        ("20.000,50", "reads only with a decimal comma"),  # was read as 20 USD
        ("20,5", "reads only with a decimal comma"),
        ("20.000", "ambiguous: '.' may be a decimal point (20.000 = 20)"),
        ("1.500.000", "'.' separates thousands here (1.500.000 = 1,500,000)"),
        ("twenty", "not an amount (there is no number in it)"),
    ],
)
def test_a_budget_is_read_by_the_import_rules_and_ambiguity_is_refused(
    budget: str, message: str
) -> None:
    with pytest.raises(InvalidOption, match=re.escape(message)) as err:
        parse_brief({"goal": "engagement", "budget": budget})
    assert f"budget = {budget!r}" in str(err.value)
    if any(c.isdigit() for c in budget):
        assert "--decimal" in str(err.value)  # the fix is named


@pytest.mark.parametrize(
    ("budget", "decimal", "amount"),
    [
        ("20.000,50", ",", 20000.5),
        ("20.000", ",", 20000.0),
        ("20.000", ".", 20.0),
        ("20,000.50", None, 20000.5),
        ("20,000", None, 20000.0),
        ("20.5k", None, 20500.0),
        ("1.2e4", None, 12000.0),
        ("20 000", None, 20000.0),
    ],
)
def test_a_stated_decimal_separator_reads_what_it_says(
    budget: str, decimal: str | None, amount: float
) -> None:
    data: dict[str, object] = {"goal": "engagement", "budget": budget}
    if decimal:
        data["decimal"] = decimal
    assert parse_brief(data).budget == pytest.approx(amount)


def test_a_currency_symbol_sets_the_currency_or_must_agree_with_it() -> None:
    b = parse_brief({"goal": "engagement", "budget": "€20k"})
    assert (b.budget, b.currency) == (20000.0, "EUR")  # was 20,000 USD
    assert parse_brief({"goal": "engagement", "budget": "20000 GBP"}).currency == "GBP"
    assert (
        parse_brief({"goal": "engagement", "budget": "€20k", "currency": "EUR"}).currency == "EUR"
    )
    assert (
        parse_brief({"goal": "engagement", "budget": "$20k", "currency": "CAD"}).currency == "CAD"
    )
    with pytest.raises(InvalidOption, match=re.escape("in EUR but the plan's currency is USD")):
        parse_brief({"goal": "engagement", "budget": "€20k", "currency": "USD"})
    # later amounts agree with the currency the budget set
    with pytest.raises(InvalidOption, match=re.escape("(from budget = '€20k')")):
        parse_brief(
            {"goal": "sales", "budget": "€20k", "sales": {"aov": "$45"}},
        )
    ok = parse_brief({"goal": "sales", "budget": "€20k", "sales": {"aov": "45 €"}})
    assert (ok.aov, ok.currency) == (45.0, "EUR")
    with pytest.raises(InvalidOption, match="a currency symbol belongs on an amount"):
        parse_brief({"goal": "engagement", "budget": 100, "scenarios": "$2000"})


def test_the_plan_command_reads_its_budget_like_a_brief(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from creatormix.cli.app import app

    db = tmp_path / "w.duckdb"
    runner = CliRunner()
    assert runner.invoke(app, ["init", str(db)]).exit_code == 0
    args = ["--db", str(db), "plan", "--goal", "engagement", "--budget", "20.000,50"]
    result = runner.invoke(app, args, env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code != 0 and "reads only with a decimal comma" in result.output
    assert "--decimal ','" in result.output

    # a valid budget on an empty catalog: one line, not a traceback
    args = ["--db", str(db), "plan", "--goal", "engagement", "--budget", "20k"]
    result = runner.invoke(app, args, env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 2 and "the workspace's catalog is empty" in result.output
