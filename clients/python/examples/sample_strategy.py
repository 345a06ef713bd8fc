"""A Freqtrade strategy whose parameters come from the TradAI platform.

Put it in ``user_data/strategies/`` of a Freqtrade bot with ``tradai-client`` installed, and add to
the bot's config::

    "tradai": {"url": "http://tradai:8000", "environment": "dev", "worker_id": "paper-sample-1"}

(the token comes from ``TRADAI_TOKEN``). ``dry_run: true`` runs it as a paper worker.
"""

from __future__ import annotations

from typing import Any

from freqtrade.strategy import BooleanParameter, CategoricalParameter, DecimalParameter, IntParameter, IStrategy

from tradai_client.freqtrade import TradaiStrategyMixin


class TradaiSampleStrategy(TradaiStrategyMixin, IStrategy):
    timeframe = "5m"

    # Hyperopt parameters: the platform's keys are buy.buy_rsi, sell.sell_rsi, ...
    buy_rsi = IntParameter(10, 40, default=30, space="buy")
    buy_trigger = CategoricalParameter(["bb_lower", "macd_cross"], default="bb_lower", space="buy")
    sell_rsi = IntParameter(60, 90, default=70, space="sell")
    sell_profit_only = BooleanParameter(default=False, space="sell")
    protection_cooldown = DecimalParameter(0.0, 5.0, default=1.5, decimals=1, space="protection")

    # Plain settings: the platform's keys are their names.
    minimal_roi = {"0": 0.04, "30": 0.02, "120": 0.0}
    stoploss = -0.10
    trailing_stop = False
    max_open_trades = 3

    # The stop-loss and ROI change only with no trade open; the RSI thresholds at any loop.
    tradai_reload = {"stoploss": "between_trades", "minimal_roi": "between_trades"}

    def populate_indicators(self, dataframe: Any, metadata: dict[str, Any]) -> Any:
        return dataframe

    def populate_entry_trend(self, dataframe: Any, metadata: dict[str, Any]) -> Any:
        # Reads self.buy_rsi.value: constant for the whole loop, changed only in bot_loop_start.
        return dataframe

    def populate_exit_trend(self, dataframe: Any, metadata: dict[str, Any]) -> Any:
        return dataframe
