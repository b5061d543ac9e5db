-- Header deltas are append-only like results: triggers refuse UPDATE and DELETE.
CREATE TRIGGER header_deltas_no_update BEFORE UPDATE ON header_deltas
  BEGIN SELECT RAISE(ABORT, 'header deltas are append-only'); END;
CREATE TRIGGER header_deltas_no_delete BEFORE DELETE ON header_deltas
  BEGIN SELECT RAISE(ABORT, 'header deltas are append-only'); END;
