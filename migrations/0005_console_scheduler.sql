-- Scheduler state (issue 6, reference Q10): what the console's scheduler did with each
-- backend schedule. The definitions stay in KV `schedules`; this table only says which tick
-- was handled last, so a restart never fires the same tick twice and missed ticks are seen.
--
-- registered_at  when the console first armed the schedule (or re-armed it after a live edit):
--                ticks before it were never the console's to fire, so catch-up ignores them.
-- last_tick_at   the tick instant handled last (claimed BEFORE dispatching; never handled twice).
-- last_outcome   what happened to that tick: dispatching (claimed, in progress) | fired | skipped
--                (fire policy) | job_missing | failed | misfire_fired | misfire_skipped | interrupted.
-- last_message   why it did not fire, or the error text; NULL when it fired normally.
-- last_fire_at   the tick instant of the last tick that created an exec, with its exec id.
-- invalid_reason why the schedule cannot be registered (bad cron, time zone, duration…), NULL when valid.
CREATE TABLE schedule_state (
  schedule_id    TEXT PRIMARY KEY,
  registered_at  TIMESTAMP,
  last_tick_at   TIMESTAMP,
  last_outcome   TEXT,
  last_message   TEXT,
  last_fire_at   TIMESTAMP,
  last_exec_id   TEXT,
  invalid_reason TEXT,
  updated_at     TIMESTAMP NOT NULL
);
