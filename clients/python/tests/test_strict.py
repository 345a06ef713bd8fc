"""Strict live mode without a server: a live worker refuses, at the boundary, a config the catalog warns
of (none of its keys apply, whatever their class), records the refusal once per resolved hash, reports
it in its heartbeats until a later config without warnings is applied, never keeps it as its
last-known-good copy, and does not start on one; a paper worker applies it and warns."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any, Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradai_client import ConfigSubscriber, StartError
from tradai_client.applied_state import AppliedState, ConfigWarning, IncomingConfig
from tradai_client.canonical import content_hash

CLASSES = {"risk.stoploss": "hot", "risk.stake": "between_trades", "exec.order_type": "hot"}
ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
DEPRECATED = {
    "key": "exec.order_type",
    "kind": "deprecated_value",
    "message": 'exec.order_type = "stop_market" is deprecated (use "market"): incident #12',
}
UNCATALOGUED = {"key": "exec.venue", "kind": "uncatalogued", "message": "exec.venue is not in the catalog"}


def values(stoploss: float = -0.1, stake: float = 100, order_type: str = "market") -> dict[str, Any]:
    return {"risk": {"stoploss": stoploss, "stake": stake}, "exec": {"order_type": order_type}}


def wire(data: Mapping[str, Any], version: int, warnings: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """A config as the stream sends it (``warnings`` left out: as an older server sends it)."""
    raw: dict[str, Any] = {
        "strategy": "S",
        "config_version_id": f"v{version}-{version:08x}",
        "resolved_hash": content_hash(data),
        "values": data,
    }
    if warnings is not None:
        raw["warnings"] = warnings
    return raw


def config(data: Mapping[str, Any], version: int, warnings: list[dict[str, str]] | None = None) -> IncomingConfig:
    return IncomingConfig.from_wire(wire(data, version, warnings))


def started(strict: bool) -> AppliedState:
    state = AppliedState(strict=strict)
    state.initialise([config(values(), 1, [])], 1)
    state.set_reload_classes(CLASSES)
    return state


def test_warnings_come_from_the_wire_and_an_older_server_sends_none() -> None:
    old = config(values(), 1)
    assert old.warnings == () and old.verified
    new = config(values(), 1, [DEPRECATED, UNCATALOGUED])
    assert new.warnings == (ConfigWarning(**DEPRECATED), ConfigWarning(**UNCATALOGUED))
    assert new.verified and new.resolved_hash == old.resolved_hash, "the hash covers the values only"
    assert new.to_wire()["warnings"] == [DEPRECATED, UNCATALOGUED], "kept with the config on disk"
    assert IncomingConfig.from_wire(new.to_wire()) == new


def test_live_refuses_a_config_with_warnings_whole_and_once_until_a_clean_one_is_applied() -> None:
    state = started(strict=True)
    first = state.get("S")
    bad = values(stoploss=-0.05, stake=250, order_type="stop_market")
    state.receive([config(bad, 2, [DEPRECATED])], 7)
    assert state.boundary(open_trades=0, now="2026-01-02T03:04:05.678Z", at="bot_loop_start") == []
    assert state.get("S") is first, "no key applies, not even the hot ones: the config in use stays"
    assert not state.has_pending, "the refused config is dropped, not retried at every boundary"

    [refusal] = state.take_refusals()
    assert (refusal.strategy, refusal.config_version_id, refusal.resolved_hash) == ("S", "v2-00000002", content_hash(bad))
    assert (refusal.seq, refusal.boundary, refusal.at) == (7, "bot_loop_start", "2026-01-02T03:04:05.678Z")
    assert refusal.reason == "catalog warnings: " + DEPRECATED["message"]
    assert refusal.to_wire() == {
        "strategy": "S",
        "config_version_id": "v2-00000002",
        "resolved_hash": content_hash(bad),
        "reason": refusal.reason,
        "at": "2026-01-02T03:04:05.678Z",
    }
    assert state.refused() == {"S": refusal}
    assert state.take_warned() == [], "a refused config is not one applied with warnings"

    state.receive([config(bad, 2, [DEPRECATED])], 8)  # the same config again (a reconnect's snapshot)
    assert state.boundary(open_trades=0) == []
    assert state.take_refusals() == [], "once per refused resolved hash, not at every boundary"
    assert state.refused()["S"] is refusal, "the refusal stands as it was"

    two = values(stoploss=-0.05, stake=250, order_type="limit")
    state.receive([config(two, 3, [DEPRECATED, UNCATALOGUED])], 9)
    state.boundary(open_trades=0)
    [other] = state.take_refusals()
    assert other.config_version_id == "v3-00000003" and other.reason == (
        f"catalog warnings: {DEPRECATED['message']}; {UNCATALOGUED['message']}"
    ), "another refused hash is news, its reason names every warning"
    assert state.get("S") is first

    clean = values(stoploss=-0.04, stake=300)
    state.receive([config(clean, 4, [])], 10)
    [applied] = state.boundary(open_trades=0)
    assert applied.values == clean and applied.config_version_id == "v4-00000004"
    assert state.refused() == {} and state.take_refusals() == [], "a clean config applied clears the refusal"

    state.receive([config(bad, 2, [DEPRECATED])], 11)
    state.boundary(open_trades=0)
    assert [r.resolved_hash for r in state.take_refusals()] == [content_hash(bad)], "refused again: news again"
    assert state.get("S") is applied


def test_a_clean_config_with_the_values_in_use_clears_the_refusal_too() -> None:
    """E.g. a rollback to the version the worker runs, or the catalog no longer warning of the config."""
    state = started(strict=True)
    bad = values(order_type="stop_market")
    state.receive([config(bad, 2, [DEPRECATED])], 2)
    state.boundary()
    assert "S" in state.refused()
    state.receive([config(values(), 1, [])], 3)
    assert state.boundary() == [], "nothing to change"
    assert state.refused() == {}

    state.receive([config(bad, 2, [DEPRECATED])], 4)
    state.boundary()
    state.receive([config(bad, 2, [])], 5)  # the same values, now without warnings
    [applied] = state.boundary(open_trades=0)
    assert applied.values == bad and state.refused() == {}


def test_a_refused_config_does_not_cancel_what_an_earlier_one_still_had_to_apply() -> None:
    state = started(strict=True)
    v2 = values(stoploss=-0.05, stake=250)
    state.receive([config(v2, 2, [])], 2)
    [partly] = state.boundary(open_trades=1)
    assert partly.get("risk.stoploss") == -0.05 and partly.pending_between_trades == ("risk.stake",)
    state.receive([config(values(stoploss=-0.01, stake=999, order_type="stop_market"), 3, [DEPRECATED])], 3)
    assert state.boundary(open_trades=1) == []
    assert len(state.take_refusals()) == 1
    assert state.has_pending, "v2's stake still waits for a boundary with no open trade"
    [flat] = state.boundary(open_trades=0)
    assert flat.values == v2 and flat.config_version_id == "v2-00000002" and flat.pending_between_trades == ()
    assert "S" in state.refused(), "v2 is not later than the refused config: the refusal stands"


def test_paper_applies_a_config_with_warnings_and_notes_it_once_per_resolved_hash() -> None:
    state = started(strict=False)
    bad = values(stoploss=-0.05, stake=250, order_type="stop_market")
    state.receive([config(bad, 2, [DEPRECATED])], 2)
    [partly] = state.boundary(open_trades=1)
    assert partly.get("exec.order_type") == "stop_market" and partly.pending_between_trades == ("risk.stake",)
    assert partly.warnings == (ConfigWarning(**DEPRECATED),)
    [warned] = state.take_warned()
    assert warned.config_version_id == "v2-00000002"
    [flat] = state.boundary(open_trades=0)
    assert flat.values == bad
    assert state.take_warned() == [], "the same config, taken again at a later boundary: noted once"
    assert state.refused() == {} and state.take_refusals() == []


# --- the subscriber's side, with the server replaced by a recorder --------------------------------


class Answer:
    status_code = 200
    ok = True
    text = ""

    def json(self) -> dict[str, Any]:
        return {}


class Server:
    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []

    def __call__(self, path: str, body: Mapping[str, Any], timeout: object = None) -> Answer:
        self.bodies.append(json.loads(json.dumps(body)))
        return Answer()


def subscriber(mode: str, copy: Path | None = None) -> tuple[ConfigSubscriber, list[tuple[str, dict[str, Any]]], Server]:
    events: list[tuple[str, dict[str, Any]]] = []
    worker = ConfigSubscriber(
        "http://127.0.0.1:9",
        token="t",
        environment="dev",
        strategies=["S"],
        worker_id="w-1",
        mode=mode,
        last_known_good=copy,
        on_event=lambda name, fields: events.append((name, dict(fields))),
    )
    server = Server()
    worker._post = server  # type: ignore[method-assign]  # noqa: SLF001 - no server in this test
    worker._handle("snapshot", json.dumps({"seq": 1, "configs": [wire(values(), 1, [])]}))  # noqa: SLF001 - start's snapshot
    worker._state.set_reload_classes(CLASSES)  # noqa: SLF001
    return worker, events, server


def change(worker: ConfigSubscriber, data: Mapping[str, Any], version: int, warnings: list[dict[str, str]]) -> None:
    """A change event, handled as the stream thread handles it."""
    payload = {"seq": version, "at": "2026-01-02T03:04:05.000Z", "configs": [wire(data, version, warnings)], "changes": []}
    worker._handle("change", json.dumps(payload))  # noqa: SLF001


def test_a_live_subscriber_refuses_logs_emits_once_and_reports_until_a_clean_config_applies(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    copy = tmp_path / "live.json"
    worker, events, server = subscriber("live", copy)
    first = worker.current()
    caplog.set_level(logging.WARNING, logger="tradai_client")
    bad = values(stoploss=-0.05, order_type="stop_market")
    change(worker, bad, 2, [DEPRECATED])
    assert worker.boundary(open_trades=0, at="bot_loop_start") == []
    assert worker.current() is first and worker.current().values == values()
    reason = "catalog warnings: " + DEPRECATED["message"]
    assert worker.refused() == {"S": reason}

    [line] = [r for r in caplog.records if r.name == "tradai_client" and r.levelno == logging.WARNING]
    for part in ("w-1", "refused", "v2-00000002", "S", reason, "keeps running v1-00000001"):
        assert part in line.getMessage(), f"{part!r} in {line.getMessage()!r}"
    assert [n for n, _ in events] == ["config_refused"], "nothing applied"
    [(_, refused)] = events
    assert ISO_MS.match(refused.pop("at"))
    assert refused == {
        "strategy": "S",
        "worker_id": "w-1",
        "environment": "dev",
        "config_version_id": "v2-00000002",
        "resolved_hash": content_hash(bad),
        "reason": reason,
        "warnings": [DEPRECATED],
    }

    worker.boundary(open_trades=0)
    change(worker, bad, 2, [DEPRECATED])  # sent again (say after a reconnect): still refused, not news
    worker.boundary(open_trades=0)
    assert len(events) == 1 and len(caplog.records) == 1

    saved = json.loads(copy.read_text())
    assert [c["config_version_id"] for c in saved["configs"]] == ["v1-00000001"], "a refused config is never the copy"

    worker._send_heartbeat()  # noqa: SLF001 - the reporter thread's work
    worker._send_heartbeat()  # noqa: SLF001
    for body in server.bodies:
        [entry] = body["refused"]
        assert ISO_MS.match(entry.pop("at"))
        assert entry == {"strategy": "S", "config_version_id": "v2-00000002", "resolved_hash": content_hash(bad), "reason": reason}
        assert body["events"] == {"config_refused": 1}
        assert [a["config_version_id"] for a in body["applied"]] == ["v1-00000001"]

    clean = values(stoploss=-0.04)
    change(worker, clean, 3, [])
    [applied] = worker.boundary(open_trades=0)
    assert applied.values == clean and worker.refused() == {}
    worker._send_heartbeat()  # noqa: SLF001
    assert "refused" not in server.bodies[-1], "cleared once a later config without warnings applied"
    assert [c["config_version_id"] for c in json.loads(copy.read_text())["configs"]] == ["v3-00000003"]


def test_a_paper_subscriber_applies_and_warns_once_per_resolved_hash(caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    copy = tmp_path / "paper.json"
    worker, events, server = subscriber("paper", copy)
    caplog.set_level(logging.WARNING, logger="tradai_client")
    bad = values(stoploss=-0.05, stake=250, order_type="stop_market")
    change(worker, bad, 2, [DEPRECATED, UNCATALOGUED])
    [partly] = worker.boundary(open_trades=1)
    assert partly.get("exec.order_type") == "stop_market", "paper applies it"
    [flat] = worker.boundary(open_trades=0)
    assert flat.values == bad and worker.refused() == {}
    [line] = [r for r in caplog.records if r.name == "tradai_client" and r.levelno == logging.WARNING]
    for part in ("paper worker w-1", "v2-00000002", DEPRECATED["message"], UNCATALOGUED["message"]):
        assert part in line.getMessage(), f"{part!r} in {line.getMessage()!r}"
    assert "config_refused" not in [n for n, _ in events]
    worker._send_heartbeat()  # noqa: SLF001
    assert "refused" not in server.bodies[-1]
    assert [c["config_version_id"] for c in json.loads(copy.read_text())["configs"]] == ["v2-00000002"], (
        "paper runs it: it is its copy"
    )


def test_a_live_worker_does_not_start_on_a_config_with_warnings_a_paper_one_starts_and_warns(
    caplog: pytest.LogCaptureFixture,
) -> None:
    snapshot = json.dumps({"seq": 4, "configs": [wire(values(order_type="stop_market"), 2, [DEPRECATED])]})

    def worker(mode: str) -> ConfigSubscriber:
        made = ConfigSubscriber(
            "http://127.0.0.1:9", token="t", environment="dev", strategies=["S"], worker_id="w-2", mode=mode,
            last_known_good=None, start_timeout=5,
        )
        made._stream_loop = lambda: made._handle("snapshot", snapshot)  # type: ignore[method-assign]  # noqa: SLF001
        made._send_heartbeat = lambda *a, **k: None  # type: ignore[method-assign]  # noqa: SLF001
        made._open_sessions = lambda: None  # type: ignore[method-assign]  # noqa: SLF001
        return made

    live = worker("live")
    with pytest.raises(StartError) as refused:
        live.start()
    assert "S" in str(refused.value) and DEPRECATED["message"] in str(refused.value)
    assert "catalog warnings" in str(refused.value)

    caplog.set_level(logging.WARNING, logger="tradai_client")
    paper = worker("paper")
    paper._report_loop = lambda: None  # type: ignore[method-assign]  # noqa: SLF001
    paper.start()
    try:
        assert paper.current().get("exec.order_type") == "stop_market"
        assert any(DEPRECATED["message"] in r.getMessage() and "paper worker w-2" in r.getMessage() for r in caplog.records)
    finally:
        paper.stop()


# --- the rule, by hypothesis: a refused config is as if it had not come ---------------------------

P_CLASSES = {"hot": "hot", "flat": "between_trades", "never": "restart", "held": "shadow"}
P_WARNING = [{"key": "hot", "kind": "deprecated_value", "message": "hot = 3 is deprecated (use 2): old"}]
p_config = st.fixed_dictionaries({k: st.integers(0, 3) for k in P_CLASSES})
p_step = st.one_of(
    st.tuples(st.just("receive"), p_config, st.booleans()),
    st.tuples(st.just("boundary"), st.sampled_from([None, 0, 2]), st.just(False)),
)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(p_config, st.lists(p_step, min_size=1, max_size=25))
def test_live_runs_as_if_refused_configs_had_not_come(first: dict[str, int], steps: list[tuple[str, Any, bool]]) -> None:
    state = AppliedState(strict=True)
    state.initialise([IncomingConfig("S", "v1", content_hash(first), first)], 1)
    state.set_reload_classes(P_CLASSES)
    target = dict(first)  # the newest config taken at a boundary without warnings: what the worker converges to
    pending: tuple[dict[str, int], bool] | None = None
    standing: str | None = None  # the hash of the refusal standing
    for version, (kind, arg, warned) in enumerate(steps, start=2):
        before = state.get("S")
        assert before is not None
        if kind == "receive":
            pending = (dict(arg), warned)
            state.receive([IncomingConfig("S", f"v{version}", content_hash(arg), arg, warnings=tuple(
                ConfigWarning(**w) for w in (P_WARNING if warned else [])))], version)
            continue
        refusals = []
        if pending is not None:
            data, bad = pending
            if bad and standing != content_hash(data):
                refusals.append(content_hash(data))
            standing = content_hash(data) if bad else None
            if not bad:
                target = data
            pending = None
        state.boundary(arg)
        assert [r.resolved_hash for r in state.take_refusals()] == refusals, "one refusal per refused hash"
        assert ({"S"} if standing else set()) == set(state.refused())
        now = state.get("S")
        assert now is not None
        assert now.get("hot") == target["hot"]
        assert now.get("flat") == (target["flat"] if arg == 0 else before.get("flat"))
        assert now.get("never") == first["never"] and now.get("held") == first["held"]
        assert state.has_pending == (now.get("flat") != target["flat"])
        state.take_shadow_observations()
