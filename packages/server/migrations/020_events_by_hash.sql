-- The workers view places each worker on the change feed by the hash it runs: the latest change
-- of its environment and strategy that resolved to that hash.
CREATE INDEX config_events_by_hash ON config_events (environment, strategy, resolved_hash, seq);
