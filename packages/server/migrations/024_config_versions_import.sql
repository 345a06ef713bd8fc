-- Imports of the legacy config-versions registry (DynamoDB items and the strategies' YAML files):
-- one import record per strategy, as legacy-db imports have.
ALTER TABLE imports DROP CONSTRAINT imports_kind_check;
ALTER TABLE imports ADD CONSTRAINT imports_kind_check CHECK (kind IN ('legacy-db', 'config-versions'));
