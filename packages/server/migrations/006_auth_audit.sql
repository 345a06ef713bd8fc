-- People, their sessions, service-account tokens, and the hash-chained audit trail.

CREATE TABLE users (
  username text PRIMARY KEY CHECK (username ~ '^[a-z][a-z0-9._-]{0,63}$'),
  -- scrypt$N$r$p$salt$hash (base64url); never the password itself
  password_hash text NOT NULL CHECK (password_hash LIKE 'scrypt$%'),
  role text NOT NULL CHECK (role IN ('viewer', 'editor', 'approver', 'admin')),
  disabled boolean NOT NULL DEFAULT false,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  password_changed_at timestamptz NOT NULL DEFAULT now()
);

-- A console session (cookie) or a CLI login (bearer token). Only the SHA-256 of the secret is kept.
CREATE TABLE sessions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  secret_hash text NOT NULL UNIQUE CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
  username text NOT NULL REFERENCES users (username),
  kind text NOT NULL CHECK (kind IN ('cookie', 'token')),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ended_at timestamptz
);

-- Service accounts (CI, DAGs, workers): a token scoped to roles and, optionally, environments.
CREATE TABLE service_tokens (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE CHECK (name ~ '^[a-z][a-z0-9._-]{0,63}$'),
  secret_hash text NOT NULL UNIQUE CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
  -- the first characters of the token, so an operator can tell which one leaked
  prefix text NOT NULL,
  roles text[] NOT NULL CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['viewer', 'editor', 'approver', 'admin']),
  environments text[], -- NULL: every environment
  expires_at timestamptz NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  revoked_by text,
  last_used_at timestamptz,
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);

-- The audit trail. seq is gapless (handed out under the chain head's row lock); each entry holds
-- the previous entry's hash and its own, computed over its canonical JSON (see core/audit).
CREATE TABLE audit_entries (
  seq bigint PRIMARY KEY CHECK (seq > 0),
  at timestamptz NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  target_type text NOT NULL,
  target_id text NOT NULL,
  environment text,
  before jsonb,
  after jsonb,
  details jsonb,
  request_id text,
  client_address text,
  prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$')
);
CREATE INDEX audit_entries_by_target ON audit_entries (target_type, target_id, seq DESC);
CREATE INDEX audit_entries_by_actor ON audit_entries (actor, seq DESC);
CREATE INDEX audit_entries_by_at ON audit_entries (at);

CREATE FUNCTION audit_entries_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit trail is append-only' USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER audit_entries_guard BEFORE UPDATE OR DELETE ON audit_entries
  FOR EACH ROW EXECUTE FUNCTION audit_entries_guard();
CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
  FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_guard();

-- One row: the last entry's seq and hash. Appending locks it, so the chain is written in order.
CREATE TABLE audit_chain_head (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  seq bigint NOT NULL,
  hash text NOT NULL
);
INSERT INTO audit_chain_head (seq, hash) VALUES (0, repeat('0', 64));

-- An entry may only extend the chain: the next seq, linked to the head's hash.
CREATE FUNCTION audit_entries_link_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  head audit_chain_head%ROWTYPE;
BEGIN
  SELECT * INTO head FROM audit_chain_head;
  IF NEW.seq <> head.seq + 1 OR NEW.prev_hash <> head.hash THEN
    RAISE EXCEPTION 'audit entry % does not extend the chain (head is %)', NEW.seq, head.seq USING ERRCODE = 'P0001';
  END IF;
  UPDATE audit_chain_head SET seq = NEW.seq, hash = NEW.hash;
  RETURN NEW;
END $$;
CREATE TRIGGER audit_entries_link_check BEFORE INSERT ON audit_entries
  FOR EACH ROW EXECUTE FUNCTION audit_entries_link_check();
