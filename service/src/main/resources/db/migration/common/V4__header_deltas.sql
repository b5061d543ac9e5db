-- The header delta of each GIL / free-threaded toolchain pair (the abi-checker's HeaderDelta JSON, its schema per row),
-- measured once per pair of toolchains a run used; the site renders the newest (measured_at, an ISO instant) of each
-- variant pair. One statement for both databases (db/migration/common); each dialect's V4.1 makes it append-only.
CREATE TABLE header_deltas (
  gil_variant TEXT NOT NULL,
  ft_variant TEXT NOT NULL,
  gil_toolchain TEXT NOT NULL,
  ft_toolchain TEXT NOT NULL,
  schema INTEGER NOT NULL,
  measured_at TEXT NOT NULL,
  delta_json TEXT NOT NULL);
CREATE INDEX header_deltas_by_toolchains ON header_deltas(gil_toolchain, ft_toolchain, schema);
