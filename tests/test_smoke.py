from pathlib import Path

from creatormix.domain.imports import ImportOptions
from creatormix.domain.platform import Platform
from creatormix.domain.query import CreatorQuery, SortKey
from creatormix.workspace import Workspace


def test_a_csv_of_creators_imports_and_lists_by_engagement(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_text(
        "handle,#Followers,country,engagement rate\n@Alice,12.5k,France,3.2%\nbob,950,US,1.1%\n"
    )
    report = ws.import_file("creators", f, ImportOptions(platform=Platform.INSTAGRAM))
    assert (report.rows_accepted, report.rows_rejected) == (2, 0)
    page = ws.list_creators(CreatorQuery(sort=SortKey.FOLLOWERS))
    assert [(p.creator.handle, p.creator.followers, p.tier) for p in page.creators] == [
        ("alice", 12500, "micro"),
        ("bob", 950, "nano"),
    ]
    assert page.creators[0].creator.country == "FR"
