-- A third reload class, `between_trades`: a worker applies such a value only at a boundary where it
-- holds no open trade; until then it keeps the old value and reports the key as waiting. Workers
-- report those keys with each heartbeat, and each row of a session's applied history lists them
-- (the parameter set of that row marks their values `held_between_trades`). Existing rows get an
-- empty list: nothing waited for a flat book before this class existed. Adding a column with a
-- constant default rewrites no row, so session_history's append-only trigger (BEFORE UPDATE OR
-- DELETE, per row) is not fired.
ALTER TABLE workers
  ADD COLUMN pending_between_trades jsonb NOT NULL DEFAULT '[]'
    CHECK (jsonb_typeof(pending_between_trades) = 'array');

-- keys whose new value waits for a boundary with no open trade (their old value is in use)
ALTER TABLE session_history ADD COLUMN pending_between_trades text[] NOT NULL DEFAULT '{}';
