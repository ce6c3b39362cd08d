-- One key per person for the values the audit log keeps of changes to
-- their file (a name before and after, a phone). The log is append-only and
-- chained, so it cannot forget them; anonymisation deletes the key instead,
-- and those values can no longer be read.
CREATE TABLE person_key (
    migrant_id BLOB PRIMARY KEY NOT NULL REFERENCES migrant(id) ON DELETE CASCADE,
    key BLOB NOT NULL,
    created_at TEXT NOT NULL
) WITHOUT ROWID;
