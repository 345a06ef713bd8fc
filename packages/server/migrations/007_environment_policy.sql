-- Environment policy (approval, promotion source, break-glass), freeze windows, and change
-- requests (four-eyes approval of activations and promotions).

ALTER TABLE environments
  ADD COLUMN requires_approval boolean NOT NULL DEFAULT false,
  ADD COLUMN approvals_required integer NOT NULL DEFAULT 1 CHECK (approvals_required BETWEEN 1 AND 10),
  ADD COLUMN promote_from text REFERENCES environments (name),
  ADD COLUMN break_glass_allowed boolean NOT NULL DEFAULT false,
  ADD COLUMN updated_by text,
  ADD COLUMN updated_at timestamptz,
  ADD CHECK (promote_from IS DISTINCT FROM name);

CREATE TABLE freeze_windows (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  environment text NOT NULL REFERENCES environments (name),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  -- one-off: [starts_at, ends_at)
  starts_at timestamptz,
  ends_at timestamptz,
  -- recurring: every start the cron expression gives (in time_zone), for duration_seconds
  cron text,
  duration_seconds integer CHECK (duration_seconds > 0),
  time_zone text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  removed_at timestamptz,
  removed_by text,
  CHECK ((starts_at IS NOT NULL AND ends_at IS NOT NULL AND ends_at > starts_at AND cron IS NULL AND duration_seconds IS NULL)
      OR (starts_at IS NULL AND ends_at IS NULL AND cron IS NOT NULL AND duration_seconds IS NOT NULL AND time_zone IS NOT NULL)),
  CHECK ((removed_at IS NULL) = (removed_by IS NULL))
);
CREATE INDEX freeze_windows_live ON freeze_windows (environment) WHERE removed_at IS NULL;

CREATE TABLE change_requests (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('activation', 'promotion')),
  strategy_name text NOT NULL REFERENCES strategies (name),
  environment text NOT NULL REFERENCES environments (name),
  from_environment text REFERENCES environments (name),
  -- the exact content it applies: a version is immutable, and the hash is checked again on apply
  config_version_id bigint REFERENCES config_versions (id) ON DELETE SET NULL,
  config_id text NOT NULL,
  config_hash text NOT NULL CHECK (config_hash ~ '^[0-9a-f]{64}$'),
  catalog_revision integer,
  -- the version active when it was proposed; if another is active on approval, the request is stale
  base_config_id text,
  diff jsonb NOT NULL,
  reasons text[] NOT NULL,
  approvals_required integer NOT NULL CHECK (approvals_required >= 1),
  author text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied', 'rejected', 'stale', 'expired')),
  closed_at timestamptz,
  closed_by text,
  break_glass_reason text,
  CHECK ((status = 'pending') = (closed_at IS NULL)),
  CHECK ((kind = 'promotion') = (from_environment IS NOT NULL))
);
CREATE INDEX change_requests_pending ON change_requests (strategy_name, environment) WHERE status = 'pending';

-- What a request applies never changes; only its status moves, once, from pending to closed.
CREATE FUNCTION change_requests_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'change requests are kept' USING ERRCODE = 'P0001';
  END IF;
  IF OLD.status <> 'pending' OR NEW.id IS DISTINCT FROM OLD.id OR NEW.kind IS DISTINCT FROM OLD.kind
     OR NEW.strategy_name IS DISTINCT FROM OLD.strategy_name OR NEW.environment IS DISTINCT FROM OLD.environment
     OR NEW.from_environment IS DISTINCT FROM OLD.from_environment OR NEW.config_id IS DISTINCT FROM OLD.config_id
     OR NEW.config_hash IS DISTINCT FROM OLD.config_hash OR NEW.base_config_id IS DISTINCT FROM OLD.base_config_id
     OR NEW.diff IS DISTINCT FROM OLD.diff OR NEW.reasons IS DISTINCT FROM OLD.reasons
     OR NEW.approvals_required IS DISTINCT FROM OLD.approvals_required OR NEW.author IS DISTINCT FROM OLD.author
     OR NEW.created_at IS DISTINCT FROM OLD.created_at OR NEW.expires_at IS DISTINCT FROM OLD.expires_at
     OR NEW.catalog_revision IS DISTINCT FROM OLD.catalog_revision
     OR (NEW.config_version_id IS DISTINCT FROM OLD.config_version_id AND NEW.config_version_id IS NOT NULL) THEN
    RAISE EXCEPTION 'change request % can no longer change', OLD.id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER change_requests_guard BEFORE UPDATE OR DELETE ON change_requests
  FOR EACH ROW EXECUTE FUNCTION change_requests_guard();

CREATE TABLE change_request_reviews (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  change_request_id bigint NOT NULL REFERENCES change_requests (id),
  reviewer text NOT NULL,
  decision text NOT NULL CHECK (decision IN ('approve', 'reject')),
  comment text,
  at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (change_request_id, reviewer)
);

-- Four eyes, enforced by the database too: nobody reviews their own request.
CREATE FUNCTION change_request_reviews_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    RAISE EXCEPTION 'reviews are append-only' USING ERRCODE = 'P0001';
  END IF;
  IF EXISTS (SELECT 1 FROM change_requests WHERE id = NEW.change_request_id AND author = NEW.reviewer) THEN
    RAISE EXCEPTION 'the author of change request % cannot review it', NEW.change_request_id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER change_request_reviews_guard BEFORE INSERT OR UPDATE OR DELETE ON change_request_reviews
  FOR EACH ROW EXECUTE FUNCTION change_request_reviews_guard();

-- Which request (if any) an activation carried out, and the override reasons it was given.
ALTER TABLE activations
  ADD COLUMN change_request_id bigint REFERENCES change_requests (id),
  ADD COLUMN freeze_override_reason text;
