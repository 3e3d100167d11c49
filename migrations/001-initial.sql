-- Cairn store of record, schema 1.
-- Terms are dictionary-encoded: every quad row is four integers.
CREATE TABLE terms (
  id       INTEGER PRIMARY KEY,
  kind     INTEGER NOT NULL,          -- 0 IRI, 1 blank node, 2 literal
  value    TEXT    NOT NULL,
  datatype TEXT    NOT NULL DEFAULT '',
  lang     TEXT    NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX terms_key ON terms (value, kind, datatype, lang);

-- Full-text index over literal values (entity search for GraphQL and RAG). rowid = terms.id.
CREATE VIRTUAL TABLE literal_fts USING fts5 (value, tokenize = 'unicode61 remove_diacritics 2');

CREATE TABLE assets (
  id              INTEGER PRIMARY KEY,
  ual             TEXT    NOT NULL UNIQUE,
  network         TEXT    NOT NULL,
  publisher       TEXT    NOT NULL,
  asset_id        TEXT    NOT NULL,
  current_version INTEGER NOT NULL,
  created_at      TEXT    NOT NULL,
  updated_at      TEXT    NOT NULL
);
CREATE INDEX assets_publisher ON assets (publisher, id);

CREATE TABLE versions (
  id            INTEGER PRIMARY KEY,
  asset         INTEGER NOT NULL REFERENCES assets (id),
  version       INTEGER NOT NULL,
  graph         INTEGER NOT NULL REFERENCES terms (id),  -- the version IRI, as a term
  root          BLOB    NOT NULL,
  previous_root BLOB,
  signature     TEXT    NOT NULL,
  signed_at     TEXT    NOT NULL,   -- the timestamp inside the signed claim
  source_name   TEXT,
  triple_count  INTEGER NOT NULL,
  anchor        TEXT,               -- JSON AnchorProof; NULL while pending (asynchronous anchors)
  is_current    INTEGER NOT NULL,
  stored_at     TEXT    NOT NULL,
  UNIQUE (asset, version)
);
CREATE INDEX versions_root ON versions (root);
CREATE INDEX versions_current ON versions (is_current, asset);

-- Leaf hashes in leaf order: inclusion proofs are built from these without re-parsing.
CREATE TABLE leaves (
  version_id INTEGER NOT NULL,
  idx        INTEGER NOT NULL,
  hash       BLOB    NOT NULL,
  PRIMARY KEY (version_id, idx)
) WITHOUT ROWID;

-- One row per triple of a version (skolemized terms), keyed by its leaf index.
CREATE TABLE quads (
  version_id INTEGER NOT NULL,
  idx        INTEGER NOT NULL,
  s          INTEGER NOT NULL,
  p          INTEGER NOT NULL,
  o          INTEGER NOT NULL,
  PRIMARY KEY (version_id, idx)
) WITHOUT ROWID;
CREATE INDEX quads_spo ON quads (s, p, o);
CREATE INDEX quads_pos ON quads (p, o);
CREATE INDEX quads_osp ON quads (o, s);

-- The embedded anchor ledger: append-only, hash-chained, each entry signed by the node key.
CREATE TABLE ledger (
  height     INTEGER PRIMARY KEY,
  prev_hash  TEXT    NOT NULL,
  batch_root TEXT    NOT NULL,
  count      INTEGER NOT NULL,
  timestamp  TEXT    NOT NULL,
  signer     TEXT    NOT NULL,
  hash       TEXT    NOT NULL UNIQUE,
  signature  TEXT    NOT NULL
);

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
