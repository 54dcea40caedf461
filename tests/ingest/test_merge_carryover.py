"""A confirmed merge carries over to every table keyed by creator: vetting (follower samples,
audience shares, comments) and campaigns (deals and their links); undoing it takes it back."""

from __future__ import annotations

import json
from pathlib import Path

from creatormix.domain.imports import ImportOptions
from creatormix.domain.platform import Platform
from creatormix.store import vetting as vstore
from creatormix.workspace import Workspace
from tests.cli.test_cli import run
from tests.follower_samples import followers, write_rows

CREATORS = "handle,followers\nanna.fit,25000\nannafit,25400\nmia,4000\n"
OLD, NEW = ("instagram", "anna.fit"), ("instagram", "annafit")


def _vetting_files(tmp_path: Path) -> dict[str, Path]:
    audience = [
        {"creator": "anna.fit", "dimension": "country", "segment": "France", "share": "80%"},
        {"creator": "anna.fit", "dimension": "country", "segment": "Belgium", "share": "20%"},
    ]
    comments = [
        {"creator": "anna.fit", "post": "p1", "comment": "love this routine"},
        {"creator": "anna.fit", "post": "p1", "comment": "where is the top from?"},
    ]
    return {
        "followers-sample": write_rows(
            tmp_path / "sample.csv", followers("anna.fit", 120, 0.25, 7)
        ),
        "audience": write_rows(tmp_path / "audience.csv", audience),
        "comments": write_rows(tmp_path / "comments.csv", comments),
    }


def _vetting_of(ws: Workspace, key: tuple[str, str]) -> tuple[int, dict[str, float], int]:
    """(follower sample size, country shares, comment count) as vetting reads them."""
    sample = vstore.samples(ws.store, [key]).get(key)
    shares = vstore.shares(ws.store, [key]).get(key, {}).get("country", {})
    texts = vstore.evidence_rows(ws.store, [key]).texts.get(key, [])
    return (len(sample["username"] or []) if sample else 0, shares, len(texts))


def test_a_merge_carries_vetting_and_deals_over_and_unmerge_takes_them_back(
    tmp_path: Path,
) -> None:
    with Workspace.create(tmp_path / "m.duckdb") as ws:
        f = tmp_path / "creators.csv"
        f.write_text(CREATORS)
        ws.import_file("creators", f, ImportOptions(platform=Platform.INSTAGRAM))
        for kind, path in _vetting_files(tmp_path).items():
            ws.import_file(kind, path)
        ws.create_campaign("Spring", "https://shop.example/spring", ["@anna.fit", "@mia"])
        before = _vetting_of(ws, OLD)
        assert before == (120, {"FR": 0.8, "BE": 0.2}, 2)
        assert _vetting_of(ws, NEW) == (0, {}, 0)

        event = ws.merge_creators("@anna.fit", "@annafit")
        assert _vetting_of(ws, NEW) == before
        assert _vetting_of(ws, OLD) == (0, {}, 0)
        audit = ws.audit("@annafit").audit
        assert audit is not None and audit.sample_size == 120
        assert [d.handle for d in ws.campaign_deals("Spring")] == ["annafit", "mia"]
        assert [link.creator for link in ws.campaign_links("Spring")] == ["@annafit", "@mia"]

        ws.undo_merge(event.merge_id)
        assert _vetting_of(ws, OLD) == before
        assert _vetting_of(ws, NEW) == (0, {}, 0)
        assert ws.audit("@annafit").audit is None
        assert [d.handle for d in ws.campaign_deals("Spring")] == ["anna.fit", "mia"]


def test_merge_and_unmerge_carry_over_on_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    f = tmp_path / "creators.csv"
    f.write_text(CREATORS)
    run("import", "creators", str(f), "-p", "instagram", db=db)
    for kind, path in _vetting_files(tmp_path).items():
        run("import", kind, str(path), db=db)
    run("campaign", "create", "Spring", "-d", "https://shop.example/s", "-c", "@anna.fit", db=db)

    def deal_handles() -> list[str]:
        data = json.loads(run("campaign", "deals", "Spring", "--json", db=db))
        return [d["handle"] for d in data["deals"]]

    def sample_size(creator: str) -> int | None:
        data = json.loads(run("audit", creator, "--json", db=db))
        return int(data["sample_size"]) if data["fake_measured"] else None

    assert (deal_handles(), sample_size("@annafit")) == (["anna.fit"], None)
    run("creators", "merge", "@anna.fit", "@annafit", db=db)
    assert (deal_handles(), sample_size("@annafit")) == (["annafit"], 120)
    run("creators", "unmerge", "1", db=db)
    assert (deal_handles(), sample_size("@annafit")) == (["anna.fit"], None)
