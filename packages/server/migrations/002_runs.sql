-- Runs bound to immutable, content-hashed parameter sets; the run queue; run logs.

CREATE TABLE parameter_sets (
  hash text PRIMARY KEY CHECK (hash ~ '^[0-9a-f]{64}$'),
  strategy_name text NOT NULL,
  document jsonb NOT NULL CHECK (jsonb_typeof(document) = 'object'),
  -- The config version whose data it took, if any: such a version can never be purged.
  version_id bigint REFERENCES config_versions (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX parameter_sets_by_version ON parameter_sets (version_id) WHERE version_id IS NOT NULL;

CREATE FUNCTION parameter_sets_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'parameter set % is immutable', OLD.hash USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER parameter_sets_guard BEFORE UPDATE OR DELETE ON parameter_sets
  FOR EACH ROW EXECUTE FUNCTION parameter_sets_guard();

CREATE TABLE runs (
  job_id uuid PRIMARY KEY,
  kind text NOT NULL DEFAULT 'backtest' CHECK (kind IN ('backtest')),
  strategy_name text NOT NULL,
  environment text NOT NULL REFERENCES environments (name),
  -- The binding: every run points at the exact parameters it used.
  parameter_set_hash text NOT NULL REFERENCES parameter_sets (hash),
  version_id bigint REFERENCES config_versions (id),
  config_version_id text,
  experiment_name text,
  priority integer NOT NULL DEFAULT 0,
  task_definition text NOT NULL,
  launch_input jsonb NOT NULL,
  tags jsonb NOT NULL,
  rerun_of uuid REFERENCES runs (job_id),
  submitted_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
  progress real NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 100),
  progress_message text,
  error text,
  -- queue: a launcher claims a run with a lease that it renews while the worker runs
  claimed_by text,
  claimed_at timestamptz,
  lease_expires_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  run_token_hash text,
  worker_pid integer,
  cancel_requested_at timestamptz,
  started_at timestamptz,
  finished_at timestamptz,
  exit_code integer,
  -- what came back
  worker_environment jsonb,
  result_location text,
  metrics jsonb,
  mlflow_run_id text,
  mlflow_error text,
  CHECK ((version_id IS NULL) = (config_version_id IS NULL)),
  CHECK ((status IN ('completed', 'failed', 'cancelled')) = (finished_at IS NOT NULL))
);
CREATE INDEX runs_queue ON runs (priority DESC, created_at, job_id) WHERE status = 'queued';
CREATE INDEX runs_by_lease ON runs (lease_expires_at) WHERE status IN ('queued', 'running') AND claimed_by IS NOT NULL;
CREATE INDEX runs_by_parameter_set ON runs (parameter_set_hash);
CREATE INDEX runs_by_strategy ON runs (strategy_name, created_at DESC);
CREATE INDEX runs_by_version ON runs (version_id) WHERE version_id IS NOT NULL;

-- What a run was bound to and asked to do never changes; a finished run stays finished.
CREATE FUNCTION runs_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'run % is history and cannot be deleted', OLD.job_id USING ERRCODE = 'P0001';
  END IF;
  IF NEW.job_id IS DISTINCT FROM OLD.job_id OR NEW.parameter_set_hash IS DISTINCT FROM OLD.parameter_set_hash
     OR NEW.version_id IS DISTINCT FROM OLD.version_id OR NEW.config_version_id IS DISTINCT FROM OLD.config_version_id
     OR NEW.strategy_name IS DISTINCT FROM OLD.strategy_name OR NEW.environment IS DISTINCT FROM OLD.environment
     OR NEW.launch_input IS DISTINCT FROM OLD.launch_input OR NEW.task_definition IS DISTINCT FROM OLD.task_definition
     OR NEW.created_at IS DISTINCT FROM OLD.created_at OR NEW.rerun_of IS DISTINCT FROM OLD.rerun_of THEN
    RAISE EXCEPTION 'run % is bound to what it was submitted with', OLD.job_id USING ERRCODE = 'P0001';
  END IF;
  IF OLD.status IN ('completed', 'failed', 'cancelled') AND NEW.status IS DISTINCT FROM OLD.status THEN
    RAISE EXCEPTION 'run % already ended (%)', OLD.job_id, OLD.status USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER runs_guard BEFORE UPDATE OR DELETE ON runs FOR EACH ROW EXECUTE FUNCTION runs_guard();

CREATE TABLE run_logs (
  job_id uuid NOT NULL REFERENCES runs (job_id),
  line_no integer NOT NULL,
  stream text NOT NULL CHECK (stream IN ('stdout', 'stderr', 'launcher')),
  logged_at timestamptz NOT NULL DEFAULT now(),
  line text NOT NULL,
  PRIMARY KEY (job_id, line_no)
);

-- Runs and parameter sets keep the versions they used from the purge.
CREATE OR REPLACE FUNCTION config_version_is_referenced(version_id bigint) RETURNS boolean
  LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM runs r WHERE r.version_id = $1)
        OR EXISTS (SELECT 1 FROM parameter_sets p WHERE p.version_id = $1)
  $$;
