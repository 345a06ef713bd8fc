-- The legacy mirror: a replica records how far it got only under the lease it took (its token), so
-- a replica whose lease ran out cannot overwrite another's progress; and one enabled mirror per
-- environment and legacy table, since two would overwrite each other's one row.
ALTER TABLE legacy_mirror_state ADD COLUMN lease_token text;
CREATE UNIQUE INDEX legacy_mirrors_one_writer ON legacy_mirrors (environment, (target ->> 'table')) WHERE enabled;
