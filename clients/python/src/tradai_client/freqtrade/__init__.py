"""Freqtrade integration: the strategy mixin, the catalog from strategy code, and parameter files.

Freqtrade is not a dependency: this package finds parameters by the names and attributes of
Freqtrade's classes, and imports ``freqtrade.persistence`` only inside a running bot.
"""

from .catalog_plan import CatalogPlan, PlanEntry, catalog_definitions, plan_catalog
from .mixin import TradaiStrategyMixin
from .parameter_file import (
    ParameterFileError,
    config_data_from_parameter_file,
    export_parameter_file,
    import_parameter_file,
    parameter_file_from_config_data,
)
from .parameters import HyperParameter, hyper_parameters, plain_settings

__all__ = [
    "CatalogPlan",
    "HyperParameter",
    "ParameterFileError",
    "PlanEntry",
    "TradaiStrategyMixin",
    "catalog_definitions",
    "config_data_from_parameter_file",
    "export_parameter_file",
    "hyper_parameters",
    "import_parameter_file",
    "parameter_file_from_config_data",
    "plain_settings",
    "plan_catalog",
]
