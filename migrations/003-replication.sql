-- Replication receipts: a peer's signed statement that it verified and stored a version (docs/protocol.md).
CREATE TABLE receipts (
  version_id INTEGER NOT NULL REFERENCES versions (id),
  peer       TEXT    NOT NULL,
  node       TEXT    NOT NULL,
  time       TEXT    NOT NULL,
  signature  TEXT    NOT NULL,
  PRIMARY KEY (version_id, peer)
) WITHOUT ROWID;
