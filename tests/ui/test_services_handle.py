"""Work asked for while the services are still starting runs, in order, once they are ready."""

from __future__ import annotations

import threading

import pytest

from companion.services.container import Services
from companion.ui.services_handle import ServicesHandle


def test_work_submitted_before_start_up_finishes_runs_in_order(services: Services) -> None:
    go = threading.Event()

    def build() -> Services:
        go.wait(10)
        return services

    handle = ServicesHandle(vault_exists=lambda: False)
    handle.build_in_background(build)
    order: list[int] = []
    futures = [handle.submit(order.append, n) for n in range(20)]
    assert not handle.is_ready
    assert not any(f.done() for f in futures)
    go.set()
    for future in futures:
        future.result(timeout=10)
    assert order == list(range(20))
    assert handle.get() is services
    assert handle.vault_exists() is False  # now answered by the real vault service
    assert (
        handle.submit(lambda: threading.current_thread().name)
        .result(timeout=10)
        .startswith("companion-db")
    )


def test_a_failed_start_is_reported_to_waiting_work() -> None:
    def build() -> Services:
        raise OSError("disk gone")

    handle = ServicesHandle(vault_exists=lambda: True)
    handle.build_in_background(build)
    future = handle.submit(lambda: None)
    with pytest.raises(OSError):
        future.result(timeout=10)
    with pytest.raises(RuntimeError):
        handle.get(timeout=10)
    with pytest.raises(OSError):
        handle.submit(lambda: None).result(timeout=10)
