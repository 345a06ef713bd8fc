"""Runs the sample strategy's loop the way Freqtrade does, without Freqtrade: ``ft_bot_start`` once, then
per loop ``bot_loop_start``, the populate callbacks, and now and then a trade opened or closed.
Activate a change in the console and watch it applied at a loop start (between trades where the
key says so).

    TRADAI_URL=http://localhost:8000 TRADAI_TOKEN=... \
      python examples/paper_bot.py --environment dev --loops 120 --interval 1

With Freqtrade installed, run the strategy in a real bot instead (see sample_strategy.py).
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import random
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
if importlib.util.find_spec("freqtrade") is None:
    sys.path.insert(0, str(HERE / "freqtrade_standin"))  # no Freqtrade here: its interface's stand-in
sys.path.insert(0, str(HERE))

from freqtrade.persistence import Trade  # noqa: E402
from sample_strategy import TradaiSampleStrategy  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--environment", default="dev")
    parser.add_argument("--worker-id", default="paper-sample-1")
    parser.add_argument("--loops", type=int, default=60)
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between loops")
    parser.add_argument("--live", action="store_true", help="dry_run false: a live worker (refuses to start without the server)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")

    strategy = TradaiSampleStrategy(
        {"dry_run": not args.live, "tradai": {"environment": args.environment, "worker_id": args.worker_id}}
    )
    strategy.ft_bot_start()  # as Freqtrade starts it: bot_start(), then its own parameters are loaded
    try:
        for loop in range(args.loops):
            strategy.bot_loop_start(current_time=datetime.now(timezone.utc))
            strategy.populate_indicators(None, {"pair": "BTC/USDT"})
            strategy.populate_entry_trend(None, {"pair": "BTC/USDT"})
            strategy.populate_exit_trend(None, {"pair": "BTC/USDT"})
            if Trade.open_trades and random.random() < 0.3:
                Trade.open_trades[0].close()
            elif len(Trade.open_trades) < strategy.max_open_trades and random.random() < 0.3:
                Trade.open("BTC/USDT")
            print(
                f"loop {loop}: open trades {Trade.get_open_trade_count()}, buy_rsi {strategy.buy_rsi.value}, "
                f"stoploss {strategy.stoploss}, version {strategy.tradai.current().config_version_id if strategy.tradai else '-'}",
                flush=True,
            )
            time.sleep(args.interval)
    finally:
        if strategy.tradai is not None:
            strategy.tradai.stop()


if __name__ == "__main__":
    main()
