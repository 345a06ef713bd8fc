-- Cross-parameter coherence rules (CEL), changed through catalog revisions like parameters.
CREATE TABLE catalog_rules (
  name text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]*$'),
  definition jsonb NOT NULL CHECK (definition ->> 'name' = name),
  created_revision integer NOT NULL REFERENCES catalog_revisions (revision),
  updated_revision integer NOT NULL REFERENCES catalog_revisions (revision)
);
