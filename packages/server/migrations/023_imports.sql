-- Imports from the legacy configuration (issue 17). A version made from a legacy history row keeps
-- where it came from, its original author, time and comment; each import keeps its whole plan
-- (every legacy row and the version it maps to, reverts included), so nothing of the history is
-- lost even where identical rows share one content-addressed version.
ALTER TABLE config_versions
  ADD COLUMN imported_from text,
  ADD COLUMN legacy_author text,
  ADD COLUMN legacy_time timestamptz,
  ADD COLUMN legacy_comment text;

-- Where a version came from is part of it: immutable like its content.
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
     OR NEW.created_at IS DISTINCT FROM OLD.created_at OR NEW.catalog_revision IS DISTINCT FROM OLD.catalog_revision
     OR NEW.imported_from IS DISTINCT FROM OLD.imported_from OR NEW.legacy_author IS DISTINCT FROM OLD.legacy_author
     OR NEW.legacy_time IS DISTINCT FROM OLD.legacy_time OR NEW.legacy_comment IS DISTINCT FROM OLD.legacy_comment THEN
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

CREATE TABLE imports (
  id uuid PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('legacy-db')),
  -- where the rows were read from (a URL without its password, or a file name)
  source text NOT NULL,
  strategy_name text NOT NULL REFERENCES strategies (name),
  environment text NOT NULL REFERENCES environments (name),
  plan jsonb NOT NULL CHECK (jsonb_typeof(plan) = 'object'),
  applied_by text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX imports_by_time ON imports (applied_at DESC);

-- An import happened: its record is evidence, append-only.
CREATE FUNCTION imports_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'imports are append-only (%)', OLD.id USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER imports_guard BEFORE UPDATE OR DELETE ON imports FOR EACH ROW EXECUTE FUNCTION imports_guard();

-- An import that needs four eyes waits as a change request of its own kind.
ALTER TABLE change_requests DROP CONSTRAINT change_requests_kind_check;
ALTER TABLE change_requests ADD CONSTRAINT change_requests_kind_check
  CHECK (kind IN ('activation', 'promotion', 'environment_base', 'environment_policy', 'catalog', 'import'));

-- An import undone: the versions active before it are active again, the versions it made are
-- deprecated (their history stays). Once per import, append-only.
CREATE TABLE import_undos (
  import_id uuid PRIMARY KEY REFERENCES imports (id),
  undone_by text NOT NULL,
  undone_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TRIGGER import_undos_guard BEFORE UPDATE OR DELETE ON import_undos FOR EACH ROW EXECUTE FUNCTION imports_guard();
