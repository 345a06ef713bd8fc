-- The `worker` role: what a paper or live trading process needs (its configs with their secret
-- references, the stream, heartbeats) and nothing a person does (no writes, no audit, no runs).
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('viewer', 'editor', 'approver', 'admin', 'worker'));
ALTER TABLE service_tokens DROP CONSTRAINT service_tokens_roles_check;
ALTER TABLE service_tokens ADD CONSTRAINT service_tokens_roles_check
  CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['viewer', 'editor', 'approver', 'admin', 'worker']);
