-- What a job is keyed by (project, fingerprint, variant, toolchain, stages): the stage version of each result, so
-- that a retried job finds its stored result without parsing JSON. Results stored before this version say ''.
ALTER TABLE results ADD COLUMN stages TEXT NOT NULL DEFAULT '';
CREATE INDEX variant_results_by_key ON variant_results(project, variant, toolchain);
