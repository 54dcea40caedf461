"""Rules of the vetting files (follower samples, audience shares, comments) on their tabulated
rows: creator cells written ``platform:@handle``, follower rows without any profile field, and a
sample file without a profile column."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from creatormix.domain.followers import SAMPLE_COLUMNS
from creatormix.domain.imports import Reject

if TYPE_CHECKING:
    import pyarrow as pa

    from creatormix.ingest.readers import Source
    from creatormix.ingest.tabulate import Tabulator


def require_profile_column(tab: Tabulator, display: str, header: Sequence[str]) -> None:
    """A follower sample must name at least one profile field; a creator column alone is no sample."""
    from creatormix.errors import ColumnProblem

    loaded = set(tab.loaded_columns.values())
    if not loaded & set(SAMPLE_COLUMNS):
        raise ColumnProblem(
            f"{display}: no follower profile column (need at least one of "
            f"{', '.join(SAMPLE_COLUMNS[:6])}); columns are: {', '.join(header)}"
        )


def without_blank_followers(
    table: pa.Table, display: str, source: Source
) -> tuple[pa.Table, list[Reject]]:
    """Drop rows that carry no profile field (nothing to score), each with a reject naming its line."""
    import pyarrow.compute as pc

    blank = None
    for name in SAMPLE_COLUMNS:
        col = table[name]
        if name == "username":
            missing = pc.fill_null(pc.equal(pc.utf8_trim_whitespace(col), ""), True)
        else:
            missing = pc.is_null(col)
        blank = missing if blank is None else pc.and_(blank, missing)
    if blank is None or not pc.any(blank).as_py():
        return table, []
    records = pc.filter(table["_record"], blank).to_pylist()
    rejects = [
        Reject(
            display,
            source.locate(int(r)),
            int(r) + 1,
            None,
            None,
            "a follower row needs at least one profile field (username, posts, following, "
            "followers, has_profile_picture, is_private); this one has none",
        )
        for r in records
    ]
    return table.filter(pc.invert(blank)), rejects


def split_platform_prefix(
    table: pa.Table, display: str, source: Source
) -> tuple[pa.Table, list[Reject]]:
    """Creator cells written ``platform:@handle`` (``instagram:@kim``), as on the command line and
    in the planner's follower lists: the handle alone, and the cell's platform wins over the file's
    platform column or ``--platform``. An unknown prefix rejects its row, naming it."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from creatormix.domain.catalog import CreatorRef

    prefixed = pc.fill_null(pc.match_substring(table["handle"], ":"), False)
    if not pc.any(prefixed).as_py():
        return table, []
    handles = table["handle"].to_pylist()
    platforms = table["platform"].to_pylist()
    keep = [True] * len(handles)
    rejects = []
    for i in pc.indices_nonzero(prefixed).to_pylist():
        cell = handles[i]
        try:
            ref = CreatorRef.parse(cell)
        except ValueError as exc:
            record = int(table["_record"][i].as_py())
            reason = f"not @handle or platform:@handle: {exc}"
            rejects.append(
                Reject(display, source.locate(record), record + 1, "handle", cell, reason)
            )
            keep[i] = False
            continue
        handles[i] = ref.handle
        platforms[i] = ref.platform.value if ref.platform else platforms[i]
    table = table.set_column(
        table.column_names.index("handle"), "handle", pa.array(handles, pa.string())
    ).set_column(table.column_names.index("platform"), "platform", pa.array(platforms, pa.string()))
    return (table.filter(pa.array(keep)) if rejects else table), rejects
