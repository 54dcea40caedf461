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

A workspace on a server (PostgreSQL) has no single writer to make way for: the server keeps a
few connections (``ServerWorkspaces``, $CREATORMIX_SERVER_CONNECTIONS, 4) and answers that many
requests side by side; PostgreSQL serialises the writes (the store's advisory write lock) and
reads run beside them. What a connection remembers between requests (``Store.memo``) is valid
only while no commit happened since (the server's snapshot), so a change made through one
connection is read through every other.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext

from creatormix.errors import CreatormixError, InvalidOption, WorkspaceProblem
from creatormix.workspace import Location, Workspace, default_db_path, lock_wait_seconds

DEFAULT_CONNECTIONS = 4


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
        self.wait = lock_wait_seconds(wait)
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


class ServerWorkspaces:
    """A workspace on a server: up to ``size`` open connections, one per request being answered.

    A connection goes back to the pool after its request, also after a request that failed on
    the user's input (a `CreatormixError`); after any other failure (the connection may be the
    cause) it is closed and a new one is opened when needed.
    """

    def __init__(
        self,
        path: Location,
        *,
        size: int | None = None,
        wait: float | None = None,
        on_write: Callable[[Workspace], None] | None = None,
    ) -> None:
        self.path = path
        self.size = size or server_connections()
        self.wait = lock_wait_seconds(wait)
        self.on_write = on_write
        self._slots = threading.BoundedSemaphore(self.size)
        self._free: queue.LifoQueue[Workspace] = queue.LifoQueue()
        self._count = threading.Lock()
        self.opens = 0
        self.yielded = 0  # never: nothing waits for a file here

    @contextmanager
    def use(
        self, *, actor: str | None = None, write: bool = False, what: str = "a request"
    ) -> Iterator[Workspace]:
        """A connection of the pool for this thread alone until the block ends (as
        ``WorkspaceHolder.use``)."""
        if not self._slots.acquire(timeout=self.wait):
            raise WorkspaceBusy(
                f"all {self.size} connections to the workspace are answering requests (waited "
                f"{self.wait:g} s for one, for {what}); try again in a moment"
            )
        try:
            try:
                ws = self._free.get_nowait()
            except queue.Empty:
                ws = Workspace.open(self.path, lock_wait=self.wait)
                with self._count:
                    self.opens += 1
            try:
                with ws.acting_as(actor) if actor else nullcontext():
                    yield ws
                if write and self.on_write is not None:
                    self.on_write(ws)
            except CreatormixError:
                self._free.put(ws)
                raise
            except BaseException:
                ws.close()
                raise
            self._free.put(ws)
        finally:
            self._slots.release()

    def close(self) -> None:
        while True:
            try:
                self._free.get_nowait().close()
            except queue.Empty:
                return


def server_connections() -> int:
    """``$CREATORMIX_SERVER_CONNECTIONS`` (default 4): one clear line when it is not a count."""
    raw = os.environ.get("CREATORMIX_SERVER_CONNECTIONS", str(DEFAULT_CONNECTIONS))
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if size < 1:
        raise InvalidOption(
            f"CREATORMIX_SERVER_CONNECTIONS={raw!r} is not a number of connections (1 or more)"
        )
    return size


Holder = WorkspaceHolder | ServerWorkspaces


def hold(path: Location, *, on_write: Callable[[Workspace], None] | None = None) -> Holder:
    """How `creatormix serve` holds the workspace at ``path``: a file by one connection it lets
    go of for commands, a server by a pool of connections."""
    if default_db_path(path).is_file:
        return WorkspaceHolder(path, on_write=on_write)
    return ServerWorkspaces(path, on_write=on_write)
