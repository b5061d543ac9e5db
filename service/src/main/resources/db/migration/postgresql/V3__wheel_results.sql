-- Published wheels (ftm wheels, ftm deps): see the SQLite migration of the same version. Append-only: the triggers
-- of the results refuse UPDATE, DELETE and TRUNCATE here too.
CREATE TABLE wheel_results (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  project TEXT NOT NULL,
  version TEXT NOT NULL,
  variant TEXT NOT NULL,
  toolchain TEXT NOT NULL,
  verdict TEXT NOT NULL,
  reason TEXT NOT NULL,
  wheel TEXT NOT NULL,
  checked_at TEXT NOT NULL,
  stored_at TEXT NOT NULL,
  stages TEXT NOT NULL,
  schema INTEGER NOT NULL,
  result_json TEXT NOT NULL);
CREATE INDEX wheel_results_by_project ON wheel_results(project, variant, id);
CREATE INDEX wheel_results_by_key ON wheel_results(project, version, variant, toolchain);
CREATE TRIGGER wheel_results_append_only BEFORE UPDATE OR DELETE ON wheel_results
  FOR EACH ROW EXECUTE FUNCTION ftm_results_append_only();
CREATE TRIGGER wheel_results_no_truncate BEFORE TRUNCATE ON wheel_results
  FOR EACH STATEMENT EXECUTE FUNCTION ftm_results_append_only();
