-- Every run is evidence: what the catalog said of a run's values when it was submitted (keys it does
-- not describe, deprecated values used on purpose), and the sweep a run belongs to.

ALTER TABLE runs
  -- what a reader of the run must be told: deprecated values it uses, and why
  ADD COLUMN warnings jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(warnings) = 'array'),
  -- keys no catalog parameter describes (a strategy whose catalog policy is open)
  ADD COLUMN uncatalogued text[] NOT NULL DEFAULT '{}',
  -- the sweep it is a point of
  ADD COLUMN sweep_id uuid;
CREATE INDEX runs_by_sweep ON runs (sweep_id, created_at) WHERE sweep_id IS NOT NULL;

-- What a run was bound to and asked to do never changes; a finished run stays finished.
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
     OR NEW.uncatalogued IS DISTINCT FROM OLD.uncatalogued OR NEW.sweep_id IS DISTINCT FROM OLD.sweep_id THEN
    RAISE EXCEPTION 'run % is bound to what it was submitted with', OLD.job_id USING ERRCODE = 'P0001';
  END IF;
  IF OLD.status IN ('completed', 'failed', 'cancelled') AND NEW.status IS DISTINCT FROM OLD.status THEN
    RAISE EXCEPTION 'run % already ended (%)', OLD.job_id, OLD.status USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
