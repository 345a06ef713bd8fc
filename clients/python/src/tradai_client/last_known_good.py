"""The last configuration the server verified, kept on disk so a paper worker can start while the
server is unreachable. Written atomically (beside it, then renamed over it) with mode 0600; each
config is checked against its resolved hash when read, and a copy that does not match is refused.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from .applied_state import IncomingConfig

__all__ = ["LastKnownGood", "LastKnownGoodError", "load_last_known_good", "save_last_known_good"]


class LastKnownGoodError(Exception):
    """The copy cannot be used: missing, for another environment, a strategy missing, a hash mismatch."""


@dataclass(frozen=True)
class LastKnownGood:
    environment: str
    seq: int
    saved_at: str
    configs: list[IncomingConfig]


def save_last_known_good(path: str | os.PathLike[str], copy: LastKnownGood) -> None:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(
        {
            "environment": copy.environment,
            "seq": copy.seq,
            "saved_at": copy.saved_at,
            "configs": [c.to_wire() for c in copy.configs],
        },
        indent=2,
        ensure_ascii=False,
    )
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def load_last_known_good(
    path: str | os.PathLike[str], environment: str, strategies: Sequence[str]
) -> LastKnownGood:
    where = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LastKnownGoodError(f"there is no last-known-good copy at {where}") from None
    try:
        raw: Any = json.loads(text)
    except ValueError:
        raise LastKnownGoodError(f"the last-known-good copy at {where} is not valid JSON") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("configs"), list):
        raise LastKnownGoodError(f"the last-known-good copy at {where} is not a copy of configs")
    if raw.get("environment") != environment:
        raise LastKnownGoodError(
            f"the last-known-good copy at {where} is for {raw.get('environment')}, not {environment}"
        )
    configs = [IncomingConfig.from_wire(c) for c in raw["configs"] if isinstance(c, dict) and "strategy" in c]
    for strategy in strategies:
        found = next((c for c in configs if c.strategy == strategy), None)
        if found is None:
            raise LastKnownGoodError(f"the last-known-good copy at {where} has no config for {strategy}")
        if not found.verified:
            raise LastKnownGoodError(f"the last-known-good copy of {strategy} at {where} does not match its hash")
    return LastKnownGood(
        environment=environment,
        seq=int(raw.get("seq") or 0),
        saved_at=str(raw.get("saved_at") or "?"),
        configs=[c for c in configs if c.strategy in strategies],
    )
