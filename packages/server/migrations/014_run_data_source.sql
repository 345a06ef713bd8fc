-- What prices a run's numbers come from: 'synthetic' (generated candles, not a market result) or
-- 'market' (candle files of a real market); NULL while unknown (queued, running, or a worker that
-- did not say). The launcher records it with the run's result.

ALTER TABLE runs
  ADD COLUMN data_source text CHECK (data_source IN ('synthetic', 'market'));

-- Once known, the data source is part of the run's evidence: a synthetic result can never be
-- relabelled as a market one, nor a source given to a run after it ended.
CREATE FUNCTION runs_data_source_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.data_source IS DISTINCT FROM OLD.data_source
     AND (OLD.data_source IS NOT NULL OR OLD.status IN ('completed', 'failed', 'cancelled')) THEN
    RAISE EXCEPTION 'the data source of run % is recorded (%) and cannot change', OLD.job_id,
      coalesce(OLD.data_source, 'unknown') USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER runs_data_source_guard BEFORE UPDATE ON runs
  FOR EACH ROW EXECUTE FUNCTION runs_data_source_guard();
