"""The worker library: follow a strategy's configuration and apply changes only at safe points.

Changes come over ``GET /api/v1/stream`` (Server-Sent Events) in a background thread; while the
stream is down, ``resolve`` is polled with ``If-None-Match``. Every config is checked against its
resolved hash and kept on disk as the last-known-good copy. Nothing the background threads do can
block or raise into the trading loop: they only hand received configs to ``AppliedState`` under a
lock, and the loop takes them at ``boundary()``. A change of a ``shadow`` parameter is never taken:
at the boundary where a hot key would have taken it, the worker logs and emits
``config_shadow_would_apply`` and reports it in its heartbeats.

Strict live mode: a live worker never runs a config the catalog warns of (each config carries the
server's ``warnings``: a deprecated key or value, an uncatalogued key). At ``boundary()`` such a
config is refused whole: the worker keeps the config it runs, logs a WARNING, emits
``config_refused`` and lists it in every heartbeat's ``refused`` until a later config without warnings
is applied (the server shows the worker as ``refused`` and alerts). A live worker whose first
config has warnings does not start. A paper worker applies such a config and logs a WARNING.

>>> config = ConfigSubscriber("http://tradai:8000", token=TOKEN, environment="paper",
...                           strategies=["StochRsi"], worker_id="paper-1", mode="paper")
>>> config.start()
>>> while True:
...     values = config.current("StochRsi").values   # constant for the whole cycle
...     decide_and_trade(values)
...     config.boundary(open_trades=len(open_trades))  # between cycles: changes apply here
"""

from __future__ import annotations

import json
import logging
import math
import re
import os
import random
import socket
import threading
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence
from urllib.parse import quote

import requests

from .api import Credentials
from .applied_state import (
    ABSENT,
    AppliedConfig,
    AppliedState,
    IncomingConfig,
    Refusal,
    ShadowObservation,
    leaves,
    reload_class_of,
    thaw,
)
from .canonical import canonical_json
from .last_known_good import LastKnownGood, LastKnownGoodError, load_last_known_good, save_last_known_good
from .sse import read_sse

__all__ = ["ConfigSubscriber", "StartError", "EventSink", "log_event"]

log = logging.getLogger("tradai_client")
events_log = logging.getLogger("tradai_client.events")

#: Called with each structured event (``config_version_applied``, ...) and its fields.
EventSink = Callable[[str, Mapping[str, Any]], None]

_DEFAULT: Any = object()
_MAX_UNREPORTED = 5000
_REPORT_BATCH = 200
#: The server sends a comment every 15 s: three missed mean the connection is dead.
_STREAM_READ_TIMEOUT = 45.0


class StartError(RuntimeError):
    """start() could not obtain a configuration it may run on."""


def log_event(name: str, fields: Mapping[str, Any]) -> None:
    """The default sink: one JSON line per event on the ``tradai_client.events`` logger."""
    level = {"config_apply_violation": logging.ERROR, "config_refused": logging.WARNING}.get(name, logging.INFO)
    events_log.log(level, json.dumps({"event": name, **fields}, default=str), extra={"event": name, **fields})


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _parse_time(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def _shown(value: Any) -> str:
    """A value for a log line: its canonical JSON, or ``(absent)``."""
    if value is ABSENT:
        return "(absent)"
    try:
        return canonical_json(value)
    except ValueError:
        return repr(value)


#: what the server accepts of a heartbeat's health figures
_HEALTH_FIGURE_NAME = re.compile(r"^[a-z][a-z0-9_.-]{0,62}\Z")
_LABEL_NAME = re.compile(r"[a-z][a-z0-9_.-]{0,62}")
_SELECTOR_VALUE = re.compile(r"[^,=]{0,200}")
_MAX_HEALTH_FIGURES = 20


class ConfigSubscriber:
    """Subscribes one worker process to its strategies' configs in one environment.

    ``mode="live"`` (default) starts only from a config the server verified, or raises StartError.
    ``mode="paper"`` may start from the last-known-good copy when the server is unreachable; it is
    then ``stale`` until the server answers.

    Strict live mode: a live worker refuses any config whose ``warnings`` (the catalog's, sent with
    it) are not empty: it does not start on one (StartError), and once running it keeps its config
    at ``boundary()`` and reports the refusal (``refused()``, ``config_refused``, the heartbeats'
    ``refused``). A paper worker applies such a config and logs a WARNING, once per resolved hash.

    Keys apply by their reload class (``hot``, ``between_trades``, ``restart``, ``shadow``): see
    ``boundary()``. ``shadow`` keys never change; what would have applied is observed instead.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        environment: str,
        strategies: Sequence[str],
        worker_id: str,
        mode: str = "live",
        token: str | None = None,
        username: str | None = None,
        password: str | None = None,
        credentials: Credentials | None = None,
        last_known_good: str | os.PathLike[str] | None = _DEFAULT,
        code_version: str | None = None,
        labels: Mapping[str, str] | None = None,
        health: Callable[[], Mapping[str, float]] | None = None,
        instance: str | None = None,
        start_timeout: float = 30.0,
        heartbeat_interval: float = 10.0,
        poll_interval: float = 5.0,
        backoff: tuple[float, float] = (0.5, 30.0),
        request_timeout: float = 10.0,
        on_event: EventSink | None = None,
    ) -> None:
        if mode not in ("live", "paper"):
            raise ValueError(f"mode must be 'live' or 'paper', not {mode!r}")
        if not strategies:
            raise ValueError("name at least one strategy")
        self.url = (url or os.environ.get("TRADAI_URL") or "http://localhost:8000").rstrip("/")
        if credentials is None:
            credentials = (
                Credentials(token=token, username=username, password=password)
                if token is not None or username is not None
                else Credentials.from_env()
            )
        self.environment = environment
        self.strategies = list(strategies)
        self.worker_id = worker_id
        self.mode = mode
        self.code_version = code_version
        self.labels = dict(labels or {})
        #: figures sent with each heartbeat (errors, rejected orders, drawdown since the change...):
        #: the workers view shows the latest, a staged rollout's guards compare canaries on them
        self.health = health
        self.instance = instance or str(uuid.uuid4())
        self.start_timeout = start_timeout
        self.heartbeat_interval = heartbeat_interval
        self.poll_interval = poll_interval
        self.backoff = backoff
        self.request_timeout = request_timeout
        if last_known_good is _DEFAULT:
            last_known_good = Path.cwd() / ".tradai" / "workers" / f"{environment}.{worker_id}.json"
        self.last_known_good_path = Path(last_known_good) if last_known_good is not None else None
        self._emit = on_event or log_event
        self._headers = {"authorization": credentials.authorization, "user-agent": "tradai-client-python"}

        self._lock = threading.RLock()
        self._save_lock = threading.Lock()
        self._state = AppliedState(strict=mode == "live")
        #: per strategy, the server's latest verified config (its hash goes as If-None-Match)
        self._latest: dict[str, IncomingConfig] = {}
        #: per strategy, the latest verified config this worker would run: the last-known-good copy
        #: (live: none with warnings, which it refuses)
        self._keepable: dict[str, IncomingConfig] = {}
        self._seq = 0
        self._stream_seq_trusted = False
        self._started = threading.Event()
        self._stop = threading.Event()
        self._start_error: str | None = None
        self._stale = False
        self._streaming = False
        self._stream_messages = 0
        # Set by a goodbye frame (the replica shuts down): seconds to wait before reconnecting.
        self._goodbye_delay: float | None = None
        # The stream's retry: (s): the server scales it to the streams it holds, so that after losing a
        # replica its subscribers spread their reconnects over that window.
        self._retry_s: float | None = None
        # The last change frame's report_within_ms (s): the window to spread the report after an apply over.
        self._report_within_s = 0.0
        self._last_error = "no answer yet"
        self._tried_last_known_good = False
        self._reload_classes_known = False
        self._unreported: list[dict[str, Any]] = []
        self._apply_seq = 0
        #: shadow observations the server has not acknowledged, each with its per-process id
        self._unreported_shadow: list[dict[str, Any]] = []
        self._shadow_seq = 0
        self._sessions: dict[str, str] = {}
        self._report_soon = threading.Event()
        self._report_at: float | None = None
        self._response: requests.Response | None = None
        self._http = requests.Session()
        self._threads: list[threading.Thread] = []
        self._applied_listeners: list[Callable[[AppliedConfig], None]] = []
        self._event_counts: dict[str, int] = {}

    # --- the worker's side ---------------------------------------------------------------

    def start(self) -> None:
        """Blocks until a first configuration is applied (from the server; in paper mode maybe from disk).

        Raises StartError when there is none within ``start_timeout``, or the credentials are refused.
        """
        stream = threading.Thread(target=self._stream_loop, name="tradai-stream", daemon=True)
        stream.start()
        self._threads.append(stream)
        if not self._started.wait(self.start_timeout):
            self._start_from_last_known_good()  # paper mode, when the server hangs rather than refuses
        if not self._started.is_set() or self._start_error is not None:
            self._stop.set()
            self._close_stream()
            why = self._start_error or (
                f"no configuration from the server within {self.start_timeout:g} s ({self._last_error}); "
                + (
                    "a live worker starts only from a config the server verified, never from the last-known-good copy"
                    if self.mode == "live"
                    else "and there is no usable last-known-good copy"
                )
            )
            raise StartError(why)
        self._open_sessions()
        self._send_heartbeat()
        reporter = threading.Thread(target=self._report_loop, name="tradai-report", daemon=True)
        reporter.start()
        self._threads.append(reporter)

    def current(self, strategy: str | None = None) -> AppliedConfig:
        """What the worker runs on for ``strategy``: immutable; replaced only by boundary()."""
        strategy = strategy or self.strategies[0]
        found = self._state.get(strategy)
        if found is None:
            raise KeyError(f"no configuration for {strategy} (subscribed: {', '.join(self.strategies)})")
        return found

    def boundary(self, open_trades: int | None = None, at: str = "boundary") -> list[AppliedConfig]:
        """Applies what is pending, at a safe point; returns the configs that changed.

        ``open_trades``: the trades the worker holds now. ``between_trades`` keys apply only when it
        is 0; not told, they wait. ``shadow`` keys never apply: a change to one is observed here
        (``config_shadow_would_apply``), once per new value. ``at`` names the safe point in the
        session's history.

        Live: a pending config with catalog warnings applies none of its keys; the worker keeps its
        config for that strategy, logs a WARNING and emits ``config_refused`` (once per refused
        resolved hash), and its heartbeats list it in ``refused`` (see ``refused()``). Paper: it
        applies, with a WARNING naming the warnings (once per resolved hash).
        """
        with self._lock:
            before = {a.strategy: a for a in self._state.all()}
            changed = self._state.boundary(open_trades, at=at)
            observations = self._state.take_shadow_observations()
            refusals = self._state.take_refusals()
            warned = self._state.take_warned()
            self._record_applies(changed, at)
            self._record_shadow(observations)
            violations = self._unsafe(before, changed, open_trades)
        for refusal in refusals:
            self._report_refusal(refusal)
        self._warn_of(warned)
        for strategy, key, reload in violations:
            self._event(
                "config_apply_violation",
                {
                    "strategy": strategy,
                    "worker_id": self.worker_id,
                    "key": key,
                    "reload": reload,
                    "boundary": at,
                    "open_trades": open_trades,
                },
            )
        for applied in changed:
            self._event(
                "config_version_applied",
                {
                    "strategy": applied.strategy,
                    "worker_id": self.worker_id,
                    "environment": self.environment,
                    "config_version_id": applied.config_version_id,
                    "resolved_hash": applied.resolved_hash,
                    "seq": applied.seq,
                    "latency_ms": self._latency_ms(applied),
                    "boundary": at,
                    "pending_restart": list(applied.pending_restart),
                    "pending_between_trades": list(applied.pending_between_trades),
                    "held_shadow": list(applied.held_shadow),
                },
            )
            for listener in list(self._applied_listeners):
                try:
                    listener(applied)
                except Exception:  # a listener's bug must not stop the trading loop
                    log.exception("an on_applied listener failed")
        for observation in observations:
            self._report_shadow(observation)
        if changed or observations or refusals:
            self._schedule_report()
        return changed

    @property
    def has_pending(self) -> bool:
        return self._state.has_pending

    @property
    def restart_required(self) -> bool:
        return any(a.pending_restart for a in self._state.all())

    def pending_restart(self) -> dict[str, tuple[str, ...]]:
        return {a.strategy: a.pending_restart for a in self._state.all() if a.pending_restart}

    def pending_between_trades(self) -> dict[str, tuple[str, ...]]:
        return {a.strategy: a.pending_between_trades for a in self._state.all() if a.pending_between_trades}

    def held_shadow(self) -> dict[str, tuple[str, ...]]:
        """Shadow keys whose new value the worker does not apply, by strategy (the value in use is the old one)."""
        return {a.strategy: a.held_shadow for a in self._state.all() if a.held_shadow}

    def refused(self) -> dict[str, str]:
        """The strategies whose latest config from the server this live worker refuses (catalog
        warnings), with the reason; it runs its previous config for each. Always empty in paper mode."""
        return {strategy: refusal.reason for strategy, refusal in self._state.refused().items()}

    @property
    def stale(self) -> bool:
        """True while the config in use came from the last-known-good copy and the server has not answered."""
        return self._stale

    @property
    def streaming(self) -> bool:
        return self._streaming

    @property
    def seq(self) -> int:
        return self._seq

    def session_id(self, strategy: str | None = None) -> str | None:
        return self._sessions.get(strategy or self.strategies[0])

    def tag(self, record: Mapping[str, Any], strategy: str | None = None) -> dict[str, Any]:
        """``record`` with the applied version, hash and session added (PnL rows, signals, metrics)."""
        strategy = strategy or self.strategies[0]
        applied = self._state.get(strategy)
        return {
            **record,
            "config_version_id": applied.config_version_id if applied else None,
            "resolved_hash": applied.resolved_hash if applied else None,
            "session_id": self._sessions.get(strategy),
        }

    def on_applied(self, listener: Callable[[AppliedConfig], None]) -> Callable[[], None]:
        self._applied_listeners.append(listener)
        return lambda: self._applied_listeners.remove(listener)

    def stop(self) -> None:
        """Reports what was applied since the last report (the sessions end), and stops the threads.

        The reporter stops first, so no report of its own can arrive after the final one.
        """
        report = self._started.is_set() and not self._stop.is_set() and self._start_error is None
        self._stop.set()
        self._report_soon.set()
        self._close_stream()
        for thread in self._threads:
            if thread.name == "tradai-report":
                thread.join(timeout=self.request_timeout + 1)
        if report:
            self._send_heartbeat(final=True, timeout=(2.0, 3.0))
        for thread in self._threads:
            thread.join(timeout=2)
        self._http.close()

    def __enter__(self) -> ConfigSubscriber:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    # --- safety ---------------------------------------------------------------------------

    def _event(self, name: str, fields: Mapping[str, Any]) -> None:
        """Hands an event to the sink; a failing sink is logged, never raised into the trading loop.
        Every heartbeat carries how many of each this process emitted."""
        with self._lock:
            self._event_counts[name] = self._event_counts.get(name, 0) + 1
        try:
            self._emit(name, fields)
        except Exception:  # noqa: BLE001 - the values are applied already: the loop must go on
            log.exception("the event sink failed on %s", name)

    def _unsafe(
        self,
        before: Mapping[str, AppliedConfig],
        changed: Sequence[AppliedConfig],
        open_trades: int | None,
    ) -> list[tuple[str, str, str]]:
        """(strategy, key, class) of each key changed where its class does not allow it: a restart or
        shadow key live, a between_trades key with trades open. Never any, unless the apply itself is broken."""
        found: list[tuple[str, str, str]] = []
        for applied in changed:
            was = before.get(applied.strategy)
            if was is None:
                continue
            old, new = leaves(was.values), leaves(applied.values)
            for key in sorted(set(old) | set(new)):
                if key in old and key in new and canonical_json(old[key]) == canonical_json(new[key]):
                    continue
                reload = reload_class_of(key, self._state.reload_classes)
                if reload in ("restart", "shadow") or (reload == "between_trades" and open_trades != 0):
                    found.append((applied.strategy, key, reload))
        return found

    def _report_shadow(self, observation: ShadowObservation) -> None:
        """One INFO line and the ``config_shadow_would_apply`` event: what a hot key would have done here."""
        trade = {None: "open trades not told", True: "a trade open", False: "no trade open"}[observation.trade_open]
        log.info(
            "shadow %s of %s: %s -> %s not applied at %s, where a hot key would have taken it (%s)",
            observation.key,
            observation.strategy,
            _shown(observation.old),
            _shown(observation.new),
            observation.boundary,
            trade,
        )
        fields: dict[str, Any] = {
            "strategy": observation.strategy,
            "worker_id": self.worker_id,
            "environment": self.environment,
            "key": observation.key,
        }
        if observation.old is not ABSENT:
            fields["old"] = thaw(observation.old)
        if observation.new is not ABSENT:
            fields["new"] = thaw(observation.new)
        fields.update(
            seq=observation.seq,
            boundary=observation.boundary,
            open_trades=observation.open_trades,
            trade_open=observation.trade_open,
        )
        self._event("config_shadow_would_apply", fields)

    def _report_refusal(self, refusal: Refusal) -> None:
        """One WARNING on ``tradai_client`` and the ``config_refused`` event (once per refused hash)."""
        kept = self._state.get(refusal.strategy)
        log.warning(
            "live worker %s refused the config %s (%s) of %s: %s; it keeps running %s (%s)",
            self.worker_id,
            refusal.config_version_id,
            (refusal.resolved_hash or "")[:12],
            refusal.strategy,
            refusal.reason,
            kept.config_version_id if kept else None,
            (kept.resolved_hash or "")[:12] if kept else "",
        )
        self._event(
            "config_refused",
            {
                "strategy": refusal.strategy,
                "worker_id": self.worker_id,
                "environment": self.environment,
                "config_version_id": refusal.config_version_id,
                "resolved_hash": refusal.resolved_hash,
                "reason": refusal.reason,
                "at": refusal.at,
                "warnings": [w.to_wire() for w in refusal.warnings],
            },
        )

    def _warn_of(self, configs: Sequence[IncomingConfig]) -> None:
        """Paper: a config with catalog warnings is applied all the same, and said so (once per hash)."""
        for c in configs:
            log.warning(
                "%s worker %s applies the config %s (%s) of %s despite catalog warnings: %s "
                "(a live worker would refuse it)",
                self.mode,
                self.worker_id,
                c.config_version_id,
                (c.resolved_hash or "")[:12],
                c.strategy,
                c.warning_text,
            )

    # --- what the server is told --------------------------------------------------------------

    def _latency_ms(self, applied: AppliedConfig) -> float | None:
        if applied.event_at is None:
            return None
        return max(0.0, (_parse_time(applied.applied_at) - _parse_time(applied.event_at)) * 1000)

    def _record_applies(self, applied: Sequence[AppliedConfig], at: str) -> None:
        for a in applied:
            if a.resolved_hash is None:
                continue
            self._apply_seq += 1
            self._unreported.append(
                {
                    "strategy": a.strategy,
                    "seq": self._apply_seq,
                    "config_version_id": a.config_version_id,
                    "resolved_hash": a.resolved_hash,
                    "values": thaw(a.values),
                    "applied_at": a.applied_at,
                    "boundary": at,
                    "latency_ms": self._latency_ms(a),
                    "pending_restart": list(a.pending_restart),
                    "pending_between_trades": list(a.pending_between_trades),
                    **({"held_shadow": list(a.held_shadow)} if a.held_shadow else {}),
                }
            )
        if len(self._unreported) > _MAX_UNREPORTED:
            dropped = len(self._unreported) - _MAX_UNREPORTED
            self._unreported = self._unreported[dropped:]
            log.warning(
                "the server has not acknowledged %d applies: dropped the %d oldest from the session history",
                _MAX_UNREPORTED,
                dropped,
            )

    def _record_shadow(self, observations: Sequence[ShadowObservation]) -> None:
        """Keeps each observation for the heartbeats, with an id the server dedupes a resent one by."""
        for observation in observations:
            self._shadow_seq += 1
            self._unreported_shadow.append({"id": self._shadow_seq, **observation.to_wire()})
        if len(self._unreported_shadow) > _MAX_UNREPORTED:
            dropped = len(self._unreported_shadow) - _MAX_UNREPORTED
            self._unreported_shadow = self._unreported_shadow[dropped:]
            log.warning(
                "the server has not acknowledged %d shadow observations: dropped the %d oldest",
                _MAX_UNREPORTED,
                dropped,
            )

    def _reader_params(self) -> dict[str, str]:
        """Who reads, on the stream and on resolve: a staged rollout may assign this worker its version.

        A label a selector cannot name (a ',' or '=' in its value, a name out of pattern) is left out.
        """
        selectable = [
            (k, v)
            for k, v in self.labels.items()
            if _LABEL_NAME.fullmatch(k) and isinstance(v, str) and _SELECTOR_VALUE.fullmatch(v)
        ]
        params = {"worker_id": self.worker_id}
        if selectable:
            params["labels"] = ",".join(f"{k}={v}" for k, v in selectable)
        return params

    def _health_figures(self) -> dict[str, float]:
        """The worker's health figures, finite numbers only; a callback that raises reports none."""
        if self.health is None:
            return {}
        try:
            figures = self.health()
        except Exception as error:  # the worker's own code: its failure must not stop the report
            log.warning("health figures not reported: %s", error)
            return {}
        kept: dict[str, float] = {}
        for name, value in figures.items():
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
                continue
            # A figure the server would refuse would cost the whole report: left out, with a warning.
            if not _HEALTH_FIGURE_NAME.match(str(name)) or len(kept) >= _MAX_HEALTH_FIGURES:
                log.warning("health figure %r not reported: at most %d, named in lower case", name, _MAX_HEALTH_FIGURES)
                continue
            kept[name] = value
        return kept

    def _process(self) -> dict[str, Any]:
        process: dict[str, Any] = {
            "pid": os.getpid(),
            "host": socket.gethostname()[:255],
            "mode": self.mode,
            "stale": self._stale,
            "instance": self.instance,
        }
        if self.code_version:
            process["version"] = self.code_version
        if self.labels:
            process["labels"] = self.labels
        return process

    def _post(
        self, path: str, body: Mapping[str, Any], timeout: float | tuple[float, float] | None = None
    ) -> requests.Response:
        return self._http.post(
            f"{self.url}{path}",
            data=json.dumps(body, ensure_ascii=False, allow_nan=False).encode("utf-8"),
            headers={**self._headers, "content-type": "application/json", "accept": "application/json"},
            timeout=timeout or self.request_timeout,
        )

    def _open_sessions(self) -> None:
        """Opens the sessions with the configs the worker starts on (failing that, the heartbeat does)."""
        with self._lock:
            sent = self._unreported[:_REPORT_BATCH]
        if not sent:
            return
        try:
            response = self._post(
                f"/api/v1/workers/{quote(self.worker_id, safe='')}/sessions",
                {"environment": self.environment, "process": self._process(), "applies": sent},
            )
            if not response.ok:
                log.warning("opening the sessions answered HTTP %s: the heartbeat will carry them", response.status_code)
                return
            for session in response.json().get("sessions", []):
                self._sessions[session["strategy"]] = session["session_id"]
            with self._lock:
                self._unreported = [a for a in self._unreported if a not in sent]
        except (requests.RequestException, ValueError) as error:
            log.warning("opening the sessions failed (%s): the heartbeat will carry them", error)

    def _send_heartbeat(self, final: bool = False, timeout: float | tuple[float, float] | None = None) -> None:
        with self._lock:
            sent = self._unreported[:_REPORT_BATCH]
            sent_shadow = self._unreported_shadow[:_REPORT_BATCH]
            applied = self._state.all()
            body: dict[str, Any] = {
                "environment": self.environment,
                "applied": [
                    {
                        "strategy": a.strategy,
                        "config_version_id": a.config_version_id,
                        "resolved_hash": a.resolved_hash,
                        "applied_at": a.applied_at,
                        # the change event it came with: the server measures propagation from its commit
                        **({"seq": a.seq} if a.event_at is not None else {}),
                    }
                    for a in applied
                ],
                "last_seq": self._seq,
                "pending_restart": [f"{a.strategy}:{k}" for a in applied for k in a.pending_restart],
                "pending_between_trades": [f"{a.strategy}:{k}" for a in applied for k in a.pending_between_trades],
                "process": self._process(),
            }
            # State, like pending_restart: sent while it stands, and only then (an older server refuses the field).
            refused = [r.to_wire() for r in self._state.refused().values()][:200]
        if refused:
            body["refused"] = refused
        if sent:
            body["applies"] = sent
        if sent_shadow:
            body["shadow"] = sent_shadow
        with self._lock:
            if self._event_counts:
                body["events"] = dict(self._event_counts)
        figures = self._health_figures()
        if figures:
            body["health"] = figures
        if final:
            body["final"] = True
        try:
            response = self._post(f"/api/v1/workers/{quote(self.worker_id, safe='')}/heartbeat", body, timeout)
            if not response.ok:
                log.warning("heartbeat answered HTTP %s: %s", response.status_code, response.text[:300])
                return
            with self._lock:
                self._unreported = [a for a in self._unreported if not any(a is s for s in sent)]
                acknowledged = {o["id"] for o in sent_shadow}
                self._unreported_shadow = [o for o in self._unreported_shadow if o["id"] not in acknowledged]
                more = bool(self._unreported) or bool(self._unreported_shadow)
            if more and not final:
                self._schedule_report()  # more waiting than one report carries: the next goes soon
        except requests.RequestException as error:
            log.warning("heartbeat failed: %s", error)

    def _schedule_report(self) -> None:
        """Within 5 s at random (or the longer window the change frame names: the server scales it to
        the streams it holds), so a fleet applying one change does not report in one burst."""
        with self._lock:
            if self._report_at is None:
                within = max(min(self.heartbeat_interval / 2, 5.0), self._report_within_s)
                self._report_at = time.monotonic() + random.uniform(0, within)
        self._report_soon.set()

    def _report_loop(self) -> None:
        """Heartbeats every ``heartbeat_interval`` (sooner after an apply); polls while the stream is down."""
        next_heartbeat = time.monotonic() + self.heartbeat_interval
        next_poll = time.monotonic()
        while not self._stop.is_set():
            now = time.monotonic()
            with self._lock:
                soon = self._report_at
            if soon is not None and soon <= now:
                with self._lock:
                    self._report_at = None
                self._guard(self._send_heartbeat)
                next_heartbeat = time.monotonic() + self.heartbeat_interval
            elif now >= next_heartbeat:
                self._guard(self._send_heartbeat)
                next_heartbeat = time.monotonic() + self.heartbeat_interval
            if not self._streaming and time.monotonic() >= next_poll:
                self._guard(self._poll_once)
                next_poll = time.monotonic() + self.poll_interval
            deadlines = [next_heartbeat] + ([soon] if soon is not None else [])
            if not self._streaming:
                deadlines.append(next_poll)
            self._report_soon.wait(max(0.0, min(deadlines) - time.monotonic()))
            self._report_soon.clear()

    @staticmethod
    def _guard(work: Callable[[], None]) -> None:
        try:
            work()
        except Exception:  # the background never raises into anything; it says what went wrong
            log.exception("tradai background work failed")

    # --- what the server says ------------------------------------------------------------------

    def _accept(self, configs: Sequence[IncomingConfig], changes: Sequence[Mapping[str, str]], initial: bool, at: int) -> None:
        """Takes configs from the server (under the lock): those that fail their hash are refused, and
        once running, a strategy left with no active version keeps the config it runs on."""
        good = []
        for c in configs:
            if c.strategy not in self.strategies:
                continue
            if not c.verified:
                log.error("refused the config of %s from the server: its values do not match its resolved hash", c.strategy)
                continue
            if not initial and c.values is None and self._state.get(c.strategy) is not None:
                log.error(
                    "the server has no active version of %s in %s any more: the worker keeps the config it runs on",
                    c.strategy,
                    self.environment,
                )
                continue
            good.append(c)
        if initial:
            self._state.initialise(good, at)
        else:
            self._state.receive(good, at, changes)
        for c in good:
            self._latest[c.strategy] = c
            if self.mode == "paper" or not c.warnings:
                self._keepable[c.strategy] = c  # live: a config it refuses never becomes its copy

    def _unusable(self, configs: Sequence[IncomingConfig]) -> str | None:
        """Why the first snapshot cannot start this worker (None: it can). A live worker needs a verified
        config with an active version and no catalog warnings for every strategy; a paper one only verified configs."""
        for strategy in self.strategies:
            found = next((c for c in configs if c.strategy == strategy), None)
            if found is None:
                return f"the server sent no config for {strategy}"
            if not found.verified:
                return f"the server's config of {strategy} does not match its resolved hash"
            if found.values is None:
                if self.mode == "live":
                    return f"{strategy} has no active version in {self.environment}: a live worker does not start on nothing"
                log.warning("%s has no active version in %s: paper worker %s starts with no values", strategy, self.environment, self.worker_id)
            if found.warnings and self.mode == "live":
                # Strict live mode: it has no config of its own to keep, so it fails fast.
                return (
                    f"the config {found.config_version_id} of {strategy} in {self.environment} has catalog warnings: "
                    f"{found.warning_text}; a live worker does not start on a config the catalog warns of"
                )
        return None

    def _save_copy(self) -> None:
        """Writes the newest verified configs this worker would run to disk (live: never one with catalog
        warnings; the copy keeps the previous one): outside the state lock, so boundary() never waits on a disk."""
        if self.last_known_good_path is None:
            return
        with self._save_lock:  # one writer at a time, and the last one writes the newest state
            with self._lock:
                if self._stale:
                    return  # a copy read from disk is not written back as if verified
                copy = LastKnownGood(self.environment, self._seq, _now(), list(self._keepable.values()))
            try:
                save_last_known_good(self.last_known_good_path, copy)
            except OSError as error:
                log.warning("could not save the last-known-good copy: %s", error)

    def _server_answered(self) -> None:
        if self._stale:
            self._stale = False
            log.warning("the server answered: the last-known-good config is no longer stale (new values apply at the next boundary)")

    def _handle(self, event: str, data: str) -> None:
        if event == "snapshot" and self._started.is_set():
            # A later snapshot (a gap too old to replay, or after a start from disk) is a change like
            # any other, but it names no reload classes: the catalog's are read first.
            try:
                self._reload_classes()
            except (requests.RequestException, ValueError, KeyError) as error:
                log.warning("could not read the catalog's reload classes (%s): changed keys wait as restart-only", error)
        warned: list[IncomingConfig] = []
        started_now = False
        with self._lock:
            self._stream_messages += 1
            if event == "snapshot":
                payload = json.loads(data)
                initial = not self._started.is_set()
                configs = [IncomingConfig.from_wire(c) for c in payload["configs"]]
                if initial and (why := self._unusable(configs)):
                    self._start_error = why
                    self._started.set()
                    return
                self._seq = int(payload["seq"])
                self._server_answered()
                self._stream_seq_trusted = True
                self._accept(configs, [], initial, self._seq)
                if initial:
                    self._record_applies(self._state.all(), "start")
                    warned = self._state.take_warned()
                    started_now = True
            elif event == "change":
                payload = json.loads(data)
                self._seq = max(self._seq, int(payload["seq"]))
                within = payload.get("report_within_ms")
                if isinstance(within, int) and within >= 0:
                    self._report_within_s = min(within, 60_000) / 1000
                at = payload.get("at")
                configs = [IncomingConfig.from_wire(c, event_at=at) for c in payload["configs"]]
                self._accept(configs, payload.get("changes") or [], False, int(payload["seq"]))
            elif event == "goodbye":
                # The replica shuts down: reconnect after the delay it drew, so its subscribers spread out.
                after = json.loads(data).get("reconnect_after_ms")
                if isinstance(after, (int, float)) and after >= 0:
                    self._goodbye_delay = min(float(after), 60_000.0) / 1000
        self._warn_of(warned)  # paper, starting on a config with warnings
        # start() returns once the worker is told: the warning comes before it trades, not after.
        if started_now:
            self._started.set()
        self._save_copy()

    def _stream_loop(self) -> None:
        initial, cap = self.backoff
        attempt = 0
        while not self._stop.is_set():
            try:
                headers = {**self._headers, "accept": "text/event-stream"}
                with self._lock:
                    if self._stream_seq_trusted:
                        headers["last-event-id"] = str(self._seq)
                params = (
                    [("environment", self.environment)]
                    + [("strategy", s) for s in self.strategies]
                    + list(self._reader_params().items())
                )
                response = self._http.get(
                    f"{self.url}/api/v1/stream",
                    params=params,
                    headers=headers,
                    stream=True,
                    timeout=(self.request_timeout, _STREAM_READ_TIMEOUT),
                )
                self._response = response
                try:
                    if self._stop.is_set():  # stop() ran while the request was under way
                        return
                    if response.status_code != 200:
                        refusal = f"the stream answered HTTP {response.status_code}: {response.text[:300]}"
                        # Wrong credentials or no permission will not fix themselves: the start fails.
                        if not self._started.is_set() and response.status_code in (401, 403):
                            self._start_error = refusal
                            self._started.set()
                            return
                        raise ConnectionError(refusal)
                    attempt = 0
                    self._streaming = True
                    self._reload_classes_known = False  # the catalog may change before the next outage
                    for message in read_sse(
                        self._until_stopped(response.iter_content(chunk_size=None)), on_retry=self._set_retry
                    ):
                        if self._stop.is_set():
                            return
                        self._handle(message.event, message.data)
                        if self._start_error is not None:
                            return
                    if not self._stop.is_set():
                        log.warning("the stream ended; reconnecting")
                finally:
                    self._streaming = False
                    self._response = None
                    response.close()
            except Exception as error:  # noqa: BLE001 - whatever breaks the stream, the loop goes on
                if self._stop.is_set():
                    return
                self._last_error = str(error)
                log.warning("stream failed (%s); reconnecting", error)
            if not self._started.is_set():
                self._start_from_last_known_good()
            self._report_soon.set()  # the reporter starts polling
            attempt += 1
            delay, self._goodbye_delay = self._goodbye_delay, None
            first = max(self._retry_s, initial) if self._retry_s is not None else initial * 2
            ceiling = min(cap, first * 2 ** (attempt - 1))
            self._stop.wait(delay if delay is not None else random.uniform(0, ceiling))  # full jitter

    def _set_retry(self, ms: int) -> None:
        self._retry_s = min(ms, 60_000) / 1000

    def _until_stopped(self, chunks: Iterator[bytes]) -> Iterator[bytes]:
        """The stream's chunks (its 15 s heartbeat comments included) until stop() is called."""
        for chunk in chunks:
            if self._stop.is_set():
                return
            yield chunk

    def _close_stream(self) -> None:
        """Ends a blocked stream read from another thread (closing the socket wakes the reader)."""
        response = self._response
        if response is None:
            return
        try:
            sock = response.raw._connection.sock  # noqa: SLF001 - no public way to interrupt a blocked read
            if sock is not None:
                sock.shutdown(socket.SHUT_RDWR)
        except Exception:  # noqa: BLE001 - best effort: the read timeout ends it anyway
            pass
        try:
            response.close()
        except Exception:  # noqa: BLE001
            pass

    def _start_from_last_known_good(self) -> None:
        """Paper mode only, when the server did not answer: start from the copy on disk, loudly."""
        if self.mode != "paper" or self.last_known_good_path is None or self._tried_last_known_good:
            return
        self._tried_last_known_good = True
        try:
            copy = load_last_known_good(self.last_known_good_path, self.environment, self.strategies)
        except LastKnownGoodError as error:
            log.warning("cannot start from the last-known-good copy: %s", error)
            return
        with self._lock:
            if self._started.is_set():
                return
            self._state.initialise(copy.configs, copy.seq)
            for c in copy.configs:
                self._latest[c.strategy] = c
                self._keepable[c.strategy] = c
            warned = self._state.take_warned()
            self._seq = copy.seq
            self._stale = True
            self._record_applies(self._state.all(), "start (last-known-good copy)")
            self._started.set()
        log.warning(
            "WARNING: the server is unreachable (%s); paper worker %s starts from the last-known-good copy "
            "saved %s (%s). It is STALE until the server answers.",
            self._last_error,
            self.worker_id,
            copy.saved_at,
            self.last_known_good_path,
        )
        self._warn_of(warned)

    def _reload_classes(self) -> None:
        """The catalog's reload classes: a poll answer does not carry them (a change event does)."""
        response = self._http.get(f"{self.url}/api/v1/catalog", headers=self._headers, timeout=self.request_timeout)
        response.raise_for_status()
        classes = {
            item["parameter"]["name"]: item["parameter"].get("reload", "restart") for item in response.json()["items"]
        }
        with self._lock:
            self._state.set_reload_classes(classes)
        self._reload_classes_known = True

    def _poll_once(self) -> None:
        if not self._started.is_set() or self._streaming:
            return
        answered = 0
        try:
            for strategy in self.strategies:
                if self._stop.is_set():
                    return
                with self._lock:
                    mark = self._stream_messages
                    known = self._latest.get(strategy)
                headers = {**self._headers, "accept": "application/json"}
                if known is not None and known.resolved_hash:
                    headers["if-none-match"] = f'"{known.resolved_hash}"'
                response = self._http.get(
                    f"{self.url}/api/v1/resolve/{quote(strategy, safe='')}",
                    params={"environment": self.environment, **self._reader_params()},
                    headers=headers,
                    timeout=self.request_timeout,
                )
                if response.status_code not in (200, 304):
                    raise ConnectionError(f"resolve {strategy} answered HTTP {response.status_code}: {response.text[:300]}")
                answered += 1
                if response.status_code == 304:
                    continue
                if not self._reload_classes_known:
                    self._reload_classes()
                answer = response.json()
                config = IncomingConfig.from_wire({**answer, "strategy": strategy})  # its warnings too
                with self._lock:
                    # A stream message that came meanwhile is newer than this answer.
                    if self._streaming or self._stream_messages != mark:
                        continue
                    self._accept([config], [], False, self._seq)
                self._save_copy()
            if answered == len(self.strategies):
                with self._lock:
                    self._server_answered()
        except (requests.RequestException, ConnectionError, ValueError, KeyError) as error:
            self._last_error = str(error)
