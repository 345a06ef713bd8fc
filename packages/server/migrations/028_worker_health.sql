-- The health figures a worker reports with its heartbeat (errors, rejected orders, drawdown since
-- the change...; names and numbers of the worker's choosing): the latest report's, shown in the
-- workers view, and what a staged rollout's guards compare canaries with the rest on.
ALTER TABLE workers ADD COLUMN health jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(health) = 'object');
