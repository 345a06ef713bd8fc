-- Staged rollouts (issue 19): a version reaches an environment's workers a step at a time, each
-- step a share of the workers or those a label selector names, baked for a while under guards on
-- what the workers report; it ends completed (the version active for all), rolled back, or aborted.
-- While one runs, the activation in force stays the version it started from: only the workers the
-- steps assigned resolve the new one.
CREATE TABLE rollouts (
  id uuid PRIMARY KEY,
  environment text NOT NULL REFERENCES environments (name),
  strategy_name text NOT NULL REFERENCES strategies (name),
  config_version_id bigint NOT NULL REFERENCES config_versions (id),
  config_id text NOT NULL,
  -- the version's content hash, bound when the rollout was asked for (a change request approves it)
  config_hash text NOT NULL CHECK (config_hash ~ '^[0-9a-f]{64}$'),
  -- the version active when it started: what the workers not assigned keep (NULL: none was)
  from_config_id text,
  -- [{"share": 0.25} | {"selector": {"canary": "true"}}, "bake_seconds": n]
  steps jsonb NOT NULL CHECK (jsonb_typeof(steps) = 'array' AND jsonb_array_length(steps) BETWEEN 1 AND 20),
  guards jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(guards) = 'array'),
  state text NOT NULL CHECK (state IN ('running', 'paused', 'completed', 'rolled_back', 'aborted')),
  -- the step in force (0-based), when it started, and what the steps so far assign ({threshold, selectors})
  step integer NOT NULL CHECK (step >= 0),
  step_started_at timestamptz NOT NULL,
  assignment jsonb NOT NULL CHECK (jsonb_typeof(assignment) = 'object'),
  -- the change request that approved it, where the environment asked for one
  change_request_id bigint REFERENCES change_requests (id),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz,
  end_reason text,
  CHECK (step < jsonb_array_length(steps)),
  CHECK ((state IN ('completed', 'rolled_back', 'aborted')) = (ended_at IS NOT NULL)),
  CHECK ((ended_at IS NULL) = (end_reason IS NULL))
);
-- One rollout at a time per strategy and environment.
CREATE UNIQUE INDEX rollouts_one_open ON rollouts (environment, strategy_name) WHERE ended_at IS NULL;

-- What a rollout rolls out, and how, never changes; its steps only go forward; an ended rollout is
-- history; none is deleted.
CREATE FUNCTION rollouts_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION 'rollouts are history and cannot be deleted' USING ERRCODE = 'P0001';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'rollout % is history and cannot be deleted', OLD.id USING ERRCODE = 'P0001';
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.environment IS DISTINCT FROM OLD.environment
     OR NEW.strategy_name IS DISTINCT FROM OLD.strategy_name OR NEW.config_version_id IS DISTINCT FROM OLD.config_version_id
     OR NEW.config_id IS DISTINCT FROM OLD.config_id OR NEW.config_hash IS DISTINCT FROM OLD.config_hash
     OR NEW.from_config_id IS DISTINCT FROM OLD.from_config_id OR NEW.steps IS DISTINCT FROM OLD.steps
     OR NEW.guards IS DISTINCT FROM OLD.guards OR NEW.created_by IS DISTINCT FROM OLD.created_by
     OR NEW.created_at IS DISTINCT FROM OLD.created_at
     OR NEW.change_request_id IS DISTINCT FROM OLD.change_request_id THEN
    RAISE EXCEPTION 'rollout % is bound to what it was started with', OLD.id USING ERRCODE = 'P0001';
  END IF;
  IF OLD.ended_at IS NOT NULL THEN
    RAISE EXCEPTION 'rollout % already ended (%)', OLD.id, OLD.state USING ERRCODE = 'P0001';
  END IF;
  IF NEW.step < OLD.step THEN
    RAISE EXCEPTION 'rollout % cannot go back from step % to %', OLD.id, OLD.step, NEW.step USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER rollouts_guard BEFORE UPDATE OR DELETE ON rollouts FOR EACH ROW EXECUTE FUNCTION rollouts_guard();
CREATE TRIGGER rollouts_no_truncate BEFORE TRUNCATE ON rollouts FOR EACH STATEMENT EXECUTE FUNCTION rollouts_guard();

-- A rollout that starts, steps or ends changes what some workers resolve: the change kernel must
-- see it as its own doing (migration 016's marks).
CREATE FUNCTION rollouts_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM mark_change('rollout ' || NEW.strategy_name || ' ' || NEW.environment);
  RETURN NULL;
END $$;
CREATE TRIGGER rollouts_mark AFTER INSERT OR UPDATE ON rollouts FOR EACH ROW EXECUTE FUNCTION rollouts_mark();

-- A rollout that needs four eyes waits as a change request of its own kind.
ALTER TABLE change_requests DROP CONSTRAINT change_requests_kind_check;
ALTER TABLE change_requests ADD CONSTRAINT change_requests_kind_check
  CHECK (kind IN ('activation', 'promotion', 'environment_base', 'environment_policy', 'catalog', 'import', 'rollout'));
