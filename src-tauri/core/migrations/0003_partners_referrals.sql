-- Version 3: the partner directory and referrals from cases to partners.

CREATE TABLE partner (
    id              BLOB PRIMARY KEY NOT NULL,
    centre_id       BLOB NOT NULL REFERENCES centre(id),
    name            TEXT NOT NULL,
    name_local      TEXT NOT NULL DEFAULT '',   -- the name in the country's own language
    kind            TEXT NOT NULL,
    services        TEXT NOT NULL DEFAULT '[]', -- JSON [assistance category]
    country         TEXT NOT NULL,
    city            TEXT NOT NULL DEFAULT '',
    address         TEXT NOT NULL DEFAULT '',
    phones          TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    contact_person  TEXT NOT NULL DEFAULT '',
    languages       TEXT NOT NULL DEFAULT '[]', -- JSON [ISO 639-1]
    opening_hours   TEXT NOT NULL DEFAULT '',
    notes           TEXT NOT NULL DEFAULT '',
    active          INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    created_by      BLOB NOT NULL REFERENCES staff(id),
    updated_by      BLOB NOT NULL REFERENCES staff(id),
    deleted_at      TEXT,
    deleted_by      BLOB REFERENCES staff(id)
) STRICT;
CREATE INDEX partner_by_name ON partner(centre_id, name);

CREATE TABLE referral (
    id               BLOB PRIMARY KEY NOT NULL,
    centre_id        BLOB NOT NULL REFERENCES centre(id),
    case_id          BLOB NOT NULL REFERENCES case_file(id),
    migrant_id       BLOB NOT NULL REFERENCES migrant(id),
    partner_id       BLOB NOT NULL REFERENCES partner(id),
    reference        TEXT NOT NULL UNIQUE,
    service          TEXT NOT NULL,
    reason           TEXT NOT NULL,
    urgency          TEXT NOT NULL,
    shared_data      TEXT NOT NULL DEFAULT '[]', -- JSON [what is shared with the partner]
    consent_basis    TEXT NOT NULL,              -- consent | override
    override_reason  TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL,
    feedback         TEXT NOT NULL DEFAULT '',
    status_changed_at TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    created_by       BLOB NOT NULL REFERENCES staff(id),
    updated_by       BLOB NOT NULL REFERENCES staff(id),
    deleted_at       TEXT,
    deleted_by       BLOB REFERENCES staff(id)
) STRICT;
CREATE INDEX referral_by_case ON referral(case_id, created_at);
CREATE INDEX referral_by_migrant ON referral(migrant_id, created_at);
CREATE INDEX referral_by_partner ON referral(partner_id, status);
CREATE INDEX referral_by_status ON referral(centre_id, status, status_changed_at);

-- Each status change of a referral: who, when, from what to what, and the note.
CREATE TABLE referral_event (
    id           BLOB PRIMARY KEY NOT NULL,
    referral_id  BLOB NOT NULL REFERENCES referral(id),
    from_status  TEXT,
    to_status    TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    at           TEXT NOT NULL,
    by_staff     BLOB NOT NULL REFERENCES staff(id)
) STRICT;
CREATE INDEX referral_event_by_referral ON referral_event(referral_id, at);
