-- Console additions for retention and the in-flight reaper (issue 10).

-- Output cap: 1 when stdout or stderr was cut to the per-stream cap before storing;
-- output_note says what was cut (NULL when the output is whole).
ALTER TABLE execution_results ADD COLUMN output_truncated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE execution_results ADD COLUMN output_note TEXT;

-- In-flight reaper: 1 while the row is a "lost" placeholder (exit_code -1, finished_at = reap
-- time, stderr note). A real result arriving later replaces it and clears the flag.
ALTER TABLE execution_results ADD COLUMN lost INTEGER NOT NULL DEFAULT 0;
CREATE INDEX idx_execution_results_lost ON execution_results (recorded_at DESC) WHERE lost = 1;
