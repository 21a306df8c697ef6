"""The services, possibly still being built on a background thread when the window first shows.

Importing the storage stack (SQLAlchemy, Alembic, SQLCipher) takes several times longer than
showing a window, so the app shows the unlock screen first and builds the services off the GUI
thread. Work submitted before they are ready is queued and handed, in order, to the services'
own database worker once it exists. The GUI thread never waits for any of it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from companion.services.container import Services

_Queued = tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any], "Future[Any]"]


def _chain(inner: Future[Any], outer: Future[Any]) -> None:
    def copy(done: Future[Any]) -> None:
        error = done.exception()
        if error is not None:
            outer.set_exception(error)
        else:
            outer.set_result(done.result())

    inner.add_done_callback(copy)


class ServicesHandle:
    def __init__(self, vault_exists: Callable[[], bool]) -> None:
        self._vault_exists = vault_exists
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._services: Services | None = None
        self._error: BaseException | None = None
        self._queue: list[_Queued] = []
        self._started = False

    @classmethod
    def ready(cls, services: Services) -> ServicesHandle:
        handle = cls(services.vault.exists)
        handle._set(services, None)
        return handle

    def build_in_background(self, build: Callable[[], Services]) -> None:
        """Builds the services on a thread of their own; queued work follows once they exist."""
        self._started = True

        def run() -> None:
            try:
                services = build()
            except BaseException as error:  # delivered to every waiting task as its error
                self._set(None, error)
            else:
                self._set(services, None)

        threading.Thread(target=run, name="companion-start", daemon=True).start()

    def _set(self, services: Services | None, error: BaseException | None) -> None:
        with self._lock:
            self._services, self._error = services, error
            if services is not None:
                self._vault_exists = services.vault.exists
            for fn, args, kwargs, outer in self._queue:
                if services is None:
                    outer.set_exception(error or RuntimeError("services unavailable"))
                else:
                    _chain(services.worker.submit(fn, *args, **kwargs), outer)
            self._queue.clear()
            self._ready.set()

    @property
    def started(self) -> bool:
        """True once the services exist or are being built."""
        return self._started or self._ready.is_set()

    @property
    def is_ready(self) -> bool:
        return self._ready.is_set()

    def vault_exists(self) -> bool:
        """Cheap; fine on the GUI thread."""
        return self._vault_exists()

    def get(self, timeout: float | None = None) -> Services:
        """The services. Blocks until built: call it on the worker (or at shutdown), never
        while the GUI is running."""
        if not self._ready.wait(timeout):
            raise TimeoutError("the services are still starting")
        if self._services is None:
            raise RuntimeError("the services could not be started") from self._error
        return self._services

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        """Runs ``fn`` on the services' database worker, after everything submitted before."""
        with self._lock:
            if self._services is not None:
                return self._services.worker.submit(fn, *args, **kwargs)
            outer: Future[Any] = Future()
            if self._ready.is_set():  # building failed
                outer.set_exception(self._error or RuntimeError("services unavailable"))
            else:
                self._queue.append((fn, args, kwargs, outer))
            return outer
