-- Idempotency-Key on POSTs: a client that retries a request it got no answer to (a timeout, a lost
-- connection, a 503) sends the same key, and gets the first answer instead of a second effect.
-- The key is claimed in the transaction of the change the request makes (so the effect and the
-- claim commit together, or neither does); the answer is stored once it is sent.
CREATE TABLE idempotency_keys (
  -- the credential that sent it: keys are scoped to who sends them
  credential text NOT NULL,
  key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  -- SHA-256 of the method, path and body: the same key with another request is refused
  fingerprint text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
  method text NOT NULL,
  path text NOT NULL,
  -- the request that claimed it (a request may commit several changes)
  request_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- the answer, once sent (NULL: in progress, or the answer was lost)
  status integer CHECK (status IS NULL OR status BETWEEN 200 AND 499),
  content_type text,
  body text,
  PRIMARY KEY (credential, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
