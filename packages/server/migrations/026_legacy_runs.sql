-- Runs from before the migration (issue 17): registered as runs of kind 'legacy', with where they
-- came from and their id there (registered once). Bound like every run to a parameter set (of the
-- legacy schema), ended, never queued.
ALTER TABLE runs DROP CONSTRAINT runs_kind_check;
ALTER TABLE runs DROP CONSTRAINT runs_session_fields;
ALTER TABLE runs
  ADD CONSTRAINT runs_kind_check CHECK (kind IN ('backtest', 'paper', 'live', 'legacy')),
  ADD CONSTRAINT runs_session_fields
    CHECK ((kind IN ('paper', 'live')) = (worker_id IS NOT NULL) AND (worker_id IS NULL) = (instance IS NULL)),
  ADD COLUMN legacy_source text,
  ADD COLUMN legacy_id text,
  ADD CONSTRAINT runs_legacy_fields CHECK ((kind = 'legacy') = (legacy_id IS NOT NULL AND legacy_source IS NOT NULL)),
  ADD CONSTRAINT runs_legacy_ended CHECK (kind <> 'legacy' OR status IN ('completed', 'failed'));
CREATE UNIQUE INDEX runs_legacy_once ON runs (legacy_source, legacy_id) WHERE legacy_id IS NOT NULL;

-- What a run was bound to never changes (now also where a legacy run came from).
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
     OR NEW.labels IS DISTINCT FROM OLD.labels OR NEW.code_version IS DISTINCT FROM OLD.code_version
     OR NEW.legacy_source IS DISTINCT FROM OLD.legacy_source OR NEW.legacy_id IS DISTINCT FROM OLD.legacy_id THEN
    RAISE EXCEPTION 'run % is bound to what it was submitted with', OLD.job_id USING ERRCODE = 'P0001';
  END IF;
  IF OLD.status IN ('completed', 'failed', 'cancelled') AND NEW.status IS DISTINCT FROM OLD.status THEN
    RAISE EXCEPTION 'run % already ended (%)', OLD.job_id, OLD.status USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
