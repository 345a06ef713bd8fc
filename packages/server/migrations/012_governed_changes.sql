-- One governed change path (docs/decisions/007-governed-changes.md): change requests for every
-- change that needs four eyes, bound to the hash of its effect; approvals counted in people; and
-- an environment that has an active version never loses it.

-- Who a credential acts for. A token acts for the person who created it; none: nobody (it can
-- never approve). Existing tokens: their creator when that is a user.
ALTER TABLE service_tokens ADD COLUMN person text;
UPDATE service_tokens t SET person = t.created_by WHERE EXISTS (SELECT 1 FROM users u WHERE u.username = t.created_by);
UPDATE service_tokens t SET person = c.person
  FROM service_tokens c WHERE t.person IS NULL AND t.created_by = 'token:' || c.name;

-- A change request now carries any governed change: the command that re-runs it, and the effect
-- (resolved configs before and after, governance changed) it is bound to.
ALTER TABLE change_requests DISABLE TRIGGER change_requests_guard;
ALTER TABLE change_requests DROP CONSTRAINT change_requests_kind_check;
ALTER TABLE change_requests ADD CONSTRAINT change_requests_kind_check
  CHECK (kind IN ('activation', 'promotion', 'environment_base', 'environment_policy', 'catalog'));
ALTER TABLE change_requests
  ALTER COLUMN strategy_name DROP NOT NULL,
  ALTER COLUMN environment DROP NOT NULL,
  ALTER COLUMN config_id DROP NOT NULL,
  ALTER COLUMN config_hash DROP NOT NULL,
  ADD COLUMN environments text[] NOT NULL DEFAULT '{}',
  ADD COLUMN summary text,
  ADD COLUMN command jsonb,
  ADD COLUMN effect jsonb,
  ADD COLUMN effect_hash text CHECK (effect_hash ~ '^[0-9a-f]{64}$'),
  ADD COLUMN author_person text;
ALTER TABLE change_requests ADD CHECK (
  (kind IN ('activation', 'promotion')) = (strategy_name IS NOT NULL AND config_id IS NOT NULL AND config_hash IS NOT NULL));
UPDATE change_requests SET environments = ARRAY[environment], author_person = CASE
    WHEN author LIKE 'token:%' THEN (SELECT t.person FROM service_tokens t WHERE 'token:' || t.name = author)
    ELSE author END;
-- A request made before this migration re-runs as the activation it names; it has no effect hash
-- and stays bound, as it was, to its version's hash and the version active when it was proposed.
UPDATE change_requests SET command = jsonb_build_object('name', 'activation', 'payload', jsonb_build_object(
    'strategy', strategy_name, 'config_id', config_id, 'environment', environment, 'from', from_environment,
    'expected_active', base_config_id));
ALTER TABLE change_requests ADD CHECK (command IS NOT NULL);
ALTER TABLE change_requests ENABLE TRIGGER change_requests_guard;

CREATE OR REPLACE FUNCTION change_requests_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'change requests are kept' USING ERRCODE = 'P0001';
  END IF;
  IF OLD.status <> 'pending' OR NEW.id IS DISTINCT FROM OLD.id OR NEW.kind IS DISTINCT FROM OLD.kind
     OR NEW.strategy_name IS DISTINCT FROM OLD.strategy_name OR NEW.environment IS DISTINCT FROM OLD.environment
     OR NEW.environments IS DISTINCT FROM OLD.environments
     OR NEW.from_environment IS DISTINCT FROM OLD.from_environment OR NEW.config_id IS DISTINCT FROM OLD.config_id
     OR NEW.config_hash IS DISTINCT FROM OLD.config_hash OR NEW.base_config_id IS DISTINCT FROM OLD.base_config_id
     OR NEW.diff IS DISTINCT FROM OLD.diff OR NEW.reasons IS DISTINCT FROM OLD.reasons
     OR NEW.approvals_required IS DISTINCT FROM OLD.approvals_required OR NEW.author IS DISTINCT FROM OLD.author
     OR NEW.author_person IS DISTINCT FROM OLD.author_person OR NEW.summary IS DISTINCT FROM OLD.summary
     OR NEW.command IS DISTINCT FROM OLD.command OR NEW.effect IS DISTINCT FROM OLD.effect
     OR NEW.effect_hash IS DISTINCT FROM OLD.effect_hash
     OR NEW.created_at IS DISTINCT FROM OLD.created_at OR NEW.expires_at IS DISTINCT FROM OLD.expires_at
     OR NEW.catalog_revision IS DISTINCT FROM OLD.catalog_revision
     OR (NEW.config_version_id IS DISTINCT FROM OLD.config_version_id AND NEW.config_version_id IS NOT NULL) THEN
    RAISE EXCEPTION 'change request % can no longer change', OLD.id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;

-- Reviews name the person behind the reviewer. Four eyes, in the database too: an approval needs a
-- person, who is not the proposer, and who approves a request once, whatever credential they use.
ALTER TABLE change_request_reviews DISABLE TRIGGER change_request_reviews_guard;
ALTER TABLE change_request_reviews ADD COLUMN reviewer_person text;
UPDATE change_request_reviews SET reviewer_person = CASE
    WHEN reviewer LIKE 'token:%' THEN (SELECT t.person FROM service_tokens t WHERE 'token:' || t.name = reviewer)
    ELSE reviewer END;
ALTER TABLE change_request_reviews ENABLE TRIGGER change_request_reviews_guard;
CREATE UNIQUE INDEX change_request_reviews_one_per_person
  ON change_request_reviews (change_request_id, reviewer_person) WHERE reviewer_person IS NOT NULL;

CREATE OR REPLACE FUNCTION change_request_reviews_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  request change_requests%ROWTYPE;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    RAISE EXCEPTION 'reviews are append-only' USING ERRCODE = 'P0001';
  END IF;
  SELECT * INTO request FROM change_requests WHERE id = NEW.change_request_id;
  IF request.author = NEW.reviewer OR request.author_person = NEW.reviewer_person THEN
    RAISE EXCEPTION 'the author of change request % cannot review it', NEW.change_request_id USING ERRCODE = 'P0001';
  END IF;
  IF NEW.decision = 'approve' AND NEW.reviewer_person IS NULL THEN
    RAISE EXCEPTION 'an approval of change request % needs a person behind it', NEW.change_request_id
      USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;

-- Break-glass bypasses approvals, so allowing it now takes two people (a change request). Where
-- one person allowed it before, it is off until two people allow it again.
UPDATE environments SET break_glass_allowed = false, updated_by = 'system', updated_at = now()
  WHERE break_glass_allowed;

-- No write may leave an environment with nothing to resolve: when a transaction ends an
-- activation, the same (strategy, environment) has an active version again by its commit.
CREATE FUNCTION activations_keep_one() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.ended_at IS NULL AND NEW.ended_at IS NOT NULL AND NOT EXISTS (
       SELECT 1 FROM activations WHERE strategy_name = NEW.strategy_name AND environment = NEW.environment
         AND ended_at IS NULL) THEN
    RAISE EXCEPTION '% would be left with no active version in %', NEW.strategy_name, NEW.environment
      USING ERRCODE = 'P0001';
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER activations_keep_one AFTER UPDATE ON activations
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION activations_keep_one();
