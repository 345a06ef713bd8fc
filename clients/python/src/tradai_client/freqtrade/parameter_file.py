"""Freqtrade parameter files (``<Strategy>.json``, as hyperopt writes them) in and out of config versions.

A file ``{"strategy_name": "S", "params": {"buy": {"buy_rsi": 30}, "roi": {"0": 0.04},
"stoploss": {"stoploss": -0.1}, "trailing": {...}, "max_open_trades": {"max_open_trades": 3}}}``
is the config data ``{"buy": {"buy_rsi": 30}, "minimal_roi": {"0": 0.04}, "stoploss": -0.1, ...}``:
hyperopt spaces keep their ``<space>.<name>`` keys, and the built-in spaces become the strategy's plain
settings. Exporting a version gives the same file back, so hyperopt output and backtests round-trip.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping

from ..api import TradaiClient
from ..canonical import StrictJsonError, parse_strict_json
from .parameters import PLAIN_SETTINGS

__all__ = [
    "ParameterFileError",
    "config_data_from_parameter_file",
    "export_parameter_file",
    "import_parameter_file",
    "parameter_file_from_config_data",
]

log = logging.getLogger("tradai_client.freqtrade")

#: Built-in spaces whose entries are plain settings (``stoploss.stoploss`` is ``stoploss``).
FLAT_SPACES = ("stoploss", "trailing", "max_open_trades")


class ParameterFileError(ValueError):
    """The file is not a Freqtrade parameter file the platform can take; the message says where."""


def config_data_from_parameter_file(document: Mapping[str, Any], where: str = "the file") -> tuple[str, dict[str, Any]]:
    """``(strategy_name, config_data)`` of a parsed parameter file."""
    strategy = document.get("strategy_name")
    params = document.get("params")
    if not isinstance(strategy, str) or not strategy:
        raise ParameterFileError(f"{where}: strategy_name is missing (a Freqtrade parameter file names its strategy)")
    if not isinstance(params, Mapping):
        raise ParameterFileError(f"{where}: params must be an object of spaces (buy, sell, roi, stoploss, ...)")
    data: dict[str, Any] = {}
    for space, entries in params.items():
        if not isinstance(entries, Mapping):
            raise ParameterFileError(f"{where}: params.{space} must be an object")
        if space == "roi":
            data["minimal_roi"] = {str(k): v for k, v in entries.items()}
        elif space in FLAT_SPACES:
            for name, value in entries.items():
                if name not in PLAIN_SETTINGS:
                    raise ParameterFileError(f"{where}: params.{space}.{name} is not a Freqtrade {space} setting")
                data[name] = value
        else:
            data[space] = dict(entries)
    return strategy, data


def parameter_file_from_config_data(strategy: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The parameter file of a config version's data. A top-level value that is neither a Freqtrade
    setting nor a space of parameters has no place in the file: it is left out, with a warning."""
    params: dict[str, Any] = {}
    left_out = []
    for key, value in data.items():
        if key == "minimal_roi":
            params["roi"] = dict(value)
        elif key in PLAIN_SETTINGS:
            params.setdefault(PLAIN_SETTINGS[key]["space"], {})[key] = value
        elif isinstance(value, Mapping):
            params[key] = dict(value)
        else:
            left_out.append(key)
    if left_out:
        log.warning(
            "the parameter file of %s leaves out %s: not Freqtrade settings or parameter spaces",
            strategy,
            ", ".join(sorted(left_out)),
        )
    return {
        "strategy_name": strategy,
        "params": params,
        "ft_stratparam_v": 1,
        "export_time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def import_parameter_file(
    api: TradaiClient,
    path: str | os.PathLike[str],
    *,
    strategy: str | None = None,
    description: str | None = None,
) -> dict[str, Any]:
    """Creates a config version from the file (the catalog validates every value; identical content
    returns the existing version with ``deduplicated: true``)."""
    where = str(path)
    try:
        document = parse_strict_json(Path(path).read_text(encoding="utf-8"))
    except StrictJsonError as error:
        raise ParameterFileError(f"{where} is not valid JSON: {error}") from None
    except OSError as error:
        raise ParameterFileError(f"cannot read {where}: {error.strerror}") from None
    if not isinstance(document, Mapping):
        raise ParameterFileError(f"{where}: a parameter file is a JSON object")
    named, data = config_data_from_parameter_file(document, where)
    return api.create_config(
        strategy or named, data, description=description or f"imported from Freqtrade parameter file {Path(path).name}"
    )


def export_parameter_file(
    api: TradaiClient, strategy: str, config_id: str, path: str | os.PathLike[str] | None = None
) -> dict[str, Any]:
    """The version as a parameter file; written to ``path`` (e.g. ``user_data/strategies/<Strategy>.json``) if given."""
    version = api.get_config(strategy, config_id)
    document = parameter_file_from_config_data(strategy, version["config_data"])
    if path is not None:
        Path(path).write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return document
