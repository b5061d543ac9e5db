-- Published wheels (ftm wheels, ftm deps): one row per (project, release, variant) each time it is checked, so the
-- history shows when a project's wheel became ready. Append-only like the results.
CREATE TABLE IF NOT EXISTS wheel_results (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
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
CREATE INDEX IF NOT EXISTS wheel_results_by_project ON wheel_results(project, variant, id);
CREATE INDEX IF NOT EXISTS wheel_results_by_key ON wheel_results(project, version, variant, toolchain);
CREATE TRIGGER IF NOT EXISTS wheel_results_no_update BEFORE UPDATE ON wheel_results
  BEGIN SELECT RAISE(ABORT, 'results are append-only'); END;
CREATE TRIGGER IF NOT EXISTS wheel_results_no_delete BEFORE DELETE ON wheel_results
  BEGIN SELECT RAISE(ABORT, 'results are append-only'); END;
