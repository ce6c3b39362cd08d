-- MRC Desk schema, version 1.
-- Every row is keyed by a UUIDv7 (16-byte blob) and every reference is such a
-- UUID, so rows can later travel between laptops as session changesets
-- without clashing. Times are UTC RFC 3339 text, dates ISO 8601 text.
-- Records are never deleted: deleted_at hides them and can be cleared again.

CREATE TABLE centre (
    id          BLOB PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    country     TEXT NOT NULL,
    city        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE staff (
    id          BLOB PRIMARY KEY NOT NULL,
    centre_id   BLOB NOT NULL REFERENCES centre(id),
    full_name   TEXT NOT NULL,
    role        TEXT NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

-- This installation: which centre the laptop belongs to, who is at the desk,
-- and the interface language. One row; never synchronised.
CREATE TABLE installation (
    id                BLOB PRIMARY KEY NOT NULL,
    centre_id         BLOB NOT NULL REFERENCES centre(id),
    current_staff_id  BLOB REFERENCES staff(id),
    language          TEXT NOT NULL DEFAULT 'en',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
) STRICT;

CREATE TABLE migrant (
    id                    BLOB PRIMARY KEY NOT NULL,
    centre_id             BLOB NOT NULL REFERENCES centre(id),
    family_name           TEXT NOT NULL,
    given_name            TEXT NOT NULL,
    patronymic            TEXT NOT NULL DEFAULT '',
    family_name_latin     TEXT NOT NULL DEFAULT '',
    given_name_latin      TEXT NOT NULL DEFAULT '',
    sex                   TEXT NOT NULL,
    birth_date            TEXT,
    birth_date_estimated  INTEGER NOT NULL DEFAULT 0,
    citizenship           TEXT NOT NULL,
    birth_country         TEXT NOT NULL DEFAULT '',
    origin_region         TEXT NOT NULL DEFAULT '',
    origin_town           TEXT NOT NULL DEFAULT '',
    current_country       TEXT NOT NULL DEFAULT '',
    current_city          TEXT NOT NULL DEFAULT '',
    phones                TEXT NOT NULL DEFAULT '[]',  -- JSON [{number, messenger}]
    languages             TEXT NOT NULL DEFAULT '[]',  -- JSON [ISO 639-1]
    documents             TEXT NOT NULL DEFAULT '[]',  -- JSON [{kind, number, issuing_country, expires_on}]
    migration_status      TEXT NOT NULL,
    occupation            TEXT NOT NULL DEFAULT '',
    vulnerabilities       TEXT NOT NULL DEFAULT '[]',  -- JSON [flag]
    consent_given         INTEGER NOT NULL DEFAULT 0,
    consent_scope         TEXT NOT NULL DEFAULT '[]',  -- JSON [scope]
    consent_date          TEXT,
    notes                 TEXT NOT NULL DEFAULT '',
    -- Lower-cased names, phone digits and document numbers, for the list search.
    search_text           TEXT NOT NULL DEFAULT '',
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    created_by            BLOB NOT NULL REFERENCES staff(id),
    updated_by            BLOB NOT NULL REFERENCES staff(id),
    deleted_at            TEXT,
    deleted_by            BLOB REFERENCES staff(id)
) STRICT;
CREATE INDEX migrant_by_name ON migrant(centre_id, family_name, given_name) WHERE deleted_at IS NULL;
CREATE INDEX migrant_by_update ON migrant(centre_id, updated_at) WHERE deleted_at IS NULL;

CREATE TABLE family_link (
    id          BLOB PRIMARY KEY NOT NULL,
    migrant_id  BLOB NOT NULL REFERENCES migrant(id),
    relative_id BLOB NOT NULL REFERENCES migrant(id),
    relation    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    created_by  BLOB NOT NULL REFERENCES staff(id),
    updated_by  BLOB NOT NULL REFERENCES staff(id),
    deleted_at  TEXT,
    deleted_by  BLOB REFERENCES staff(id)
) STRICT;
CREATE INDEX family_link_by_migrant ON family_link(migrant_id);
CREATE INDEX family_link_by_relative ON family_link(relative_id);

CREATE TABLE case_file (
    id              BLOB PRIMARY KEY NOT NULL,
    centre_id       BLOB NOT NULL REFERENCES centre(id),
    migrant_id      BLOB NOT NULL REFERENCES migrant(id),
    reference       TEXT NOT NULL UNIQUE,
    case_type       TEXT NOT NULL,
    status          TEXT NOT NULL,
    priority        TEXT NOT NULL,
    assigned_to     BLOB REFERENCES staff(id),
    opened_on       TEXT NOT NULL,
    closed_on       TEXT,
    closure_reason  TEXT,
    summary         TEXT NOT NULL DEFAULT '',
    notes           TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    created_by      BLOB NOT NULL REFERENCES staff(id),
    updated_by      BLOB NOT NULL REFERENCES staff(id),
    deleted_at      TEXT,
    deleted_by      BLOB REFERENCES staff(id)
) STRICT;

-- Each status change of a case: who, when, from what to what, and why.
CREATE TABLE case_event (
    id           BLOB PRIMARY KEY NOT NULL,
    case_id      BLOB NOT NULL REFERENCES case_file(id),
    from_status  TEXT,
    to_status    TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    at           TEXT NOT NULL,
    by_staff     BLOB NOT NULL REFERENCES staff(id)
) STRICT;

CREATE TABLE visit (
    id                BLOB PRIMARY KEY NOT NULL,
    centre_id         BLOB NOT NULL REFERENCES centre(id),
    migrant_id        BLOB NOT NULL REFERENCES migrant(id),
    case_id           BLOB REFERENCES case_file(id),
    occurred_at       TEXT NOT NULL,
    channel           TEXT NOT NULL,
    purpose           TEXT NOT NULL,
    duration_minutes  INTEGER,
    caseworker_id     BLOB NOT NULL REFERENCES staff(id),
    notes             TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    created_by        BLOB NOT NULL REFERENCES staff(id),
    updated_by        BLOB NOT NULL REFERENCES staff(id),
    deleted_at        TEXT,
    deleted_by        BLOB REFERENCES staff(id)
) STRICT;

CREATE TABLE assistance (
    id            BLOB PRIMARY KEY NOT NULL,
    centre_id     BLOB NOT NULL REFERENCES centre(id),
    migrant_id    BLOB NOT NULL REFERENCES migrant(id),
    visit_id      BLOB REFERENCES visit(id),
    case_id       BLOB REFERENCES case_file(id),
    category      TEXT NOT NULL,
    provider      TEXT NOT NULL,
    given_on      TEXT NOT NULL,
    quantity      INTEGER,
    amount_minor  INTEGER,   -- value in the currency's minor unit (kopecks, dirams)
    currency      TEXT,
    outcome       TEXT NOT NULL,
    notes         TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    created_by    BLOB NOT NULL REFERENCES staff(id),
    updated_by    BLOB NOT NULL REFERENCES staff(id),
    deleted_at    TEXT,
    deleted_by    BLOB REFERENCES staff(id)
) STRICT;
