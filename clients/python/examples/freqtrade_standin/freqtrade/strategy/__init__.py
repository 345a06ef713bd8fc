"""``IStrategy`` and the hyperopt parameter classes, with Freqtrade's signatures."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence


class BaseParameter:
    def __init__(self, *, default: Any, space: str | None = None, optimize: bool = True, load: bool = True, **kwargs: Any) -> None:
        self.category = space
        self.default = default
        self.value = default
        self.optimize = optimize
        self.load = load

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.value})"


class NumericParameter(BaseParameter):
    def __init__(self, low: Any, high: Any = None, *, default: Any, space: str | None = None, optimize: bool = True, load: bool = True, **kwargs: Any) -> None:
        if high is None:
            low, high = low
        self.low, self.high = low, high
        super().__init__(default=default, space=space, optimize=optimize, load=load, **kwargs)


class IntParameter(NumericParameter):
    pass


class RealParameter(NumericParameter):
    pass


class DecimalParameter(NumericParameter):
    def __init__(self, low: Any, high: Any = None, *, default: float, decimals: int = 3, space: str | None = None, optimize: bool = True, load: bool = True, **kwargs: Any) -> None:
        self._decimals = decimals
        super().__init__(low, high, default=round(default, decimals), space=space, optimize=optimize, load=load, **kwargs)


class CategoricalParameter(BaseParameter):
    def __init__(self, categories: Sequence[Any], *, default: Any = None, space: str | None = None, optimize: bool = True, load: bool = True, **kwargs: Any) -> None:
        if len(categories) < 2:
            raise ValueError("CategoricalParameter space must be [a, b, ...] (at least two parameters)")
        self.opt_range = categories
        super().__init__(default=default if default is not None else categories[0], space=space, optimize=optimize, load=load, **kwargs)


class BooleanParameter(CategoricalParameter):
    def __init__(self, *, default: Any = None, space: str | None = None, optimize: bool = True, load: bool = True, **kwargs: Any) -> None:
        super().__init__([True, False], default=default, space=space, optimize=optimize, load=load, **kwargs)


class IStrategy:
    INTERFACE_VERSION = 3
    minimal_roi: dict[Any, float] = {}
    stoploss: float = -0.10
    timeframe = "5m"

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config

    def ft_bot_start(self, **kwargs: Any) -> None:
        """As Freqtrade starts a strategy: bot_start(), then the parameters are loaded from the
        strategy's ``buy_params``/``sell_params``/``protection_params`` (and the parameter file)."""
        self.bot_start()
        self.ft_load_hyper_params()

    def ft_load_hyper_params(self, hyperopt: bool = False) -> None:
        for name in dir(type(self)):
            parameter = getattr(self, name)
            if not isinstance(parameter, BaseParameter):
                continue
            space = parameter.category or name.split("_", 1)[0]
            values = getattr(self, f"{space}_params", {}) or {}
            if name in values and parameter.load:
                parameter.value = values[name]

    def bot_start(self, **kwargs: Any) -> None:
        pass

    def bot_loop_start(self, current_time: datetime, **kwargs: Any) -> None:
        pass

    def populate_indicators(self, dataframe: Any, metadata: dict[str, Any]) -> Any:
        return dataframe

    def populate_entry_trend(self, dataframe: Any, metadata: dict[str, Any]) -> Any:
        return dataframe

    def populate_exit_trend(self, dataframe: Any, metadata: dict[str, Any]) -> Any:
        return dataframe
