-- Projector retry ledger (Q6). A message whose apply failed is nak'd so JetStream redelivers
-- it, while the batch it came in still moves projector_offsets.last_seq past it. This row
-- says the message is still owed: a redelivery at or below the offset is applied (not
-- skipped) when its sequence is listed here. Removed when it applies or is dead-lettered.
CREATE TABLE projector_retries (
  projector  TEXT NOT NULL,
  stream_seq INTEGER NOT NULL,
  subject    TEXT NOT NULL,
  attempts   INTEGER NOT NULL,
  last_error TEXT NOT NULL,
  updated_at TIMESTAMP NOT NULL,
  PRIMARY KEY (projector, stream_seq)
);
