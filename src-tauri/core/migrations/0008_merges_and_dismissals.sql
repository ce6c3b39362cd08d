-- A person registered twice, made one: the merged record is deleted (kept
-- for history), its records point to the kept one, and the merge itself is
-- recorded here. Both ids are UUIDs, so a merge travels between laptops.
CREATE TABLE migrant_merge (
    id          BLOB PRIMARY KEY NOT NULL,
    centre_id   BLOB NOT NULL REFERENCES centre(id),
    kept_id     BLOB NOT NULL REFERENCES migrant(id),
    merged_id   BLOB NOT NULL REFERENCES migrant(id),
    moved       INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  BLOB NOT NULL REFERENCES staff(id)
) STRICT;
CREATE INDEX migrant_merge_by_kept ON migrant_merge(kept_id);

-- Two people a supervisor looked at and found to be different people: the
-- duplicate scan does not list them again. `first_id` sorts before `second_id`.
CREATE TABLE duplicate_dismissal (
    id          BLOB PRIMARY KEY NOT NULL,
    centre_id   BLOB NOT NULL REFERENCES centre(id),
    first_id    BLOB NOT NULL REFERENCES migrant(id),
    second_id   BLOB NOT NULL REFERENCES migrant(id),
    created_at  TEXT NOT NULL,
    created_by  BLOB NOT NULL REFERENCES staff(id),
    CHECK (first_id < second_id)
) STRICT;
CREATE UNIQUE INDEX duplicate_dismissal_pair ON duplicate_dismissal(first_id, second_id);
