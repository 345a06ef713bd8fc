"""``Trade``: the open trades of the running bot (in memory here)."""

from __future__ import annotations

from typing import ClassVar


class Trade:
    open_trades: ClassVar[list["Trade"]] = []

    def __init__(self, pair: str) -> None:
        self.pair = pair
        self.is_open = True

    @classmethod
    def open(cls, pair: str) -> "Trade":
        trade = cls(pair)
        cls.open_trades.append(trade)
        return trade

    def close(self) -> None:
        self.is_open = False
        Trade.open_trades.remove(self)

    @staticmethod
    def get_open_trade_count() -> int:
        return len(Trade.open_trades)
