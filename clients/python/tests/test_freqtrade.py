"""Freqtrade integration: parameters read from the strategy class, the catalog plan, parameter files
in and out, and the mixin in a bot loop shaped like Freqtrade's (examples/freqtrade_standin): values
change only in bot_loop_start, between_trades keys only with no open trade, never a violation."""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping

import pytest

from conftest import eventually, unique, worker_token
from platform_process import Platform, free_port
from tradai_client import StartError, TradaiClient
from tradai_client.freqtrade import (
    catalog_definitions,
    config_data_from_parameter_file,
    export_parameter_file,
    hyper_parameters,
    import_parameter_file,
    parameter_file_from_config_data,
    plan_catalog,
)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
if importlib.util.find_spec("freqtrade") is None:
    sys.path.insert(0, str(EXAMPLES / "freqtrade_standin"))
sys.path.insert(0, str(EXAMPLES))

from freqtrade.persistence import Trade  # noqa: E402
from freqtrade.strategy import IntParameter, IStrategy  # noqa: E402
from sample_strategy import TradaiSampleStrategy  # noqa: E402


class Events:
    def __init__(self) -> None:
        self.items: list[tuple[str, dict[str, Any]]] = []
        self.lock = threading.Lock()

    def __call__(self, name: str, fields: Mapping[str, Any]) -> None:
        with self.lock:
            self.items.append((name, dict(fields)))

    def named(self, name: str) -> list[dict[str, Any]]:
        return [f for n, f in self.items if n == name]


def test_reads_hyperopt_parameters_and_settings_from_the_class() -> None:
    keys = [p.key for p in hyper_parameters(TradaiSampleStrategy)]
    assert keys == ["buy.buy_rsi", "buy.buy_trigger", "sell.sell_rsi", "sell.sell_profit_only", "protection.protection_cooldown"]
    definitions = {d["name"]: d for d in catalog_definitions(TradaiSampleStrategy)}
    assert definitions["buy.buy_rsi"] | {} == {
        **definitions["buy.buy_rsi"],
        "type": "int", "min": 10, "max": 40, "default": 30, "group": "buy", "reload": "hot", "strategies": ["TradaiSampleStrategy"],
    }
    assert definitions["buy.buy_trigger"]["type"] == "enum" and definitions["buy.buy_trigger"]["allowed"] == ["bb_lower", "macd_cross"]
    assert definitions["protection.protection_cooldown"]["step"] == pytest.approx(0.1)
    assert definitions["sell.sell_profit_only"]["type"] == "bool"
    assert definitions["minimal_roi"] == {**definitions["minimal_roi"], "type": "json", "default": {"0": 0.04, "30": 0.02, "120": 0.0}}
    assert definitions["stoploss"]["reload"] == "between_trades" and definitions["stoploss"]["max"] == 0

    class NoSpace(IStrategy):
        rsi = IntParameter(1, 2, default=1)

    with pytest.raises(ValueError, match="give it space="):
        hyper_parameters(NoSpace)


def test_parameter_files_convert_both_ways() -> None:
    document = {
        "strategy_name": "S",
        "params": {
            "buy": {"buy_rsi": 31},
            "sell": {"sell_rsi": 72},
            "roi": {"0": 0.05, "40": 0.01},
            "stoploss": {"stoploss": -0.07},
            "trailing": {"trailing_stop": True, "trailing_stop_positive": 0.01},
            "max_open_trades": {"max_open_trades": 4},
        },
        "ft_stratparam_v": 1,
        "export_time": "2026-01-01T00:00:00+00:00",
    }
    strategy, data = config_data_from_parameter_file(document)
    assert strategy == "S"
    assert data == {
        "buy": {"buy_rsi": 31}, "sell": {"sell_rsi": 72}, "minimal_roi": {"0": 0.05, "40": 0.01}, "stoploss": -0.07,
        "trailing_stop": True, "trailing_stop_positive": 0.01, "max_open_trades": 4,
    }
    back = parameter_file_from_config_data("S", data)
    assert back["params"] == document["params"] and back["strategy_name"] == "S" and back["ft_stratparam_v"] == 1


def test_catalog_plan_dry_run_then_apply_then_nothing_to_do(admin: TradaiClient) -> None:
    name = unique("PlanStrategy")

    class Planned(TradaiSampleStrategy):
        tradai_strategy = name
        buy_planrsi = IntParameter(5, 50, default=25, space="buy")

    plan = plan_catalog(admin, Planned)
    ours = [e for e in plan.entries if e.name == "buy.buy_planrsi"]
    assert ours and ours[0].action == "add"
    text = plan.text()
    assert "+ buy.buy_planrsi: int min 5 max 50, default 25, reload hot" in text
    assert admin.catalog()["revision"] == plan.revision, "a plan writes nothing"
    plan.apply(admin)
    again = plan_catalog(admin, Planned)
    assert {e.action for e in again.entries} == {"unchanged"}, again.text()

    class Widened(Planned):
        buy_planrsi = IntParameter(5, 60, default=25, space="buy")

    widened = plan_catalog(admin, Widened)
    [entry] = [e for e in widened.entries if e.name == "buy.buy_planrsi"]
    assert entry.action == "update" and entry.changes["max"] == (50, 60)
    widened.apply(admin)
    assert admin.get_parameter("buy.buy_planrsi")["parameter"]["max"] == 60

    class Another(Widened):
        tradai_strategy = unique("OtherStrategy")
        buy_planrsi = IntParameter(1, 10, default=5, space="buy")

    conflicted = plan_catalog(admin, Another)
    assert [e.name for e in conflicted.conflicts()] == ["buy.buy_planrsi"]
    assert "max 60 in the catalog, 10 in the code" in conflicted.text()
    with pytest.raises(ValueError, match="conflicts"):
        conflicted.apply(admin)

    # Another strategy whose code agrees with the catalog is added to the shared definitions.
    class Sharing(Widened):
        tradai_strategy = unique("SharingStrategy")

    sharing = plan_catalog(admin, Sharing)
    [shared] = [e for e in sharing.entries if e.name == "buy.buy_planrsi"]
    assert shared.action == "update" and list(shared.changes) == ["strategies"]
    sharing.apply(admin)
    assert set(admin.get_parameter("buy.buy_planrsi")["parameter"]["strategies"]) == {name, Sharing.tradai_strategy}
    assert {e.action for e in plan_catalog(admin, Sharing).entries} == {"unchanged"}


def test_a_hyperopt_file_imports_as_a_version_and_exports_back(admin: TradaiClient, tmp_path: Path) -> None:
    strategy = unique("HyperoptStrategy")
    path = tmp_path / f"{strategy}.json"
    path.write_text(json.dumps({"strategy_name": strategy, "params": {"buy": {"buy_rsi": 28}, "stoploss": {"stoploss": -0.05}, "roi": {"0": 0.03}}}))
    created = import_parameter_file(admin, path)
    assert created["config_data"] == {"buy": {"buy_rsi": 28}, "stoploss": -0.05, "minimal_roi": {"0": 0.03}}
    exported = export_parameter_file(admin, strategy, created["config_id"], tmp_path / "out.json")
    assert exported["params"] == {"buy": {"buy_rsi": 28}, "stoploss": {"stoploss": -0.05}, "roi": {"0": 0.03}}
    again = import_parameter_file(admin, tmp_path / "out.json")
    assert again["deduplicated"] is True and again["config_id"] == created["config_id"], "the round trip is exact"

    bad = tmp_path / "bad.json"
    bad.write_text('{"strategy_name": "S", "params": {"buy": {"buy_rsi": 1, "buy_rsi": 2}}}')
    with pytest.raises(ValueError, match="duplicate key"):
        import_parameter_file(admin, bad)


def make_bot(platform: Platform, admin: TradaiClient, strategy: str, events: Events, dry_run: bool = True, **options: Any) -> TradaiSampleStrategy:
    class Bot(TradaiSampleStrategy):
        tradai_strategy = strategy
        tradai_options = {
            "url": platform.url,
            "token": worker_token(admin),
            "on_event": events,
            "heartbeat_interval": 0.5,
            "backoff": (0.05, 0.3),
            "last_known_good": None,
            **options,
        }

    bot = Bot({"dry_run": dry_run, "bot_name": unique("bot-"), "tradai": {"environment": "dev"}})
    # Parameters are class attributes, as in Freqtrade (one strategy per process): each test's bot
    # gets its own copies, so one test's values cannot leak into the next.
    for p in hyper_parameters(bot):
        setattr(bot, p.attribute, copy.copy(p.parameter))
    return bot


def test_the_bot_applies_changes_only_at_bot_loop_start_and_between_trades_only_when_flat(
    admin: TradaiClient, platform: Platform
) -> None:
    strategy = unique("FreqBot")
    name = strategy

    class Catalogued(TradaiSampleStrategy):
        tradai_strategy = name

    plan_catalog(admin, Catalogued).apply(admin)
    v1 = admin.create_config(strategy, {"buy": {"buy_rsi": 30}, "stoploss": -0.10})["config_id"]
    admin.activate(strategy, v1, environment="dev")
    events = Events()
    bot = make_bot(platform, admin, strategy, events)
    Trade.open_trades.clear()
    bot.ft_bot_start()
    try:
        assert bot.tradai.mode == "paper", "dry_run is paper trading"
        assert bot.buy_rsi.value == 30 and bot.stoploss == -0.10
        trade = Trade.open("BTC/USDT")

        v2 = admin.create_config(strategy, {"buy": {"buy_rsi": 22}, "stoploss": -0.05})["config_id"]
        admin.activate(strategy, v2, environment="dev")
        eventually(lambda: bot.tradai.has_pending, "the change")
        # Mid-loop (populate callbacks): nothing changes.
        bot.populate_entry_trend(None, {"pair": "BTC/USDT"})
        assert bot.buy_rsi.value == 30 and bot.stoploss == -0.10

        bot.bot_loop_start(current_time=datetime.now(timezone.utc))
        assert bot.buy_rsi.value == 22, "hot: applied at the loop start"
        assert bot.stoploss == -0.10, "between_trades: a trade is open, the stop-loss waits"
        assert bot.tradai.pending_between_trades() == {strategy: ("stoploss",)}

        bot.bot_loop_start(current_time=datetime.now(timezone.utc))
        assert bot.stoploss == -0.10
        trade.close()
        bot.bot_loop_start(current_time=datetime.now(timezone.utc))
        assert bot.stoploss == -0.05, "no open trade: the stop-loss applies"

        applied = events.named("config_version_applied")
        assert [(e["config_version_id"], e["boundary"]) for e in applied] == [(v2, "bot_loop_start")] * 2
        assert all(e["strategy"] == strategy and e["resolved_hash"] and e["latency_ms"] is not None for e in applied)
        assert events.named("config_apply_violation") == []
    finally:
        bot.tradai.stop()
        Trade.open_trades.clear()


def test_loops_under_a_stream_of_changes_never_violate(admin: TradaiClient, platform: Platform) -> None:
    """Tries to provoke config_apply_violation: changes activated while loops run and trades open and
    close; within a loop the values never move, and no violation is ever emitted."""
    strategy = unique("FreqStorm")

    class Catalogued(TradaiSampleStrategy):
        tradai_strategy = strategy

    plan_catalog(admin, Catalogued).apply(admin)
    admin.activate(strategy, admin.create_config(strategy, {"buy": {"buy_rsi": 10}, "stoploss": -0.2})["config_id"], environment="dev")
    events = Events()
    bot = make_bot(platform, admin, strategy, events)
    Trade.open_trades.clear()
    bot.ft_bot_start()
    done = threading.Event()

    last: list[str] = []

    def activate_changes() -> None:
        for i in range(12):
            data = {"buy": {"buy_rsi": 11 + i}, "stoploss": round(-0.2 + 0.01 * (i + 1), 2)}
            last.append(admin.create_config(strategy, data)["config_id"])
            admin.activate(strategy, last[-1], environment="dev")
        done.set()

    def converged() -> bool:
        applied = bot.tradai.current()
        return done.is_set() and applied.config_version_id == last[-1] and not applied.pending_between_trades

    changer = threading.Thread(target=activate_changes)
    changer.start()
    loops = 0
    deadline = time.monotonic() + 60
    try:
        while not converged() or loops < 20:
            open_at_start, stop_before = Trade.get_open_trade_count(), bot.stoploss
            bot.bot_loop_start(current_time=datetime.now(timezone.utc))
            if bot.stoploss != stop_before:
                assert open_at_start == 0, "the stop-loss moved while a trade was open"
            seen = (bot.buy_rsi.value, bot.stoploss)
            for _ in range(3):  # the loop's callbacks: what they read must not move
                bot.populate_indicators(None, {})
                bot.populate_entry_trend(None, {})
                assert (bot.buy_rsi.value, bot.stoploss) == seen
            if loops % 3 == 0:
                Trade.open("ETH/USDT")
            elif Trade.open_trades:
                Trade.open_trades[0].close()
            loops += 1
            time.sleep(0.01)  # a bot's loop takes a while; this one is quick
            assert time.monotonic() < deadline, "the changes never converged"
        changer.join()
        Trade.open_trades.clear()
        bot.bot_loop_start(current_time=datetime.now(timezone.utc))
        assert bot.buy_rsi.value == 22 and bot.stoploss == -0.08
        assert events.named("config_apply_violation") == []
        assert len(events.named("config_version_applied")) >= 1
    finally:
        done.set()
        bot.tradai.stop()
        Trade.open_trades.clear()


def test_an_apply_outside_bot_loop_start_is_a_violation_and_is_refused(admin: TradaiClient, platform: Platform) -> None:
    strategy = unique("FreqMisuse")
    admin.activate(strategy, admin.create_config(strategy, {"buy": {"buy_rsi": 30}})["config_id"], environment="dev")
    events = Events()
    bot = make_bot(platform, admin, strategy, events)
    bot.ft_bot_start()
    try:
        admin.activate(strategy, admin.create_config(strategy, {"buy": {"buy_rsi": 12}})["config_id"], environment="dev")
        eventually(lambda: bot.tradai.has_pending, "the change")
        bot.tradai._state.boundary(0)  # noqa: SLF001 - misuse on purpose: take the new values mid-loop
        bot._tradai_apply(bot.tradai.current())  # noqa: SLF001
        [violation] = events.named("config_apply_violation")
        assert violation["strategy"] == strategy and violation["where"] == "outside bot_loop_start"
        assert bot.buy_rsi.value == 30, "the values were not changed"
    finally:
        bot.tradai.stop()


def test_live_mode_without_the_server_refuses_to_start(admin: TradaiClient, platform: Platform) -> None:
    events = Events()
    bot = make_bot(platform, admin, "Nowhere", events, dry_run=False, url=f"http://127.0.0.1:{free_port()}", start_timeout=2)
    with pytest.raises(StartError, match="live worker"):
        bot.ft_bot_start()


def test_the_platform_wins_over_the_values_freqtrade_loads_after_bot_start(admin: TradaiClient, platform: Platform) -> None:
    """Freqtrade loads buy_params (and the parameter file) after bot_start: the first loop start sets
    the platform's values again, so the bot never trades on other values than those it reports."""
    strategy = unique("FreqLoaded")

    class WithOwnParams(TradaiSampleStrategy):
        tradai_strategy = strategy
        buy_params = {"buy_rsi": 40}  # what an exported parameter file would also do

    plan_catalog(admin, WithOwnParams).apply(admin)
    admin.activate(strategy, admin.create_config(strategy, {"buy": {"buy_rsi": 30}})["config_id"], environment="dev")
    events = Events()
    bot = make_bot(platform, admin, strategy, events)
    bot.buy_params = WithOwnParams.buy_params
    bot.ft_bot_start()
    try:
        assert bot.buy_rsi.value == 40, "Freqtrade's own load ran after bot_start"
        bot.bot_loop_start(current_time=datetime.now(timezone.utc))
        assert bot.buy_rsi.value == 30, "the first loop start sets the platform's value again"
        assert bot._tradai_applied_hash == bot.tradai.current().resolved_hash  # noqa: SLF001
    finally:
        bot.tradai.stop()


def test_a_value_the_strategy_cannot_take_changes_nothing_and_is_tried_again(
    admin: TradaiClient, platform: Platform, caplog: pytest.LogCaptureFixture
) -> None:
    strategy = unique("FreqBadValue")

    class Catalogued(TradaiSampleStrategy):
        tradai_strategy = strategy

    plan_catalog(admin, Catalogued).apply(admin)
    admin.activate(strategy, admin.create_config(strategy, {"buy": {"buy_rsi": 30}, "max_open_trades": 3})["config_id"], environment="dev")
    events = Events()
    bot = make_bot(platform, admin, strategy, events)
    bot.ft_bot_start()
    try:
        bot.bot_loop_start(current_time=datetime.now(timezone.utc))
        assert bot.config["max_open_trades"] == 3, "the bot reads max_open_trades from its config"
        # minimal_roi keys are minutes: "soon" cannot be one. The whole apply is refused, not half of it.
        bad = admin.create_config(strategy, {"buy": {"buy_rsi": 12}, "minimal_roi": {"soon": 0.1}})["config_id"]
        admin.activate(strategy, bad, environment="dev")
        eventually(lambda: bot.tradai.has_pending, "the change")
        bot.bot_loop_start(current_time=datetime.now(timezone.utc))  # Freqtrade would swallow an error here
        assert bot.buy_rsi.value == 30 and bot.minimal_roi == {0: 0.04, 30: 0.02, 120: 0.0}
        assert any("could not set" in r.getMessage() for r in caplog.records)
        good = admin.create_config(strategy, {"buy": {"buy_rsi": 13}, "minimal_roi": {"0": 0.1}})["config_id"]
        admin.activate(strategy, good, environment="dev")

        def applied() -> bool:
            bot.bot_loop_start(current_time=datetime.now(timezone.utc))
            return bot.buy_rsi.value == 13

        eventually(applied, "the next good version")
        assert bot.minimal_roi == {0: 0.1}
    finally:
        bot.tradai.stop()


def test_backtests_and_hyperopt_do_not_subscribe(admin: TradaiClient, platform: Platform) -> None:
    bot = make_bot(platform, admin, "Anything", Events())
    bot.config["runmode"] = "backtest"
    bot.ft_bot_start()
    bot.bot_loop_start(current_time=datetime.now(timezone.utc))
    assert bot.tradai is None and bot.buy_rsi.value == 30
