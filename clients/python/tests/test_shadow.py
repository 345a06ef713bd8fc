"""The ``shadow`` reload class without a server: a change is never applied, it is observed once per new
value at the boundary where a ``hot`` key would have taken it, logged, emitted as
``config_shadow_would_apply``, and carried by the heartbeats until the server acknowledges it."""

from __future__ import annotations

import logging
import re
from typing import Any, Mapping

import pytest

from tradai_client import ConfigSubscriber
from tradai_client.applied_state import ABSENT, AppliedState, IncomingConfig
from tradai_client.canonical import content_hash

CLASSES = {"risk.stoploss": "hot", "risk.stake": "between_trades", "exec.mode": "shadow", "exec.limits": "shadow"}
ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def config(values: Mapping[str, Any], version: int) -> IncomingConfig:
    return IncomingConfig("S", f"v{version}-{version:08x}", content_hash(values), values)


def started(values: Mapping[str, Any]) -> AppliedState:
    state = AppliedState()
    state.initialise([config(values, 1)], 1)
    state.set_reload_classes(CLASSES)
    return state


V1: dict[str, Any] = {"risk": {"stoploss": -0.1, "stake": 100}, "exec": {"mode": "market", "limits": [1, 2]}}


def test_a_shadow_change_is_not_applied_and_is_observed_with_what_would_have_applied() -> None:
    state = started(V1)
    v2 = {"risk": {"stoploss": -0.05, "stake": 100}, "exec": {"mode": "limit", "limits": [1, 2]}}
    state.receive([config(v2, 2)], 7)
    [changed] = state.boundary(open_trades=2, now="2026-01-02T03:04:05.678Z", at="bot_loop_start")
    assert changed.get("risk.stoploss") == -0.05, "the hot key beside it applies"
    assert changed.get("exec.mode") == "market", "the shadow key keeps the value in use"
    assert changed.held_shadow == ("exec.mode",) and changed.pending_restart == () and changed.pending_between_trades == ()
    assert changed.config_version_id == "v2-00000002" and changed.seq == 7
    assert changed.resolved_hash == content_hash(changed.values) != content_hash(v2), "the server's hash is not claimed"

    [seen] = state.take_shadow_observations()
    assert (seen.strategy, seen.key, seen.old, seen.new) == ("S", "exec.mode", "market", "limit")
    assert (seen.seq, seen.boundary, seen.open_trades, seen.trade_open) == (7, "bot_loop_start", 2, True)
    assert seen.to_wire() == {
        "strategy": "S",
        "key": "exec.mode",
        "old": "market",
        "new": "limit",
        "seq": 7,
        "boundary": "bot_loop_start",
        "open_trades": 2,
        "at": "2026-01-02T03:04:05.678Z",
    }, "trade_open is not sent: the server derives it"
    assert state.take_shadow_observations() == [], "taken once"


def test_one_observation_per_new_value_until_the_key_is_back_to_its_value_in_use() -> None:
    state = started(V1)

    def change(mode: str, version: int, open_trades: int | None = None) -> list[tuple[object, object]]:
        values = {**V1, "exec": {"mode": mode, "limits": [1, 2]}}
        state.receive([config(values, version)], version)
        state.boundary(open_trades)
        return [(o.old, o.new) for o in state.take_shadow_observations()]

    assert change("limit", 2) == [("market", "limit")]
    assert change("limit", 3) == [], "a later config repeating the same shadow value is not news"
    assert change("twap", 4) == [("market", "twap")]
    applied = state.get("S")
    assert applied is not None and applied.held_shadow == ("exec.mode",) and applied.config_version_id == "v4-00000004"
    assert change("market", 5) == [], "back to the value in use: nothing to observe"
    back = state.get("S")
    assert back is not None and back.held_shadow == ()
    assert back.resolved_hash == content_hash(V1), "nothing held: the server's hash again"
    assert change("limit", 6) == [("market", "limit")], "forgotten once back: the same value is news again"


def test_the_observation_is_made_at_the_first_boundary_whatever_open_trades_and_not_again_while_pending() -> None:
    state = started(V1)
    v2 = {"risk": {"stoploss": -0.1, "stake": 250}, "exec": {"mode": "limit", "limits": [1, 2]}}
    state.receive([config(v2, 2)], 2)
    state.boundary()  # open trades not told: the stake waits, the shadow key is observed all the same
    [seen] = state.take_shadow_observations()
    assert (seen.open_trades, seen.trade_open, seen.boundary) == (None, None, "boundary")
    assert state.has_pending, "the stake keeps the config pending"
    state.boundary(open_trades=1)
    assert state.take_shadow_observations() == [], "the same change, seen again: no second observation"
    [flat] = state.boundary(open_trades=0)
    assert flat.get("risk.stake") == 250 and flat.get("exec.mode") == "market" and flat.held_shadow == ("exec.mode",)
    assert state.take_shadow_observations() == []
    assert not state.has_pending, "a held shadow key never keeps a config pending: it never applies"


def test_a_removed_shadow_key_is_observed_without_new_and_an_added_one_without_old() -> None:
    state = started(V1)
    v2 = {"risk": {"stoploss": -0.1, "stake": 100}, "exec": {"mode": "market"}}
    state.receive([config(v2, 2)], 2)
    [changed] = state.boundary(open_trades=0)
    assert changed.get("exec.limits") == (1, 2), "a removal of a shadow key is not applied either"
    assert changed.held_shadow == ("exec.limits",)
    [removed] = state.take_shadow_observations()
    assert removed.key == "exec.limits" and removed.old == (1, 2) and removed.new is ABSENT
    assert removed.trade_open is False
    assert removed.to_wire()["old"] == [1, 2] and "new" not in removed.to_wire()
    state.receive([config(v2, 3)], 3)
    state.boundary(open_trades=0)
    assert state.take_shadow_observations() == [], "still absent: the same (absent) value, not news"

    added = started({"risk": {"stoploss": -0.1}})
    added.receive([config({"risk": {"stoploss": -0.1}, "exec": {"mode": "limit"}}, 2)], 2)
    [now] = added.boundary(open_trades=0)
    assert now.get("exec.mode") is None and now.held_shadow == ("exec.mode",)
    [new_key] = added.take_shadow_observations()
    assert new_key.old is ABSENT and new_key.new == "limit" and "old" not in new_key.to_wire()


def test_unknown_classes_still_mean_restart() -> None:
    state = AppliedState()
    state.initialise([config({"a": 1}, 1)], 1)
    state.set_reload_classes({"a": "someday"})
    state.receive([config({"a": 2}, 2)], 2)
    [changed] = state.boundary(open_trades=0)
    assert changed.get("a") == 1 and changed.pending_restart == ("a",) and changed.held_shadow == ()
    assert state.take_shadow_observations() == []


# --- the subscriber's side, with the server replaced by a recorder --------------------------------


class Answer:
    def __init__(self, status: int) -> None:
        self.status_code = status
        self.ok = 200 <= status < 300
        self.text = "" if self.ok else "unavailable"

    def json(self) -> dict[str, Any]:
        return {}


class Server:
    """Records each POST body and answers with the next status given (200 when none is left)."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.statuses: list[int] = []

    def __call__(self, path: str, body: Mapping[str, Any], timeout: object = None) -> Answer:
        self.bodies.append(dict(body))
        return Answer(self.statuses.pop(0) if self.statuses else 200)


def subscriber() -> tuple[ConfigSubscriber, list[tuple[str, dict[str, Any]]], Server]:
    events: list[tuple[str, dict[str, Any]]] = []
    worker = ConfigSubscriber(
        "http://127.0.0.1:9",
        token="t",
        environment="dev",
        strategies=["S"],
        worker_id="w-1",
        last_known_good=None,
        on_event=lambda name, fields: events.append((name, dict(fields))),
    )
    server = Server()
    worker._post = server  # type: ignore[method-assign]  # noqa: SLF001 - no server in this test
    worker._state.initialise([config(V1, 1)], 1)  # noqa: SLF001 - what start() would have taken
    worker._state.set_reload_classes(CLASSES)  # noqa: SLF001
    return worker, events, server


def receive(worker: ConfigSubscriber, mode: str, version: int) -> None:
    values = {**V1, "exec": {"mode": mode, "limits": [1, 2]}}
    worker._accept([config(values, version)], [], False, version)  # noqa: SLF001 - as the stream thread does


def test_the_subscriber_logs_emits_counts_and_reports_each_observation_until_acknowledged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    worker, events, server = subscriber()
    caplog.set_level(logging.INFO, logger="tradai_client")
    receive(worker, "limit", 2)
    [changed] = worker.boundary(open_trades=1, at="bot_loop_start")
    assert worker.current() is changed and changed.get("exec.mode") == "market"
    assert worker.held_shadow() == {"S": ("exec.mode",)}

    [line] = [r for r in caplog.records if r.name == "tradai_client" and r.levelno == logging.INFO]
    message = line.getMessage()
    for part in ("exec.mode", "S", '"market" -> "limit"', "bot_loop_start", "a trade open"):
        assert part in message, f"{part!r} in {message!r}"

    applied = [f for n, f in events if n == "config_version_applied"]
    assert applied[0]["held_shadow"] == ["exec.mode"]
    [would] = [f for n, f in events if n == "config_shadow_would_apply"]
    assert would == {
        "strategy": "S",
        "worker_id": "w-1",
        "environment": "dev",
        "key": "exec.mode",
        "old": "market",
        "new": "limit",
        "seq": 2,
        "boundary": "bot_loop_start",
        "open_trades": 1,
        "trade_open": True,
    }

    server.statuses = [503]
    worker._send_heartbeat()  # noqa: SLF001 - the reporter thread's work
    worker._send_heartbeat()  # noqa: SLF001
    first, resent = server.bodies
    [observation] = first["shadow"]
    assert observation["id"] == 1 and ISO_MS.match(observation["at"])
    assert {k: v for k, v in observation.items() if k != "at"} == {
        "id": 1,
        "strategy": "S",
        "key": "exec.mode",
        "old": "market",
        "new": "limit",
        "seq": 2,
        "boundary": "bot_loop_start",
        "open_trades": 1,
    }
    assert resent["shadow"] == first["shadow"], "not acknowledged (503): sent again, same id"
    assert first["events"]["config_shadow_would_apply"] == 1
    [record] = first["applies"]
    assert record["held_shadow"] == ["exec.mode"], "an apply record names the held shadow keys"
    assert "held_shadow" not in first, "the heartbeat itself has no such field"
    worker._send_heartbeat()  # noqa: SLF001
    assert "shadow" not in server.bodies[-1], "acknowledged (200): not sent again"

    receive(worker, "twap", 3)
    worker.boundary(open_trades=0)
    receive(worker, "market", 4)  # back to the value in use: nothing held, nothing observed
    worker.boundary(open_trades=0)
    assert worker.held_shadow() == {}
    worker._send_heartbeat()  # noqa: SLF001
    [second] = server.bodies[-1]["shadow"]
    assert (second["id"], second["new"], second["open_trades"]) == (2, "twap", 0)
    held, released = server.bodies[-1]["applies"]
    assert held["held_shadow"] == ["exec.mode"] and "held_shadow" not in released, "sent only when some are held"


def test_unreported_observations_are_capped_and_sent_200_at_a_time(caplog: pytest.LogCaptureFixture) -> None:
    worker, _, server = subscriber()
    caplog.set_level(logging.WARNING, logger="tradai_client")
    for version in range(2, 5004):  # 5002 distinct new values, one observation each: the cap drops two
        receive(worker, f"m{version}", version)
        worker.boundary(open_trades=0)
    assert any("shadow observations: dropped the 1 oldest" in r.getMessage() for r in caplog.records)
    worker._unreported.clear()  # noqa: SLF001 - only the observations here
    worker._send_heartbeat()  # noqa: SLF001
    sent = server.bodies[-1]["shadow"]
    assert [o["id"] for o in sent] == list(range(3, 203)), "the oldest two dropped, then oldest first, 200 at most"
