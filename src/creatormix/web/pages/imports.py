"""Imports: upload a file, watch its progress, read the summary the CLI prints, download the
rejected rows; the import log.

The upload is saved under the workspace's uploads folder with a fresh name, imported in a thread
of its own (all or nothing, as every import), and deleted: it is never kept or served back. What
can be downloaded is the reject CSV the import wrote.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, Response

from creatormix.domain.imports import ImportKind, ImportOptions
from creatormix.domain.requests import UploadRequest
from creatormix.errors import CreatormixError, InvalidOption
from creatormix.views.import_pages import import_log_view, import_view
from creatormix.web.auth import SESSION_COOKIE, Ctx, member, viewer
from creatormix.web.render import page
from creatormix.workspace import Location
from creatormix.workspace.pages import uploads_dir

router = APIRouter()

KINDS = tuple(k.value for k in ImportKind)
CHUNK = 1 << 20


def safe_name(name: str | None) -> str:
    """The file's own name, reduced to letters, digits, dot, dash and underscore."""
    base = Path(name or "upload").name
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._") or "upload"
    return cleaned[:120]


def save_upload(upload: UploadFile, db: Location, limit: int) -> tuple[Path, str]:
    """Copy the upload to ``<uploads>/<random>/<name>``; refuse it past ``limit`` bytes."""
    name = safe_name(upload.filename)
    folder = uploads_dir(db) / f"incoming-{uuid.uuid4().hex}"
    folder.mkdir(parents=True)
    target = folder / name
    written = 0
    with target.open("wb") as out:
        while chunk := upload.file.read(CHUNK):
            written += len(chunk)
            if written > limit:
                raise InvalidOption(
                    f"the file is larger than {limit / (1 << 20):g} MB", field="file"
                )
            out.write(chunk)
    if written == 0:
        raise InvalidOption("the file is empty", field="file")
    return target, name


def options(platform: str | None) -> ImportOptions:
    from creatormix.domain.platform import Platform

    if not platform:
        return ImportOptions()
    try:
        return ImportOptions(platform=Platform.parse(platform))
    except ValueError as exc:
        raise InvalidOption(str(exc), field="platform") from None


@router.get("/imports", response_class=HTMLResponse)
def imports(request: Request, ctx: Annotated[Ctx, Depends(viewer)]) -> HTMLResponse:
    with ctx.workspace() as ws:
        log = import_log_view(ws.imports())
    return page(request, "imports.html", ctx, section="imports", log=log, kinds=KINDS)


@router.post("/imports", response_class=HTMLResponse)
def upload(
    request: Request,
    ctx: Annotated[Ctx, Depends(member)],
    file: Annotated[UploadFile, File()],
    kind: Annotated[str, Form(max_length=40)] = "creators",
    platform: Annotated[str | None, Form(max_length=40)] = None,
) -> Response:
    """Start the import in the background; the answer is the progress fragment that polls."""
    if kind not in KINDS:
        raise InvalidOption(
            f"unknown import kind {kind!r} (choose {', '.join(KINDS)})", field="kind"
        )
    opts = options(platform)
    holder = ctx.holder
    path, name = save_upload(file, holder.path, request.app.state.upload_limit)
    secret = request.cookies.get(SESSION_COOKIE, "")

    def work(progress: object) -> object:
        with holder.use(actor=ctx.email, write=True, what=f"an import of {name}") as ws:
            return ws.import_upload(UploadRequest(kind, path, name, opts), progress=progress)

    def describe(exc: BaseException) -> str | None:
        return str(exc) if isinstance(exc, CreatormixError) else None

    job = request.app.state.jobs.start(secret, f"{kind} from {name}", work, describe)
    return page(request, "import_job.html", ctx, job=job, view=None, file_name=name)


@router.get("/imports/jobs/{job_id:int}", response_class=HTMLResponse)
def job_progress(request: Request, job_id: int) -> Response:
    """The progress of an import this session started (no workspace needed: the import holds it)."""
    from creatormix.web.auth import NotLoggedIn

    secret = request.cookies.get(SESSION_COOKIE)
    job = request.app.state.jobs.get(job_id, secret) if secret else None
    if job is None:
        raise NotLoggedIn()  # not this session's job: as if logged out
    view = None
    if job.finished and job.error is None:
        view = import_view(job.result.report, job.what.split(" from ", 1)[1])
    return page(request, "import_job.html", None, job=job, view=view, file_name=job.what)


@router.get("/imports/{import_id:int}/rejects.csv")
def rejects(import_id: int, ctx: Annotated[Ctx, Depends(viewer)]) -> FileResponse:
    with ctx.workspace() as ws:
        path = ws.rejects_csv(import_id)
    return FileResponse(
        path,
        media_type="text/csv; charset=utf-8",
        filename=f"import-{import_id}-rejects.csv",
        headers={"x-content-type-options": "nosniff"},
    )
