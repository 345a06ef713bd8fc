-- Open alert episodes of workers (lagging or stale): a row is claimed by the one replica that
-- announces the episode, and deleted by the one that announces the recovery, so every replica may
-- watch and still each episode is announced once, also across restarts.
CREATE TABLE worker_alerts (
  worker_id text PRIMARY KEY REFERENCES workers (worker_id) ON DELETE CASCADE,
  status text NOT NULL CHECK (status IN ('lagging', 'stale')),
  reason text NOT NULL,
  since timestamptz NOT NULL DEFAULT clock_timestamp()
);
