-- The legacy mirror (issue 17): per environment, one strategy's resolved config written back to the
-- legacy row (ftf_config.base_env) after each change, while old workers still read it. What to
-- mirror is set through the governed path; how far it got is a report, kept apart.
CREATE TABLE legacy_mirrors (
  environment text NOT NULL REFERENCES environments (name),
  strategy_name text NOT NULL,
  enabled boolean NOT NULL,
  target jsonb NOT NULL CHECK (jsonb_typeof(target) = 'object'),
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (environment, strategy_name)
);

CREATE TABLE legacy_mirror_state (
  environment text NOT NULL,
  strategy_name text NOT NULL,
  -- the change feed's seq the row was last written for (the feed is the outbox: its events commit
  -- with the changes, so nothing the mirror must write can be lost)
  mirrored_seq bigint NOT NULL DEFAULT 0,
  mirrored_hash text,
  mirrored_config_id text,
  mirrored_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  next_attempt_at timestamptz,
  -- one replica writes at a time: it holds the lease while it talks to the legacy database
  lease_until timestamptz,
  PRIMARY KEY (environment, strategy_name),
  FOREIGN KEY (environment, strategy_name) REFERENCES legacy_mirrors (environment, strategy_name)
);
