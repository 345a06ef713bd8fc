"""What a worker runs, and what waits: the pure heart of the subscriber (no threads, no I/O).

Received configs wait as pending; only ``boundary()``, called by the worker at its safe points,
makes them current. Per key, by the catalog's reload class:

- ``hot``: takes its new value at any boundary;
- ``between_trades``: only at a boundary where the worker says it holds no open trade
  (``open_trades=0``); otherwise the old value stays in use and the key waits;
- ``restart`` (and any key the catalog does not class): never changes in a running worker; it
  keeps its value and is listed as waiting for a restart;
- ``shadow``: never changes either (it is listed as held); at the boundary where a ``hot`` key would
  have taken the change, a would-apply observation is made instead (one per new value), which the
  subscriber reports as ``config_shadow_would_apply``: the evidence on which a parameter is made hot.

Strict live mode (``AppliedState(strict=True)``, what a live worker uses): a pending config the
catalog warns of (its ``warnings``: a deprecated key or value, an uncatalogued key, a missing
required one) is not applied at all, none of its keys whatever their class. The values in use stay;
the pending config is dropped (an earlier config whose ``between_trades`` keys still waited goes on
waiting) and a ``Refusal`` is recorded for the strategy, until a later config without warnings is
taken. Not strict (paper): such a config applies as any other, and is noted once per resolved hash
(``take_warned``) for the subscriber to warn of.

The same rule as ``AppliedState`` in the TypeScript library (``packages/client``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Final, Iterable, Mapping

from .canonical import canonical_json, content_hash

__all__ = [
    "ABSENT",
    "RELOAD_CLASSES",
    "AppliedConfig",
    "AppliedState",
    "ConfigWarning",
    "FrozenDict",
    "IncomingConfig",
    "Refusal",
    "ShadowObservation",
    "thaw",
]

RELOAD_CLASSES = ("hot", "between_trades", "restart", "shadow")
#: What the catalog may warn of in a resolved config.
WARNING_KINDS = ("deprecated_key", "deprecated_value", "uncatalogued", "missing_required")
#: The server accepts a refusal's reason up to this length.
_MAX_REASON = 2000


class FrozenDict(dict[str, Any]):
    """A dict that refuses every change: a config in use never changes inside a cycle."""

    def _refuse(self, *_: Any, **__: Any) -> Any:
        raise TypeError("a configuration in use is immutable: it changes only at boundary()")

    __setitem__ = __delitem__ = _refuse
    clear = pop = popitem = setdefault = update = __ior__ = _refuse

    def __copy__(self) -> dict[str, Any]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        thawed: dict[str, Any] = thaw(self)
        return thawed


def freeze(value: Any) -> Any:
    """Dicts become FrozenDicts and lists tuples, all the way down."""
    if isinstance(value, dict):
        return FrozenDict({k: freeze(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """A mutable deep copy (dicts and lists) of a frozen value."""
    if isinstance(value, dict):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [thaw(v) for v in value]
    return value


@dataclass(frozen=True)
class ConfigWarning:
    """What the catalog warns of in a resolved config, as the server sent it.

    ``kind`` is ``deprecated_key``, ``deprecated_value``, ``uncatalogued`` or ``missing_required``.
    """

    key: str
    kind: str
    message: str

    @classmethod
    def from_wire(cls, raw: Any) -> ConfigWarning:
        if not isinstance(raw, Mapping):  # not the server's shape: still a warning, never ignored
            return cls("", "unknown", str(raw))
        key, kind = str(raw.get("key", "")), str(raw.get("kind", "unknown"))
        return cls(key, kind, str(raw.get("message") or f"{key}: {kind}"))

    def to_wire(self) -> dict[str, str]:
        return {"key": self.key, "kind": self.kind, "message": self.message}


def warnings_from_wire(raw: Any) -> tuple[ConfigWarning, ...]:
    """A config's ``warnings`` (absent, from an older server: none)."""
    if raw is None:
        return ()
    if not isinstance(raw, (list, tuple)):
        return (ConfigWarning.from_wire(raw),)
    return tuple(ConfigWarning.from_wire(w) for w in raw)


@dataclass(frozen=True)
class IncomingConfig:
    """A config as the server sent it (stream, poll or the last-known-good copy)."""

    strategy: str
    config_version_id: str | None
    resolved_hash: str | None
    values: Mapping[str, Any] | None
    #: when the change event it came with was committed (ISO 8601), if it came with one
    event_at: str | None = None
    #: what the catalog warns of in these values (a live worker refuses the config); not in the hash
    warnings: tuple[ConfigWarning, ...] = ()

    @classmethod
    def from_wire(cls, raw: Mapping[str, Any], event_at: str | None = None) -> IncomingConfig:
        return cls(
            strategy=str(raw["strategy"]),
            config_version_id=raw.get("config_version_id"),
            resolved_hash=raw.get("resolved_hash"),
            values=raw.get("values"),
            event_at=event_at,
            warnings=warnings_from_wire(raw.get("warnings")),
        )

    def to_wire(self) -> dict[str, Any]:
        return {
            "strategy": self.strategy,
            "config_version_id": self.config_version_id,
            "resolved_hash": self.resolved_hash,
            "values": thaw(self.values) if self.values is not None else None,
            "warnings": [w.to_wire() for w in self.warnings],
        }

    @property
    def warning_text(self) -> str:
        """The warnings' messages, ``; ``-separated."""
        return "; ".join(w.message for w in self.warnings)

    @property
    def verified(self) -> bool:
        """Its values hash to its resolved hash (or it carries neither)."""
        if self.values is None:
            return self.resolved_hash is None
        try:
            return self.resolved_hash == content_hash(self.values)
        except ValueError:
            return False


@dataclass(frozen=True)
class AppliedConfig:
    """What the worker runs on for one strategy: immutable, replaced only at a boundary."""

    strategy: str
    config_version_id: str | None
    #: the hash of the values in use: the server's resolved hash when nothing waits
    resolved_hash: str | None
    values: Mapping[str, Any]
    #: keys whose new value waits for a restart (the value in use is the old one)
    pending_restart: tuple[str, ...]
    #: keys whose new value waits for a boundary with no open trade
    pending_between_trades: tuple[str, ...]
    applied_at: str
    #: the seq of the latest event applied
    seq: int
    #: when the change event it came with was committed (None: a snapshot, a poll or the disk copy)
    event_at: str | None = None
    #: shadow keys whose value as the server sent it is not the value in use (never applied)
    held_shadow: tuple[str, ...] = ()
    #: what the catalog warns of in the server's config these values come from (paper applies such configs)
    warnings: tuple[ConfigWarning, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, key: str, default: Any = None) -> Any:
        """The value at a dotted path (``risk.stoploss``), or ``default``."""
        found, value = value_at(self.values, key)
        return value if found else default


class _Absent:
    """A key absent on one side of a shadow observation (``None`` is a value a key may have)."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Final = _Absent()


@dataclass(frozen=True)
class Refusal:
    """A config a strict (live) worker refused at a boundary because the catalog warns of it: the
    worker runs the config it had. It stands until a later config without warnings is taken."""

    strategy: str
    config_version_id: str | None
    resolved_hash: str | None
    warnings: tuple[ConfigWarning, ...]
    #: the seq the refused config came with
    seq: int
    #: the safe point where it was refused, as the worker named it
    boundary: str
    at: str

    @property
    def reason(self) -> str:
        """``catalog warnings: `` and the warnings' messages (at most 2000 characters, as the server takes)."""
        text = "catalog warnings: " + ("; ".join(w.message for w in self.warnings) or "(none named)")
        return text if len(text) <= _MAX_REASON else text[: _MAX_REASON - 3] + "..."

    def to_wire(self) -> dict[str, Any]:
        """As a heartbeat's ``refused`` carries it."""
        return {
            "strategy": self.strategy,
            "config_version_id": self.config_version_id,
            "resolved_hash": self.resolved_hash,
            "reason": self.reason,
            "at": self.at,
        }


@dataclass(frozen=True)
class ShadowObservation:
    """A change of a ``shadow`` key that was not applied, seen where a ``hot`` key would have taken it."""

    strategy: str
    key: str
    #: the seq the incoming config came with
    seq: int
    #: the safe point, as the worker named it
    boundary: str
    #: the trades open at that boundary (None: not told)
    open_trades: int | None
    at: str
    #: the value in use (ABSENT: the key is absent in use)
    old: Any = ABSENT
    #: the value that would have applied (ABSENT: the incoming config no longer has the key)
    new: Any = ABSENT

    @property
    def trade_open(self) -> bool | None:
        """A trade was open at the boundary (None: not told)."""
        return None if self.open_trades is None else self.open_trades > 0

    def to_wire(self) -> dict[str, Any]:
        """As a heartbeat carries it (without the subscriber's ``id``); an absent side is omitted."""
        wire: dict[str, Any] = {"strategy": self.strategy, "key": self.key}
        if self.old is not ABSENT:
            wire["old"] = thaw(self.old)
        if self.new is not ABSENT:
            wire["new"] = thaw(self.new)
        wire.update(seq=self.seq, boundary=self.boundary, open_trades=self.open_trades, at=self.at)
        return wire


def leaves(values: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": 1}, "c": []}`` -> ``{"a.b": 1, "c": []}`` (an empty object is a leaf)."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        path = prefix + key
        if isinstance(value, Mapping) and len(value) > 0:
            out.update(leaves(value, path + "."))
        else:
            out[path] = value
    return out


def value_at(data: Any, name: str) -> tuple[bool, Any]:
    node = data
    for part in name.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return False, None
        node = node[part]
    return True, node


def _set_path(target: dict[str, Any], path: str, value: Any, present: bool) -> None:
    *parents, last = path.split(".")
    if not present:
        _remove_path(target, parents, last)
        return
    node = target
    for part in parents:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    node[last] = copy.deepcopy(thaw(value))


def _remove_path(target: dict[str, Any], parents: list[str], last: str) -> None:
    """Removes a key; objects left empty by the removal go too, as the server's resolved values have none."""
    chain = [target]
    for part in parents:
        child = chain[-1].get(part)
        if not isinstance(child, dict):
            return  # not there: nothing to remove
        chain.append(child)
    chain[-1].pop(last, None)
    for i in range(len(parents) - 1, -1, -1):
        if chain[i][parents[i]]:
            break
        del chain[i][parents[i]]


def reload_class_of(key: str, reload_of: Mapping[str, str]) -> str:
    """The class of the parameter that is ``key`` or holds it (the longest name); else ``restart``."""
    parts = key.split(".")
    for n in range(len(parts), 0, -1):
        found = reload_of.get(".".join(parts[:n]))
        if found in RELOAD_CLASSES:
            return found
    return "restart"


def _same(a: Any, b: Any) -> bool:
    try:
        return canonical_json(a) == canonical_json(b)
    except ValueError:
        return bool(a == b)


def _fingerprint(found: bool, value: Any) -> tuple[bool, str]:
    """What a shadow observation is told apart by: its canonical JSON; absence is a state of its own."""
    if not found:
        return (False, "")
    try:
        return (True, canonical_json(value))
    except ValueError:
        return (True, repr(value))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class AppliedState:
    """Applied and pending configs per strategy. Not thread-safe: the subscriber holds a lock.

    ``strict``: refuse, at the boundary, a pending config with catalog warnings (a live worker).
    """

    def __init__(self, strict: bool = False) -> None:
        self.strict = strict
        self._applied: dict[str, AppliedConfig] = {}
        self._pending: dict[str, tuple[IncomingConfig, int]] = {}
        #: the configs the last boundary left pending (between_trades keys waiting): a refused newer
        #: config does not cancel what they still had to apply
        self._unfinished: dict[str, tuple[IncomingConfig, int]] = {}
        #: per strategy, the refusal standing (strict only)
        self._refused: dict[str, Refusal] = {}
        self._refusals: list[Refusal] = []
        #: per strategy, the resolved hash of the config with warnings last noted as taken (not strict)
        self._warned_hash: dict[str, str | None] = {}
        self._warned: list[IncomingConfig] = []
        self._reload_of: dict[str, str] = {}
        #: per (strategy, shadow key), the value last observed as would-apply, while it differs from the value in use
        self._observed: dict[tuple[str, str], tuple[bool, str]] = {}
        self._observations: list[ShadowObservation] = []

    def initialise(self, configs: Iterable[IncomingConfig], seq: int, now: str | None = None) -> None:
        """The first configuration (the snapshot at start, or the disk copy): applied at once, warnings
        or not (the caller decides what may start: a live worker does not start on a config with warnings)."""
        for config in configs:
            self._observed = {k: v for k, v in self._observed.items() if k[0] != config.strategy}  # its values start anew
            self._refused.pop(config.strategy, None)
            self._note_taken(config)
            self._applied[config.strategy] = self._to_applied(config, dict(config.values or {}), [], [], [], seq, now)

    def receive(self, configs: Iterable[IncomingConfig], seq: int, changes: Iterable[Mapping[str, str]] = ()) -> None:
        """A change arrived: it waits for the next boundary (a newer one for a strategy replaces it)."""
        for change in changes:
            self._reload_of[change["key"]] = change["reload"]
        for config in configs:
            self._pending[config.strategy] = (config, seq)

    def set_reload_classes(self, classes: Mapping[str, str]) -> None:
        self._reload_of.update(classes)

    @property
    def reload_classes(self) -> Mapping[str, str]:
        """Each parameter's reload class, as change events and the catalog named them."""
        return self._reload_of

    @property
    def has_pending(self) -> bool:
        return bool(self._pending)

    def get(self, strategy: str) -> AppliedConfig | None:
        return self._applied.get(strategy)

    def all(self) -> list[AppliedConfig]:
        return list(self._applied.values())

    def refused(self) -> dict[str, Refusal]:
        """The refusals standing, by strategy (strict only): the worker runs an older config for each."""
        return dict(self._refused)

    def take_refusals(self) -> list[Refusal]:
        """The refusals made by the boundaries since the last call: one per refused resolved hash, not
        one per boundary (the same config sent again while its refusal stands is not news)."""
        taken, self._refusals = self._refusals, []
        return taken

    def take_warned(self) -> list[IncomingConfig]:
        """The configs with warnings taken (not strict: applied) since the last call, once per resolved hash."""
        taken, self._warned = self._warned, []
        return taken

    def take_shadow_observations(self) -> list[ShadowObservation]:
        """The would-apply observations made by the boundaries since the last call (oldest first)."""
        taken, self._observations = self._observations, []
        return taken

    def boundary(self, open_trades: int | None = None, now: str | None = None, at: str = "boundary") -> list[AppliedConfig]:
        """Applies what may apply here; returns the configs that changed.

        ``open_trades``: how many trades the worker holds now; None (not told) counts as "maybe
        some", so ``between_trades`` keys wait. ``at`` names the safe point in shadow observations
        (see ``take_shadow_observations``) and refusals.

        Strict: a config with warnings changes nothing (see ``refused``); the config an earlier
        boundary left pending, if any, goes on as if the refused one had not come.
        """
        flat = open_trades == 0
        now = now or _now()
        changed: list[AppliedConfig] = []
        still_pending: dict[str, tuple[IncomingConfig, int]] = {}
        for strategy, entry in self._pending.items():
            config, seq = entry
            unfinished = self._unfinished.get(strategy)
            if entry is unfinished:
                pass  # left pending by the last boundary (its between_trades keys wait): not news
            elif self.strict and config.warnings:
                self._refuse(config, seq, at, now)
                if unfinished is None:
                    continue
                config, seq = unfinished  # without warnings (else refused then): its waiting keys still wait
            else:
                self._refused.pop(strategy, None)  # the server's latest config is one the worker may run
                self._note_taken(config)
            before = self._applied.get(strategy)
            incoming = config.values or {}
            if before is None:
                applied = self._to_applied(config, dict(incoming), [], [], [], seq, now)
                self._applied[strategy] = applied
                changed.append(applied)
                continue
            next_values = thaw(before.values)
            restart = set(before.pending_restart)
            between = set(before.pending_between_trades)
            shadow = set(before.held_shadow)
            # Waiting keys too: one the newer config no longer has stops waiting.
            keys = set(leaves(before.values)) | set(leaves(incoming)) | restart | between | shadow
            removals: list[str] = []
            sets: list[tuple[str, Any]] = []
            for key in sorted(keys):
                was_found, was = value_at(before.values, key)
                will_found, will = value_at(incoming, key)
                unchanged = (will_found and _same(was, will)) if was_found else not will_found
                if unchanged:
                    restart.discard(key)  # back to the value in use: nothing waits any more
                    between.discard(key)
                    shadow.discard(key)
                    self._observed.pop((strategy, key), None)  # a later change to it is news again
                    continue
                reload = reload_class_of(key, self._reload_of)
                if reload != "shadow":
                    shadow.discard(key)  # its class changed: it is held (or applied) as its new class says
                    self._observed.pop((strategy, key), None)
                if reload == "hot" or (reload == "between_trades" and flat):
                    if will_found:
                        sets.append((key, will))
                    else:
                        removals.append(key)
                    between.discard(key)
                elif reload == "between_trades":
                    between.add(key)
                elif reload == "shadow":
                    restart.discard(key)  # its class changed to shadow: it waits for nothing, it is held
                    between.discard(key)
                    shadow.add(key)
                    self._observe(strategy, key, (was_found, was), (will_found, will), seq, open_trades, at, now)
                else:
                    restart.add(key)
            # Removals first: {"a": {"b": 1}} -> {"a": {}} removes a.b, then sets a to {}.
            for key in removals:
                _set_path(next_values, key, None, False)
            for key, value in sets:
                _set_path(next_values, key, value, True)
            applied = self._to_applied(config, next_values, sorted(restart), sorted(between), sorted(shadow), seq, now)
            differs = (
                applied.config_version_id != before.config_version_id
                or applied.resolved_hash != before.resolved_hash
                or applied.pending_restart != before.pending_restart
                or applied.pending_between_trades != before.pending_between_trades
                or applied.held_shadow != before.held_shadow
            )
            if differs:
                self._applied[strategy] = applied
                changed.append(applied)
            if applied.pending_between_trades:
                still_pending[strategy] = (config, seq)  # applies at a later boundary with no open trade
        self._pending = still_pending
        self._unfinished = dict(still_pending)
        return changed

    def _refuse(self, config: IncomingConfig, seq: int, at: str, now: str) -> None:
        """Records that the worker refuses ``config`` (once per resolved hash while the refusal stands)."""
        standing = self._refused.get(config.strategy)
        if standing is not None and standing.resolved_hash == config.resolved_hash:
            return
        refusal = Refusal(
            strategy=config.strategy,
            config_version_id=config.config_version_id,
            resolved_hash=config.resolved_hash,
            warnings=config.warnings,
            seq=seq,
            boundary=at,
            at=now,
        )
        self._refused[config.strategy] = refusal
        self._refusals.append(refusal)

    def _note_taken(self, config: IncomingConfig) -> None:
        """A config taken (applied, or waiting in part): noted when it has warnings, once per resolved hash."""
        if not config.warnings:
            self._warned_hash.pop(config.strategy, None)  # a later config with warnings is news again
            return
        if config.strategy in self._warned_hash and self._warned_hash[config.strategy] == config.resolved_hash:
            return
        self._warned_hash[config.strategy] = config.resolved_hash
        self._warned.append(config)

    def _observe(
        self,
        strategy: str,
        key: str,
        old: tuple[bool, Any],
        new: tuple[bool, Any],
        seq: int,
        open_trades: int | None,
        at: str,
        now: str,
    ) -> None:
        """Records that a hot key would have taken ``new`` here; once per new value, not at every boundary
        that still sees the same change (a held between_trades key keeps the config pending)."""
        seen = _fingerprint(*new)
        if self._observed.get((strategy, key)) == seen:
            return
        self._observed[(strategy, key)] = seen
        self._observations.append(
            ShadowObservation(
                strategy=strategy,
                key=key,
                seq=seq,
                boundary=at,
                open_trades=open_trades,
                at=now,
                old=freeze(old[1]) if old[0] else ABSENT,
                new=freeze(new[1]) if new[0] else ABSENT,  # a copy: the incoming values are the server's
            )
        )

    def _to_applied(
        self,
        config: IncomingConfig,
        values: dict[str, Any],
        pending_restart: list[str],
        pending_between_trades: list[str],
        held_shadow: list[str],
        seq: int,
        now: str | None,
    ) -> AppliedConfig:
        in_use = freeze(values)
        in_use_hash = content_hash(in_use)
        # The server's hash is claimed only for exactly the server's values (nothing waits, nothing differs).
        held = pending_restart or pending_between_trades or held_shadow
        complete = not held and config.resolved_hash == in_use_hash
        return AppliedConfig(
            strategy=config.strategy,
            config_version_id=config.config_version_id,
            resolved_hash=config.resolved_hash if complete else in_use_hash,
            values=in_use,
            pending_restart=tuple(pending_restart),
            pending_between_trades=tuple(pending_between_trades),
            applied_at=now or _now(),
            seq=seq,
            event_at=config.event_at,
            held_shadow=tuple(held_shadow),
            warnings=config.warnings,
        )
