"""The live subscriber against a real ``tradai serve``: snapshot, changes held until boundary(), the four
reload classes (``shadow`` observed, never applied), heartbeats and sessions, and convergence after a restart, a cut stream, or a server that
is away when the worker starts (paper may start from its last-known-good copy, live never); strict live mode (live refuses a config
the catalog warns of and the server shows it, paper applies it)."""

from __future__ import annotations

import json
import logging
import os
import re
import stat
import time
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

import pytest
import requests

from conftest import admin_of, eventually, unique, worker_token
from platform_process import Platform, free_port
from tcp_proxy import TcpProxy
from tradai_client import ConfigSubscriber, StartError, TradaiClient

PARAMETERS = (
    {"name": "sub.stoploss", "type": "number", "description": "Stop", "reload": "hot"},
    {"name": "sub.stake", "type": "number", "description": "Stake per trade", "reload": "between_trades"},
    {"name": "sub.exchange", "type": "string", "description": "Venue", "reload": "restart"},
)


def values(stoploss: float, stake: float = 100, exchange: str = "binance") -> dict[str, Any]:
    return {"sub": {"stoploss": stoploss, "stake": stake, "exchange": exchange}}


def catalogue(admin: TradaiClient) -> None:
    known = {i["parameter"]["name"] for i in admin.catalog()["items"]}
    for definition in PARAMETERS:
        if definition["name"] not in known:
            admin.create_parameter(definition)


def activate(admin: TradaiClient, strategy: str, data: Mapping[str, Any]) -> str:
    config_id = str(admin.create_config(strategy, data)["config_id"])
    admin.activate(strategy, config_id, environment="dev")
    return config_id


class Events:
    def __init__(self) -> None:
        self.items: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, name: str, fields: Mapping[str, Any]) -> None:
        self.items.append((name, dict(fields)))

    def named(self, name: str) -> list[dict[str, Any]]:
        return [f for n, f in self.items if n == name]


@pytest.fixture()
def subscribers() -> Iterator[Callable[..., ConfigSubscriber]]:
    made: list[ConfigSubscriber] = []

    def make(url: str, token: str, strategy: str, **options: Any) -> ConfigSubscriber:
        subscriber = ConfigSubscriber(
            url,
            token=token,
            environment="dev",
            strategies=[strategy],
            worker_id=options.pop("worker_id", unique("py-worker-")),
            heartbeat_interval=options.pop("heartbeat_interval", 0.5),
            poll_interval=options.pop("poll_interval", 0.2),
            backoff=options.pop("backoff", (0.05, 0.3)),
            last_known_good=options.pop("last_known_good", None),
            **options,
        )
        made.append(subscriber)
        return subscriber

    yield make
    for subscriber in made:
        subscriber.stop()


def test_holds_changes_until_the_boundary_and_applies_each_class_where_it_may(
    admin: TradaiClient, platform: Platform, subscribers: Callable[..., ConfigSubscriber]
) -> None:
    catalogue(admin)
    strategy = unique("PySub")
    v1 = activate(admin, strategy, values(-0.05))
    events = Events()
    # Health figures of the worker's choosing, sent with each heartbeat (NaN is left out).
    # ... and a name the server would refuse is left out too, so the report still goes through.
    figures: dict[str, float] = {"errors": 0, "rejected_orders": 0, "broken": float("nan"), "Not A Name": 3}
    worker = subscribers(
        platform.url,
        worker_token(admin),
        strategy,
        on_event=events,
        code_version="py-test-1",
        labels={"canary": "true", "exchange": "binance"},
        health=lambda: dict(figures),
    )
    worker.start()
    first = worker.current()
    assert first.config_version_id == v1 and first.values == values(-0.05)
    assert first.resolved_hash == admin.resolve(strategy, environment="dev").resolved_hash  # type: ignore[union-attr]

    v2 = activate(admin, strategy, values(-0.03, stake=250, exchange="kraken"))
    eventually(lambda: worker.has_pending, "the change to arrive")
    assert worker.current() is first, "nothing applies mid-cycle"

    [changed] = worker.boundary(open_trades=2, at="bot_loop_start")
    assert changed.config_version_id == v2
    assert changed.values == values(-0.03, stake=100, exchange="binance")
    assert changed.pending_restart == ("sub.exchange",)
    assert changed.pending_between_trades == ("sub.stake",)
    assert worker.pending_between_trades() == {strategy: ("sub.stake",)}
    assert worker.restart_required
    assert worker.boundary(open_trades=1) == [], "still a trade open: the stake waits"

    [flat] = worker.boundary(open_trades=0, at="bot_loop_start")
    assert flat.values == values(-0.03, stake=250, exchange="binance")
    assert flat.pending_between_trades == () and flat.pending_restart == ("sub.exchange",)
    assert not worker.has_pending

    applied = events.named("config_version_applied")
    assert [(e["config_version_id"], e["boundary"]) for e in applied] == [(v2, "bot_loop_start")] * 2
    assert applied[0]["latency_ms"] is not None and applied[0]["latency_ms"] >= 0
    assert applied[0]["seq"] == worker.seq and applied[0]["pending_between_trades"] == ["sub.stake"]
    assert events.named("config_apply_violation") == []

    tagged = worker.tag({"pnl": 12.5})
    assert tagged == {"pnl": 12.5, "config_version_id": v2, "resolved_hash": flat.resolved_hash, "session_id": worker.session_id()}

    def reported() -> dict[str, Any] | None:
        found = [w for w in admin.list_workers() if w["worker_id"] == worker.worker_id]
        ok = found and found[0]["strategies"][0]["applied_hash"] == flat.resolved_hash
        return found[0] if ok else None

    view = eventually(reported, "the heartbeat with the last apply")
    assert view["labels"] == {"canary": "true", "exchange": "binance"}
    figures["errors"] = 3
    healthy = eventually(
        lambda: w if (w := reported()) and w["health"].get("errors") == 3 else None, "the next heartbeat's figures"
    )
    assert healthy["health"] == {"errors": 3, "rejected_orders": 0}
    assert view["pending_restart"] == [f"{strategy}:sub.exchange"]
    assert view["pending_between_trades"] == []
    session = admin.get_session(str(worker.session_id()))
    assert session["code_version"] == "py-test-1" and session["mode"] == "live"
    history = eventually(
        lambda: h if len(h := admin.get_session(str(worker.session_id()))["history"]) == 3 else None,
        "three applies in the session's history",
    )
    assert [h["boundary"] for h in history] == ["start", "bot_loop_start", "bot_loop_start"]
    assert history[1]["pending_between_trades"] == ["sub.stake"]


SHADOW_PARAMETER = {"name": "sub.order_type", "type": "string", "description": "Order type, in shadow", "reload": "shadow"}


def test_a_shadow_change_is_never_applied_and_the_server_counts_what_would_have_applied(
    admin: TradaiClient, platform: Platform, subscribers: Callable[..., ConfigSubscriber]
) -> None:
    catalogue(admin)
    if SHADOW_PARAMETER["name"] not in {i["parameter"]["name"] for i in admin.catalog()["items"]}:
        admin.create_parameter(SHADOW_PARAMETER)
    strategy = unique("PyShadow")

    def with_order_type(order_type: str, stoploss: float) -> dict[str, Any]:
        data = values(stoploss)
        data["sub"]["order_type"] = order_type
        return data

    activate(admin, strategy, with_order_type("market", -0.05))
    events = Events()
    worker = subscribers(platform.url, worker_token(admin), strategy, on_event=events)
    worker.start()
    assert worker.current().get("sub.order_type") == "market"

    v2 = activate(admin, strategy, with_order_type("limit", -0.04))
    eventually(lambda: worker.has_pending, "the change to arrive")
    [changed] = worker.boundary(open_trades=2, at="bot_loop_start")
    assert changed.config_version_id == v2 and changed.get("sub.stoploss") == -0.04, "the hot key beside it applies"
    assert worker.current().get("sub.order_type") == "market", "the shadow key keeps the value in use"
    assert changed.held_shadow == ("sub.order_type",) and worker.held_shadow() == {strategy: ("sub.order_type",)}
    assert changed.pending_restart == () and changed.pending_between_trades == ()

    [would] = events.named("config_shadow_would_apply")
    assert (would["key"], would["old"], would["new"]) == ("sub.order_type", "market", "limit")
    assert (would["strategy"], would["boundary"], would["open_trades"], would["trade_open"]) == (strategy, "bot_loop_start", 2, True)
    assert would["seq"] == changed.seq and would["worker_id"] == worker.worker_id
    assert events.named("config_version_applied")[0]["held_shadow"] == ["sub.order_type"]
    assert events.named("config_apply_violation") == []
    worker.boundary(open_trades=0)
    assert len(events.named("config_shadow_would_apply")) == 1, "the same new value is observed once"
    assert worker.current().get("sub.order_type") == "market"

    def counted() -> dict[str, Any] | None:
        answer = admin.request("GET", "/api/v1/catalog/shadow", query={"environment": "dev"}).json()
        found = [i for i in answer["items"] if i["key"] == "sub.order_type"]
        return found[0] if found and found[0]["events"] >= 1 else None

    item = eventually(counted, "the server to count the observation from the heartbeat")
    assert (item["reload"], item["events"], item["workers"]) == ("shadow", 1, 1)
    assert (item["mid_trade"], item["trade_unknown"]) == (1, 0), "observed with 2 trades open"
    assert item["first_at"] and item["last_at"]


def test_refuses_wrong_credentials_at_once(platform: Platform, subscribers: Callable[..., ConfigSubscriber]) -> None:
    worker = subscribers(platform.url, "not-a-token", "Anything", start_timeout=20)
    started = time.monotonic()
    with pytest.raises(StartError, match="HTTP 401"):
        worker.start()
    assert time.monotonic() - started < 5


def test_converges_after_a_cut_stream_and_polls_while_it_cannot_stream(
    admin: TradaiClient, platform: Platform, subscribers: Callable[..., ConfigSubscriber]
) -> None:
    catalogue(admin)
    strategy = unique("PyCut")
    activate(admin, strategy, values(-0.05))
    proxy = TcpProxy(platform.port)
    try:
        worker = subscribers(proxy.url, worker_token(admin), strategy)
        worker.start()
        eventually(lambda: worker.streaming, "the stream")
        seq = worker.seq
        # Cut: the worker resumes with Last-Event-ID and misses nothing made meanwhile.
        proxy.cut()
        v2 = activate(admin, strategy, values(-0.04))
        eventually(lambda: worker.has_pending, "the change made while the stream was cut")
        worker.boundary()
        assert worker.current().config_version_id == v2
        # The change may come by the resolve poll (it runs while the stream is down) before the
        # stream resumes; the resumed stream then brings the worker's seq past it, and the same
        # config again, which the next boundary takes without changing anything.
        eventually(lambda: worker.seq > seq, "the resumed stream")
        worker.boundary()
        assert worker.current().config_version_id == v2 and not worker.has_pending
        assert proxy.streams_opened >= 2

        # No stream at all: resolve is polled, and hot keys apply at the boundary as they would.
        proxy.block_stream = True
        proxy.cut()
        eventually(lambda: not worker.streaming, "the stream to be down")
        v3 = activate(admin, strategy, values(-0.02, stake=300))
        eventually(lambda: worker.has_pending, "the change by polling")
        [changed] = worker.boundary(open_trades=0)
        assert changed.config_version_id == v3
        assert changed.values == values(-0.02, stake=300)  # the catalog's classes came with the poll
        assert not worker.streaming
        proxy.block_stream = False
        eventually(lambda: worker.streaming, "the stream to come back")
    finally:
        proxy.close()


def test_converges_after_the_server_restarts(
    new_platform: Callable[..., Platform], subscribers: Callable[..., ConfigSubscriber]
) -> None:
    own = new_platform()
    admin = admin_of(own)
    catalogue(admin)
    strategy = unique("PyRestart")
    activate(admin, strategy, values(-0.05))
    worker = subscribers(own.url, worker_token(admin), strategy)
    worker.start()
    own.restart()
    v2 = activate(admin, strategy, values(-0.01))
    eventually(lambda: worker.has_pending, "the change after the restart", timeout=30)
    worker.boundary()
    assert worker.current().config_version_id == v2
    eventually(lambda: worker.streaming, "the stream again")


def test_server_away_at_start_live_refuses_paper_starts_stale_from_its_copy(
    new_platform: Callable[..., Platform], subscribers: Callable[..., ConfigSubscriber], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    own = new_platform()
    admin = admin_of(own)
    catalogue(admin)
    strategy = unique("PyAway")
    v1 = activate(admin, strategy, values(-0.05))
    token = worker_token(admin)
    copy = tmp_path / "paper-1.json"
    # A first run writes the last-known-good copy, mode 0600.
    first = subscribers(own.url, token, strategy, mode="paper", last_known_good=copy)
    first.start()
    first.stop()
    assert stat.S_IMODE(os.stat(copy).st_mode) == 0o600
    own.stop()

    live = subscribers(own.url, token, strategy, mode="live", last_known_good=copy, start_timeout=2)
    started = time.monotonic()
    with pytest.raises(StartError, match="a live worker starts only from a config the server verified"):
        live.start()
    assert time.monotonic() - started < 6

    caplog.set_level(logging.WARNING, logger="tradai_client")
    proxy = TcpProxy(own.port)  # the paper worker's way to the server, cut until the server moved on
    proxy.refuse_all = True
    paper = subscribers(proxy.url, token, strategy, mode="paper", last_known_good=copy, start_timeout=10)
    paper.start()
    assert paper.stale and paper.current().config_version_id == v1
    assert any("STALE until the server answers" in r.getMessage() for r in caplog.records)

    # While the worker ran on its copy, the server moved on: its first snapshot is a change, with the
    # catalog's reload classes (a hot key applies at the boundary, not held as restart-only).
    own.start()
    moved = activate(admin, strategy, values(-0.03))
    proxy.refuse_all = False
    eventually(lambda: not paper.stale, "the server to answer", timeout=30)

    def applied_moved() -> bool:
        paper.boundary()
        return paper.current().config_version_id == moved

    eventually(applied_moved, "the version made while the worker ran on its copy", timeout=30)
    assert paper.current().values == values(-0.03) and paper.current().pending_restart == ()
    v2 = activate(admin, strategy, values(-0.02))

    def applied_v2() -> bool:
        paper.boundary()  # the worker's loop: the reconnect's snapshot may come first, then the change
        return paper.current().config_version_id == v2

    eventually(applied_v2, "the change after the server came back", timeout=30)
    assert paper.current().values == values(-0.02)
    proxy.close()


def test_a_tampered_copy_is_never_used(tmp_path: Path, subscribers: Callable[..., ConfigSubscriber]) -> None:
    copy = tmp_path / "copy.json"
    copy.write_text(
        '{"environment": "dev", "seq": 3, "saved_at": "x", "configs": [{"strategy": "T", "config_version_id": "v1-00000000",'
        ' "resolved_hash": "' + "0" * 64 + '", "values": {"a": 1}}]}'
    )
    nowhere = f"http://127.0.0.1:{free_port()}"
    paper = subscribers(nowhere, "t", "T", mode="paper", last_known_good=copy, start_timeout=2)
    with pytest.raises(StartError, match="no usable last-known-good copy"):
        paper.start()


def test_a_live_worker_does_not_start_on_a_strategy_with_no_active_version_a_paper_one_warns(
    admin: TradaiClient, platform: Platform, subscribers: Callable[..., ConfigSubscriber], caplog: pytest.LogCaptureFixture
) -> None:
    token = worker_token(admin)
    missing = unique("NeverActivated")
    live = subscribers(platform.url, token, missing, mode="live", start_timeout=10)
    with pytest.raises(StartError, match=f"{missing} has no active version in dev"):
        live.start()
    caplog.set_level(logging.WARNING, logger="tradai_client")
    paper = subscribers(platform.url, token, missing, mode="paper", start_timeout=10)
    paper.start()
    assert paper.current().values == {} and paper.current().config_version_id is None
    assert any("starts with no values" in r.getMessage() for r in caplog.records)


def test_a_failing_event_sink_never_breaks_the_loop_nor_loses_the_apply(
    admin: TradaiClient, platform: Platform, subscribers: Callable[..., ConfigSubscriber]
) -> None:
    catalogue(admin)
    strategy = unique("PySink")
    activate(admin, strategy, values(-0.05))

    def broken_sink(name: str, fields: Mapping[str, Any]) -> None:
        raise RuntimeError("the log shipper is down")

    worker = subscribers(platform.url, worker_token(admin), strategy, on_event=broken_sink)
    worker.start()
    v2 = activate(admin, strategy, values(-0.04))
    eventually(lambda: worker.has_pending, "the change")
    [changed] = worker.boundary()
    assert changed.config_version_id == v2 and worker.current() is changed
    history = eventually(
        lambda: h if len(h := admin.get_session(str(worker.session_id()))["history"]) == 2 else None,
        "the apply in the session's history",
    )
    assert history[1]["config_version_id"] == v2


def test_an_apply_that_breaks_the_rule_is_reported_as_a_violation(
    admin: TradaiClient, platform: Platform, subscribers: Callable[..., ConfigSubscriber]
) -> None:
    """The library cannot apply a key outside its class's safe point; if its apply were broken (here:
    replaced by one that takes every value at once), boundary() reports config_apply_violation."""
    catalogue(admin)
    strategy = unique("PyMisuse")
    activate(admin, strategy, values(-0.05))
    events = Events()
    worker = subscribers(platform.url, worker_token(admin), strategy, on_event=events)
    worker.start()
    activate(admin, strategy, values(-0.04, stake=300, exchange="kraken"))
    eventually(lambda: worker.has_pending, "the change")
    state = worker._state  # noqa: SLF001 - misuse on purpose
    pending = dict(state._pending)  # noqa: SLF001

    def apply_everything(open_trades: int | None = None, now: str | None = None, at: str = "boundary") -> list[Any]:
        state._pending.clear()  # noqa: SLF001
        state.initialise([config for config, _ in pending.values()], worker.seq)
        return state.all()

    def reported() -> float:
        text = requests.get(f"{platform.url}/metrics", timeout=5).text
        found = re.search(r'^tradai_config_apply_violations_total\{environment="dev"\} (\S+)$', text, re.M)
        return float(found.group(1)) if found else 0.0

    before = reported()
    state.boundary = apply_everything  # type: ignore[method-assign]
    worker.boundary(open_trades=2)
    violations = {(v["key"], v["reload"]) for v in events.named("config_apply_violation")}
    assert violations == {("sub.exchange", "restart"), ("sub.stake", "between_trades")}
    # The heartbeat carries the count: the server's KPI 4 counter (and its alert) sees both.
    eventually(lambda: reported() >= before + 2, "the violations counted by the server")


def test_strict_live_mode_refuses_a_deprecated_value_and_the_server_shows_it_paper_applies_it(
    admin: TradaiClient,
    platform: Platform,
    subscribers: Callable[..., ConfigSubscriber],
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    catalogue(admin)
    strategy = unique("PyStrict")
    key = f"{unique('strict')}.order_type"  # a parameter of this strategy only
    definition: dict[str, Any] = {
        "name": key,
        "type": "enum",
        "allowed": ["market", "limit", "stop_market"],
        "description": "Order type",
        "reload": "hot",
        "strategies": [strategy],
    }
    admin.create_parameter(definition)
    group, leaf = key.split(".")

    def with_order_type(order_type: str, stoploss: float) -> dict[str, Any]:
        return {**values(stoploss), group: {leaf: order_type}}

    v1 = activate(admin, strategy, with_order_type("market", -0.05))
    token = worker_token(admin)
    live_events, paper_events = Events(), Events()
    copy = tmp_path / "live.json"
    live = subscribers(platform.url, token, strategy, mode="live", on_event=live_events, last_known_good=copy)
    paper = subscribers(platform.url, token, strategy, mode="paper", on_event=paper_events)
    live.start()
    paper.start()
    assert live.current().config_version_id == v1 == paper.current().config_version_id
    assert live.refused() == {}

    # A version made while its value was fine, then the value deprecated (the server refuses a new
    # version with a deprecated value), then that version activated: its config has a warning.
    v2 = str(admin.create_config(strategy, with_order_type("stop_market", -0.03))["config_id"])
    deprecation = {"stop_market": {"replacement": "market", "reason": "incident #12"}}
    admin.update_parameter({**definition, "deprecated_values": deprecation})
    admin.activate(strategy, v2, environment="dev")
    resolved = admin.resolve(strategy, environment="dev")
    assert resolved is not None and resolved.config_version_id == v2
    [warning] = resolved.warnings
    assert (warning["key"], warning["kind"]) == (key, "deprecated_value") and "incident #12" in warning["message"]
    reason = "catalog warnings: " + warning["message"]

    eventually(lambda: live.has_pending and paper.has_pending, "the change at both workers")
    caplog.set_level(logging.WARNING, logger="tradai_client")
    assert live.boundary(open_trades=0, at="bot_loop_start") == [], "live applies none of its keys, not even the hot ones"
    assert live.current().config_version_id == v1 and live.current().values == with_order_type("market", -0.05)
    assert live.refused() == {strategy: reason} and not live.has_pending
    [refused] = live_events.named("config_refused")
    assert (refused["strategy"], refused["config_version_id"], refused["resolved_hash"]) == (strategy, v2, resolved.resolved_hash)
    assert refused["reason"] == reason and refused["warnings"] == [warning]
    assert live_events.named("config_version_applied") == []
    assert live.boundary(open_trades=0) == [] and len(live_events.named("config_refused")) == 1, "once, not at every boundary"
    assert [c["config_version_id"] for c in json.loads(copy.read_text())["configs"]] == [v1], "the copy is what live runs"

    [changed] = paper.boundary(open_trades=0, at="bot_loop_start")
    assert changed.config_version_id == v2 and changed.get(key) == "stop_market", "paper applies it"
    assert paper.refused() == {} and paper_events.named("config_refused") == []
    warned = [r.getMessage() for r in caplog.records if r.name == "tradai_client" and r.levelno == logging.WARNING]
    assert any(f"live worker {live.worker_id} refused the config {v2}" in m and reason in m for m in warned), warned
    assert any(f"paper worker {paper.worker_id}" in m and warning["message"] in m for m in warned), warned

    def view(worker: ConfigSubscriber, status: str | None = None) -> dict[str, Any] | None:
        found = [w for w in admin.list_workers() if w["worker_id"] == worker.worker_id]
        return found[0] if found and (status is None or found[0]["status"] == status) else None

    shown = eventually(lambda: view(live, "refused"), "the server to show the live worker refusing")
    [entry] = shown["refused"]
    assert (entry["strategy"], entry["config_version_id"], entry["resolved_hash"]) == (strategy, v2, resolved.resolved_hash)
    assert entry["reason"] == reason and entry["at"]
    assert shown["strategies"][0]["applied_hash"] == live.current().resolved_hash
    paper_view = eventually(
        lambda: v if (v := view(paper)) and v["strategies"][0]["applied_hash"] == resolved.resolved_hash else None,
        "the paper worker's report of the apply",
    )
    assert paper_view["status"] != "refused" and paper_view["refused"] == []

    fresh = subscribers(platform.url, token, strategy, mode="live", start_timeout=10)
    with pytest.raises(StartError, match="catalog warnings") as not_started:
        fresh.start()
    assert strategy in str(not_started.value) and warning["message"] in str(not_started.value)

    v3 = activate(admin, strategy, with_order_type("limit", -0.03))
    eventually(lambda: live.has_pending, "the clean change")
    [applied] = live.boundary(open_trades=0)
    assert applied.config_version_id == v3 and applied.get(key) == "limit" and live.refused() == {}
    cleared = eventually(
        lambda: v if (v := view(live)) and v["status"] != "refused" and v["refused"] == [] else None,
        "the refusal cleared on the server",
    )
    assert cleared["strategies"][0]["applied_hash"] == applied.resolved_hash
    assert [c["config_version_id"] for c in json.loads(copy.read_text())["configs"]] == [v3]


def test_a_staged_rollout_reaches_the_labelled_worker_only(
    admin: TradaiClient, platform: Platform, subscribers: Callable[..., ConfigSubscriber]
) -> None:
    """The library names its worker and labels on the stream: a rollout's selector step assigns it."""
    catalogue(admin)
    strategy = unique("PyRollout")
    v1 = activate(admin, strategy, values(-0.05))
    token = worker_token(admin)
    canary = subscribers(platform.url, token, strategy, labels={"canary": "true", "desk": "a,b"})
    other = subscribers(platform.url, token, strategy, labels={"canary": "false"})
    canary.start()
    other.start()
    eventually(
        lambda: {w["worker_id"] for w in admin.request("GET", "/api/v1/workers").json()["items"]}
        >= {canary.worker_id, other.worker_id},
        "both workers reporting",
    )
    v2 = str(admin.create_config(strategy, values(-0.04))["config_id"])
    started = admin.request(
        "POST",
        "/api/v1/rollouts",
        body={
            "strategy": strategy,
            "environment": "dev",
            "config_id": v2,
            "steps": [{"selector": "canary=true", "bake_seconds": 3600}, {"share": 1, "bake_seconds": 0}],
        },
    )
    assert started.status_code == 201, started.text
    eventually(lambda: canary.has_pending, "the rollout's version to reach the canary")
    [changed] = canary.boundary()
    assert changed.config_version_id == v2 and changed.values == values(-0.04)
    # The other worker heard the event too, with its own (unchanged) config: nothing to apply.
    time.sleep(1.0)
    other.boundary()
    assert other.current().config_version_id == v1
    status = admin.request("GET", f"/api/v1/rollouts/{started.json()['id']}").json()
    assigned = {w["worker_id"]: w["assigned"] for w in status["workers"]}
    assert assigned == {canary.worker_id: True, other.worker_id: False}
