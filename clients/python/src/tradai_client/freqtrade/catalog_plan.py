"""The catalog from strategy code: a strategy class's parameters become catalog definitions (type,
bounds, space, default, read from the class itself), compared with the platform's catalog as a
plan, shown as a dry run, and applied through the normal catalog API (a governed change), so the
catalog never drifts from the code it describes.

>>> plan = plan_catalog(api, MyStrategy)
>>> print(plan.text())        # the dry run
>>> plan.apply(api)           # the same changes, through POST/PUT /api/v1/catalog
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from ..api import TradaiClient
from ..errors import ApprovalRequired
from .parameters import PLAIN_SETTINGS, HyperParameter, hyper_parameters, plain_settings

__all__ = ["CatalogPlan", "PlanEntry", "catalog_definitions", "plan_catalog"]

#: Indicator thresholds may change between candles; risk settings only with no trade open.
DEFAULT_RELOAD = {"hyperopt": "hot", "plain": "between_trades"}
#: The fields a plan compares (what the code says); others (deprecation, criticality, ...) are the catalog's own.
COMPARED = ("type", "description", "group", "min", "max", "step", "allowed", "default", "reload", "strategies")


def _strategy_name(strategy: Any, name: str | None) -> str:
    cls = strategy if isinstance(strategy, type) else type(strategy)
    return name or getattr(cls, "tradai_strategy", None) or cls.__name__


def _definition(p: HyperParameter, strategy: str, reload: str) -> dict[str, Any]:
    param = p.parameter
    base: dict[str, Any] = {
        "name": p.key,
        "description": f"{p.attribute}: Freqtrade {p.kind} in the {p.space} space of {strategy}",
        "group": p.space,
        "reload": reload,
        "strategies": [strategy],
    }
    default = getattr(param, "default", None)
    if p.kind == "IntParameter":
        base.update(type="int", min=int(param.low), max=int(param.high))
    elif p.kind == "DecimalParameter":
        decimals = int(getattr(param, "_decimals", getattr(param, "decimals", 3)))
        base.update(type="number", min=float(param.low), max=float(param.high), step=10.0**-decimals)
        default = None if default is None else round(float(default), decimals)
    elif p.kind == "RealParameter":
        base.update(type="number", min=float(param.low), max=float(param.high))
    elif p.kind == "BooleanParameter":
        base.update(type="bool")
    else:  # CategoricalParameter
        categories = list(getattr(param, "opt_range", None) or getattr(param, "categories", []))
        if all(isinstance(c, bool) for c in categories):
            base.update(type="bool")
        elif all(isinstance(c, str) for c in categories):
            base.update(type="enum", allowed=categories)
        elif all(isinstance(c, int) and not isinstance(c, bool) for c in categories):
            base.update(type="int", allowed=categories)
        elif all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in categories):
            base.update(type="number", allowed=categories)
        else:
            base.update(type="json")
        if default is None and categories:
            default = categories[0]  # Freqtrade's rule: the first category
    if default is not None:
        base["default"] = default
    return base


def _plain_definition(name: str, value: Any, strategy: str, reload: str) -> dict[str, Any]:
    spec = PLAIN_SETTINGS[name]
    definition: dict[str, Any] = {
        "name": name,
        "type": spec["type"],
        "description": f"{spec['description']} (Freqtrade {name} of {strategy})",
        "group": spec["space"],
        "reload": reload,
        "strategies": [strategy],
    }
    for bound in ("min", "max"):
        if bound in spec:
            definition[bound] = spec[bound]
    if name == "minimal_roi" and isinstance(value, Mapping):
        value = {str(k): v for k, v in value.items()}
    if value is not None:
        definition["default"] = value
    return definition


def catalog_definitions(strategy: Any, *, strategy_name: str | None = None) -> list[dict[str, Any]]:
    """What the catalog should say of the strategy's parameters, read from the class.

    Reload classes: hyperopt parameters ``hot``, plain settings ``between_trades``; a class attribute
    ``tradai_reload = {"stoploss": "restart", ...}`` (keyed by platform key) overrides them, with any
    class the catalog knows (``shadow`` too: the bot logs what would apply and never applies it).
    """
    name = _strategy_name(strategy, strategy_name)
    overrides: Mapping[str, str] = getattr(strategy, "tradai_reload", {}) or {}
    definitions = [
        _definition(p, name, overrides.get(p.key, DEFAULT_RELOAD["hyperopt"])) for p in hyper_parameters(strategy)
    ]
    for setting, value in plain_settings(strategy).items():
        definitions.append(_plain_definition(setting, value, name, overrides.get(setting, DEFAULT_RELOAD["plain"])))
    return definitions


@dataclass(frozen=True)
class PlanEntry:
    """``add``, ``update`` (``changes``: field -> (catalog, code)), ``unchanged``, or ``conflict`` (not applied)."""

    action: str
    name: str
    definition: dict[str, Any]
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    why: str = ""


@dataclass
class CatalogPlan:
    strategy: str
    revision: int
    entries: list[PlanEntry]

    def changed(self) -> list[PlanEntry]:
        return [e for e in self.entries if e.action in ("add", "update")]

    def conflicts(self) -> list[PlanEntry]:
        return [e for e in self.entries if e.action == "conflict"]

    def text(self) -> str:
        """The dry run, one line per parameter (and one per changed field)."""
        counts = {a: sum(1 for e in self.entries if e.action == a) for a in ("add", "update", "unchanged", "conflict")}
        lines = [
            f"catalog plan for {self.strategy} against catalog revision {self.revision}: "
            + ", ".join(f"{n} {a}" for a, n in counts.items())
        ]
        for e in self.entries:
            if e.action == "add":
                d = e.definition
                bounds = "".join(f" {b} {d[b]}" for b in ("min", "max", "step") if b in d)
                lines.append(f"  + {e.name}: {d['type']}{bounds}, default {d.get('default')!r}, reload {d['reload']}")
            elif e.action == "update":
                lines.append(f"  ~ {e.name}")
                lines.extend(f"      {f}: {old!r} -> {new!r}" for f, (old, new) in e.changes.items())
            elif e.action == "conflict":
                lines.append(f"  ! {e.name}: {e.why}")
            else:
                lines.append(f"  = {e.name}")
        return "\n".join(lines)

    def apply(self, api: TradaiClient, *, force_reason: str | None = None) -> list[dict[str, Any]]:
        """Applies the adds and updates; refuses while there are conflicts.

        Each change is a governed catalog change: one needing approval raises ApprovalRequired
        (the changes before it stand; run the plan again after the approval).
        """
        if self.conflicts():
            names = ", ".join(e.name for e in self.conflicts())
            raise ValueError(f"the plan has conflicts ({names}): resolve them in the catalog or the code first")
        answers = []
        for e in self.changed():
            if e.action == "add":
                answers.append(api.create_parameter(e.definition, force_reason=force_reason))
            else:
                answers.append(api.update_parameter(e.definition, force_reason=force_reason))
        return answers


def plan_catalog(api: TradaiClient, strategy: Any, *, strategy_name: str | None = None) -> CatalogPlan:
    """Compares the strategy's definitions with the platform's catalog (nothing is written).

    A parameter only this strategy uses follows the code (every compared field). One the catalog
    shares with other strategies keeps the catalog's definition: the plan only adds this strategy
    to it, and says ``conflict`` when the code disagrees with it (another type, bounds from the
    code that differ, or a default the catalog's rules refuse).
    """
    name = _strategy_name(strategy, strategy_name)
    listing = api.catalog()
    current = {item["parameter"]["name"]: item["parameter"] for item in listing.get("items", [])}
    entries: list[PlanEntry] = []
    for wanted in catalog_definitions(strategy, strategy_name=name):
        have = current.get(wanted["name"])
        if have is None:
            entries.append(PlanEntry("add", wanted["name"], wanted))
            continue
        covered = have.get("strategies") or []
        others = [s for s in covered if s != name] if covered else ["every strategy"]
        if not others:
            # The code's definition, with the catalog's own fields (criticality, deprecation, ...);
            # a bound or allowed list the code no longer has goes.
            merged = {k: v for k, v in {**have, **wanted}.items() if k not in COMPARED or k in wanted}
            changes = {f: (have.get(f), merged.get(f)) for f in COMPARED if have.get(f) != merged.get(f)}
            action = "update" if changes else "unchanged"
            entries.append(PlanEntry(action, wanted["name"], _input_of(merged), changes))
            continue
        problems = _disagreements(have, wanted, bounds_from_code=wanted["name"] not in PLAIN_SETTINGS)
        if problems:
            why = f"{'; '.join(problems)}, and the catalog shares it with {', '.join(others)}"
            entries.append(PlanEntry("conflict", wanted["name"], wanted, {}, why))
        elif not covered or name in covered:
            entries.append(PlanEntry("unchanged", wanted["name"], _input_of(have)))
        else:
            extended = {**have, "strategies": sorted([*covered, name])}
            entries.append(
                PlanEntry("update", wanted["name"], _input_of(extended), {"strategies": (covered, extended["strategies"])})
            )
    return CatalogPlan(name, int(listing.get("revision", 0) or 0), entries)


def _disagreements(have: Mapping[str, Any], wanted: Mapping[str, Any], *, bounds_from_code: bool) -> list[str]:
    """How the code disagrees with a shared definition (empty: the strategy can use it as it is)."""
    problems = []
    if have.get("type") != wanted.get("type"):
        problems.append(f"the catalog says {have.get('type')}, the code {wanted.get('type')}")
    if bounds_from_code:
        for field in ("min", "max", "step", "allowed"):
            if have.get(field) != wanted.get(field):
                problems.append(f"{field} {have.get(field)!r} in the catalog, {wanted.get(field)!r} in the code")
    default = wanted.get("default")
    if isinstance(default, (int, float)) and not isinstance(default, bool):
        if have.get("min") is not None and default < have["min"]:
            problems.append(f"the code's default {default} is below the catalog's min {have['min']}")
        if have.get("max") is not None and default > have["max"]:
            problems.append(f"the code's default {default} is above the catalog's max {have['max']}")
    if have.get("allowed") and default is not None and default not in have["allowed"]:
        problems.append(f"the code's default {default!r} is not one of {have['allowed']!r}")
    return problems


def _input_of(parameter: Mapping[str, Any]) -> dict[str, Any]:
    """A catalog answer's parameter as a definition to PUT (fields the API does not take are dropped)."""
    return {k: v for k, v in parameter.items() if k not in ("revision", "created_at", "created_by", "updated_at")}


# ApprovalRequired is part of apply()'s contract.
_ = ApprovalRequired
