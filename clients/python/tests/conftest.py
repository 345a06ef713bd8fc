"""Fixtures: a real ``tradai serve`` shared by the suite, and fresh ones for tests that stop it."""

from __future__ import annotations

import itertools
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

import pytest

from platform_process import ADMIN_PASSWORD, Platform, PostgresServer, backend, create_database
from tradai_client import TradaiClient

T = TypeVar("T")
_names = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    """The PostgreSQL server of this run (postgres backend only): given by npm test, or started here."""
    if backend() != "postgres":
        yield None
        return
    given = os.environ.get("TRADAI_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    server = PostgresServer()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def new_platform(postgres_url: str | None) -> Iterator[Callable[..., Platform]]:
    """Starts a platform on a fresh database; every one started is stopped at the end."""
    started: list[Platform] = []

    def start(extra_env: dict[str, str] | None = None) -> Platform:
        if postgres_url:
            database = {"TRADAI_DATABASE_URL": create_database(postgres_url)}
        else:
            database = {"TRADAI_DATA_DIR": str(Path(tempfile.mkdtemp(prefix="tradai-py-")) / "data")}
        platform = Platform(database, extra_env)
        started.append(platform)
        return platform

    yield start
    for platform in started:
        platform.stop()


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
#: The example backtest worker as a task definition (tests submit `"task_definition": "python-sample"`).
TASKS = json.dumps({"python-sample": [sys.executable, str(EXAMPLES / "backtest_worker.py")]})


@pytest.fixture(scope="session")
def platform(new_platform: Callable[..., Platform]) -> Platform:
    """The suite's shared server: tests that stop or restart a server start their own."""
    return new_platform({"TRADAI_TASK_DEFINITIONS": TASKS})


@pytest.fixture(scope="session")
def admin(platform: Platform) -> TradaiClient:
    return TradaiClient(platform.url, username="admin", password=ADMIN_PASSWORD)


def admin_of(platform: Platform) -> TradaiClient:
    return TradaiClient(platform.url, username="admin", password=ADMIN_PASSWORD)


def unique(prefix: str) -> str:
    """A name no other test uses (strategies, workers): tests share one server."""
    return f"{prefix}{next(_names)}x{os.getpid() % 1000}"


def worker_token(admin: TradaiClient, environments: list[str] | None = None) -> str:
    answer = admin.create_token(unique("worker-"), ["worker"], environments=environments)
    return str(answer["token"])


def eventually(probe: Callable[[], T | None], what: str, timeout: float = 15.0, interval: float = 0.05) -> T:
    """Polls ``probe`` until it returns something other than None (or False)."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = probe()
        if last is not None and last is not False:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what} (last: {last!r})")


# --- results for `npm test` ------------------------------------------------------------------
# With TRADAI_PYTEST_REPORT set, each test's outcome is appended there as a JSON line, so the
# vitest runner (clients/python/pytest.test.ts) reports every Python test by name.


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    target = os.environ.get("TRADAI_PYTEST_REPORT")
    if not target:
        return
    if report.when != "call" and report.outcome == "passed":
        return
    line = {
        "nodeid": report.nodeid,
        "when": report.when,
        "outcome": report.outcome,
        "duration": round(report.duration, 3),
        "longrepr": str(report.longrepr)[-6000:] if report.failed or report.skipped else "",
    }
    with open(target, "a", encoding="utf-8") as out:
        out.write(json.dumps(line) + "\n")
