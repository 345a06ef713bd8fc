"""The boundary rule, checked by hypothesis over random change sequences: a ``hot`` key takes its newest
value at every boundary, a ``between_trades`` key only at a boundary with no open trade, a ``restart``
key (or an unclassed one, or one of a class the library does not know) never, a ``shadow`` key never
either but is observed once per new value where a hot key would have taken it, and nothing changes
between boundaries."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tradai_client.applied_state import ABSENT, AppliedState, IncomingConfig, ShadowObservation
from tradai_client.canonical import content_hash

CLASSES = {
    "risk.stoploss": "hot",
    "risk.stake": "between_trades",
    "exchange": "restart",
    "pairs": "hot",
    "risk.size": "shadow",
    "mode": "shadow",
    "venue": "someday",  # a class this library does not know: restart
}
KEYS = [*CLASSES, "unclassed"]  # a key the catalog does not class waits for a restart
SHADOW = sorted(k for k, c in CLASSES.items() if c == "shadow")


def class_of(key: str) -> str:
    found = CLASSES.get(key, "restart")
    return found if found in ("hot", "between_trades", "restart", "shadow") else "restart"


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
NOT_SEEN = "<not observed>"
value = st.one_of(st.integers(0, 3), st.just(MISSING))
config = st.fixed_dictionaries({k: value for k in KEYS})
step = st.one_of(
    st.tuples(st.just("receive"), config),
    st.tuples(st.just("boundary"), st.sampled_from([None, 0, 1, 4])),
)


def observed(observation: ShadowObservation) -> tuple[str, object, object]:
    """(key, old, new) with an absent side as MISSING; the wire form omits exactly those sides."""
    old = MISSING if observation.old is ABSENT else observation.old
    new = MISSING if observation.new is ABSENT else observation.new
    wire = observation.to_wire()
    assert ("old" in wire) == (old != MISSING) and ("new" in wire) == (new != MISSING)
    return observation.key, old, new


@settings(max_examples=400, derandomize=True, deadline=None)
@given(config, st.lists(step, min_size=1, max_size=25))
def test_each_key_applies_only_where_its_class_allows(first: dict[str, object], steps: list[tuple[str, object]]) -> None:
    state = AppliedState()
    state.initialise([incoming(first, 1)], 1)
    state.set_reload_classes(CLASSES)
    newest = dict(first)  # what the server last sent
    newest_config = incoming(first, 1)
    version = 1
    last_observed: dict[str, object] = {k: NOT_SEEN for k in SHADOW}  # the model of the library's one observation per new value
    for n, (kind, arg) in enumerate(steps):
        before = state.get("S")
        assert before is not None
        if kind == "receive":
            version += 1
            newest = dict(arg)  # type: ignore[arg-type]
            newest_config = incoming(newest, version)
            state.receive([newest_config], version)
            assert state.get("S") is before, "a received change must not apply before a boundary"
            assert state.take_shadow_observations() == [], "nothing is observed before a boundary"
            continue
        open_trades = arg if isinstance(arg, int) else None
        evaluated = state.has_pending  # a boundary looks at the newest config only while one is pending
        state.boundary(open_trades, at=f"b{n}")
        after = state.get("S")
        assert after is not None
        was = {k: flat_of(before.values).get(k, MISSING) for k in KEYS}
        now = {k: flat_of(after.values).get(k, MISSING) for k in KEYS}
        for key in KEYS:
            cls = class_of(key)
            if cls == "hot":
                assert now[key] == newest[key], f"hot {key} must take the newest value"
            elif cls == "between_trades":
                expected = newest[key] if open_trades == 0 else was[key]
                assert now[key] == expected, f"between_trades {key} with open_trades={open_trades}"
            elif cls == "shadow":
                assert now[key] == first[key], f"shadow {key} must never change in a running worker"
            else:
                assert now[key] == first[key], f"restart {key} must never change in a running worker"
        waiting_restart = sorted(k for k in KEYS if class_of(k) == "restart" and now[k] != newest[k])
        waiting_flat = sorted(k for k in KEYS if class_of(k) == "between_trades" and now[k] != newest[k])
        held = sorted(k for k in SHADOW if now[k] != newest[k])
        assert list(after.pending_restart) == waiting_restart
        assert list(after.pending_between_trades) == waiting_flat
        assert list(after.held_shadow) == held
        if not waiting_restart and not waiting_flat and not held:
            assert after.resolved_hash == newest_config.resolved_hash
        else:
            assert after.resolved_hash == content_hash(after.values) != newest_config.resolved_hash
        assert after.resolved_hash == content_hash(after.values), "the hash is always that of the values in use"
        # A held between_trades key keeps the change pending: a later flat boundary applies it.
        assert state.has_pending == bool(waiting_flat)

        expected_observations = []
        for key in SHADOW if evaluated else []:
            if newest[key] == first[key]:
                last_observed[key] = NOT_SEEN  # back to the value in use: a later change is news again
            elif last_observed[key] != newest[key]:
                expected_observations.append((key, first[key], newest[key]))
                last_observed[key] = newest[key]
        observations = state.take_shadow_observations()
        assert [observed(o) for o in observations] == expected_observations, "one observation per new value"
        for o in observations:
            assert (o.strategy, o.seq, o.boundary, o.open_trades) == ("S", version, f"b{n}", open_trades)
            assert o.trade_open == (None if open_trades is None else open_trades > 0)


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
