-- Header deltas are append-only like results: triggers refuse UPDATE, DELETE and TRUNCATE.
CREATE TRIGGER header_deltas_append_only BEFORE UPDATE OR DELETE ON header_deltas
  FOR EACH ROW EXECUTE FUNCTION ftm_results_append_only();
CREATE TRIGGER header_deltas_no_truncate BEFORE TRUNCATE ON header_deltas
  FOR EACH STATEMENT EXECUTE FUNCTION ftm_results_append_only();
