-- The result store as ftm kept it before versioned migrations (an existing store is baselined at this version).
-- Append-only: triggers refuse UPDATE and DELETE of results.
CREATE TABLE IF NOT EXISTS results (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  project TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  stored_at TEXT NOT NULL,
  schema INTEGER NOT NULL,
  result_json TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS results_by_project ON results(project, id);
CREATE TABLE IF NOT EXISTS variant_results (
  result_id INTEGER NOT NULL REFERENCES results(id),
  project TEXT NOT NULL,
  variant TEXT NOT NULL,
  toolchain TEXT NOT NULL,
  verdict TEXT NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (result_id, variant));
CREATE INDEX IF NOT EXISTS variant_results_by_project ON variant_results(project, variant, result_id);
CREATE TRIGGER IF NOT EXISTS results_no_update BEFORE UPDATE ON results
  BEGIN SELECT RAISE(ABORT, 'results are append-only'); END;
CREATE TRIGGER IF NOT EXISTS results_no_delete BEFORE DELETE ON results
  BEGIN SELECT RAISE(ABORT, 'results are append-only'); END;
CREATE TRIGGER IF NOT EXISTS variant_results_no_update BEFORE UPDATE ON variant_results
  BEGIN SELECT RAISE(ABORT, 'results are append-only'); END;
CREATE TRIGGER IF NOT EXISTS variant_results_no_delete BEFORE DELETE ON variant_results
  BEGIN SELECT RAISE(ABORT, 'results are append-only'); END;
