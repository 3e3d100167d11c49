-- Contribution ledger (docs/retrieval.md#contributions): one row per citation served in an answer, so the
-- publishers whose knowledge grounded answers can be counted and rewarded. Append-only.
CREATE TABLE contributions (
  id           INTEGER PRIMARY KEY,
  ual          TEXT    NOT NULL,
  version      INTEGER NOT NULL,
  publisher    TEXT    NOT NULL,
  request_hash TEXT    NOT NULL,   -- the answer's request hash (docs/api.md#signed-responses)
  interface    TEXT    NOT NULL,   -- rest, graphql, mcp or cli
  time         TEXT    NOT NULL    -- ISO-8601 UTC
);
-- GET /contributions filters by publisher and/or a time window and groups by (publisher, ual).
CREATE INDEX contributions_publisher_time ON contributions (publisher, time);
CREATE INDEX contributions_time ON contributions (time);

-- Document frequency of each word of literal_fts (no storage of its own: a view over the FTS5 index). Retrieval
-- reads it to skip question words no literal contains and to search with the rarest words first.
CREATE VIRTUAL TABLE literal_fts_vocab USING fts5vocab (literal_fts, 'row');
