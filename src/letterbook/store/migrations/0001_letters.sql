-- The letters and what they are made of: source files, people and organisations, places,
-- links, notes, and the sequence of changes that the search index follows.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT
) WITHOUT ROWID;

-- One row a source file. status: 'reading' while its letters are written (a crash can leave it
-- so, and the next ingest reads it again), 'done' once read to its end, 'failed' with a problem.
CREATE TABLE files (
    id      INTEGER PRIMARY KEY,
    path    TEXT NOT NULL UNIQUE,
    sha256  TEXT,
    size    INTEGER,
    format  TEXT,
    letters INTEGER NOT NULL DEFAULT 0,
    status  TEXT NOT NULL DEFAULT 'reading' CHECK (status IN ('reading', 'done', 'failed')),
    problem TEXT,
    read_at TEXT
);

-- A person or an organisation, one row per name, kind and authority reference.
CREATE TABLE agents (
    id   INTEGER PRIMARY KEY,
    kind TEXT NOT NULL DEFAULT 'person',
    name TEXT NOT NULL,
    ref  TEXT NOT NULL DEFAULT '',
    UNIQUE (name, kind, ref)
);

CREATE TABLE places (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    ref  TEXT NOT NULL DEFAULT '',
    UNIQUE (name, ref)
);

-- num is the letter's row number, for joins; id is the id people see and cite. id_given = 1 when
-- the source gave the id (a JSON Lines "id"), which then identifies the letter; otherwise the
-- letter is identified by its source path and part, and its id was made here ("L" + num).
-- source_path is NULL when it is the path of the file the letter was read from (nearly always:
-- the file's path is kept once, in files); it is set for letters a JSON Lines file carries from
-- elsewhere (the output of `letterbook extract --jsonl`).
-- digest: a hash of the letter as last read automatically, so an unchanged reading writes nothing.
-- raw_text_zlib: the text the letter was read from, UTF-8 compressed with zlib (it is read rarely,
-- and as large as all the other columns together).
CREATE TABLE letters (
    num                    INTEGER PRIMARY KEY,
    id                     TEXT NOT NULL UNIQUE,
    id_given               INTEGER NOT NULL DEFAULT 0,
    file                   INTEGER REFERENCES files(id),
    source_path            TEXT,
    part                   INTEGER NOT NULL DEFAULT 0,
    source_format          TEXT,
    source_sha256          TEXT,
    source_reference       TEXT,
    title                  TEXT,
    kind                   TEXT,
    date_when              TEXT,
    date_not_before        TEXT,
    date_not_after         TEXT,
    date_as_written        TEXT,
    date_certainty         TEXT,
    date_calendar          TEXT,
    date_sort              TEXT,
    place                  INTEGER REFERENCES places(id),
    place_as_written       TEXT,
    destination            INTEGER REFERENCES places(id),
    destination_as_written TEXT,
    collection_title       TEXT,
    collection_volume      TEXT,
    collection_number      TEXT,
    series                 TEXT,
    classification         TEXT,
    salutation             TEXT,
    body                   TEXT,
    body_json              TEXT,
    closing                TEXT,
    signature              TEXT,
    dateline               TEXT,
    postscript             TEXT,
    address                TEXT,
    language               TEXT,
    raw_text_zlib          BLOB,
    digest                 BLOB NOT NULL,
    withdrawn_at           TEXT
);
CREATE INDEX letters_file ON letters (file, part, withdrawn_at);
CREATE INDEX letters_source ON letters (source_path, part) WHERE source_path IS NOT NULL;
CREATE INDEX letters_date ON letters (date_sort);
CREATE INDEX letters_withdrawn ON letters (withdrawn_at) WHERE withdrawn_at IS NOT NULL;

-- Who wrote and received a letter, and whom it mentions; position keeps their order.
-- office is the role the letter gives them ("High Commissioner in London").
CREATE TABLE letter_agents (
    letter     INTEGER NOT NULL REFERENCES letters(num),
    role       TEXT NOT NULL CHECK (role IN ('sender', 'co_sender', 'recipient', 'mentioned')),
    position   INTEGER NOT NULL,
    agent      INTEGER NOT NULL REFERENCES agents(id),
    as_written TEXT,
    office     TEXT,
    PRIMARY KEY (letter, role, position)
) WITHOUT ROWID;
CREATE INDEX letter_agents_agent ON letter_agents (agent, role);

-- Places a letter mentions (its own place and destination are columns of letters).
CREATE TABLE letter_places (
    letter     INTEGER NOT NULL REFERENCES letters(num),
    position   INTEGER NOT NULL,
    place      INTEGER NOT NULL REFERENCES places(id),
    as_written TEXT,
    PRIMARY KEY (letter, position)
) WITHOUT ROWID;

CREATE TABLE links (
    letter     INTEGER NOT NULL REFERENCES letters(num),
    position   INTEGER NOT NULL,
    rel        TEXT NOT NULL,
    target     TEXT,
    label      TEXT,
    evidence   TEXT,
    confidence REAL,
    PRIMARY KEY (letter, position)
) WITHOUT ROWID;

CREATE TABLE notes (
    letter   INTEGER NOT NULL REFERENCES letters(num),
    position INTEGER NOT NULL,
    text     TEXT NOT NULL,
    label    TEXT,
    kind     TEXT,
    PRIMARY KEY (letter, position)
) WITHOUT ROWID;

-- Every change to a letter, numbered: the search index records the number it has reached.
CREATE TABLE changes (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    letter INTEGER NOT NULL REFERENCES letters(num),
    kind   TEXT NOT NULL CHECK (kind IN ('new', 'updated', 'withdrawn', 'restored', 'edited')),
    at     TEXT NOT NULL,
    file   INTEGER REFERENCES files(id)
);
CREATE INDEX changes_letter ON changes (letter);
