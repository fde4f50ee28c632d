-- Console additions for exactly-once projection (ARCHITECTURE "Data flow rules", Q4, Q6, Q17).

-- Settings that must survive restarts (install id = default durable-consumer prefix, ...).
CREATE TABLE console_settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Last stream sequence applied per projector, written in the same transaction as the rows.
CREATE TABLE projector_offsets (
  projector  TEXT PRIMARY KEY,
  stream     TEXT NOT NULL,
  consumer   TEXT NOT NULL,
  last_seq   INTEGER NOT NULL DEFAULT 0,
  updated_at TIMESTAMP NOT NULL
);

-- Payloads that could not be decoded or applied: kept, visible, never silently dropped.
CREATE TABLE dead_letters (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  projector  TEXT NOT NULL,
  stream     TEXT NOT NULL,
  stream_seq INTEGER,
  subject    TEXT NOT NULL,
  payload    BLOB NOT NULL,
  error      TEXT NOT NULL,
  deliveries INTEGER NOT NULL DEFAULT 1,
  created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX idx_dead_letters_seq ON dead_letters (projector, stream_seq) WHERE stream_seq IS NOT NULL;
CREATE INDEX idx_dead_letters_created ON dead_letters (created_at DESC);

-- Q4: audit rows are deduplicated by stream sequence.
ALTER TABLE audit_log ADD COLUMN stream_seq INTEGER;
CREATE UNIQUE INDEX idx_audit_stream_seq ON audit_log (stream_seq) WHERE stream_seq IS NOT NULL;
CREATE INDEX idx_audit_occurred ON audit_log (occurred_at DESC);

-- Q17: liveness is judged on the console's own receive time.
ALTER TABLE agents ADD COLUMN last_seen_at TIMESTAMP;
CREATE INDEX idx_agents_last_seen ON agents (last_seen_at DESC);

CREATE INDEX idx_execution_results_recorded ON execution_results (recorded_at DESC);
CREATE INDEX idx_executions_initiated ON executions (initiated_at DESC);
CREATE INDEX idx_executions_status ON executions (status, initiated_at);
