"""Reading a brief from TOML (or command-line flags laid out the same way) into a validated ``Brief``.

Every value may be written the way people write it, read by the import's rules
(``ingest.values``): budgets as ``20000``, ``"20k"``, ``"20,000"`` or ``"€20k"`` (a currency
marker sets the brief's currency, or must agree with it); rates as ``0.3`` or ``"30%"``; lists as
arrays or ``"FR,BE"``; countries as codes or names. As in imports, a decimal comma or a grouping
dot (``"20.000,50"``, ``"20.000"``) is refused unless ``decimal`` says which separator is meant. Anything wrong stops with one line naming the key, the value and the reason. The layout
is documented in docs/planning.md and examples/brief.toml.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from creatormix.domain.brief import (
    Brief,
    Cap,
    Format,
    ReachObjective,
    SalesObjective,
    Target,
    TierShare,
)
from creatormix.domain.plan import DealType, Goal
from creatormix.errors import InvalidOption
from creatormix.planning.costs import PLANNABLE_DEALS
from creatormix.planning.outcomes import METRICS

TIERS = ("nano", "micro", "mid", "macro", "mega")
# The value of a gift when the brief does not say (an assumption the plan notes; --product-cost).
DEFAULT_PRODUCT_COST = 30.0
_SECTIONS = {
    "name",
    "goal",
    "reach",
    "budget",
    "currency",
    "decimal",
    "seed",
    "scenarios",
    "fx",
    "target",
    "niche",
    "platforms",
    "tiers",
    "min_followers",
    "max_followers",
    "min_fit",
    "min_authenticity",
    "deals",
    "sales",
    "constraints",
    "uncertainty",
    "weights",
    "frontier",
}
_GOAL_ALIASES = {
    "awareness": Goal.AWARENESS,
    "reach": Goal.AWARENESS,
    "engagement": Goal.ENGAGEMENT,
    "engagements": Goal.ENGAGEMENT,
    "sales": Goal.SALES,
    "revenue": Goal.SALES,
    "profit": Goal.SALES,
    "content": Goal.CONTENT,
    "ugc": Goal.CONTENT,
    "giveaway": Goal.GIVEAWAY,
    "followers": Goal.GIVEAWAY,
    "mix": Goal.MIX,
}
_METRIC_ALIASES = {
    "reach": "reach",
    "awareness": "reach",
    "engagement": "engagements",
    "engagements": "engagements",
    "clicks": "clicks",
    "conversions": "conversions",
    "orders": "conversions",
    "revenue": "revenue",
    "sales": "revenue",
    "content": "content",
    "followers": "followers_gained",
    "followers_gained": "followers_gained",
    "giveaway": "followers_gained",
}
_FORMAT_ALIASES = {
    "post": Format.POST,
    "image": Format.POST,
    "photo": Format.POST,
    "feed": Format.POST,
    "carousel": Format.CAROUSEL,
    "video": Format.VIDEO,
    "reel": Format.VIDEO,
    "reels": Format.VIDEO,
    "short": Format.VIDEO,
    "tiktok": Format.VIDEO,
    "story": Format.STORY,
    "stories": Format.STORY,
}
_GENDERS = {
    "female": "female",
    "f": "female",
    "women": "female",
    "woman": "female",
    "male": "male",
    "m": "male",
    "men": "male",
    "man": "male",
    "other": "other",
}


# The keys each section may hold (tables inside constraints hold any tier, country or niche).
_SECTION_KEYS = {
    "target": {"ship_to", "ages", "genders", "languages"},
    "deals": {
        "types",
        "deliverables",
        "months",
        "format",
        "product_cost",
        "shipping_cost",
        "outreach_hours",
        "hourly_cost",
    },
    "sales": {"aov", "margin", "objective", "min_roas"},
    "constraints": {
        "min_creators",
        "max_creators",
        "must_include",
        "exclude",
        "budget_margin",
        "tier_share",
        "country_caps",
        "niche_caps",
    },
    "uncertainty": {"target", "risk_averse", "quantile"},
    "frontier": {"budgets", "enabled"},
}


def parse_format(text: str) -> Format | None:
    """A deliverable format as people name it ("reel", "stories", "carousel"), or None."""
    return _FORMAT_ALIASES.get(str(text).strip().lower())


def _unknown_in(source: str, section: str, keys: list[str]) -> InvalidOption:
    """Unknown keys in a section; top-level keys placed after a [section] header get a hint."""
    misplaced = [k for k in keys if k in _SECTIONS and k not in _SECTION_KEYS.get(section, ())]
    hint = ""
    if misplaced:
        which = ", ".join(misplaced)
        verb = "is" if len(misplaced) == 1 else "are"
        hint = (
            f": {which} {verb} inside [{section}]; move {'it' if len(misplaced) == 1 else 'them'} "
            "above the first [section] of the file (TOML puts every key after a header inside "
            "that section)"
        )
    return InvalidOption(f"{source}: unknown key(s) in [{section}]: {', '.join(keys)}{hint}")


def _check_sections(data: Mapping[str, Any], source: str) -> None:
    """Unknown keys anywhere, before any required key is looked for: a misplaced ``budget`` must
    be reported where it is, not as missing."""
    unknown = sorted(set(data) - _SECTIONS)
    if unknown:
        raise InvalidOption(
            f"{source}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(_SECTIONS))})"
        )
    for section, allowed in _SECTION_KEYS.items():
        table = data.get(section)
        if isinstance(table, Mapping):
            extra = sorted(set(table) - allowed)
            if extra:
                raise _unknown_in(source, section, extra)


def _currency(r: _Reader, key: str, value: object) -> str:
    """An ISO 4217 currency code (pycountry's list), upper case."""
    import pycountry

    code = str(value).strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code) or pycountry.currencies.get(alpha_3=code) is None:
        raise r.fail(key, value, "not an ISO 4217 currency code (such as USD, EUR or GBP)")
    return code


# Currencies written with a "$": a "$" amount agrees with any of them (and means USD alone).
_DOLLARS = frozenset({"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN"})


class _Reader:
    """Reads a brief's values by the import's rules (``ingest.values``): the same number forms
    (``20k``, ``20,000``, ``1.2e4``), the same refusal of a decimal comma or a grouping dot when no
    ``decimal`` is stated, and currency markers only on amounts, where they must agree."""

    def __init__(self, source: str, decimal: str | None = None) -> None:
        from creatormix.ingest.values import ASSUMED_EN, Locale

        self.source = source
        self.locale = Locale(decimal) if decimal else ASSUMED_EN
        self.currency: str | None = None  # the brief's currency, once known
        self.currency_from = "currency"  # what set it (named when an amount disagrees)

    def fail(self, key: str, value: object, reason: str) -> InvalidOption:
        return InvalidOption(f"{self.source}: {key} = {value!r}: {reason}", field=key)

    def _ambiguous(self, key: str, value: object, text: str) -> None:
        """Refuse "20.000" and "1.500.000" when no decimal separator is stated: imports refuse
        "12.000" as ambiguous; a brief has no other cells to tell which separator it uses."""
        if not self.locale.assumed or not re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+", text):
            return
        whole = int(text.replace(".", ""))
        if text.count(".") > 1:
            reason = (
                f"'.' separates thousands here ({text} = {whole:,}), which the brief does not "
                f"say it does: write {whole}, or pass --decimal ','"
            )
        else:
            reason = (
                f"ambiguous: '.' may be a decimal point ({text} = {float(text):g}) or separate "
                f"thousands ({text} = {whole:,}); write {whole} or {float(text):g}, or state "
                "the separator (--decimal ',' or --decimal '.')"
            )
        raise self.fail(key, value, reason)

    def _reason(self, error: ValueError) -> str:
        """The import's reason, worded for a brief (it has no file locale, it has --decimal)."""
        reason = str(error)
        for sep, other in (("comma", ","), ("point", ".")):
            if f"decimal {sep}" in reason:
                return (
                    f"this reads only with a decimal {sep}, and the brief does not say which "
                    f"separator it uses: pass --decimal '{other}' (decimal = \"{other}\" in a "
                    "brief file), or write it with a decimal point and no grouping"
                )
        if reason.startswith("not a number"):
            return "expected a number such as 20000 or 20k"
        return reason

    def _text(self, key: str, value: str, *, money: bool = False) -> tuple[float, str | None]:
        """A number (or an amount and its currency) written as text, by the import's rules."""
        from creatormix.ingest.values import parse_float, parse_money

        text = value.strip().replace("_", "")
        digits = re.search(r"[0-9][0-9.,]*", text)
        if digits:
            self._ambiguous(key, value, digits[0].rstrip(".,"))
        try:
            parsed = (
                parse_money(text, self.locale) if money else (parse_float(text, self.locale), None)
            )
        except ValueError as exc:
            raise self.fail(key, value, self._reason(exc)) from None
        if parsed is None or parsed[0] is None:
            raise self.fail(key, value, "expected a number such as 20000 or 20k")
        return parsed[0], parsed[1]

    def number(
        self, key: str, value: object, *, minimum: float | None = 0.0, positive: bool = False
    ) -> float:
        return self._value(key, value, minimum=minimum, positive=positive, money=False)

    def money(self, key: str, value: object, *, positive: bool = False) -> float:
        """An amount, with an optional currency symbol or code (``€20k``, ``20000 EUR``): it sets
        the brief's currency when none is given, and must agree with it otherwise."""
        return self._value(key, value, minimum=0.0, positive=positive, money=True)

    def _value(
        self, key: str, value: object, *, minimum: float | None, positive: bool, money: bool
    ) -> float:
        if isinstance(value, bool):
            raise self.fail(key, value, "expected a number")
        if isinstance(value, (int, float)):
            x = float(value)
        elif isinstance(value, str):
            if not money and re.search(r"[$€£¥₹₩]", value):
                raise self.fail(key, value, "a currency symbol belongs on an amount, not here")
            x, code = self._text(key, value, money=money)
            if code:
                self._agree(key, value, code)
        else:
            raise self.fail(key, value, "expected a number")
        if positive and x <= 0:
            raise self.fail(key, value, "must be greater than 0")
        if minimum is not None and x < minimum:
            raise self.fail(key, value, f"must be at least {minimum:g}")
        return x

    def _agree(self, key: str, value: object, code: str) -> None:
        if self.currency is None:  # the first amount with a symbol sets the currency
            self.currency, self.currency_from = code, f"{key} = {value!r}"
            return
        dollar = "$" in str(value) and code == "USD"
        if self.currency == code or (dollar and self.currency in _DOLLARS):
            return
        raise self.fail(
            key,
            value,
            f"this amount is in {code} but the plan's currency is {self.currency} (from "
            f"{self.currency_from}): drop the symbol, or make the currency {code}",
        )

    def count(self, key: str, value: object) -> int:
        x = self.number(key, value)
        if x != int(x):
            raise self.fail(key, value, "expected a whole number")
        return int(x)

    def rate(self, key: str, value: object) -> float:
        if isinstance(value, str) and value.strip().endswith("%"):
            x = self.number(key, value.strip()[:-1]) / 100
        else:
            x = self.number(key, value)
            if x > 1:
                x /= 100  # "30" in a rate field means 30 %
        if not 0 <= x <= 1:
            raise self.fail(key, value, "a share lies between 0% and 100%")
        return x

    def words(self, key: str, value: object) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            return [p.strip() for p in value.split(",") if p.strip()]
        if isinstance(value, (list, tuple)):
            out: list[str] = []
            for v in value:
                out.extend(self.words(key, v) if isinstance(v, str) else [str(v)])
            return out
        raise self.fail(key, value, "expected a list or a comma-separated string")

    def flag(self, key: str, value: object) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in {"true", "yes", "1", "on"}:
            return True
        if isinstance(value, str) and value.strip().lower() in {"false", "no", "0", "off"}:
            return False
        raise self.fail(key, value, "expected true or false")

    def table(self, key: str, value: object) -> Mapping[str, Any]:
        """A TOML table, or the same written inline as ``"a=1,b=2"``."""
        if value is None:
            return {}
        if isinstance(value, str):
            out: dict[str, str] = {}
            for part in value.split(","):
                k, sep, v = part.partition("=")
                if not sep or not k.strip() or not v.strip():
                    raise self.fail(
                        key, value, "expected a table, or KEY=VALUE pairs separated by commas"
                    )
                out[k.strip()] = v.strip()
            return out
        if not isinstance(value, Mapping):
            raise self.fail(key, value, "expected a table of key = value")
        return value


def parse_brief(data: Mapping[str, Any], source: str = "brief") -> Brief:
    """A validated Brief from a TOML-shaped mapping; InvalidOption names the first bad key."""
    from creatormix.domain.geo import country_code, language_code
    from creatormix.domain.platform import Platform

    _check_sections(data, source)
    decimal = data.get("decimal")
    if decimal is not None and str(decimal) not in {".", ","}:
        raise InvalidOption(f"{source}: decimal = {decimal!r}: the decimal separator is '.' or ','")
    r = _Reader(source, str(decimal) if decimal is not None else None)
    raw_goal = str(data.get("goal", "")).strip().lower()
    if not raw_goal:
        raise InvalidOption(
            f"{source}: goal is missing (awareness, engagement, sales, content, giveaway or mix)",
            field="goal",
        )
    if raw_goal not in _GOAL_ALIASES:
        raise r.fail(
            "goal", data["goal"], "choose awareness, engagement, sales, content, giveaway or mix"
        )
    goal = _GOAL_ALIASES[raw_goal]
    reach = _reach_objective(r, data.get("reach"))
    if "budget" not in data:
        raise InvalidOption(f"{source}: budget is missing", field="budget")
    if data.get("currency") is not None:
        r.currency = _currency(r, "currency", data["currency"])
    budget = r.money("budget", data["budget"], positive=True)
    currency = r.currency or "USD"
    r.currency = currency
    fx = {}
    for key, rate in r.table("fx", data.get("fx")).items():
        fx_code = _currency(r, f"fx.{key}", key)
        fx[fx_code] = r.number(f"fx.{key}", rate, positive=True)

    tgt = r.table("target", data.get("target"))
    ship = []
    for c in r.words("target.ship_to", tgt.get("ship_to")):
        code = country_code(c)
        if code is None:
            raise r.fail(
                "target.ship_to", c, "unknown country (use an ISO code such as FR or a name)"
            )
        ship.append(code)
    ages = _ages(r, tgt.get("ages"))
    genders = []
    for g in r.words("target.genders", tgt.get("genders")):
        if g.lower() not in _GENDERS:
            raise r.fail("target.genders", g, "choose female, male or other")
        genders.append(_GENDERS[g.lower()])
    langs = []
    for lang in r.words("target.languages", tgt.get("languages")):
        lang_code = language_code(lang)
        if lang_code is None:
            raise r.fail(
                "target.languages", lang, "unknown language (use an ISO 639-1 code such as fr)"
            )
        langs.append(lang_code)
    unknown_t = sorted(set(tgt) - _SECTION_KEYS["target"])
    if unknown_t:
        raise _unknown_in(source, "target", unknown_t)
    target = Target(
        tuple(dict.fromkeys(ship)), ages, tuple(dict.fromkeys(genders)), tuple(dict.fromkeys(langs))
    )

    platforms = []
    for p in r.words("platforms", data.get("platforms")):
        try:
            platforms.append(Platform.parse(p).value)
        except ValueError as exc:
            raise r.fail("platforms", p, str(exc)) from None
    tiers = [x.lower() for x in r.words("tiers", data.get("tiers"))]
    for x in tiers:
        if x not in TIERS:
            raise r.fail("tiers", x, f"choose {', '.join(TIERS)}")

    deals = r.table("deals", data.get("deals"))
    unknown_d = sorted(set(deals) - _SECTION_KEYS["deals"])
    if unknown_d:
        raise _unknown_in(source, "deals", unknown_d)
    deal_types = []
    for x in r.words("deals.types", deals.get("types", "paid")):
        try:
            deal = DealType(x.strip().lower())
        except ValueError:
            raise r.fail("deals.types", x, "choose paid, gifted or product-for-post") from None
        if deal not in PLANNABLE_DEALS:
            raise r.fail(
                "deals.types",
                x,
                "the planner chooses among paid, gifted and product-for-post; agree "
                "affiliate or mixed terms per deal in a campaign",
            )
        deal_types.append(deal)
    if not deal_types:
        raise r.fail("deals.types", deals.get("types"), "name at least one deal type")
    product_cost = (
        r.money("deals.product_cost", deals["product_cost"]) if "product_cost" in deals else None
    )
    product_assumed = False
    if any(x is not DealType.PAID for x in deal_types) and product_cost is None:
        product_cost, product_assumed = DEFAULT_PRODUCT_COST, True
    fmt_raw = str(deals.get("format", "post")).strip().lower()
    if fmt_raw not in _FORMAT_ALIASES:
        raise r.fail(
            "deals.format", deals.get("format"), "choose post, carousel, video (reel) or story"
        )

    sales = r.table("sales", data.get("sales"))
    unknown_s = sorted(set(sales) - _SECTION_KEYS["sales"])
    if unknown_s:
        raise _unknown_in(source, "sales", unknown_s)
    aov = r.money("sales.aov", sales["aov"], positive=True) if "aov" in sales else None
    margin = r.rate("sales.margin", sales["margin"]) if "margin" in sales else None
    objective_raw = str(
        sales.get("objective", "profit" if raw_goal == "profit" else "revenue")
    ).lower()
    try:
        objective = SalesObjective(objective_raw)
    except ValueError:
        raise r.fail("sales.objective", objective_raw, "choose revenue or profit") from None
    min_roas = r.number("sales.min_roas", sales["min_roas"]) if "min_roas" in sales else None

    weights: dict[str, float] = {}
    for key, w in r.table("weights", data.get("weights")).items():
        metric = _METRIC_ALIASES.get(str(key).lower())
        if metric is None:
            raise r.fail(f"weights.{key}", w, f"unknown metric (choose {', '.join(METRICS)})")
        weights[metric] = weights.get(metric, 0.0) + r.number(f"weights.{key}", w)

    needs_revenue = goal is Goal.SALES or weights.get("revenue", 0) > 0 or min_roas is not None
    if needs_revenue and aov is None:
        raise InvalidOption(
            f"{source}: sales goals need sales.aov, the average order value (--aov)",
            field="sales.aov",
        )
    if goal is Goal.SALES and objective is SalesObjective.PROFIT and margin is None:
        raise InvalidOption(
            f"{source}: a profit objective needs sales.margin (--margin)", field="sales.margin"
        )
    if goal is Goal.MIX and not any(v > 0 for v in weights.values()):
        raise InvalidOption(
            f"{source}: goal = mix needs [weights], e.g. engagement = 0.6, reach = 0.4 (--weights)",
            field="weights",
        )
    if goal is not Goal.MIX and weights:
        raise InvalidOption(f"{source}: [weights] only apply to goal = mix (goal is {goal.value})")

    cons = r.table("constraints", data.get("constraints"))
    unknown_c = sorted(set(cons) - _SECTION_KEYS["constraints"])
    if unknown_c:
        raise _unknown_in(source, "constraints", unknown_c)
    min_c = (
        r.count("constraints.min_creators", cons["min_creators"])
        if "min_creators" in cons
        else None
    )
    max_c = (
        r.count("constraints.max_creators", cons["max_creators"])
        if "max_creators" in cons
        else None
    )
    if min_c is not None and max_c is not None and min_c > max_c:
        raise InvalidOption(
            f"{source}: constraints conflict: min_creators {min_c} is more than max_creators {max_c}",
            field="constraints.min_creators",
        )
    if max_c == 0:
        raise r.fail("constraints.max_creators", 0, "a plan needs at least one creator")
    shares = []
    for key, spec in r.table("constraints.tier_share", cons.get("tier_share")).items():
        parts = [t.strip().lower() for t in str(key).split("+")]
        for t in parts:
            if t not in TIERS:
                raise r.fail(
                    f"constraints.tier_share.{key}",
                    spec,
                    f"unknown tier {t!r} (choose {', '.join(TIERS)}, or several joined by +)",
                )
        if len(set(parts)) < len(parts):
            raise r.fail(f"constraints.tier_share.{key}", spec, "a tier is named twice")
        tier = "+".join(t for t in TIERS if t in parts)  # one spelling: nano+micro
        lo, hi = _share_bounds(r, f"constraints.tier_share.{key}", spec)
        if lo is not None and hi is not None and lo > hi:
            raise InvalidOption(
                f"{source}: constraints conflict: {tier} share at least {lo:.0%} but at most {hi:.0%}"
            )
        shares.append(TierShare(tier, lo, hi))
    # The sums below are conflicts only between groups with no tier in common.
    disjoint = len({t for s_ in shares for t in s_.tiers}) == sum(len(s_.tiers) for s_ in shares)
    mins = [(s_.tier, s_.min) for s_ in shares if s_.min]
    if disjoint and sum(m for _, m in mins) > 1 + 1e-9:
        parts_ = " + ".join(f"{t} >= {m:.0%}" for t, m in mins)
        raise InvalidOption(
            f"{source}: constraints conflict: tier shares {parts_} add up to more than 100%"
        )
    maxes = {s_.tier: s_.max for s_ in shares if s_.max is not None}
    capped = {t for s_ in shares if s_.max is not None for t in s_.tiers}
    allowed = set(tiers) if tiers else set(TIERS)
    if disjoint and allowed <= capped and sum(maxes.values()) < 1 - 1e-9:
        parts_ = " + ".join(f"{t} <= {m:.0%}" for t, m in maxes.items())
        raise InvalidOption(
            f"{source}: constraints conflict: tier shares {parts_} cover less than 100% of the spend"
        )
    for s_ in shares:
        if s_.min and tiers and not set(s_.tiers) & set(tiers):
            raise InvalidOption(
                f"{source}: constraints conflict: tier_share {s_.tier} >= {s_.min:.0%} but tiers "
                f"= {', '.join(tiers)} leaves {s_.tier} out"
            )
    country_caps = []
    for key, spec in r.table("constraints.country_caps", cons.get("country_caps")).items():
        cap_code = country_code(str(key))
        if cap_code is None:
            raise r.fail(f"constraints.country_caps.{key}", spec, "unknown country")
        country_caps.append(_cap(r, f"constraints.country_caps.{key}", cap_code, spec))
    niche_caps = [
        _cap(r, f"constraints.niche_caps.{key}", str(key).lower(), spec)
        for key, spec in r.table("constraints.niche_caps", cons.get("niche_caps")).items()
    ]
    must = r.words("constraints.must_include", cons.get("must_include"))
    exclude = r.words("constraints.exclude", cons.get("exclude"))
    both = {m.lower().lstrip("@") for m in must} & {e.lower().lstrip("@") for e in exclude}
    if both:
        raise InvalidOption(
            f"{source}: constraints conflict: {', '.join('@' + b for b in sorted(both))} is both "
            "in must_include and in exclude"
        )
    if max_c is not None and len(must) > max_c:
        raise InvalidOption(
            f"{source}: constraints conflict: {len(must)} must_include creators but max_creators {max_c}",
            field="constraints.must_include",
        )
    margin_b = (
        r.rate("constraints.budget_margin", cons["budget_margin"])
        if "budget_margin" in cons
        else 0.0
    )
    if margin_b >= 1:
        raise r.fail(
            "constraints.budget_margin", cons["budget_margin"], "the margin must leave some budget"
        )

    unc = r.table("uncertainty", data.get("uncertainty"))
    unknown_u = sorted(set(unc) - _SECTION_KEYS["uncertainty"])
    if unknown_u:
        raise _unknown_in(source, "uncertainty", unknown_u)
    quantile = r.rate("uncertainty.quantile", unc["quantile"]) if "quantile" in unc else 0.1
    if not 0.01 <= quantile <= 0.5:
        raise r.fail(
            "uncertainty.quantile", unc.get("quantile"), "use a low quantile between 1% and 50%"
        )
    front = r.table("frontier", data.get("frontier"))
    unknown_f = sorted(set(front) - _SECTION_KEYS["frontier"])
    if unknown_f:
        raise _unknown_in(source, "frontier", unknown_f)
    budgets = tuple(
        sorted(
            {
                r.money("frontier.budgets", b, positive=True)
                for b in r.words("frontier.budgets", front.get("budgets"))
            }
        )
    )
    scenarios = r.count("scenarios", data["scenarios"]) if "scenarios" in data else 4000
    if not 200 <= scenarios <= 200_000:
        raise r.fail("scenarios", scenarios, "use between 200 and 200,000 scenarios")

    return Brief(
        goal=goal,
        budget=budget,
        currency=currency,
        name=str(data["name"]) if data.get("name") else None,
        weights=weights,
        sales_objective=objective,
        reach=reach,
        aov=aov,
        margin=margin,
        min_roas=min_roas,
        target=target,
        niche=tuple(r.words("niche", data.get("niche"))),
        platforms=tuple(dict.fromkeys(platforms)),
        tiers=tuple(dict.fromkeys(tiers)),
        min_followers=r.count("min_followers", data["min_followers"])
        if "min_followers" in data
        else None,
        max_followers=r.count("max_followers", data["max_followers"])
        if "max_followers" in data
        else None,
        min_fit=r.rate("min_fit", data["min_fit"]) if "min_fit" in data else 0.0,
        min_authenticity=r.rate("min_authenticity", data["min_authenticity"])
        if "min_authenticity" in data
        else 0.0,
        deal_types=tuple(dict.fromkeys(deal_types)),
        deliverables=_at_least_one(r, "deals.deliverables", deals.get("deliverables", 1)),
        months=_at_least_one(r, "deals.months", deals.get("months", 1)),
        format=_FORMAT_ALIASES[fmt_raw],
        product_cost=product_cost,
        product_cost_assumed=product_assumed,
        shipping_cost=r.money("deals.shipping_cost", deals.get("shipping_cost", 0)),
        outreach_hours=r.number("deals.outreach_hours", deals.get("outreach_hours", 2.0)),
        hourly_cost=r.money("deals.hourly_cost", deals.get("hourly_cost", 36.0)),
        fx=fx,
        min_creators=min_c,
        max_creators=max_c,
        tier_shares=tuple(shares),
        must_include=tuple(must),
        exclude=tuple(exclude),
        country_caps=tuple(country_caps),
        niche_caps=tuple(niche_caps),
        budget_margin=margin_b,
        target_value=r.money("uncertainty.target", unc["target"], positive=True)
        if "target" in unc
        else None,
        risk_averse=r.flag("uncertainty.risk_averse", unc.get("risk_averse", False)),
        risk_quantile=quantile,
        scenarios=scenarios,
        seed=r.count("seed", data.get("seed", 0)),
        frontier_budgets=budgets,
        frontier=r.flag("frontier.enabled", front.get("enabled", True)),
    )


_REACH_ALIASES = {
    "audience": ReachObjective.AUDIENCE,
    "unique audience": ReachObjective.AUDIENCE,
    "followers": ReachObjective.AUDIENCE,
    "views": ReachObjective.VIEWS,
    "viewers": ReachObjective.VIEWS,
    "reach": ReachObjective.VIEWS,
}


def _reach_objective(r: _Reader, value: object) -> ReachObjective:
    if value is None:
        return ReachObjective.VIEWS
    key = str(value).strip().lower().replace("_", " ").replace("-", " ")
    if key not in _REACH_ALIASES:
        raise r.fail(
            "reach",
            value,
            "choose audience (distinct followers) or views (distinct people who see a post)",
        )
    return _REACH_ALIASES[key]


def _at_least_one(r: _Reader, key: str, value: object) -> int:
    n = r.count(key, value)
    if n < 1:
        raise r.fail(key, value, "must be at least 1")
    return n


def _ages(r: _Reader, value: object) -> tuple[int, int] | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)) and len(value) == 2:
        lo, hi = (r.count("target.ages", v) for v in value)
    elif isinstance(value, str):
        m = re.fullmatch(r"\s*(\d+)\s*[-–]\s*(\d+)\s*", value) or re.fullmatch(
            r"\s*(\d+)\s*\+\s*", value
        )
        if not m:
            raise r.fail("target.ages", value, "expected a range such as 18-34 or 35+")
        lo = int(m[1])
        hi = int(m[2]) if m.lastindex == 2 else 99
    else:
        raise r.fail("target.ages", value, "expected a range such as 18-34")
    if not 13 <= lo <= hi <= 120:
        raise r.fail("target.ages", value, "ages run from 13 to 120, low end first (such as 18-34)")
    return lo, hi


def _share_bounds(r: _Reader, key: str, spec: object) -> tuple[float | None, float | None]:
    """``{min = 0.3, max = 0.6}``, ``"30%-60%"``, ``">=30%"``, ``"<=40%"`` or a bare maximum."""
    if isinstance(spec, Mapping):
        extra = set(spec) - {"min", "max"}
        if extra:
            raise r.fail(key, spec, "use min and max")
        lo = r.rate(key + ".min", spec["min"]) if "min" in spec else None
        hi = r.rate(key + ".max", spec["max"]) if "max" in spec else None
        return lo, hi
    if isinstance(spec, str):
        text = spec.replace(" ", "")
        if text.startswith(">="):
            return r.rate(key, text[2:]), None
        if text.startswith("<="):
            return None, r.rate(key, text[2:])
        m = re.fullmatch(r"([\d.]+%?)-([\d.]+%?)", text)
        if m:
            return r.rate(key, m[1]), r.rate(key, m[2])
    return None, r.rate(key, spec)


def _cap(r: _Reader, key: str, name: str, spec: object) -> Cap:
    if isinstance(spec, str) and spec.strip().endswith("%"):
        return Cap(name, max_share=r.rate(key, spec))
    if isinstance(spec, float) and spec < 1:
        return Cap(name, max_share=spec)
    n = r.count(key, spec)
    if n < 1:
        raise r.fail(
            key, spec, "a cap of 0 creators excludes them: use exclude or a filter instead"
        )
    return Cap(name, max_creators=n)


def load_toml(path: str) -> dict[str, Any]:
    """Read a brief file; a syntax error names the file and line."""
    import tomllib
    from pathlib import Path

    p = Path(path)
    if not p.exists():
        raise InvalidOption(f"{path}: no such brief file")
    try:
        return tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InvalidOption(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise InvalidOption(f"{path}: not UTF-8 text") from None


def merge(base: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Overlay dotted keys (``"target.ship_to"``) or nested tables on a brief mapping."""
    out: dict[str, Any] = {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in base.items()}
    for key, value in overrides.items():
        if value is None:
            continue
        parts = key.split(".")
        node = out
        for part in parts[:-1]:
            nxt = node.get(part)
            if not isinstance(nxt, dict):
                nxt = dict(nxt) if isinstance(nxt, Mapping) else {}
                node[part] = nxt
            node = nxt
        if isinstance(value, Mapping) and isinstance(node.get(parts[-1]), Mapping):
            merged = dict(node[parts[-1]])
            merged.update(value)
            node[parts[-1]] = merged
        else:
            node[parts[-1]] = value
    return out
