-- Control plane (issue 5): what an exec recorded before it published (Q15), and the wave
-- publishes that must survive a restart (Q10).

-- One request_id per exec (Q13), the subjects it planned and those actually published, the
-- publish error of a partial failure (status 'failed'), and the inputs it was built from.
ALTER TABLE executions ADD COLUMN request_id TEXT;
ALTER TABLE executions ADD COLUMN subjects_json TEXT;
ALTER TABLE executions ADD COLUMN published_json TEXT;
ALTER TABLE executions ADD COLUMN publish_error TEXT;
ALTER TABLE executions ADD COLUMN plan_json TEXT;
ALTER TABLE executions ADD COLUMN expected_pcs_json TEXT;
ALTER TABLE executions ADD COLUMN deadline_at TIMESTAMP;
ALTER TABLE executions ADD COLUMN schedule_id TEXT;
CREATE INDEX idx_executions_request ON executions (request_id) WHERE request_id IS NOT NULL;

-- Delayed waves of a rollout: the exact Command bytes, published when due_at passes, also
-- after a restart (overdue rows are published at start). status: pending | published |
-- cancelled (kill, or an earlier wave failed).
CREATE TABLE pending_wave_publishes (
  exec_id      TEXT NOT NULL,
  wave_index   INTEGER NOT NULL,
  subject      TEXT NOT NULL,
  command_json TEXT NOT NULL,
  due_at       TIMESTAMP NOT NULL,
  status       TEXT NOT NULL DEFAULT 'pending',
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT,
  published_at TIMESTAMP,
  created_at   TIMESTAMP NOT NULL,
  PRIMARY KEY (exec_id, wave_index)
);
CREATE INDEX idx_pending_waves_due ON pending_wave_publishes (due_at) WHERE status = 'pending';
