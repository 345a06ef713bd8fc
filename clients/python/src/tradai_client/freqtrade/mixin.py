"""A mixin that gives a Freqtrade strategy its parameters from the platform.

    class MyStrategy(TradaiStrategyMixin, IStrategy):
        buy_rsi = IntParameter(10, 40, default=30, space="buy")
        stoploss = -0.10

At ``bot_start`` it subscribes (paper when Freqtrade's ``dry_run`` is true, live otherwise) and sets
the strategy's hyperopt parameters (``buy_rsi.value``) and plain settings (``minimal_roi``,
``stoploss``, trailing settings, ``max_open_trades``) from the active version. New values are
applied in ``bot_loop_start`` and nowhere else; a key of class ``between_trades`` waits until the
bot holds no open trade; one of class ``shadow`` is never set on the strategy (the values set are
always those in use, where a shadow key keeps its value from start): its changes are only logged
as ``config_shadow_would_apply``, with the open trade count, at the loop start where a ``hot`` key
would have taken them. Each applied change logs ``config_version_applied``; an apply anywhere else
would log ``config_apply_violation`` (and is refused), which never happens in correct use.

Settings, first found: the strategy's class attributes (``tradai_environment``, ...), the bot
config's ``"tradai"`` object, then the environment (``TRADAI_URL``, ``TRADAI_TOKEN``,
``TRADAI_ENVIRONMENT``, ``TRADAI_WORKER_ID``).
"""

from __future__ import annotations

import logging
import os
import socket
from typing import Any, Callable, Mapping

from ..applied_state import AppliedConfig, thaw, value_at
from ..subscriber import ConfigSubscriber, log_event
from .parameters import PLAIN_SETTINGS, HyperParameter, hyper_parameters

__all__ = ["TradaiStrategyMixin"]

log = logging.getLogger("tradai_client.freqtrade")


class TradaiStrategyMixin:
    #: the platform's strategy name (default: the class name)
    tradai_strategy: str | None = None
    tradai_environment: str | None = None
    tradai_worker_id: str | None = None
    #: reload classes for the catalog plan, by platform key (see catalog_plan)
    tradai_reload: Mapping[str, str] = {}
    #: more ConfigSubscriber options (heartbeat_interval, last_known_good, ...)
    tradai_options: Mapping[str, Any] = {}

    tradai: ConfigSubscriber | None = None
    _tradai_in_safe_point: bool = False
    _tradai_parameters: list[HyperParameter]
    #: the hash of the values set on the strategy (None: none yet)
    _tradai_applied_hash: str | None = None

    # --- Freqtrade's hooks ------------------------------------------------------------------

    def bot_start(self, **kwargs: Any) -> None:
        """Subscribes and takes the active version's values before the first loop."""
        runmode = self.tradai_runmode()
        if runmode is not None and runmode not in ("dry_run", "live"):
            # Backtests and hyperopt run on the strategy's own parameters (or run_context()), never on
            # the live feed: their values must not change under them.
            log.info("tradai: not subscribing in Freqtrade run mode %s", runmode)
        else:
            self._tradai_parameters = hyper_parameters(self)
            self.tradai = self.tradai_subscriber()
            self.tradai.start()  # live: raises StartError without the server's verified answer
            self._tradai_at_safe_point(self._tradai_sync)
            # Freqtrade loads buy_params and the parameter file after bot_start: the first loop start
            # sets the platform's values again.
            self._tradai_applied_hash = None
        parent = getattr(super(), "bot_start", None)
        if parent is not None:
            parent(**kwargs)

    def bot_loop_start(self, current_time: Any = None, **kwargs: Any) -> None:
        """The safe point: pending values apply here, between_trades ones only with no open trade.

        The strategy's values are also set again whenever they are not those of the config in use:
        after start-up (Freqtrade loads ``buy_params`` and the parameter file after ``bot_start``),
        or after an apply that failed.
        """
        if self.tradai is not None:
            subscriber = self.tradai

            def apply_pending() -> None:
                subscriber.boundary(open_trades=self.tradai_open_trades(), at="bot_loop_start")
                self._tradai_sync()

            self._tradai_at_safe_point(apply_pending)
        parent = getattr(super(), "bot_loop_start", None)
        if parent is not None:
            parent(current_time=current_time, **kwargs)

    # --- what a strategy may override ----------------------------------------------------------

    def tradai_strategy_name(self) -> str:
        return self.tradai_strategy or type(self).__name__

    def tradai_runmode(self) -> str | None:
        """Freqtrade's run mode (``dry_run``, ``live``, ``backtest``, ...), None when not told."""
        config: Mapping[str, Any] = getattr(self, "config", None) or {}
        runmode = config.get("runmode")
        return None if runmode is None else str(getattr(runmode, "value", runmode))

    def tradai_open_trades(self) -> int:
        """How many trades the bot holds now (Freqtrade: ``Trade.get_open_trade_count()``)."""
        from freqtrade.persistence import Trade  # type: ignore[import-not-found,unused-ignore]  # only inside a bot

        return int(Trade.get_open_trade_count())

    def tradai_subscriber(self) -> ConfigSubscriber:
        config: Mapping[str, Any] = getattr(self, "config", None) or {}
        settings: Mapping[str, Any] = config.get("tradai") or {}
        strategy = self.tradai_strategy_name()
        environment = self.tradai_environment or settings.get("environment") or os.environ.get("TRADAI_ENVIRONMENT")
        if not environment:
            raise ValueError('name the platform environment: tradai_environment, config["tradai"]["environment"] or TRADAI_ENVIRONMENT')
        worker_id = (
            self.tradai_worker_id
            or settings.get("worker_id")
            or os.environ.get("TRADAI_WORKER_ID")
            or f"{config.get('bot_name') or strategy}-{socket.gethostname()}"
        )
        options: dict[str, Any] = {**dict(settings.get("options") or {}), **dict(self.tradai_options)}
        url = options.pop("url", None) or settings.get("url") or os.environ.get("TRADAI_URL")
        token = options.pop("token", None) or settings.get("token") or os.environ.get("TRADAI_TOKEN")
        if token:
            options["token"] = token
        return ConfigSubscriber(
            url,
            environment=environment,
            strategies=[strategy],
            worker_id=worker_id,
            # Freqtrade's dry_run is paper trading; anything else trades real money.
            mode="paper" if config.get("dry_run", True) else "live",
            **options,
        )

    # --- applying ------------------------------------------------------------------------------

    def _tradai_at_safe_point(self, work: Callable[[], None]) -> None:
        self._tradai_in_safe_point = True
        try:
            work()
        finally:
            self._tradai_in_safe_point = False

    def _tradai_sync(self) -> None:
        """Sets the values in use on the strategy if they are not set yet; a failure is logged and
        tried again at the next loop start (Freqtrade swallows errors of bot_loop_start)."""
        if self.tradai is None:
            return
        applied = self.tradai.current(self.tradai_strategy_name())
        if applied.resolved_hash == self._tradai_applied_hash:
            return
        try:
            self._tradai_apply(applied)
        except Exception:  # noqa: BLE001 - the bot must keep looping; the next loop tries again
            log.exception(
                "tradai: could not set %s %s on the strategy; it runs on the values before, tried again next loop",
                applied.strategy,
                applied.config_version_id,
            )

    def _tradai_apply(self, applied: AppliedConfig) -> None:
        """Sets the strategy's parameters and settings from ``applied``: only at a safe point."""
        if not self._tradai_in_safe_point:
            # Through the subscriber, so the violation is also counted in its heartbeats (KPI 4).
            sink = getattr(self.tradai, "_event", None) or log_event
            sink(
                "config_apply_violation",
                {
                    "strategy": applied.strategy,
                    "config_version_id": applied.config_version_id,
                    "resolved_hash": applied.resolved_hash,
                    "where": "outside bot_loop_start",
                },
            )
            return
        values = applied.values
        updates: list[tuple[str, Any]] = []
        for name in PLAIN_SETTINGS:
            found, value = value_at(values, name)
            if not found:
                continue
            if name == "minimal_roi":
                # Freqtrade keeps minimal_roi with integer minutes, sorted.
                value = dict(sorted((int(k), v) for k, v in value.items()))
            updates.append((name, thaw(value)))
        # Everything is computed before anything is set: a bad value leaves the strategy as it was.
        for p in self._tradai_parameters:
            found, value = value_at(values, p.key)
            if found:
                p.parameter.value = thaw(value)
        for name, value in updates:
            setattr(self, name, value)
            config = getattr(self, "config", None)
            if name == "max_open_trades" and isinstance(config, dict):
                config["max_open_trades"] = value  # the bot reads it from its config
        self._tradai_applied_hash = applied.resolved_hash
