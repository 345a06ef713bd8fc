-- Strategies, environments, immutable content-addressed config versions, and the history of
-- activations that says which version is active in which environment.

CREATE TABLE environments (
  name text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9-]{0,31}$'),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per strategy; its counter hands out gapless version numbers (the row lock also
-- serialises concurrent creates and activations of one strategy).
CREATE TABLE strategies (
  name text PRIMARY KEY CHECK (name ~ '^[A-Za-z][A-Za-z0-9_.-]{0,127}$'),
  last_version_number integer NOT NULL DEFAULT 0 CHECK (last_version_number >= 0),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE config_versions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  strategy_name text NOT NULL REFERENCES strategies (name),
  version_number integer NOT NULL CHECK (version_number > 0),
  config_hash text NOT NULL CHECK (config_hash ~ '^[0-9a-f]{64}$'),
  config_id text NOT NULL,
  config_data jsonb NOT NULL CHECK (jsonb_typeof(config_data) = 'object'),
  description text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- explicit deprecation: terminal in every environment
  deprecated_at timestamptz,
  deprecated_by text,
  deprecation_reason text,
  purge_after timestamptz,
  UNIQUE (strategy_name, version_number),
  UNIQUE (strategy_name, config_id),
  CHECK (config_id = 'v' || version_number || '-' || left(config_hash, 8)),
  CHECK ((deprecated_at IS NULL) = (deprecated_by IS NULL)),
  CHECK ((deprecated_at IS NULL) = (purge_after IS NULL))
);

-- Dedup backstop: one live (not explicitly deprecated) version per content and strategy.
CREATE UNIQUE INDEX config_versions_one_live_per_content
  ON config_versions (strategy_name, config_hash) WHERE deprecated_at IS NULL;

CREATE TABLE activations (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  strategy_name text NOT NULL REFERENCES strategies (name),
  environment text NOT NULL REFERENCES environments (name),
  -- NULL once the version has been purged; config_id keeps the history readable.
  config_version_id bigint REFERENCES config_versions (id) ON DELETE SET NULL,
  config_id text NOT NULL,
  activated_at timestamptz NOT NULL DEFAULT now(),
  activated_by text NOT NULL,
  ended_at timestamptz,
  ended_by text,
  end_reason text CHECK (end_reason IN ('superseded', 'deprecated')),
  superseded_by text,
  CHECK ((ended_at IS NULL) = (end_reason IS NULL)),
  CHECK ((ended_at IS NULL) = (ended_by IS NULL)),
  CHECK ((superseded_by IS NOT NULL) = (end_reason IS NOT DISTINCT FROM 'superseded'))
);

-- The invariant: at most one active version per (strategy, environment).
CREATE UNIQUE INDEX activations_one_active
  ON activations (strategy_name, environment) WHERE ended_at IS NULL;
CREATE INDEX activations_by_version ON activations (config_version_id, environment, id DESC);

-- Whether anything (a run, ...) still needs a version; later features redefine it. The purge
-- never removes a referenced version.
CREATE FUNCTION config_version_is_referenced(version_id bigint) RETURNS boolean
  LANGUAGE sql STABLE AS $$ SELECT false $$;

-- Content is immutable. The only changes allowed: explicit deprecation (once), and deletion by
-- the purge of a version whose purge time has passed.
CREATE FUNCTION config_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
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
     OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
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

CREATE TRIGGER config_versions_guard BEFORE UPDATE OR DELETE ON config_versions
  FOR EACH ROW EXECUTE FUNCTION config_versions_guard();

-- Activation history is kept: rows are never deleted, and an activation may only be ended
-- once (or lose its version link when that version is purged).
CREATE FUNCTION activations_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'activation history is append-only' USING ERRCODE = 'P0001';
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF EXISTS (SELECT 1 FROM config_versions WHERE id = NEW.config_version_id AND deprecated_at IS NOT NULL) THEN
      RAISE EXCEPTION 'config version % is deprecated and cannot be activated', NEW.config_id USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.strategy_name IS DISTINCT FROM OLD.strategy_name
     OR NEW.environment IS DISTINCT FROM OLD.environment OR NEW.config_id IS DISTINCT FROM OLD.config_id
     OR NEW.activated_at IS DISTINCT FROM OLD.activated_at OR NEW.activated_by IS DISTINCT FROM OLD.activated_by
     OR (NEW.config_version_id IS DISTINCT FROM OLD.config_version_id AND NEW.config_version_id IS NOT NULL)
     OR (OLD.ended_at IS NOT NULL AND (NEW.ended_at IS DISTINCT FROM OLD.ended_at OR NEW.ended_by IS DISTINCT FROM OLD.ended_by
         OR NEW.end_reason IS DISTINCT FROM OLD.end_reason OR NEW.superseded_by IS DISTINCT FROM OLD.superseded_by)) THEN
    RAISE EXCEPTION 'activation history is append-only' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER activations_guard BEFORE INSERT OR UPDATE OR DELETE ON activations
  FOR EACH ROW EXECUTE FUNCTION activations_guard();
