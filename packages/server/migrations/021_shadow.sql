-- A fourth reload class, `shadow`: a worker never applies such a value; at the boundary where a hot
-- key would have taken it, the worker reports what it would have applied, and where. Those
-- observations are the evidence on which a parameter is switched to hot (seed 004 §11).

-- shadow keys whose new value the worker did not apply (their old value is in use); as in 018, a
-- constant default rewrites no row, so session_history's append-only trigger is not fired
ALTER TABLE session_history ADD COLUMN held_shadow text[] NOT NULL DEFAULT '{}';

-- One row per observation, as the worker reported it. A report resent after a lost answer is
-- recorded once: the worker numbers its observations per process (instance).
CREATE TABLE shadow_observations (
  worker_id text NOT NULL,
  instance text NOT NULL,
  id integer NOT NULL CHECK (id >= 1),
  environment text NOT NULL,
  strategy_name text NOT NULL,
  key text NOT NULL,
  -- NULL: the key was absent on that side (a JSON null is 'null'::jsonb)
  old_value jsonb,
  new_value jsonb,
  -- the change event the new value came with (0: not from an event)
  seq bigint NOT NULL CHECK (seq >= 0),
  boundary text NOT NULL CHECK (length(boundary) BETWEEN 1 AND 100),
  -- trades open at that boundary (NULL: the worker did not say)
  open_trades integer CHECK (open_trades IS NULL OR open_trades >= 0),
  observed_at timestamptz NOT NULL,
  reported_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (worker_id, instance, id)
);
CREATE INDEX shadow_observations_by_key ON shadow_observations (environment, key, observed_at);

-- Evidence is not edited: append-only, like the sessions' history.
CREATE FUNCTION shadow_observations_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'shadow observations are append-only (worker %, id %)', OLD.worker_id, OLD.id USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER shadow_observations_guard BEFORE UPDATE OR DELETE ON shadow_observations
  FOR EACH ROW EXECUTE FUNCTION shadow_observations_guard();
