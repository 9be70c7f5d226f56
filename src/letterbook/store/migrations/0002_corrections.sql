-- Corrections by people: which fields a person set (they win over every later automatic
-- reading, whose value is kept beside them in auto_value), and the history of every change.
-- Values are the field's JSON form (letterbook.fields).

CREATE TABLE edits (
    letter     INTEGER NOT NULL REFERENCES letters(num),
    field      TEXT NOT NULL,
    value      TEXT,
    auto_value TEXT,
    editor     TEXT NOT NULL,
    at         TEXT NOT NULL,
    PRIMARY KEY (letter, field)
) WITHOUT ROWID;

CREATE TABLE history (
    id     INTEGER PRIMARY KEY,
    letter INTEGER NOT NULL REFERENCES letters(num),
    field  TEXT NOT NULL,
    old    TEXT,
    new    TEXT,
    editor TEXT NOT NULL,
    at     TEXT NOT NULL
);
CREATE INDEX history_letter ON history (letter, id);
