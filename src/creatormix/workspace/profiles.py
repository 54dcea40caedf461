"""Catalog pipeline use cases: ``profiles build`` computes creator profiles from Parquet files on
DuckDB or Apache Spark; ``import profiles`` makes such a catalog the workspace's.

A build is ``creatormix import`` + the metrics + follower audits for catalogs too big for a
workspace file, with the same code on every engine: the importer's parser per batch
(``ingest.batches``), the catalog's merge and supersession rules (``store/pipeline.py``), the
metrics modules unchanged (``metrics.profile``) and the follower audit per creator
(``vetting.audit_rows``). ``store/profile_job.py`` does the reads and writes and describes the
output folder; docs/scale-out.md describes both commands.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from creatormix.domain.imports import ImportKind, ImportRecord
from creatormix.domain.profiles import (
    PROFILES_FORMAT,
    InputFile,
    ProfilesBuildReport,
    ProfilesBuildRequest,
    ProfilesImportReport,
    ProfilesImportRequest,
)
from creatormix.domain.query import Progress, no_progress
from creatormix.errors import InvalidOption
from creatormix.store import profiles as imported
from creatormix.store.core import current_user, utcnow
from creatormix.store.engine_choice import open_engine
from creatormix.store.profile_job import ProfileJob, report_from_manifest
from creatormix.workspace.catalog import CatalogOps
from creatormix.workspace.fake_prior import store_fake_prior

if TYPE_CHECKING:
    from creatormix.domain.tiers import TierScheme
    from creatormix.metrics.params import MetricParams

Announce = Callable[[str, str | None], None]
"""Told the engine's description and its UI's URL (Spark), once it runs, before the long work."""
Inputs = Mapping[ImportKind, Sequence[InputFile]]


class ProfilesOps(CatalogOps):
    """Profiles built on an engine, and a workspace that takes them."""

    @staticmethod
    def build_profiles(
        request: ProfilesBuildRequest,
        *,
        progress: Progress = no_progress,
        announce: Announce | None = None,
    ) -> ProfilesBuildReport:
        """Compute creator profiles from Parquet inputs into ``request.out``, replacing it whole
        once complete; a rerun over the same inputs and settings recomputes nothing."""
        started = time.monotonic()
        scheme, params = _settings(request)
        with (
            open_engine(request.engine, progress) as engine,
            ProfileJob(engine, request.out) as job,
        ):
            if announce is not None:
                announce(engine.description, engine.ui_url)
            progress("listing files", 0, None)
            patterns = _patterns(request)
            inputs = job.list_inputs(patterns)
            progress("listing files", 1, 1)
            fingerprint = _fingerprint(request, inputs, scheme, params)
            earlier = job.earlier_manifest()
            if earlier and earlier.get("fingerprint") == fingerprint and not request.rebuild:
                return report_from_manifest(earlier, engine, job.out)
            report = _compute(job, request, patterns, inputs, scheme, params)
            report = replace(
                report, fingerprint=fingerprint, seconds=round(time.monotonic() - started, 3)
            )
            job.commit(_manifest(report, request, inputs, scheme, params))
        return report

    def import_profiles(
        self, request: ProfilesImportRequest | str | Path, *, progress: Progress = no_progress
    ) -> ProfilesImportReport:
        """Load a profiles folder (``profiles build --out``) so plan, vetting and listings use it.

        Replaces the previous imported catalog whole; the workspace's own imports win for the
        creators they describe. The folder the workspace holds already is not loaded again.
        """
        req = (
            request
            if isinstance(request, ProfilesImportRequest)
            else ProfilesImportRequest(Path(request))
        )
        started = time.monotonic()
        data = imported.read_manifest(req.folder)
        earlier = self.store.find_import(ImportKind.PROFILES, data["fingerprint"], "")
        if earlier is not None and earlier.import_id == imported.latest_import(self.store):
            return _import_report(req, data, self.tier_scheme().name, skipped=earlier.import_id)
        with self.store.transaction():
            import_id = self.store.next_id("imports", "import_id")
            replaced = imported.imported_count(self.store)
            progress("loading profiles", 0, 1)
            creators, audits = imported.load(self.store, req.folder, import_id)
            progress("loading profiles", 1, 1)
            record = ImportRecord(
                import_id, ImportKind.PROFILES, str(req.folder), data["fingerprint"],
                creators, creators, 0, utcnow(), current_user(),
            )  # fmt: skip
            self.store.log_import(
                record, fingerprint="", file_path=str(req.folder.resolve()), rows_merged=0
            )
            self.refresh_metrics(progress=progress)
            store_fake_prior(self.store)  # imported audits change the expected fake share
            overridden = imported.overridden(self.store)
        return replace(
            _import_report(req, data, self.tier_scheme().name),
            creators=creators,
            audits=audits,
            import_id=import_id,
            replaced=replaced,
            overridden=overridden,
            seconds=time.monotonic() - started,
        )


def _compute(
    job: ProfileJob,
    request: ProfilesBuildRequest,
    patterns: Mapping[ImportKind, str],
    inputs: Inputs,
    scheme: TierScheme,
    params: MetricParams,
) -> ProfilesBuildReport:
    """The build's steps: parse every input, merge the catalog, the metrics, the planner's
    candidates, the follower audits, the rejects."""
    from creatormix.ingest.batches import piece_parser
    from creatormix.metrics.profile import creator_profiles
    from creatormix.metrics.reach import views_stats
    from creatormix.vetting.audit_rows import audit_rows, audit_schema

    warnings: list[str] = []
    for kind, files in inputs.items():
        make = partial(piece_parser, kind, request.options, files=files, pattern=patterns[kind])
        parser = job.parse(kind, files, make)
        warnings += parser.messages()
    current, posts, snapshots = job.catalog(request.observed_at)
    profiles = creator_profiles(
        current,
        posts,
        snapshots,
        scheme,
        params,
        top_n_aggregate=job.engine.top_n_aggregate,
        checkpoint=job.checkpoint,
    )
    job.write_profiles(profiles)
    job.write_candidates(views_stats(posts, params))
    if ImportKind.FOLLOWERS_SAMPLE in inputs:
        job.write_audits(request.observed_at, audit_rows, audit_schema())
    return job.report(patterns, inputs, warnings, fingerprint="")


def _settings(request: ProfilesBuildRequest) -> tuple[TierScheme, MetricParams]:
    from creatormix.domain.tiers import NAMED_SCHEMES
    from creatormix.metrics.params import MetricParams

    if request.tier_scheme not in NAMED_SCHEMES:
        raise InvalidOption(
            f"unknown tier scheme {request.tier_scheme!r} "
            f"(named schemes: {', '.join(NAMED_SCHEMES)})"
        )
    try:
        params = MetricParams.from_json(dict(request.metric_params))
    except (TypeError, ValueError) as exc:
        raise InvalidOption(f"metric parameters: {exc}") from None
    return NAMED_SCHEMES[request.tier_scheme], params


def _patterns(request: ProfilesBuildRequest) -> dict[ImportKind, str]:
    given = {
        ImportKind.CREATORS: request.creators,
        ImportKind.POSTS: request.posts,
        ImportKind.SNAPSHOTS: request.snapshots,
        ImportKind.FOLLOWERS_SAMPLE: request.follower_samples,
    }
    return {k: v for k, v in given.items() if v}


def _fingerprint(
    request: ProfilesBuildRequest, inputs: Inputs, scheme: TierScheme, params: MetricParams
) -> str:
    """What the output depends on: every input file (name, size, time), and every setting."""
    from creatormix.metrics.profile import METRICS_VERSION
    from creatormix.vetting.model import load_default

    model = load_default()
    data = {
        "format": PROFILES_FORMAT,
        "metrics": METRICS_VERSION,
        "model": f"{model.name} v{model.version}",
        "inputs": {k.value: _files(files) for k, files in inputs.items()},
        "options": request.options.fingerprint(),
        "scheme": scheme.to_json(),
        "params": params.to_json(),
        "observed_at": request.observed_at.isoformat() if request.observed_at else None,
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _files(files: Sequence[InputFile]) -> list[dict[str, Any]]:
    return [{"name": f.display, "size": f.size, "modified": f.modified.isoformat()} for f in files]


def _manifest(
    report: ProfilesBuildReport,
    request: ProfilesBuildRequest,
    inputs: Inputs,
    scheme: TierScheme,
    params: MetricParams,
) -> dict[str, Any]:
    """The folder's ``_manifest.json``: the report, the settings and every input file."""
    from creatormix.metrics.profile import METRICS_VERSION

    return asdict(report) | {
        "format": PROFILES_FORMAT,
        "built_at": utcnow().isoformat(),
        "metrics_version": METRICS_VERSION,
        "tier_scheme": scheme.to_json(),
        "metric_params": params.to_json(),
        "observed_at": request.observed_at.isoformat() if request.observed_at else None,
        "files": {k.value: _files(files) for k, files in inputs.items()},
    }


def _import_report(
    req: ProfilesImportRequest,
    data: Mapping[str, Any],
    workspace_scheme: str,
    *,
    skipped: int | None = None,
) -> ProfilesImportReport:
    built = data.get("built_at")
    return ProfilesImportReport(
        source=str(req.folder),
        creators=int(data.get("creators", 0)),
        audits=int(data.get("audited", 0)),
        import_id=None,
        replaced=0,
        overridden=0,
        engine=str(data.get("engine", "")),
        built_at=datetime.fromisoformat(built) if built else None,
        tier_scheme=str(data.get("tier_scheme", {}).get("name", "custom")),
        workspace_tier_scheme=workspace_scheme,
        already_imported_as=skipped,
    )
