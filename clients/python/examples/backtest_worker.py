"""A Python backtest worker the platform can launch: it takes its run's parameters from
``tradai_client.run_context()`` (verified against the parameter set's hash), reports progress, and
writes a result tagged with the run's config version and parameter set.

Register it as a task definition of the server, e.g.
``TRADAI_TASK_DEFINITIONS='{"python-sample": ["python3", "/opt/tradai/examples/backtest_worker.py"]}'``,
and submit a backtest with ``"task_definition": "python-sample"``.

The "backtest" is a toy on synthetic prices (a random walk seeded by the parameter set's hash), so
the same parameter set always gives the same result: a re-run reproduces it exactly.
"""

from __future__ import annotations

import hashlib
import importlib.util
import random
import sys
from pathlib import Path

if importlib.util.find_spec("tradai_client") is None:  # run from a checkout, not installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from tradai_client import RunContextError, run_context  # noqa: E402


def main() -> int:
    try:
        run = run_context()
    except RunContextError as error:
        print(f"refusing to run: {error}", file=sys.stderr)
        return 2
    values = run.values
    stake = float(values.get("stake_amount", 100))
    stoploss = float(values.get("stoploss", -0.1))
    run.progress(10, f"parameters verified ({run.parameter_set_hash[:12]}), config {run.config_version_id or 'none'}")

    seed = int(hashlib.sha256(run.parameter_set_hash.encode()).hexdigest()[:16], 16)
    rng = random.Random(seed)
    price, equity, trades = 100.0, 1000.0, []
    curve = []
    for step in range(200):
        entry = price
        price *= 1 + rng.gauss(0.0005, 0.01)
        change = (price - entry) / entry
        if change <= stoploss / 10:  # a toy exit rule scaled by the stop-loss
            profit = stake * change
            equity += profit
            trades.append({"pair": run.pairs[0] if run.pairs else "BTC/USDT", "step": step, "profit_abs": round(profit, 8)})
        curve.append({"time": f"2025-01-01T00:{step // 60:02d}:{step % 60:02d}.000Z", "equity": round(equity, 8)})
    run.progress(90, f"{len(trades)} trades simulated")
    path = run.write_result(
        metrics={"trade_count": len(trades), "total_return": round((equity - 1000.0) / 1000.0, 10), "final_equity": round(equity, 8)},
        trades=trades,
        equity_curve=curve,
        data={"source": "synthetic", "seed": seed},
        worker={"name": "tradai-client-python example", "version": "0.1.0"},
    )
    run.progress(100, f"result written to {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
