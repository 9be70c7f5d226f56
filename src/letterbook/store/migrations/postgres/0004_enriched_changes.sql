-- Enrichment changes letters too (their mentions and links): such a change is numbered in the
-- sequence with the kind 'enriched', so the search index and harvesters (OAI-PMH datestamps) see
-- it. A letter's history shows its readings and corrections, not these.

ALTER TABLE changes DROP CONSTRAINT changes_kind_check;
ALTER TABLE changes ADD CONSTRAINT changes_kind_check
    CHECK (kind IN ('new', 'updated', 'withdrawn', 'restored', 'edited', 'enriched'));
