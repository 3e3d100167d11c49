-- Leaf hashes as one blob per version (32 bytes per leaf, in leaf order) instead of one row per leaf: a publish
-- writes one row here rather than one per triple, and a proof reads one row.
CREATE TABLE leaf_hashes (
  version_id INTEGER PRIMARY KEY,
  hashes     BLOB    NOT NULL
);
INSERT INTO leaf_hashes (version_id, hashes)
  SELECT version_id, unhex(group_concat(hex(hash), '' ORDER BY idx)) FROM leaves GROUP BY version_id;
DROP TABLE leaves;
