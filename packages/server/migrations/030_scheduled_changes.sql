-- Scheduled changes (issue 19): an activation, a rollback or a staged rollout to carry out at a
-- time, or a change request to apply then once approved (approved ahead, applied at its time). It waits pending, visible and cancellable; when its time comes one replica carries it out
-- (the row is claimed in the change's own transaction) and it ends done, refused (a freeze, another
-- version active by then, ...) or cancelled. What it will do never changes; an ended one is history.
CREATE TABLE scheduled_changes (
  id uuid PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('activation', 'rollback', 'rollout', 'change_request')),
  environment text NOT NULL REFERENCES environments (name),
  -- NULL: a change request that is about no one strategy (base values, a policy, the catalog)
  strategy_name text REFERENCES strategies (name),
  config_id text,
  change_request_id bigint REFERENCES change_requests (id),
  -- the version active when it was scheduled: it runs only while that is still so (NULL: none)
  expected_active text,
  -- a rollout's {steps, guards}
  rollout jsonb,
  run_at timestamptz NOT NULL,
  time_zone text NOT NULL,
  summary text NOT NULL,
  -- who scheduled it, as it acts when it runs: {name, roles, environments, person}
  actor jsonb NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  state text NOT NULL CHECK (state IN ('pending', 'done', 'refused', 'cancelled')),
  outcome text,
  ended_at timestamptz,
  CHECK ((state = 'pending') = (ended_at IS NULL)),
  CHECK ((kind = 'rollout') = (rollout IS NOT NULL)),
  CHECK ((kind = 'change_request') = (change_request_id IS NOT NULL)),
  CHECK (kind = 'change_request' OR (strategy_name IS NOT NULL AND config_id IS NOT NULL))
);
-- A change request waits for its time once: approving it then applies nothing before.
CREATE UNIQUE INDEX scheduled_changes_one_per_request ON scheduled_changes (change_request_id) WHERE state = 'pending';
CREATE INDEX scheduled_changes_due ON scheduled_changes (run_at) WHERE state = 'pending';

CREATE FUNCTION scheduled_changes_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION 'scheduled changes are history and cannot be deleted' USING ERRCODE = 'P0001';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'scheduled change % is history and cannot be deleted', OLD.id USING ERRCODE = 'P0001';
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.kind IS DISTINCT FROM OLD.kind
     OR NEW.environment IS DISTINCT FROM OLD.environment OR NEW.strategy_name IS DISTINCT FROM OLD.strategy_name
     OR NEW.config_id IS DISTINCT FROM OLD.config_id OR NEW.expected_active IS DISTINCT FROM OLD.expected_active
     OR NEW.change_request_id IS DISTINCT FROM OLD.change_request_id
     OR NEW.rollout IS DISTINCT FROM OLD.rollout OR NEW.run_at IS DISTINCT FROM OLD.run_at
     OR NEW.time_zone IS DISTINCT FROM OLD.time_zone OR NEW.actor IS DISTINCT FROM OLD.actor
     OR NEW.created_by IS DISTINCT FROM OLD.created_by OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
    RAISE EXCEPTION 'scheduled change % is bound to what was scheduled', OLD.id USING ERRCODE = 'P0001';
  END IF;
  -- Ended: only its outcome may still be told (once), e.g. the change request it became.
  IF OLD.state <> 'pending' AND (NEW.state IS DISTINCT FROM OLD.state OR OLD.outcome IS NOT NULL) THEN
    RAISE EXCEPTION 'scheduled change % already ended (%)', OLD.id, OLD.state USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER scheduled_changes_guard BEFORE UPDATE OR DELETE ON scheduled_changes
  FOR EACH ROW EXECUTE FUNCTION scheduled_changes_guard();
CREATE TRIGGER scheduled_changes_no_truncate BEFORE TRUNCATE ON scheduled_changes
  FOR EACH STATEMENT EXECUTE FUNCTION scheduled_changes_guard();
