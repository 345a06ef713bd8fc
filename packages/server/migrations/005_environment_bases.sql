-- Environment base values: a versioned set of values for every strategy in one environment.
CREATE TABLE environment_bases (
  environment text NOT NULL REFERENCES environments (name),
  revision integer NOT NULL CHECK (revision > 0),
  base_values jsonb NOT NULL CHECK (jsonb_typeof(base_values) = 'object'),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (environment, revision)
);

CREATE TRIGGER environment_bases_guard BEFORE UPDATE OR DELETE ON environment_bases
  FOR EACH ROW EXECUTE FUNCTION catalog_history_guard();
