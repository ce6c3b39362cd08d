-- Version 4: follow-ups, group sessions and anonymous contacts, and the
-- centre's reminder for referrals left without an answer.

ALTER TABLE centre ADD COLUMN referral_reminder_days INTEGER NOT NULL DEFAULT 14;

CREATE TABLE follow_up (
    id           BLOB PRIMARY KEY NOT NULL,
    centre_id    BLOB NOT NULL REFERENCES centre(id),
    migrant_id   BLOB NOT NULL REFERENCES migrant(id),
    case_id      BLOB REFERENCES case_file(id),
    referral_id  BLOB REFERENCES referral(id),
    due_on       TEXT NOT NULL,
    note         TEXT NOT NULL,
    assigned_to  BLOB NOT NULL REFERENCES staff(id),
    done_at      TEXT,
    done_by      BLOB REFERENCES staff(id),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    created_by   BLOB NOT NULL REFERENCES staff(id),
    updated_by   BLOB NOT NULL REFERENCES staff(id),
    deleted_at   TEXT,
    deleted_by   BLOB REFERENCES staff(id)
) STRICT;
-- What the Today screen asks: open follow-ups of one person, by due date.
CREATE INDEX follow_up_open ON follow_up(assigned_to, due_on) WHERE done_at IS NULL AND deleted_at IS NULL;
CREATE INDEX follow_up_by_migrant ON follow_up(migrant_id, due_on);
CREATE INDEX case_by_assignee ON case_file(assigned_to, status);

CREATE TABLE group_session (
    id                BLOB PRIMARY KEY NOT NULL,
    centre_id         BLOB NOT NULL REFERENCES centre(id),
    kind              TEXT NOT NULL,
    held_on           TEXT NOT NULL,
    topic             TEXT NOT NULL,
    place             TEXT NOT NULL DEFAULT '',
    facilitator_id    BLOB NOT NULL REFERENCES staff(id),
    anonymous_counts  TEXT NOT NULL DEFAULT '[]', -- JSON [{sex, age_band, count}]
    notes             TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    created_by        BLOB NOT NULL REFERENCES staff(id),
    updated_by        BLOB NOT NULL REFERENCES staff(id),
    deleted_at        TEXT,
    deleted_by        BLOB REFERENCES staff(id)
) STRICT;
CREATE INDEX group_session_by_date ON group_session(centre_id, held_on);

-- Registered migrants who took part in a session.
CREATE TABLE group_participant (
    id          BLOB PRIMARY KEY NOT NULL,
    session_id  BLOB NOT NULL REFERENCES group_session(id),
    migrant_id  BLOB NOT NULL REFERENCES migrant(id),
    created_at  TEXT NOT NULL,
    created_by  BLOB NOT NULL REFERENCES staff(id)
) STRICT;
CREATE UNIQUE INDEX group_participant_once ON group_participant(session_id, migrant_id);
CREATE INDEX group_participant_by_migrant ON group_participant(migrant_id);

-- A contact from someone who gives no name: counted, never identified.
CREATE TABLE anonymous_contact (
    id           BLOB PRIMARY KEY NOT NULL,
    centre_id    BLOB NOT NULL REFERENCES centre(id),
    occurred_at  TEXT NOT NULL,
    channel      TEXT NOT NULL,
    topic        TEXT NOT NULL,
    sex          TEXT NOT NULL,
    age_band     TEXT NOT NULL,
    citizenship  TEXT NOT NULL DEFAULT '',
    assistance   TEXT NOT NULL DEFAULT '[]', -- JSON [assistance category]
    referred_to  TEXT NOT NULL DEFAULT '',   -- information only: where the caller was told to go
    notes        TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    created_by   BLOB NOT NULL REFERENCES staff(id),
    updated_by   BLOB NOT NULL REFERENCES staff(id),
    deleted_at   TEXT,
    deleted_by   BLOB REFERENCES staff(id)
) STRICT;
CREATE INDEX anonymous_contact_by_date ON anonymous_contact(centre_id, occurred_at);
