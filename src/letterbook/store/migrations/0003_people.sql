-- What enrichment learns from all the letters together (letterbook.enrich): person and place
-- records, which letters each is a party to, is named in or was written at, and the editors'
-- corrections of the people, replayed on every enrichment run. Computed links between letters
-- (reply-to, prev-in-correspondence ...) live in the links table of 0001, with their evidence
-- and confidence. Authority URIs and other names are JSON arrays of strings.

-- A person or an organisation; id is stable across enrichment runs (people cite it).
CREATE TABLE persons (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'organisation')),
    authority  TEXT NOT NULL DEFAULT '[]',
    confidence REAL,
    reason     TEXT
);

-- Every form a person's name is written in, and how often;
-- key is the form folded (no capitals, no accents): what from:, to: and mentions: compare.
CREATE TABLE person_forms (
    person TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    form   TEXT NOT NULL,
    key    TEXT NOT NULL,
    count  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (person, form)
);
CREATE INDEX person_forms_key ON person_forms (key);

-- Who wrote, received and is named in a letter, as enrichment resolved them; form as written.
CREATE TABLE letter_persons (
    letter     INTEGER NOT NULL REFERENCES letters(num),
    person     TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('sender', 'recipient', 'mentioned')),
    form       TEXT,
    confidence REAL,
    PRIMARY KEY (letter, person, role)
);
CREATE INDEX letter_persons_person ON letter_persons (person, role);

-- A place record, with coordinates where a register or the gazetteer knows them.
CREATE TABLE place_records (
    id        TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    lat       REAL,
    lon       REAL,
    authority TEXT NOT NULL DEFAULT '[]',
    names     TEXT NOT NULL DEFAULT '[]'
);

-- Where a letter was written, and the places it names.
CREATE TABLE letter_place_records (
    letter INTEGER NOT NULL REFERENCES letters(num),
    place  TEXT NOT NULL REFERENCES place_records(id) ON DELETE CASCADE,
    role   TEXT NOT NULL CHECK (role IN ('written', 'mentioned')),
    form   TEXT,
    PRIMARY KEY (letter, place, role)
);
CREATE INDEX letter_place_records_place ON letter_place_records (place, role);

-- An editor's merge, split or rename of people. target and other are person ids (or name forms);
-- forms is a JSON array (split); new_id the id a split gives its new person.
CREATE TABLE people_corrections (
    id     INTEGER PRIMARY KEY,
    action TEXT NOT NULL CHECK (action IN ('merge', 'split', 'rename')),
    target TEXT NOT NULL,
    other  TEXT,
    forms  TEXT NOT NULL DEFAULT '[]',
    name   TEXT,
    new_id TEXT,
    editor TEXT NOT NULL,
    at     TEXT NOT NULL
);
