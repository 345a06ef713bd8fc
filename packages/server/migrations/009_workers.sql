-- Workers (paper and live processes) as they last reported themselves: what they applied, per
-- strategy, and what waits for a restart. One row per worker, replaced by each heartbeat.
CREATE TABLE workers (
  worker_id text PRIMARY KEY CHECK (worker_id ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$'),
  environment text NOT NULL REFERENCES environments (name),
  -- [{"strategy", "config_version_id", "resolved_hash", "applied_at"}]
  applied jsonb NOT NULL CHECK (jsonb_typeof(applied) = 'array'),
  last_seq bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
  pending_restart jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(pending_restart) = 'array'),
  process jsonb,
  reported_by text NOT NULL,
  first_seen timestamptz NOT NULL DEFAULT now(),
  last_heartbeat timestamptz NOT NULL DEFAULT now()
);
