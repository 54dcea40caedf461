"""What ``profiles build`` and ``import profiles`` say; ``to_json()`` is their ``--json``."""

from __future__ import annotations

from dataclasses import dataclass

from creatormix.domain.profiles import ProfilesBuildReport, ProfilesImportReport
from creatormix.views._json import jsonable

REASONS_SHOWN = 10  # reject reasons listed; the rest are counted (all in OUT/rejects_summary)
TIER_ORDER = ("nano", "micro", "mid", "macro", "mega", "unknown")
INPUT_COLUMNS = ("input", "files", "records", "accepted", "rejected")


@dataclass(frozen=True)
class BuildView:
    """``unchanged`` alone when nothing was recomputed; else the inputs table and the lines."""

    unchanged: str | None
    title: str
    rows: tuple[tuple[str, ...], ...]  # INPUT_COLUMNS, the first left-aligned
    tiers: str
    audited: str | None
    warnings: tuple[str, ...]
    rejects_title: str | None
    rejects: tuple[str, ...]
    next_step: str
    data: dict[str, object]

    def to_json(self) -> dict[str, object]:
        return jsonable(self.data)  # type: ignore[no-any-return]


def engine_line(description: str, ui_url: str | None) -> str:
    """Where the build runs, said before the long work (Spark: where to watch it)."""
    return f"engine: {description}" + (f"; watch it at {ui_url}" if ui_url else "")


def build_view(r: ProfilesBuildReport) -> BuildView:
    unchanged = (
        f"{r.out}: already holds the profiles of these inputs and settings "
        f"({r.creators:,} creators); nothing recomputed (--rebuild to compute again)"
        if r.unchanged
        else None
    )
    tiers = sorted(
        r.tiers.items(),
        key=lambda kv: TIER_ORDER.index(kv[0]) if kv[0] in TIER_ORDER else len(TIER_ORDER),
    )
    shown, rest = r.reject_summary[:REASONS_SHOWN], r.reject_summary[REASONS_SHOWN:]
    rejects = [
        f"{c.records:>8,} × {c.kind}{f' [{c.column}]' if c.column else ''}: {c.reason}"
        + (f"; first: {c.first_file} record {c.first_record}" if c.first_record else "")
        for c in shown
    ]
    if rest:
        n = sum(c.records for c in rest)
        rejects.append(f"{n:>8,} × {len(rest)} other reason(s) (see {r.out}/rejects_summary)")
    return BuildView(
        unchanged=unchanged,
        title=f"Profiles of {r.creators:,} creators in {r.out} ({r.seconds:.1f} s, {r.engine})",
        rows=tuple(
            (i.kind, f"{i.files:,}", f"{i.records:,}", f"{i.accepted:,}", f"{i.rejected:,}")
            for i in r.inputs
        ),
        tiers="tiers: " + ", ".join(f"{k} {v:,}" for k, v in tiers),
        audited=f"follower samples audited: {r.audited:,} creators" if r.audited else None,
        warnings=r.warnings,
        rejects_title=(
            f"rejected records by reason ({r.rejected:,} in {r.out}/rejects):"
            if r.reject_summary
            else None
        ),
        rejects=tuple(rejects),
        next_step=f"next: creatormix import profiles {r.out}",
        data=jsonable(r),
    )


@dataclass(frozen=True)
class ImportView:
    summary: str
    notes: tuple[str, ...]
    data: dict[str, object]

    def to_json(self) -> dict[str, object]:
        return jsonable(self.data)  # type: ignore[no-any-return]


def import_view(r: ProfilesImportReport) -> ImportView:
    if r.skipped:
        summary = (
            f"{r.source}: the workspace holds these profiles already "
            f"(import #{r.already_imported_as}); nothing changed"
        )
        return ImportView(summary, (), jsonable(r))
    replaced = f", replacing {r.replaced:,} imported earlier" if r.replaced else ""
    audits = f", {r.audits:,} follower audits" if r.audits else ""
    summary = (
        f"Import #{r.import_id} profiles from {r.source}: {r.creators:,} creators{replaced} "
        f"(built with {r.engine}, tiers {r.tier_scheme}){audits}"
    )
    notes = []
    if r.overridden:
        notes.append(
            f"{r.overridden:,} of them are also in this workspace's own imports, which win"
        )
    if r.tier_scheme != r.workspace_tier_scheme:
        notes.append(
            f"the profiles' tiers are of the {r.tier_scheme!r} scheme, the workspace's of "
            f"{r.workspace_tier_scheme!r}: imported creators keep the tiers they were built with"
        )
    return ImportView(summary, tuple(notes), jsonable(r))
