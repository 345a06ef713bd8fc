-- What this transaction itself changed in resolution's inputs, kept in a transaction-local
-- setting (undone with a rolled-back savepoint). The change kernel compares two snapshots of the
-- inputs around a change's work; under READ COMMITTED the second also sees other transactions'
-- commits (another strategy activated meanwhile). Only what this transaction marked is its own.
CREATE FUNCTION mark_change(mark text) RETURNS void LANGUAGE sql AS $$
  SELECT set_config('tradai.changed', coalesce(current_setting('tradai.changed', true), '') || mark || E'\n', true)
$$;

CREATE FUNCTION activations_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM mark_change('active ' || NEW.strategy_name || ' ' || NEW.environment);
  RETURN NULL;
END $$;
CREATE TRIGGER activations_mark AFTER INSERT OR UPDATE ON activations
  FOR EACH ROW EXECUTE FUNCTION activations_mark();

CREATE FUNCTION environment_bases_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM mark_change('base ' || NEW.environment);
  RETURN NULL;
END $$;
CREATE TRIGGER environment_bases_mark AFTER INSERT ON environment_bases
  FOR EACH ROW EXECUTE FUNCTION environment_bases_mark();

CREATE FUNCTION catalog_revisions_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM mark_change('catalog');
  RETURN NULL;
END $$;
CREATE TRIGGER catalog_revisions_mark AFTER INSERT ON catalog_revisions
  FOR EACH ROW EXECUTE FUNCTION catalog_revisions_mark();
