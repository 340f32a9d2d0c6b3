"""Fixtures for the worker tests: one warm worker per test module (torch imports once)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from autograd_tutor.worker import WorkerClient


@pytest.fixture(scope="module")
def worker() -> Iterator[WorkerClient]:
    client = WorkerClient(device="cpu")
    client.start()
    client.wait_ready()
    try:
        yield client
    finally:
        client.close()
