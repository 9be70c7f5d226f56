-- Enrichment changes letters too (their mentions and links): such a change is numbered in the
-- sequence with the kind 'enriched', so the search index and harvesters (OAI-PMH datestamps) see
-- it. A letter's history shows its readings and corrections, not these.
-- SQLite cannot change a CHECK constraint in place: the table is made again with its rows
-- (ALTER TABLE ... RENAME carries the AUTOINCREMENT counter over in sqlite_sequence).

CREATE TABLE changes_new (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    letter INTEGER NOT NULL REFERENCES letters(num),
    kind   TEXT NOT NULL CHECK (kind IN ('new', 'updated', 'withdrawn', 'restored', 'edited', 'enriched')),
    at     TEXT NOT NULL,
    file   INTEGER REFERENCES files(id)
);
INSERT INTO changes_new (seq, letter, kind, at, file) SELECT seq, letter, kind, at, file FROM changes ORDER BY seq;
DROP TABLE changes;
ALTER TABLE changes_new RENAME TO changes;
CREATE INDEX changes_letter ON changes (letter);
