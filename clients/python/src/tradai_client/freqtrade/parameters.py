"""A Freqtrade strategy's parameters as the platform names them.

Freqtrade addresses a hyperopt parameter by its space and attribute name (``params.buy.buy_rsi`` in
``<Strategy>.json``); the platform's key is the same path, ``buy.buy_rsi``. A strategy's plain
settings keep their own names: ``minimal_roi``, ``stoploss``, the trailing settings,
``max_open_trades``. Parameters are found by duck typing (the class names and attributes of
``freqtrade.strategy``'s parameter classes), so this module never imports Freqtrade.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["HyperParameter", "PLAIN_SETTINGS", "hyper_parameters", "plain_settings"]

PARAMETER_CLASSES = ("IntParameter", "DecimalParameter", "RealParameter", "CategoricalParameter", "BooleanParameter")
NAME = re.compile(r"^[a-z][a-z0-9_]*$")
#: The name prefixes from which Freqtrade infers a parameter's space.
AUTO_SPACES = ("buy", "sell", "enter", "exit", "protection")

#: The plain settings a strategy class may set, with the catalog type, bounds and parameter-file space of each.
PLAIN_SETTINGS: dict[str, dict[str, Any]] = {
    "minimal_roi": {"type": "json", "space": "roi", "description": "Minimal ROI per trade duration (minutes -> ratio)"},
    "stoploss": {"type": "number", "space": "stoploss", "min": -1, "max": 0, "description": "Stop-loss, as a ratio"},
    "trailing_stop": {"type": "bool", "space": "trailing", "description": "Trail the stop-loss"},
    "trailing_stop_positive": {
        "type": "number",
        "space": "trailing",
        "min": 0,
        "max": 1,
        "description": "Trailing stop once in profit, as a ratio",
    },
    "trailing_stop_positive_offset": {
        "type": "number",
        "space": "trailing",
        "min": 0,
        "max": 1,
        "description": "Profit at which the positive trailing stop starts",
    },
    "trailing_only_offset_is_reached": {
        "type": "bool",
        "space": "trailing",
        "description": "Trail only once the offset is reached",
    },
    "max_open_trades": {"type": "int", "space": "max_open_trades", "min": -1, "description": "Open trades at most (-1: no limit)"},
}


@dataclass(frozen=True)
class HyperParameter:
    """One hyperopt parameter of a strategy class."""

    attribute: str
    space: str
    kind: str
    parameter: Any

    @property
    def key(self) -> str:
        """The platform's key: ``<space>.<attribute>``."""
        return f"{self.space}.{self.attribute}"


def _kind(value: Any) -> str | None:
    for cls in type(value).__mro__:
        if cls.__name__ in PARAMETER_CLASSES:
            return cls.__name__
    return None


def hyper_parameters(strategy: Any) -> list[HyperParameter]:
    """The hyperopt parameters of a strategy class or instance, in attribute order.

    A parameter's space is its ``space=`` (kept as ``category`` or ``space``, by Freqtrade's version),
    or the ``buy_``, ``sell_``, ``enter_``, ``exit_`` or ``protection_`` prefix of its name, as
    Freqtrade infers it. Raises ValueError for one with
    neither, or a name the platform cannot use as a key.
    """
    cls = strategy if isinstance(strategy, type) else type(strategy)
    found: list[HyperParameter] = []
    seen: set[str] = set()
    for klass in cls.__mro__:
        for attribute, value in vars(klass).items():
            if attribute in seen or attribute.startswith("__"):
                continue
            kind = _kind(value)
            if kind is None:
                continue
            seen.add(attribute)
            param = getattr(strategy, attribute)
            space = getattr(param, "category", None) or getattr(param, "space", None)
            if not isinstance(space, str):
                prefix = attribute.split("_", 1)[0]
                if prefix not in AUTO_SPACES:
                    raise ValueError(
                        f"{cls.__name__}.{attribute}: give it space='buy', 'sell' or another, "
                        "or a name starting buy_, sell_, enter_, exit_ or protection_"
                    )
                space = prefix
            for part in (space, attribute):
                if not NAME.match(part):
                    raise ValueError(
                        f"{cls.__name__}.{attribute} (space {space}): {part!r} is not a platform key part "
                        "(lower-case letters, digits and '_', starting with a letter)"
                    )
            found.append(HyperParameter(attribute, space, kind, param))
    return found


def plain_settings(strategy: Any) -> dict[str, Any]:
    """The plain settings the strategy class sets (``minimal_roi``, ``stoploss``, ...), with their values."""
    return {name: getattr(strategy, name) for name in PLAIN_SETTINGS if hasattr(strategy, name)}
