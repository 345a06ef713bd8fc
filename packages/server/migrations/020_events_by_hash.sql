-- The workers view places each worker on the change feed by the hash it runs: the latest change
-- of its environment and strategy that resolved to that hash.
CREATE INDEX config_events_by_hash ON config_events (environment, strategy, resolved_hash, seq);

-- Only an admin's retirement frees a worker id for another credential; a worker's goodbye or the
-- platform's retirement of a silent one takes it out of the view but keeps its owner.
ALTER TABLE workers ADD COLUMN released boolean NOT NULL DEFAULT false;
