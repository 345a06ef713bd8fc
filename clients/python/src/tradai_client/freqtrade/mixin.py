"""A mixin that gives a Freqtrade strategy its parameters from the platform.

    class MyStrategy(TradaiStrategyMixin, IStrategy):
        buy_rsi = IntParameter(10, 40, default=30, space="buy")
        stoploss = -0.10

At ``bot_start`` it subscribes (paper when Freqtrade's ``dry_run`` is true, live otherwise) and sets
the strategy's hyperopt parameters (``buy_rsi.value``) and plain settings (``minimal_roi``,
``stoploss``, trailing settings, ``max_open_trades``) from the active version. New values are
applied in ``bot_loop_start`` and nowhere else; a key of class ``between_trades`` waits until the
bot holds no open trade. Each applied change logs ``config_version_applied``; an apply anywhere else
would log ``config_apply_violation`` (and is refused), which never happens in correct use.

Settings, first found: the strategy's class attributes (``tradai_environment``, ...), the bot
config's ``"tradai"`` object, then the environment (``TRADAI_URL``, ``TRADAI_TOKEN``,
``TRADAI_ENVIRONMENT``, ``TRADAI_WORKER_ID``).
"""

from __future__ import annotations

import os
import socket
from typing import Any, Mapping

from ..applied_state import AppliedConfig, thaw, value_at
from ..subscriber import ConfigSubscriber, log_event
from .parameters import PLAIN_SETTINGS, HyperParameter, hyper_parameters

__all__ = ["TradaiStrategyMixin"]


class TradaiStrategyMixin:
    #: the platform's strategy name (default: the class name)
    tradai_strategy: str | None = None
    tradai_environment: str | None = None
    tradai_worker_id: str | None = None
    #: reload classes for the catalog plan, by platform key (see catalog_plan)
    tradai_reload: Mapping[str, str] = {}
    #: more ConfigSubscriber options (heartbeat_interval, last_known_good, ...)
    tradai_options: Mapping[str, Any] = {}

    tradai: ConfigSubscriber
    _tradai_in_safe_point: bool = False
    _tradai_parameters: list[HyperParameter]

    # --- Freqtrade's hooks ------------------------------------------------------------------

    def bot_start(self, **kwargs: Any) -> None:
        """Subscribes and takes the active version's values before the first loop."""
        self._tradai_parameters = hyper_parameters(self)
        self.tradai = self.tradai_subscriber()
        self.tradai.start()  # live: raises StartError without the server's verified answer
        self._tradai_in_safe_point = True
        try:
            self._tradai_apply(self.tradai.current(self.tradai_strategy_name()))
        finally:
            self._tradai_in_safe_point = False
        parent = getattr(super(), "bot_start", None)
        if parent is not None:
            parent(**kwargs)

    def bot_loop_start(self, current_time: Any = None, **kwargs: Any) -> None:
        """The safe point: pending values apply here, between_trades ones only with no open trade."""
        self._tradai_in_safe_point = True
        try:
            changed = self.tradai.boundary(open_trades=self.tradai_open_trades(), at="bot_loop_start")
            for applied in changed:
                self._tradai_apply(applied)
        finally:
            self._tradai_in_safe_point = False
        parent = getattr(super(), "bot_loop_start", None)
        if parent is not None:
            parent(current_time=current_time, **kwargs)

    # --- what a strategy may override ----------------------------------------------------------

    def tradai_strategy_name(self) -> str:
        return self.tradai_strategy or type(self).__name__

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

    def _tradai_apply(self, applied: AppliedConfig) -> None:
        """Sets the strategy's parameters and settings from ``applied``: only at a safe point."""
        if not self._tradai_in_safe_point:
            sink = getattr(getattr(self, "tradai", None), "_emit", log_event)
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
        for p in self._tradai_parameters:
            found, value = value_at(values, p.key)
            if found:
                p.parameter.value = thaw(value)
        for name in PLAIN_SETTINGS:
            found, value = value_at(values, name)
            if not found:
                continue
            if name == "minimal_roi":
                # Freqtrade keeps minimal_roi with integer minutes, sorted.
                value = dict(sorted((int(k), v) for k, v in value.items()))
            setattr(self, name, thaw(value))
