-- Staged rollouts as governed changes (issue 19): a rollout that starts, steps or ends changes
-- what some workers resolve, so the change kernel must see it as its own doing (migration 016's
-- marks), and a rollout started by an approved change request names it, for good.
ALTER TABLE rollouts ADD COLUMN change_request_id bigint REFERENCES change_requests (id);

CREATE FUNCTION rollouts_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM mark_change('rollout ' || NEW.strategy_name || ' ' || NEW.environment);
  RETURN NULL;
END $$;
CREATE TRIGGER rollouts_mark AFTER INSERT OR UPDATE ON rollouts FOR EACH ROW EXECUTE FUNCTION rollouts_mark();

CREATE OR REPLACE FUNCTION rollouts_guard() RETURNS trigger LANGUAGE plpgsql AS $$
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

-- A rollout that needs four eyes waits as a change request of its own kind.
ALTER TABLE change_requests DROP CONSTRAINT change_requests_kind_check;
ALTER TABLE change_requests ADD CONSTRAINT change_requests_kind_check
  CHECK (kind IN ('activation', 'promotion', 'environment_base', 'environment_policy', 'catalog', 'import', 'rollout'));
