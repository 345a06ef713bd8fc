"""The boundary rule, checked by hypothesis over random change sequences: a ``hot`` key takes its newest
value at every boundary, a ``between_trades`` key only at a boundary with no open trade, a ``restart``
key (or an unclassed one) never, and nothing changes between boundaries."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tradai_client.applied_state import AppliedState, IncomingConfig
from tradai_client.canonical import content_hash

CLASSES = {"risk.stoploss": "hot", "risk.stake": "between_trades", "exchange": "restart", "pairs": "hot"}
KEYS = [*CLASSES, "unclassed"]  # a key the catalog does not class waits for a restart


def nest(flat: dict[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    for path, value in flat.items():
        node = out
        *parents, last = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})  # type: ignore[assignment]
        node[last] = value
    return out


def flat_of(values: object) -> dict[str, object]:
    from tradai_client.applied_state import leaves

    return leaves(values)  # type: ignore[arg-type]


def incoming(flat: dict[str, object], version: int) -> IncomingConfig:
    values = nest({k: v for k, v in flat.items() if v != MISSING})
    return IncomingConfig("S", f"v{version}-{version:08x}", content_hash(values), values)


MISSING = "<missing>"  # a key the newer config no longer has
value = st.one_of(st.integers(0, 3), st.just(MISSING))
step = st.one_of(
    st.tuples(st.just("receive"), st.fixed_dictionaries({k: value for k in KEYS})),
    st.tuples(st.just("boundary"), st.sampled_from([None, 0, 1, 4])),
)


@settings(max_examples=400, derandomize=True, deadline=None)
@given(st.lists(step, min_size=1, max_size=25))
def test_each_key_applies_only_where_its_class_allows(steps: list[tuple[str, object]]) -> None:
    state = AppliedState()
    first = {k: 0 for k in KEYS}
    state.initialise([incoming(first, 1)], 1)
    state.set_reload_classes(CLASSES)
    newest = dict(first)  # what the server last sent
    newest_config = incoming(first, 1)
    version = 1
    for kind, arg in steps:
        before = state.get("S")
        assert before is not None
        if kind == "receive":
            version += 1
            newest = dict(arg)  # type: ignore[arg-type]
            newest_config = incoming(newest, version)
            state.receive([newest_config], version)
            assert state.get("S") is before, "a received change must not apply before a boundary"
            continue
        open_trades = arg
        state.boundary(open_trades)  # type: ignore[arg-type]
        after = state.get("S")
        assert after is not None
        was = {k: flat_of(before.values).get(k, MISSING) for k in KEYS}
        now = {k: flat_of(after.values).get(k, MISSING) for k in KEYS}
        for key in KEYS:
            cls = CLASSES.get(key, "restart")
            if cls == "hot":
                assert now[key] == newest[key], f"hot {key} must take the newest value"
            elif cls == "between_trades":
                expected = newest[key] if open_trades == 0 else was[key]
                assert now[key] == expected, f"between_trades {key} with open_trades={open_trades}"
            else:
                assert now[key] == first[key], f"restart {key} must never change in a running worker"
        waiting_restart = sorted(k for k in KEYS if CLASSES.get(k, "restart") == "restart" and now[k] != newest[k])
        waiting_flat = sorted(k for k in KEYS if CLASSES.get(k) == "between_trades" and now[k] != newest[k])
        assert list(after.pending_restart) == waiting_restart
        assert list(after.pending_between_trades) == waiting_flat
        if not waiting_restart and not waiting_flat:
            assert after.resolved_hash == newest_config.resolved_hash
        assert after.resolved_hash == content_hash(after.values), "the hash is always that of the values in use"
        # A held between_trades key keeps the change pending: a later flat boundary applies it.
        assert state.has_pending == bool(waiting_flat)


def test_values_in_use_are_immutable() -> None:
    state = AppliedState()
    state.initialise([incoming({"risk.stoploss": -0.1, "pairs": 1}, 1)], 1)
    applied = state.get("S")
    assert applied is not None
    try:
        applied.values["risk"]["stoploss"] = 0  # type: ignore[index]
    except TypeError as refused:
        assert "immutable" in str(refused)
    else:
        raise AssertionError("a config in use must refuse changes")
    assert applied.get("risk.stoploss") == -0.1
