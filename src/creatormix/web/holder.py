"""How the server holds the workspace: one connection, one request at a time, let go when idle.

DuckDB lets one process hold a file read-write. The server opens the workspace when a request
needs it and serialises requests through one lock (they run in worker threads, never on the event
loop, so the redirect is never blocked by them). It lets go of the file:

* after ``linger`` seconds without a request (so the click folder can fold),
* at once, when no request is being answered and a command announces that it waits, and
* right after the request it is answering when a command announces that it waits for the file
  (``Store.open`` writes ``<workspace>.waiting.<pid>`` while it waits); the server then lets
  the command in before it opens the file again.

So a CLI command run while the server is busy works after at most one request's wait. While a
command holds the file, a request waits up to ``wait`` seconds ($CREATORMIX_LOCK_WAIT, 10), then
is answered 503 with one line saying why.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext

from creatormix.errors import WorkspaceProblem
from creatormix.workspace import Location, Workspace


class WorkspaceBusy(WorkspaceProblem):
    """The workspace is held: by another request of this server, or by another process."""

    http_status = 503
    code = "busy"


class WorkspaceHolder:
    def __init__(
        self,
        path: Location,
        *,
        linger: float = 1.0,
        wait: float | None = None,
        on_write: Callable[[Workspace], None] | None = None,
    ) -> None:
        self.path = path
        self.linger = linger
        self.wait = float(os.environ.get("CREATORMIX_LOCK_WAIT", "10")) if wait is None else wait
        self.on_write = on_write
        self._lock = threading.Lock()
        self._ws: Workspace | None = None
        self._last_used = 0.0
        self._held_by = ""  # what holds the lock now, for the busy message
        self._stop = threading.Event()
        self._closer = threading.Thread(target=self._close_when_idle, name="ws-closer", daemon=True)
        self.opens = 0  # how often the file was opened (each open after a release)
        self.yielded = 0  # how often it was let go of for a waiting command
        self._closer.start()

    @contextmanager
    def use(
        self, *, actor: str | None = None, write: bool = False, what: str = "a request"
    ) -> Iterator[Workspace]:
        """The open workspace, for this thread alone until the block ends; changes made inside
        are recorded as ``actor``'s. ``write``: reload the redirect's links afterwards."""
        if not self._lock.acquire(timeout=self.wait):
            raise WorkspaceBusy(
                f"the workspace is busy with {self._held_by or 'another request'}; "
                "try again in a moment"
            )
        self._held_by = what
        try:
            ws = self._open()
            with ws.acting_as(actor) if actor else nullcontext():
                yield ws
            if write and self.on_write is not None:
                self.on_write(ws)
        finally:
            self._held_by = ""
            self._last_used = time.monotonic()
            if self._ws is not None and Workspace.commands_waiting(self.path):
                self._ws.close()  # a command waits for the file: let it in now
                self._ws = None
                self.yielded += 1
            self._lock.release()

    def _open(self) -> Workspace:
        if self._ws is None:
            deadline = time.monotonic() + self.wait
            while Workspace.commands_waiting(self.path) and time.monotonic() < deadline:
                time.sleep(0.05)  # a command was let in first; its marker goes when it has the file
            try:
                self._ws = Workspace.open(self.path, lock_wait=self.wait)
            except WorkspaceProblem as exc:
                if "another creatormix process" in str(exc):
                    raise WorkspaceBusy(
                        f"the workspace is busy: another creatormix process (a command) holds "
                        f"{self.path}; try again when it has finished"
                    ) from None
                raise
            self.opens += 1
        return self._ws

    def _close_when_idle(self) -> None:
        """Close the file once nothing used it for ``linger`` seconds, or at once when a command
        announces that it waits for it and no request is being answered (checked every 0.1 s:
        a command's lock wait may be shorter than the linger)."""
        while not self._stop.wait(min(self.linger / 2, 0.1)):
            if self._ws is None:
                continue
            idle = time.monotonic() - self._last_used >= self.linger
            if not idle and not Workspace.commands_waiting(self.path):
                continue
            if self._lock.acquire(blocking=False):
                try:
                    if self._ws is not None:
                        waiting = Workspace.commands_waiting(self.path)
                        if waiting or time.monotonic() - self._last_used >= self.linger:
                            self._ws.close()
                            self._ws = None
                            self.yielded += bool(waiting)
                finally:
                    self._lock.release()

    def close(self) -> None:
        self._stop.set()
        self._closer.join(timeout=5)
        with self._lock:
            if self._ws is not None:
                self._ws.close()
                self._ws = None
