-- Strict live mode: a live worker refuses a config the catalog warns of (a deprecated key or value,
-- an uncatalogued key) and keeps the one it runs. Each heartbeat lists what it refuses now; the
-- workers view shows the worker as `refused`, and on-call is told.
ALTER TABLE workers
  ADD COLUMN refused jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(refused) = 'array');

-- An alert episode may be a refusal too.
ALTER TABLE worker_alerts DROP CONSTRAINT worker_alerts_status_check;
ALTER TABLE worker_alerts ADD CONSTRAINT worker_alerts_status_check CHECK (status IN ('lagging', 'refused', 'stale'));
