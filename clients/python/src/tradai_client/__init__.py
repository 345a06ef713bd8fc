"""Python client of the TradAI configuration platform.

- ``TradaiClient``: the REST API (configs, resolve, catalog, backtests, parameter sets, workers).
- ``ConfigSubscriber``: a worker's live configuration, applied only at its safe points.
- ``tradai_client.freqtrade``: a mixin for Freqtrade strategies.
- ``run_context()``: the parameters of a backtest the platform launched.
"""

from .api import Credentials, Resolved, TradaiClient
from .applied_state import RELOAD_CLASSES, AppliedConfig, ConfigWarning, FrozenDict, Refusal, ShadowObservation, thaw
from .canonical import CanonicalJsonError, StrictJsonError, canonical_json, content_hash, parse_strict_json
from .errors import (
    ApprovalRequired,
    Conflict,
    FieldError,
    Forbidden,
    Frozen,
    NotFound,
    PreconditionFailed,
    ServerError,
    TooManyRequests,
    TradaiError,
    Unauthenticated,
    Unavailable,
    Unreachable,
    ValidationError,
)
from .run_context import RunContext, RunContextError, run_context
from .subscriber import ConfigSubscriber, StartError

__version__ = "0.1.0"

__all__ = [
    "RELOAD_CLASSES",
    "AppliedConfig",
    "ApprovalRequired",
    "CanonicalJsonError",
    "ConfigSubscriber",
    "ConfigWarning",
    "Conflict",
    "Credentials",
    "FieldError",
    "Forbidden",
    "Frozen",
    "FrozenDict",
    "NotFound",
    "PreconditionFailed",
    "Refusal",
    "Resolved",
    "RunContext",
    "RunContextError",
    "ServerError",
    "ShadowObservation",
    "StartError",
    "StrictJsonError",
    "TooManyRequests",
    "TradaiClient",
    "TradaiError",
    "Unauthenticated",
    "Unavailable",
    "Unreachable",
    "ValidationError",
    "canonical_json",
    "content_hash",
    "parse_strict_json",
    "run_context",
    "thaw",
]
