-- The parameter catalog: definitions, numbered revisions with their changes, per-strategy policy.

CREATE TABLE catalog_revisions (
  revision integer PRIMARY KEY CHECK (revision > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  summary text NOT NULL,
  -- set when a change that invalidates active versions was forced
  forced_reason text
);

CREATE TABLE catalog_parameters (
  name text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){0,7}$'),
  definition jsonb NOT NULL CHECK (definition ->> 'name' = name),
  created_revision integer NOT NULL REFERENCES catalog_revisions (revision),
  updated_revision integer NOT NULL REFERENCES catalog_revisions (revision)
);

-- What each revision changed: append-only, so any revision of the catalog can be rebuilt.
CREATE TABLE catalog_changes (
  revision integer NOT NULL REFERENCES catalog_revisions (revision),
  subject text NOT NULL,
  before jsonb,
  after jsonb,
  PRIMARY KEY (revision, subject)
);

CREATE TABLE catalog_policies (
  strategy_name text PRIMARY KEY CHECK (strategy_name ~ '^[A-Za-z][A-Za-z0-9_.-]{0,127}$'),
  policy text NOT NULL CHECK (policy IN ('open', 'strict')),
  revision integer NOT NULL REFERENCES catalog_revisions (revision)
);

CREATE FUNCTION catalog_history_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'catalog history is append-only' USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER catalog_revisions_guard BEFORE UPDATE OR DELETE ON catalog_revisions
  FOR EACH ROW EXECUTE FUNCTION catalog_history_guard();
CREATE TRIGGER catalog_changes_guard BEFORE UPDATE OR DELETE ON catalog_changes
  FOR EACH ROW EXECUTE FUNCTION catalog_history_guard();

-- The catalog revision a config version was validated against (NULL: created before the catalog).
ALTER TABLE config_versions ADD COLUMN catalog_revision integer REFERENCES catalog_revisions (revision);

CREATE OR REPLACE FUNCTION config_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.purge_after IS NULL OR OLD.purge_after > now() THEN
      RAISE EXCEPTION 'config version % of % is immutable: only deprecated versions past their purge time may be deleted',
        OLD.config_id, OLD.strategy_name USING ERRCODE = 'P0001';
    END IF;
    RETURN OLD;
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.strategy_name IS DISTINCT FROM OLD.strategy_name
     OR NEW.version_number IS DISTINCT FROM OLD.version_number OR NEW.config_id IS DISTINCT FROM OLD.config_id
     OR NEW.config_hash IS DISTINCT FROM OLD.config_hash OR NEW.config_data IS DISTINCT FROM OLD.config_data
     OR NEW.description IS DISTINCT FROM OLD.description OR NEW.created_by IS DISTINCT FROM OLD.created_by
     OR NEW.created_at IS DISTINCT FROM OLD.created_at OR NEW.catalog_revision IS DISTINCT FROM OLD.catalog_revision THEN
    RAISE EXCEPTION 'config version % of % is immutable', OLD.config_id, OLD.strategy_name USING ERRCODE = 'P0001';
  END IF;
  IF OLD.deprecated_at IS NOT NULL AND (NEW.deprecated_at IS DISTINCT FROM OLD.deprecated_at
     OR NEW.deprecated_by IS DISTINCT FROM OLD.deprecated_by OR NEW.deprecation_reason IS DISTINCT FROM OLD.deprecation_reason
     OR NEW.purge_after IS DISTINCT FROM OLD.purge_after) THEN
    RAISE EXCEPTION 'config version % of % is already deprecated; deprecation is terminal', OLD.config_id, OLD.strategy_name
      USING ERRCODE = 'P0001';
  END IF;
  IF NEW.deprecated_at IS NOT NULL AND EXISTS (
       SELECT 1 FROM activations WHERE config_version_id = NEW.id AND ended_at IS NULL) THEN
    RAISE EXCEPTION 'config version % of % is active; end its activations before deprecating it', OLD.config_id, OLD.strategy_name
      USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
