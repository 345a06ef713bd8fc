-- Only a worker's own credential may say what that worker runs.
-- A token may be bound to a pattern of worker ids ('live-*': '*' matches any run of characters);
-- a report for an id outside it is refused. The first credential that reports for a worker id owns
-- it (workers.reported_by) until an admin retires the worker; a retired worker leaves the view.
ALTER TABLE service_tokens
  ADD COLUMN worker_id_pattern text
    CHECK (worker_id_pattern IS NULL OR worker_id_pattern ~ '^[A-Za-z0-9*][A-Za-z0-9._:*-]{0,127}$');
ALTER TABLE workers
  ADD COLUMN retired_at timestamptz,
  ADD COLUMN retired_by text,
  -- The counts of its signals the process reported last ({"config_apply_violation": 0, ...}): the
  -- server counts what each report adds.
  ADD COLUMN events jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(events) = 'object');
