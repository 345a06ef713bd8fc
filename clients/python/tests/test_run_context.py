"""Python backtests the platform launches: run_context() verifies the parameter set, reports progress,
tags its result; the run completes, and a re-run reproduces it. Plus each way the launch can be wrong."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tradai_client import RunContextError, TradaiClient, content_hash, run_context

BACKTEST = {
    "strategy": "PyBacktest",
    "symbols": ["BTC/USDT:USDT"],
    "timeframe": "1h",
    "start_date": "2025-01-01",
    "end_date": "2025-02-01",
    "stake_amount": 250,
    "exchange": "binance_futures",
    "task_definition": "python-sample",
}


def test_a_python_backtest_runs_verified_reports_and_reruns_identically(admin: TradaiClient) -> None:
    version = admin.create_config("PyBacktest", {"stoploss": -0.08})
    submitted = admin.submit_backtest(
        {**BACKTEST, "config_version_id": version["config_id"]}, experiment_name="python-suite"
    )
    run = admin.wait_for_run(submitted["job_id"], timeout=120, interval=0.2)
    assert run["status"] == "completed", run
    assert run["config_version_id"] == version["config_id"]
    assert run["metrics"]["trade_count"] >= 0 and "total_return" in run["metrics"]
    assert run["data_source"] == "synthetic"
    assert run["progress"] == 100
    logs = admin.request("GET", f"/api/v1/backtests/{run['job_id']}/logs").json()
    lines = " ".join(line["line"] for line in logs["lines"])
    assert f"parameters verified ({run['parameter_set_hash'][:12]})" in lines

    listed = admin.list_runs(experiment="python-suite", strategy="PyBacktest")
    assert run["job_id"] in [r["job_id"] for r in listed["items"]]
    bound = admin.get_parameter_set(run["parameter_set_hash"])
    assert bound["hash"] == run["parameter_set_hash"] == content_hash(bound["parameter_set"])
    assert bound["parameter_set"]["values"]["stoploss"] == -0.08  # merged from the config version

    again = admin.wait_for_run(admin.rerun(run["job_id"])["job_id"], timeout=120, interval=0.2)
    assert again["status"] == "completed"
    assert again["parameter_set_hash"] == run["parameter_set_hash"]
    assert again["metrics"] == run["metrics"]


def launch(tmp_path: Path, **change: Any) -> dict[str, str]:
    """A launch environment and parameter set file as the platform writes them."""
    parameter_set = {"schema": "tradai.parameter-set/1", "strategy": "S", "values": {"stoploss": -0.1}, "config_version_id": "v1-00000000"}
    digest = content_hash(parameter_set)
    path = tmp_path / "parameter-set.json"
    path.write_text(change.pop("file_text", None) or json.dumps({"hash": digest, "parameter_set": parameter_set}))
    env = {
        "JOB_ID": "00000000-0000-4000-8000-000000000001",
        "STRATEGY": "S",
        "TRADING_MODE": "backtest",
        "CONFIG_VERSION_ID": "v1-00000000",
        "PARAMETER_SET_HASH": digest,
        "PARAMETER_SET_PATH": str(path),
        "RESULT_PATH": str(tmp_path / "result.json"),
        "PAIRS": "BTC/USDT,ETH/USDT",
    }
    env.update(change)
    return env


def test_reads_and_tags(tmp_path: Path) -> None:
    run = run_context(launch(tmp_path))
    assert run.values == {"stoploss": -0.1} and run.pairs == ("BTC/USDT", "ETH/USDT")
    with pytest.raises(TypeError):
        run.values["stoploss"] = 0  # type: ignore[index]
    written = json.loads(run.write_result(metrics={"m": 1}, trades=[{"pair": "BTC/USDT"}]).read_text())
    assert written["parameter_set_hash"] == run.parameter_set_hash and written["config_version_id"] == "v1-00000000"
    assert written["trades"][0]["config_version_id"] == "v1-00000000"
    assert "TRADAI_RUN_TOKEN" not in written["worker_environment"]
    assert run.progress(5, "no server here") is False


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"PARAMETER_SET_HASH": "0" * 64}, "does not match PARAMETER_SET_HASH"),
        ({"STRATEGY": "Other"}, "STRATEGY is Other"),
        ({"CONFIG_VERSION_ID": "v2-00000000"}, "differs from CONFIG_VERSION_ID"),
        ({"CONFIG_VERSION_ID": ""}, "differs from CONFIG_VERSION_ID (none)"),
        ({"JOB_ID": ""}, "JOB_ID is not set"),
        ({"TRADING_MODE": "live"}, "run_context() is for backtests"),
        ({"file_text": '{"hash": "x", "parameter_set": {"strategy": "S", "strategy": "S"}}'}, "duplicate key"),
        ({"file_text": '{"hash": "' + "1" * 64 + '", "parameter_set": {"strategy": "S", "values": {}}}'}, "does not match the file's hash"),
        ({"PARAMETER_SET_PATH": "/nonexistent/p.json"}, "cannot read /nonexistent/p.json"),
    ],
)
def test_refuses_a_launch_that_does_not_agree(tmp_path: Path, change: dict[str, str], message: str) -> None:
    with pytest.raises(RunContextError) as refused:
        run_context(launch(tmp_path, **change))
    assert message in str(refused.value)
