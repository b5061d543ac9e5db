-- The header delta of each GIL / free-threaded toolchain pair: see the SQLite migration of the same version.
-- Append-only like results: triggers refuse UPDATE, DELETE and TRUNCATE.
CREATE TABLE header_deltas (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  gil_variant TEXT NOT NULL,
  ft_variant TEXT NOT NULL,
  gil_toolchain TEXT NOT NULL,
  ft_toolchain TEXT NOT NULL,
  schema INTEGER NOT NULL,
  measured_at TEXT NOT NULL,
  delta_json TEXT NOT NULL);
CREATE INDEX header_deltas_by_toolchains ON header_deltas(gil_toolchain, ft_toolchain, schema);
CREATE TRIGGER header_deltas_append_only BEFORE UPDATE OR DELETE ON header_deltas
  FOR EACH ROW EXECUTE FUNCTION ftm_results_append_only();
CREATE TRIGGER header_deltas_no_truncate BEFORE TRUNCATE ON header_deltas
  FOR EACH STATEMENT EXECUTE FUNCTION ftm_results_append_only();
