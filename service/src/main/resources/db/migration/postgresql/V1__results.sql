-- The result store (the same tables as the SQLite store's). Append-only: triggers refuse UPDATE, DELETE and
-- TRUNCATE of results.
CREATE TABLE results (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  project TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  stored_at TEXT NOT NULL,
  schema INTEGER NOT NULL,
  result_json TEXT NOT NULL);
CREATE INDEX results_by_project ON results(project, id);
CREATE TABLE variant_results (
  result_id BIGINT NOT NULL REFERENCES results(id),
  project TEXT NOT NULL,
  variant TEXT NOT NULL,
  toolchain TEXT NOT NULL,
  verdict TEXT NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (result_id, variant));
CREATE INDEX variant_results_by_project ON variant_results(project, variant, result_id);
CREATE FUNCTION ftm_results_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'results are append-only (% on %)', TG_OP, TG_TABLE_NAME;
END $$;
CREATE TRIGGER results_append_only BEFORE UPDATE OR DELETE ON results
  FOR EACH ROW EXECUTE FUNCTION ftm_results_append_only();
CREATE TRIGGER results_no_truncate BEFORE TRUNCATE ON results
  FOR EACH STATEMENT EXECUTE FUNCTION ftm_results_append_only();
CREATE TRIGGER variant_results_append_only BEFORE UPDATE OR DELETE ON variant_results
  FOR EACH ROW EXECUTE FUNCTION ftm_results_append_only();
CREATE TRIGGER variant_results_no_truncate BEFORE TRUNCATE ON variant_results
  FOR EACH STATEMENT EXECUTE FUNCTION ftm_results_append_only();
