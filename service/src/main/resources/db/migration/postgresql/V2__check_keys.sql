-- What a job is keyed by (project, fingerprint, variant, toolchain, stages): see the SQLite migration of the same
-- version.
ALTER TABLE results ADD COLUMN stages TEXT NOT NULL DEFAULT '';
CREATE INDEX variant_results_by_key ON variant_results(project, variant, toolchain);
