/**
 * @module What a worker runs, and what waits: the pure heart of the subscriber. Received configs
 * wait as pending; only `boundary()` (called by the worker at its safe points) makes them
 * current. `hot` keys change there; `between_trades` keys change only at a boundary where the
 * worker says it holds no open trade (until then they keep their value, are listed as waiting, and
 * the config stays pending for a later boundary); `restart` keys (and keys of unknown class) never
 * change in a running worker: they keep their value and are listed as waiting for a restart.
 * `shadow` keys never change either: they are listed as held, and at the boundary where a hot key
 * would have taken a new value the state records what would have applied there (once per value).
 */
import {
  type CatalogWarning,
  canonicalJson,
  contentHash,
  isPlainObject,
  type JsonValue,
  type ReloadClass,
  reloadClassOf,
  valueAt,
} from "@tradai/core";
import { jsonEqual } from "./json-equal.js";
import { valuesHash, valuesLeaves } from "./values-memo.js";

export interface AppliedConfig {
  readonly strategy: string;
  readonly config_version_id: string | null;
  /** Hash of the values in use: the server's resolved hash when everything was applied (nothing waits). */
  readonly resolved_hash: string | null;
  readonly values: Readonly<Record<string, unknown>>;
  /** Keys whose new value waits for a restart (the value in use is the old one). */
  readonly pending_restart: readonly string[];
  /** Keys whose new value waits for a boundary with no open trade (the value in use is the old one). */
  readonly pending_between_trades: readonly string[];
  /** Shadow keys whose new value is never applied (the value in use is the old one). */
  readonly held_shadow: readonly string[];
  readonly applied_at: string;
  /** The seq of the latest event applied. */
  readonly seq: number;
  /** When the change event it came with was committed (null: from a snapshot, a poll or the disk copy). */
  readonly event_at: string | null;
}

export interface IncomingConfig {
  strategy: string;
  config_version_id: string | null;
  resolved_hash: string | null;
  values: Record<string, unknown> | null;
  /** When the change event it came with was committed, if it came with one. */
  event_at?: string | null;
  /** What the catalog warns of in its values (a live worker refuses such a config). */
  warnings?: readonly CatalogWarning[] | undefined;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown, present: boolean): void {
  const parts = path.split(".");
  const last = parts.pop() as string;
  if (!present) {
    removePath(target, parts, last);
    return;
  }
  let node = target;
  for (const part of parts) {
    if (!isPlainObject(node[part])) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[last] = value;
}

/** Removes a key; objects left empty by the removal go too, as the server's resolved values have none. */
function removePath(target: Record<string, unknown>, parents: string[], last: string): void {
  const chain: Record<string, unknown>[] = [target];
  for (const part of parents) {
    const next = (chain.at(-1) as Record<string, unknown>)[part];
    if (!isPlainObject(next)) return; // not there: nothing to remove
    chain.push(next);
  }
  delete (chain.at(-1) as Record<string, unknown>)[last];
  for (let i = parents.length - 1; i >= 0; i--) {
    const parent = chain[i] as Record<string, unknown>;
    const key = parents[i] as string;
    if (Object.keys(parent[key] as Record<string, unknown>).length > 0) break;
    delete parent[key];
  }
}

export interface BoundaryOptions {
  /**
   * How many trades the worker holds open at this boundary. `between_trades` keys change only when
   * it is 0; not told (or any other value) means a trade may be open, and they are held.
   */
  openTrades?: number;
}

/** A shadow key's change, at the boundary where a hot key would have taken it. */
export interface ShadowChange {
  readonly strategy: string;
  readonly key: string;
  /** The value in use (absent: the key is absent). */
  readonly old?: unknown;
  /** The value it would have applied (absent: the key was removed). */
  readonly new?: unknown;
  /** The seq the new value came with. */
  readonly seq: number;
  readonly open_trades: number | null;
  readonly at: string;
}

const same = jsonEqual;
const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === "object") {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
};

export class AppliedState {
  private readonly applied = new Map<string, AppliedConfig>();
  private readonly pending = new Map<string, { config: IncomingConfig; seq: number; held?: boolean }>();
  /** A config kept pending for its held between_trades keys, that a newer one replaced (until that one is applied). */
  private readonly replacedHeld = new Map<string, { config: IncomingConfig; seq: number; held?: boolean }>();
  /** Reload class of each key, as the change events named them. */
  private readonly reloadOf = new Map<string, ReloadClass>();
  /** The last would-apply value seen per strategy and shadow key (canonical JSON; "" for absent). */
  private readonly shadowSeen = new Map<string, string>();
  private observed: ShadowChange[] = [];

  /** The shadow changes seen since the last call, oldest first. */
  takeShadowChanges(): ShadowChange[] {
    const taken = this.observed;
    this.observed = [];
    return taken;
  }

  /** Each key's reload class, as change events (and the catalog) named them. */
  get reloadClasses(): ReadonlyMap<string, ReloadClass> {
    return this.reloadOf;
  }

  /** The first configuration (snapshot at start-up, or the last-known-good copy): applied at once. */
  initialise(configs: IncomingConfig[], seq: number, now = new Date()): void {
    for (const config of configs)
      this.applied.set(config.strategy, this.toApplied(config, config.values ?? {}, [], [], [], seq, now));
  }

  /** A change arrived: it waits for the next boundary (a newer one for the same strategy replaces it). */
  receive(configs: IncomingConfig[], seq: number, changes: { key: string; reload: ReloadClass }[] = []): void {
    for (const change of changes) this.reloadOf.set(change.key, change.reload);
    for (const config of configs) {
      const before = this.pending.get(config.strategy);
      if (before?.held) this.replacedHeld.set(config.strategy, before);
      this.pending.set(config.strategy, { config, seq });
    }
  }

  /** The configs received and not yet applied, one per strategy. */
  pendingConfigs(): IncomingConfig[] {
    return [...this.pending.values()].map((p) => p.config);
  }

  /**
   * Forgets the config received for `strategy` (a live worker refused it): the one in use stays, and
   * an earlier config it replaced while between_trades keys were held waits again for its boundary.
   */
  dropPending(strategy: string): void {
    this.pending.delete(strategy);
    const earlier = this.replacedHeld.get(strategy);
    if (earlier) this.pending.set(strategy, earlier);
    this.replacedHeld.delete(strategy);
  }

  /** Something received is not in use yet: a change before its boundary, or between_trades keys held. */
  get hasPending(): boolean {
    return this.pending.size > 0;
  }

  get(strategy: string): AppliedConfig | undefined {
    return this.applied.get(strategy);
  }

  all(): AppliedConfig[] {
    return [...this.applied.values()];
  }

  /**
   * Applies what is pending: hot keys take their new values; between_trades keys take theirs only
   * when `openTrades` is 0, else they are held and their config stays pending for a later boundary
   * (a newer config received meanwhile replaces it); restart keys wait. @returns what changed
   */
  boundary(now = new Date(), { openTrades }: BoundaryOptions = {}): AppliedConfig[] {
    const flat = openTrades === 0;
    const changed: AppliedConfig[] = [];
    for (const [strategy, { config, seq }] of this.pending) {
      const before = this.applied.get(strategy);
      if (!before) {
        this.applied.set(strategy, this.toApplied(config, config.values ?? {}, [], [], [], seq, now));
        changed.push(this.applied.get(strategy) as AppliedConfig);
        this.pending.delete(strategy);
        continue;
      }
      const next = structuredClone(before.values) as Record<string, unknown>;
      const incoming = config.values ?? {};
      // Keys waiting for a restart too: one the newer config no longer has stops waiting.
      const wasLeaves = valuesLeaves(before.values);
      const willLeaves = valuesLeaves(incoming);
      const keys = new Set([
        ...wasLeaves.keys(),
        ...willLeaves.keys(),
        ...before.pending_restart,
        ...before.held_shadow,
      ]);
      // A leaf's value from the leaves already computed; a waiting key that is no leaf (any more) by its path.
      const at = (leafMap: ReadonlyMap<string, unknown>, values: Readonly<Record<string, unknown>>, key: string) =>
        leafMap.has(key) ? { found: true as const, value: leafMap.get(key) } : valueAt(values, key);
      const waiting = new Set(before.pending_restart);
      const held = new Set<string>();
      const shadow = new Set<string>();
      for (const key of keys) {
        const [was, will] = [at(wasLeaves, before.values, key), at(willLeaves, incoming, key)];
        const unchanged = was.found ? will.found && same(was.value, will.value) : !will.found;
        if (unchanged) {
          waiting.delete(key); // back to the value in use: nothing waits any more
          if (this.shadowSeen.size > 0) this.shadowSeen.delete(`${strategy}\0${key}`);
          continue;
        }
        const reload = reloadClassOf(key, this.reloadOf);
        if (reload === "hot" || (reload === "between_trades" && flat))
          setPath(next, key, will.found ? will.value : undefined, will.found);
        // a trade may be open: the value in use stays until a boundary with none
        else if (reload === "between_trades") held.add(key);
        // never applied: what would have applied here is observed, once per value
        else if (reload === "shadow") {
          shadow.add(key);
          this.observeShadow(strategy, key, was, will, seq, openTrades, now);
        }
        // restart (or unknown) keys keep the value in use
        else waiting.add(key);
      }
      const applied = this.toApplied(
        config,
        next,
        [...waiting].sort(),
        [...held].sort(),
        [...shadow].sort(),
        seq,
        now,
        {
          copied: true,
        },
      );
      const differs =
        applied.config_version_id !== before.config_version_id ||
        applied.resolved_hash !== before.resolved_hash ||
        !same(applied.pending_restart, before.pending_restart) ||
        !same(applied.pending_between_trades, before.pending_between_trades) ||
        !same(applied.held_shadow, before.held_shadow);
      if (differs) {
        this.applied.set(strategy, applied);
        changed.push(applied);
      }
      // Held keys keep their config pending: a later boundary with no open trade applies it.
      this.replacedHeld.delete(strategy); // the newer config is in: the earlier one is superseded
      if (held.size === 0) this.pending.delete(strategy);
      else this.pending.set(strategy, { config, seq, held: true });
    }
    return changed;
  }

  private observeShadow(
    strategy: string,
    key: string,
    was: { found: boolean; value?: unknown },
    will: { found: boolean; value?: unknown },
    seq: number,
    openTrades: number | undefined,
    now: Date,
  ): void {
    const seenKey = `${strategy}\0${key}`;
    const value = will.found ? canonicalJson(will.value as JsonValue) : "";
    if (this.shadowSeen.get(seenKey) === value) return; // this value was observed already
    this.shadowSeen.set(seenKey, value);
    this.observed.push({
      strategy,
      key,
      ...(was.found ? { old: structuredClone(was.value) } : {}),
      ...(will.found ? { new: structuredClone(will.value) } : {}),
      seq,
      open_trades: openTrades ?? null,
      at: now.toISOString(),
    });
  }

  /** `values` are the values in use; the server's hash stands only when nothing waits. */
  private toApplied(
    config: IncomingConfig,
    values: Record<string, unknown>,
    pendingRestart: string[],
    pendingBetweenTrades: string[],
    heldShadow: string[],
    seq: number,
    now: Date,
    /** `values` is a copy of its own already (nothing else holds it): frozen as it is. */
    { copied = false }: { copied?: boolean } = {},
  ): AppliedConfig {
    const inUse = deepFreeze(copied ? values : structuredClone(values));
    // Nothing waits: every key that differed took the config's value, so the values in use are the
    // config's own, whose hash was computed when it arrived (values-memo). Else they are hashed here.
    const nothingWaits = pendingRestart.length === 0 && pendingBetweenTrades.length === 0 && heldShadow.length === 0;
    const inUseHash =
      nothingWaits && config.values !== null ? valuesHash(config.values) : contentHash(inUse as JsonValue);
    // The server's hash is claimed only for exactly the server's values (nothing waits, nothing differs).
    const complete = nothingWaits && config.resolved_hash === inUseHash;
    return deepFreeze({
      strategy: config.strategy,
      config_version_id: config.config_version_id,
      resolved_hash: complete ? config.resolved_hash : inUseHash,
      values: inUse,
      pending_restart: pendingRestart,
      pending_between_trades: pendingBetweenTrades,
      held_shadow: heldShadow,
      applied_at: now.toISOString(),
      seq,
      event_at: config.event_at ?? null,
    });
  }
}
