"""The brief's flags that `plan` and `backtest` share: one definition each (name, help), so the
two commands read the same flag the same way. `planning/brief.py` validates the values; the
keys each sets are in ``BRIEF_KEYS``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

BudgetOpt = Annotated[
    str | None, typer.Option("--budget", "-b", help="Total budget, e.g. 20000, 20k or €20k.")
]
CurrencyOpt = Annotated[
    str | None,
    typer.Option(
        "--currency", help="ISO code of the budget (default: the budget's symbol, else USD)."
    ),
]
DecimalOpt = Annotated[
    str | None,
    typer.Option(
        "--decimal",
        help="Decimal separator of the amounts, '.' or ','; needed for 20.000,50 or 20.000.",
    ),
]
BriefOpt = Annotated[
    Path | None, typer.Option("--brief", help="A brief TOML file (flags override it).")
]
ShipToOpt = Annotated[
    list[str] | None, typer.Option("--ship-to", help="Countries the brand ships to (FR,BE).")
]
LanguageOpt = Annotated[
    list[str] | None, typer.Option("--language", help="Target languages (fr, de …).")
]
NicheOpt = Annotated[
    list[str] | None, typer.Option("--niche", "-n", help="Niche keywords (repeatable).")
]
PlatformOpt = Annotated[
    list[str] | None, typer.Option("--platform", "-p", help="Only these platforms.")
]
MinFollowersOpt = Annotated[str | None, typer.Option("--min-followers")]
MaxFollowersOpt = Annotated[str | None, typer.Option("--max-followers")]
FormatOpt = Annotated[
    str | None, typer.Option("--format", help="post, carousel, video (reel) or story.")
]
OutreachHoursOpt = Annotated[
    str | None, typer.Option("--outreach-hours", help="Hours of work per creator (default 2).")
]
OutreachCostOpt = Annotated[
    str | None,
    typer.Option("--outreach-cost", help="Cost of one hour of outreach work (default 36)."),
]
FxOpt = Annotated[
    list[str] | None,
    typer.Option("--fx", help="Exchange rates into the budget's currency: EUR=1.08."),
]
ScenariosOpt = Annotated[
    str | None, typer.Option("--scenarios", help="Monte Carlo scenarios (default 4000).")
]
TimeLimitOpt = Annotated[
    float, typer.Option("--time-limit", help="Seconds the optimiser may take.")
]

# The brief key each shared flag sets (the parameter's name -> the dotted key); a list flag
# accepts repeats and commas.
BRIEF_KEYS = {
    "budget": "budget",
    "currency": "currency",
    "decimal": "decimal",
    "ship_to": "target.ship_to",
    "language": "target.languages",
    "platform": "platforms",
    "tier": "tiers",
    "min_followers": "min_followers",
    "max_followers": "max_followers",
    "deliverables": "deals.deliverables",
    "fmt": "deals.format",
    "outreach_hours": "deals.outreach_hours",
    "outreach_cost": "deals.hourly_cost",
    "max_creators": "constraints.max_creators",
    "must_include": "constraints.must_include",
    "exclude": "constraints.exclude",
    "scenarios": "scenarios",
}
LIST_FLAGS = frozenset(
    {"ship_to", "gender", "language", "platform", "tier", "must_include", "exclude"}
)
