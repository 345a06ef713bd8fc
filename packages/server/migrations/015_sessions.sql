-- Paper and live sessions are runs: one per worker process and strategy, bound (like every run) to
-- a parameter set, the one it opened with. Every configuration the worker applies appends a row to
-- the session's applied history, which the database keeps append-only and bound to a parameter set.
-- The change kernel keeps each resolved config it commits, with its provenance, so that the
-- parameter set of an applied config can say which layer gave each value.

ALTER TABLE runs DROP CONSTRAINT runs_kind_check;
ALTER TABLE runs
  ADD CONSTRAINT runs_kind_check CHECK (kind IN ('backtest', 'paper', 'live')),
  -- sessions only: the worker, its process instance, its labels and the code version it reported
  ADD COLUMN worker_id text,
  ADD COLUMN instance text,
  ADD COLUMN labels jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(labels) = 'object'),
  ADD COLUMN code_version text,
  ADD CONSTRAINT runs_session_fields CHECK ((kind = 'backtest') = (worker_id IS NULL) AND (worker_id IS NULL) = (instance IS NULL));
-- One session per worker process and strategy.
CREATE UNIQUE INDEX runs_one_session ON runs (worker_id, instance, strategy_name) WHERE worker_id IS NOT NULL;
CREATE INDEX runs_sessions ON runs (worker_id, created_at DESC) WHERE worker_id IS NOT NULL;

-- What a run was bound to never changes; a finished run stays finished; a session's identity is fixed.
CREATE OR REPLACE FUNCTION runs_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'run % is history and cannot be deleted', OLD.job_id USING ERRCODE = 'P0001';
  END IF;
  IF NEW.job_id IS DISTINCT FROM OLD.job_id OR NEW.parameter_set_hash IS DISTINCT FROM OLD.parameter_set_hash
     OR NEW.version_id IS DISTINCT FROM OLD.version_id OR NEW.config_version_id IS DISTINCT FROM OLD.config_version_id
     OR NEW.strategy_name IS DISTINCT FROM OLD.strategy_name OR NEW.environment IS DISTINCT FROM OLD.environment
     OR NEW.launch_input IS DISTINCT FROM OLD.launch_input OR NEW.task_definition IS DISTINCT FROM OLD.task_definition
     OR NEW.created_at IS DISTINCT FROM OLD.created_at OR NEW.rerun_of IS DISTINCT FROM OLD.rerun_of
     OR NEW.kind IS DISTINCT FROM OLD.kind OR NEW.warnings IS DISTINCT FROM OLD.warnings
     OR NEW.uncatalogued IS DISTINCT FROM OLD.uncatalogued OR NEW.sweep_id IS DISTINCT FROM OLD.sweep_id
     OR NEW.worker_id IS DISTINCT FROM OLD.worker_id OR NEW.instance IS DISTINCT FROM OLD.instance
     OR NEW.labels IS DISTINCT FROM OLD.labels OR NEW.code_version IS DISTINCT FROM OLD.code_version THEN
    RAISE EXCEPTION 'run % is bound to what it was submitted with', OLD.job_id USING ERRCODE = 'P0001';
  END IF;
  IF OLD.status IN ('completed', 'failed', 'cancelled') AND NEW.status IS DISTINCT FROM OLD.status THEN
    RAISE EXCEPTION 'run % already ended (%)', OLD.job_id, OLD.status USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;

-- Each configuration a session's worker applied, in the order it applied them.
CREATE TABLE session_history (
  session_id uuid NOT NULL REFERENCES runs (job_id),
  -- the worker's own count of its applies in this session, from 1
  seq integer NOT NULL CHECK (seq >= 1),
  config_version_id text,
  resolved_hash text NOT NULL CHECK (resolved_hash ~ '^[0-9a-f]{64}$'),
  -- The binding: what was applied, in full.
  parameter_set_hash text NOT NULL REFERENCES parameter_sets (hash),
  applied_at timestamptz NOT NULL,
  -- where the worker applied it: start, a named safe point ("boundary", "candle_close"), ...
  boundary text NOT NULL CHECK (length(boundary) BETWEEN 1 AND 100),
  -- from the change's commit to the apply, when the change came with an event
  latency_ms double precision CHECK (latency_ms IS NULL OR latency_ms >= 0),
  -- keys whose new value waits for a restart (their old value is in use)
  pending_restart text[] NOT NULL DEFAULT '{}',
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (session_id, seq)
);
CREATE INDEX session_history_by_time ON session_history (session_id, applied_at);
CREATE INDEX session_history_by_set ON session_history (parameter_set_hash);

CREATE FUNCTION session_history_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'session history is append-only (session %, seq %)', OLD.session_id, OLD.seq USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER session_history_guard BEFORE UPDATE OR DELETE ON session_history
  FOR EACH ROW EXECUTE FUNCTION session_history_guard();
CREATE TRIGGER session_history_no_truncate BEFORE TRUNCATE ON session_history
  FOR EACH STATEMENT EXECUTE FUNCTION session_history_guard();

-- Every resolved config a change committed, with each value's layer: a worker's report of an
-- applied hash becomes a parameter set that says where its values came from.
CREATE TABLE resolved_configs (
  environment text NOT NULL REFERENCES environments (name),
  strategy_name text NOT NULL,
  resolved_hash text NOT NULL CHECK (resolved_hash ~ '^[0-9a-f]{64}$'),
  config_id text NOT NULL,
  "values" jsonb NOT NULL CHECK (jsonb_typeof("values") = 'object'),
  provenance jsonb NOT NULL CHECK (jsonb_typeof(provenance) = 'object'),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (environment, strategy_name, resolved_hash)
);
CREATE FUNCTION resolved_configs_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a resolved config is immutable (%)', OLD.resolved_hash USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER resolved_configs_guard BEFORE UPDATE OR DELETE ON resolved_configs
  FOR EACH ROW EXECUTE FUNCTION resolved_configs_guard();
