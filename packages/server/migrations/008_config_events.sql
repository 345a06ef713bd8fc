-- The change feed: one event per change that alters a resolved config, written in the change's
-- transaction. seq is gapless (handed out under the head row's lock), so a subscriber can prove it
-- missed nothing; pg_notify carries the seq to every replica.

CREATE TABLE config_events (
  seq bigint PRIMARY KEY CHECK (seq > 0),
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  kind text NOT NULL CHECK (kind IN ('activation', 'deprecation', 'environment_base', 'catalog')),
  -- NULL: every environment / every strategy (base values and catalog defaults apply to all)
  environment text REFERENCES environments (name),
  strategy text,
  config_id text,
  resolved_hash text CHECK (resolved_hash ~ '^[0-9a-f]{64}$'),
  -- [{"key": "risk.stoploss", "reload": "hot" | "restart"}]
  changes jsonb NOT NULL CHECK (jsonb_typeof(changes) = 'array'),
  actor text NOT NULL
);
CREATE INDEX config_events_by_scope ON config_events (environment, strategy, seq);

CREATE TRIGGER config_events_guard BEFORE UPDATE OR DELETE ON config_events
  FOR EACH ROW EXECUTE FUNCTION catalog_history_guard();

CREATE TABLE config_event_head (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  seq bigint NOT NULL
);
INSERT INTO config_event_head (seq) VALUES (0);
