-- A copy of the KV buckets the dashboard reads (job catalog, schedules, script status and pins,
-- agent groups, config scopes), kept by the kv-mirror subsystem while the console runs, so a
-- database file opened for offline review (no broker) still shows them. KV stays the truth:
-- the control plane never reads this table.
--
-- value       the entry's bytes as UTF-8 text (every mirrored bucket holds JSON or plain text)
-- revision    the KV revision (stream sequence) of that value
-- updated_at  when the value was written to KV (the broker's message time)
CREATE TABLE kv_mirror (
  bucket     TEXT NOT NULL,
  key        TEXT NOT NULL,
  value      TEXT NOT NULL,
  revision   INTEGER NOT NULL,
  updated_at TIMESTAMP NOT NULL,
  PRIMARY KEY (bucket, key)
) WITHOUT ROWID;

-- One row per bucket once it was copied whole: a bucket without a row was never mirrored
-- (a file written before 0007, or a console that never reached the broker), which is not the
-- same as an empty bucket.
CREATE TABLE kv_mirror_sync (
  bucket    TEXT PRIMARY KEY,
  synced_at TIMESTAMP NOT NULL
);
