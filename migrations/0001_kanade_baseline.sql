-- kanade-backend 0.30 tables (migrations 0001–0004 of kanade), same names and columns.
-- Console rule Q3: timestamps are RFC 3339 UTC `…SS.mmmZ`; defaults render that form too.

CREATE TABLE agents (
  pc_id          TEXT PRIMARY KEY,
  hostname       TEXT,
  last_heartbeat TIMESTAMP,
  agent_version  TEXT,
  os_family      TEXT,
  updated_at     TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX idx_agents_heartbeat ON agents (last_heartbeat DESC);

CREATE TABLE execution_results (
  result_id   TEXT PRIMARY KEY,
  request_id  TEXT NOT NULL,
  exec_id     TEXT,
  pc_id       TEXT NOT NULL,
  exit_code   INTEGER,
  stdout      TEXT NOT NULL DEFAULT '',
  stderr      TEXT NOT NULL DEFAULT '',
  started_at  TIMESTAMP NOT NULL,
  finished_at TIMESTAMP,
  recorded_at TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  job_id      TEXT,
  version     TEXT
);
CREATE INDEX idx_execution_results_pc ON execution_results (pc_id, recorded_at DESC);
CREATE INDEX idx_execution_results_job ON execution_results (job_id, pc_id, finished_at DESC) WHERE job_id IS NOT NULL;
CREATE INDEX idx_execution_results_exec ON execution_results (exec_id, recorded_at DESC) WHERE exec_id IS NOT NULL;
CREATE INDEX idx_execution_results_request ON execution_results (request_id);
CREATE INDEX idx_execution_results_inflight ON execution_results (started_at DESC) WHERE finished_at IS NULL;

CREATE TABLE executions (
  exec_id       TEXT PRIMARY KEY,
  job_id        TEXT NOT NULL,
  version       TEXT NOT NULL,
  initiated_by  TEXT NOT NULL,
  initiated_at  TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  target_count  INTEGER NOT NULL,
  success_count INTEGER NOT NULL DEFAULT 0,
  failure_count INTEGER NOT NULL DEFAULT 0,
  status        TEXT NOT NULL DEFAULT 'pending'
);
CREATE INDEX idx_executions_job ON executions (job_id, initiated_at DESC);

CREATE TABLE inventory_facts (
  pc_id        TEXT NOT NULL,
  job_id       TEXT NOT NULL,
  facts_json   TEXT NOT NULL,
  display_json TEXT,
  summary_json TEXT,
  collected_at TIMESTAMP,
  recorded_at  TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (pc_id, job_id)
);
CREATE INDEX idx_inventory_facts_pc ON inventory_facts (pc_id);
CREATE INDEX idx_inventory_facts_job ON inventory_facts (job_id);

CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  target      TEXT,
  payload     TEXT,
  occurred_at TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX idx_audit_actor ON audit_log (actor, occurred_at);
CREATE INDEX idx_audit_action ON audit_log (action, occurred_at);
