"""A small workspace with two creators and a campaign on them, and the Shopify fixture filled in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from creatormix.domain.imports import ImportOptions
from creatormix.domain.platform import Platform
from creatormix.workspace import Workspace

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def camp_ws(new_db: str, tmp_path: Path) -> Iterator[Workspace]:
    with Workspace.create(new_db) as ws:
        f = tmp_path / "creators.csv"
        f.write_text("handle,followers\nanna.fit,25000\nbigstar,800000\nmia,4000\n")
        ws.import_file("creators", f, ImportOptions(platform=Platform.INSTAGRAM))
        ws.create_campaign(
            "Spring launch", "https://shop.example/spring", ["@anna.fit", "@bigstar"]
        )
        yield ws


@pytest.fixture
def orders_file(camp_ws: Workspace, tmp_path: Path) -> Path:
    return shopify_orders(camp_ws, tmp_path / "orders_export.csv")


def shopify_orders(ws: Workspace, target: Path, campaign: str = "Spring launch") -> Path:
    """The hand-written Shopify export with each ``@@handle@@`` replaced by that deal's code
    (anna's second order types the code in lower case, as shoppers do)."""
    text = (FIXTURES / "shopify_orders.csv").read_text()
    for link in ws.campaign_links(campaign):
        text = text.replace(f"@@{link.creator[1:]}@@", link.discount_code)
    text = text.replace(
        ws.campaign_links(campaign)[0].discount_code + ",0.00,Standard,2099-03-03",
        ws.campaign_links(campaign)[0].discount_code.lower() + ",0.00,Standard,2099-03-03",
    )
    target.write_text(text)
    return target
