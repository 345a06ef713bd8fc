"""The run a backtest container was started for: its parameters, verified, and its reports.

The platform starts a worker with the run's identity and paths in the environment (point 2 of the
five places a run carries its config version) and the parameter set in a file. ``run_context()``
reads both and proves the file is this run's: the hash written in the file, the hash of its content
and ``PARAMETER_SET_HASH`` must agree, as must the strategy and the config version. Values come from
the parameter set only, never from the environment.

>>> run = run_context()
>>> params = run.values                 # the exact values this run is bound to
>>> run.progress(50, "half way")
>>> run.write_result(metrics={"total_return": 0.12}, trades=trades)   # tagged with version and hash
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import requests

from .applied_state import freeze
from .canonical import StrictJsonError, content_hash, parse_strict_json

__all__ = ["RECORDED_VARIABLES", "RunContext", "RunContextError", "run_context"]

#: Variables recorded in the result as the worker saw them (never the token or the server URL).
RECORDED_VARIABLES = (
    "JOB_ID",
    "STRATEGY",
    "TRADING_MODE",
    "CONFIG_VERSION_ID",
    "PARAMETER_SET_HASH",
    "PARAMETER_SET_PATH",
    "TIMEFRAME",
    "TIMERANGE",
    "PAIRS",
    "EXPERIMENT_NAME",
    "RESULT_PATH",
    "DATA_DIR",
    "CONFIG_PATH",
    "RESULTS_DIR",
)


class RunContextError(RuntimeError):
    """The launch environment or the parameter set file cannot be trusted; the message says why."""


@dataclass(frozen=True)
class RunContext:
    job_id: str
    strategy: str
    config_version_id: str | None
    parameter_set_hash: str
    #: the whole parameter set: values, provenance, catalog, code, ...
    parameter_set: Mapping[str, Any]
    result_path: Path
    timeframe: str | None
    timerange: str | None
    pairs: tuple[str, ...]
    experiment_name: str | None
    data_dir: str | None
    #: the environment variables of RECORDED_VARIABLES that were set, verbatim
    recorded: Mapping[str, str]
    tradai_url: str | None = field(default=None, repr=False)
    run_token: str | None = field(default=None, repr=False)

    @property
    def values(self) -> Mapping[str, Any]:
        """The parameter values this run is bound to (immutable)."""
        values: Mapping[str, Any] = freeze(self.parameter_set.get("values", {}))
        return values

    def tag(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """``record`` with this run's job, config version and parameter set added (result rows, metrics)."""
        return {
            **record,
            "job_id": self.job_id,
            "config_version_id": self.config_version_id,
            "parameter_set_hash": self.parameter_set_hash,
        }

    def progress(self, percent: float, message: str) -> bool:
        """One line on stdout (the run's log) and a report to the platform; best effort (False: not delivered)."""
        print(f"[{int(percent):3d}%] {message}", flush=True)
        if not self.tradai_url or not self.run_token:
            return False
        try:
            response = requests.post(
                f"{self.tradai_url.rstrip('/')}/api/v1/backtests/{self.job_id}/progress",
                json={"progress": percent, "message": message},
                headers={"authorization": f"Bearer {self.run_token}"},
                timeout=5,
            )
        except requests.RequestException as error:
            print(f"progress {percent}% not delivered: {error}", flush=True)
            return False
        if not response.ok:
            print(f"progress {percent}% not accepted: HTTP {response.status_code}", flush=True)
        return response.ok

    def write_result(
        self,
        *,
        metrics: Mapping[str, float],
        trades: list[Mapping[str, Any]] | None = None,
        equity_curve: list[Mapping[str, Any]] | None = None,
        data: Mapping[str, Any] | None = None,
        worker: Mapping[str, Any] | None = None,
    ) -> Path:
        """Writes RESULT_PATH atomically: the result names this run, its config version and parameter set
        (points 4 of 5; the platform rejects a result that names another), and each trade is tagged."""
        result: dict[str, Any] = {
            "job_id": self.job_id,
            "strategy": self.strategy,
            **({"config_version_id": self.config_version_id} if self.config_version_id else {}),
            "parameter_set_hash": self.parameter_set_hash,
            "worker": dict(worker or {"name": "tradai-client-python"}),
            "worker_environment": dict(self.recorded),
            "metrics": dict(metrics),
            "trades": [self.tag(t) for t in trades or []],
            "equity_curve": list(equity_curve or []),
        }
        if data is not None:
            result["data"] = dict(data)
        self.result_path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{self.result_path.name}.", dir=self.result_path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(result, out, indent=2, ensure_ascii=False, allow_nan=False)
                out.write("\n")
            os.replace(temporary, self.result_path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return self.result_path


def _read(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name)
    return None if value is None or value == "" else value  # an empty variable means "none"


def _required(env: Mapping[str, str], name: str) -> str:
    value = _read(env, name)
    if value is None:
        raise RunContextError(f"launch environment incomplete: {name} is not set (is this a run the platform started?)")
    return value


def run_context(env: Mapping[str, str] | None = None) -> RunContext:
    """The run this process was launched for. Raises RunContextError when anything does not agree."""
    env = os.environ if env is None else env
    mode = _read(env, "TRADING_MODE")
    if mode is not None and mode != "backtest":
        raise RunContextError(f"TRADING_MODE={mode}: run_context() is for backtests; paper and live workers subscribe")
    job_id = _required(env, "JOB_ID")
    strategy = _required(env, "STRATEGY")
    expected = _required(env, "PARAMETER_SET_HASH")
    path = _required(env, "PARAMETER_SET_PATH")
    result_path = _read(env, "RESULT_PATH") or (
        str(Path(env["RESULTS_DIR"]) / f"{job_id}.json") if _read(env, "RESULTS_DIR") else None
    )
    if result_path is None:
        raise RunContextError("launch environment incomplete: RESULT_PATH (or RESULTS_DIR) is not set")
    try:
        document = parse_strict_json(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise RunContextError(f"cannot read {path}: {error.strerror}") from None
    except StrictJsonError as error:
        # Strict: duplicate keys or lossy numbers would make the recomputed hash meaningless.
        raise RunContextError(f"{path} is not valid JSON: {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("parameter_set"), dict):
        raise RunContextError(f"{path} is not a parameter set file (it has no parameter_set object)")
    parameter_set = document["parameter_set"]
    recomputed = content_hash(parameter_set)
    if recomputed != document.get("hash"):
        raise RunContextError(f"content hash {recomputed} does not match the file's hash {document.get('hash')}")
    if recomputed != expected:
        raise RunContextError(f"file hash {recomputed} does not match PARAMETER_SET_HASH {expected}")
    if parameter_set.get("strategy") != strategy:
        raise RunContextError(f"it is for strategy {parameter_set.get('strategy')}, STRATEGY is {strategy}")
    config_version_id = _read(env, "CONFIG_VERSION_ID")
    if parameter_set.get("config_version_id") != config_version_id:
        raise RunContextError(
            f"its config version ({parameter_set.get('config_version_id') or 'none'}) differs from "
            f"CONFIG_VERSION_ID ({config_version_id or 'none'})"
        )
    pairs = _read(env, "PAIRS")
    return RunContext(
        job_id=job_id,
        strategy=strategy,
        config_version_id=config_version_id,
        parameter_set_hash=recomputed,
        parameter_set=freeze(parameter_set),
        result_path=Path(result_path),
        timeframe=_read(env, "TIMEFRAME"),
        timerange=_read(env, "TIMERANGE"),
        pairs=tuple(p for p in (pairs or "").split(",") if p),
        experiment_name=_read(env, "EXPERIMENT_NAME"),
        data_dir=_read(env, "DATA_DIR"),
        recorded={name: env[name] for name in RECORDED_VARIABLES if name in env},
        tradai_url=_read(env, "TRADAI_URL"),
        run_token=_read(env, "TRADAI_RUN_TOKEN"),
    )
