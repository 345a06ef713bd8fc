"""Retries, backoff and timeouts, against a small HTTP server that misbehaves on purpose
(the real server answers 503 only while its database is away, which the fault suite covers)."""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

import pytest

from tradai_client import TradaiClient, Unavailable, Unreachable


class Script:
    """What the server answers, in order; and what it was sent."""

    def __init__(self) -> None:
        self.answers: list[tuple[int, dict[str, str], dict[str, object]]] = []
        self.seen: list[tuple[str, dict[str, str]]] = []
        self.delay = 0.0


@pytest.fixture()
def server() -> Iterator[tuple[str, Script]]:
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_: object) -> None:
            pass

        def answer(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            self.rfile.read(length)
            script.seen.append((self.command, {k.lower(): v for k, v in self.headers.items()}))
            time.sleep(script.delay)
            status, headers, body = script.answers.pop(0) if script.answers else (200, {}, {"ok": True})
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/problem+json" if status >= 400 else "application/json")
            self.send_header("content-length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            try:
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (the timeout test)

        do_GET = do_POST = do_PUT = do_DELETE = answer

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", script
    finally:
        httpd.shutdown()


UNAVAILABLE = (503, {"retry-after": "0"}, {"type": "urn:tradai:problem:database-unavailable", "title": "Unavailable", "status": 503, "detail": "the database is away"})


def test_reads_are_retried_after_503_honouring_retry_after(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [UNAVAILABLE, UNAVAILABLE]
    api = TradaiClient(url, token="t", retries=3)
    waits: list[float] = []
    api._sleep = waits.append  # noqa: SLF001 - count the waits instead of sleeping
    assert api.health() == {"ok": True}
    assert [m for m, _ in script.seen] == ["GET", "GET", "GET"]
    assert waits == [0.0, 0.0]


def test_retry_after_is_honoured_beyond_the_backoff_cap_and_as_a_date(server: tuple[str, Script]) -> None:
    url, script = server
    dated = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=30), usegmt=True)
    script.answers = [(503, {"retry-after": "7"}, {}), (503, {"retry-after": dated}, {}), (503, {"retry-after": "600"}, {})]
    api = TradaiClient(url, token="t", retries=3, max_backoff=5, max_retry_after=60)
    waits: list[float] = []
    api._sleep = waits.append  # noqa: SLF001
    api.health()
    assert waits[0] == 7, "the server's word, not the 5 s backoff cap"
    assert 25 <= waits[1] <= 30
    assert waits[2] == 60, "capped at max_retry_after"


def test_posts_retry_with_the_same_idempotency_key(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [UNAVAILABLE]
    api = TradaiClient(url, token="t")
    api._sleep = lambda _: None  # noqa: SLF001
    api.create_config("S", {"a": 1})
    keys = [h["idempotency-key"] for _, h in script.seen]
    assert len(keys) == 2 and keys[0] == keys[1] and len(keys[0]) == 36


def test_puts_are_never_retried(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [UNAVAILABLE]
    api = TradaiClient(url, token="t")
    with pytest.raises(Unavailable) as refused:
        api.update_parameter({"name": "a", "type": "int", "description": "x"})
    assert refused.value.retry_after == 0 and refused.value.status == 503
    assert [m for m, _ in script.seen] == ["PUT"]


def test_gives_up_after_the_retries(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [UNAVAILABLE] * 5
    api = TradaiClient(url, token="t", retries=2)
    api._sleep = lambda _: None  # noqa: SLF001
    with pytest.raises(Unavailable):
        api.health()
    assert len(script.seen) == 3


def test_backoff_has_full_jitter_and_a_cap() -> None:
    api = TradaiClient("http://127.0.0.1:9", token="t", backoff=0.25, max_backoff=1.0)
    delays = [api._delay(attempt, None) for attempt in range(1, 8) for _ in range(50)]  # noqa: SLF001
    assert all(0 <= d <= 1.0 for d in delays)
    assert len({round(d, 6) for d in delays}) > 100  # random, not a fixed ladder


def test_every_call_has_a_timeout(server: tuple[str, Script]) -> None:
    url, script = server
    script.delay = 2.0
    api = TradaiClient(url, token="t", timeout=0.3, retries=0)
    started = time.monotonic()
    with pytest.raises(Unreachable) as slow:
        api.health()
    assert time.monotonic() - started < 1.5
    assert "did not answer within 0.3 s" in str(slow.value)


def test_an_unreachable_server_says_so() -> None:
    api = TradaiClient("http://127.0.0.1:9", token="t", retries=0, timeout=2)
    with pytest.raises(Unreachable) as error:
        api.health()
    assert "127.0.0.1:9" in str(error.value)


def test_credentials_never_print_their_secret() -> None:
    api = TradaiClient("http://x", token="s3cr3t-token")
    assert "s3cr3t" not in repr(api.credentials)
    assert TradaiClient("http://x", username="ü", password="€").credentials.authorization == "Basic w7w64oKs"  # type: ignore[union-attr]


def test_takes_url_and_credentials_from_the_environment_like_the_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRADAI_URL", "http://tradai.example:8000/")
    monkeypatch.setenv("TRADAI_USER", "ops")
    monkeypatch.setenv("TRADAI_PASSWORD", "pw")
    monkeypatch.delenv("TRADAI_TOKEN", raising=False)
    api = TradaiClient()
    assert api.url == "http://tradai.example:8000"
    assert api.credentials is not None and api.credentials.username == "ops"
    monkeypatch.setenv("TRADAI_TOKEN", "tok")
    assert TradaiClient().credentials.authorization == "Bearer tok"  # type: ignore[union-attr]
    monkeypatch.delenv("TRADAI_TOKEN")
    monkeypatch.delenv("TRADAI_USER")
    assert TradaiClient().credentials is None
