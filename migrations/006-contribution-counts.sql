-- One contribution row per (answer, asset version, time) with the number of that version's citations the answer
-- served, instead of one row per citation: a GraphQL page of 50 facts of one entity wrote 50 rows, now one.
-- Rows written before this migration keep counting one citation each.
ALTER TABLE contributions ADD COLUMN citations INTEGER NOT NULL DEFAULT 1;
