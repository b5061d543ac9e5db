-- The header delta of each GIL / free-threaded toolchain pair (the abi-checker's HeaderDelta JSON, its schema per row),
-- measured once per pair of toolchains a run used; the site renders the newest of each variant pair. Append-only like
-- results: triggers refuse UPDATE and DELETE.
CREATE TABLE header_deltas (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  gil_variant TEXT NOT NULL,
  ft_variant TEXT NOT NULL,
  gil_toolchain TEXT NOT NULL,
  ft_toolchain TEXT NOT NULL,
  schema INTEGER NOT NULL,
  measured_at TEXT NOT NULL,
  delta_json TEXT NOT NULL);
CREATE INDEX header_deltas_by_toolchains ON header_deltas(gil_toolchain, ft_toolchain, schema);
CREATE TRIGGER header_deltas_no_update BEFORE UPDATE ON header_deltas
  BEGIN SELECT RAISE(ABORT, 'header deltas are append-only'); END;
CREATE TRIGGER header_deltas_no_delete BEFORE DELETE ON header_deltas
  BEGIN SELECT RAISE(ABORT, 'header deltas are append-only'); END;
