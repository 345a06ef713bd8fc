"""A fleet of Python workers for the subscribers benchmark: N ConfigSubscribers in one process, one
trading loop calling boundary() on each every few milliseconds. Prints one JSON line when all have
started, and one per applied change: {"seq", "applied_ms", "worker"} (applied_ms: this machine's
wall clock, epoch ms, taken as boundary() returns)."""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "clients" / "python" / "src"))

from tradai_client import ConfigSubscriber  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--strategy", required=True)
    parser.add_argument("--environment", default="dev")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--loop-ms", type=float, default=5)
    args = parser.parse_args()

    out = threading.Lock()

    def say(line: dict[str, object]) -> None:
        with out:
            sys.stdout.write(json.dumps(line) + "\n")
            sys.stdout.flush()

    fleet = [
        ConfigSubscriber(
            args.url,
            token=args.token,
            environment=args.environment,
            strategies=[args.strategy],
            worker_id=f"py-bench-{i}",
            mode="paper",
            last_known_good=None,
            on_event=lambda name, fields: None,  # the benchmark measures; it does not log
        )
        for i in range(args.count)
    ]
    starters = [threading.Thread(target=s.start) for s in fleet]
    for t in starters:
        t.start()
    for t in starters:
        t.join()
    say({"ready": len(fleet)})

    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    while not stop.is_set():
        for i, subscriber in enumerate(fleet):
            for applied in subscriber.boundary(open_trades=0):
                say({"seq": applied.seq, "applied_ms": time.time() * 1000, "worker": i})
        time.sleep(args.loop_ms / 1000)
    stoppers = [threading.Thread(target=s.stop) for s in fleet]  # each sends its last report: all at once
    for t in stoppers:
        t.start()
    for t in stoppers:
        t.join()


if __name__ == "__main__":
    main()
