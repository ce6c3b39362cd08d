-- Consent as a history: one row per scope the migrant agreed to, with the
-- day and the staff member who took it, and its withdrawal when it comes.
-- The migrant's consent_given/consent_scope stay as the current answer
-- that forms and rules read; this table says who recorded it and when.
CREATE TABLE consent (
    id              BLOB PRIMARY KEY NOT NULL,
    centre_id       BLOB NOT NULL REFERENCES centre(id),
    migrant_id      BLOB NOT NULL REFERENCES migrant(id),
    scope           TEXT NOT NULL,
    given_on        TEXT NOT NULL,
    taken_by        BLOB NOT NULL REFERENCES staff(id),
    withdrawn_on    TEXT,
    withdrawn_by    BLOB REFERENCES staff(id),
    withdrawal_note TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    created_by      BLOB NOT NULL REFERENCES staff(id),
    updated_by      BLOB NOT NULL REFERENCES staff(id),
    CHECK ((withdrawn_on IS NULL) = (withdrawn_by IS NULL))
) STRICT;
CREATE INDEX consent_by_migrant ON consent(migrant_id, scope);

-- Consent given before this table existed: taken by whoever registered the
-- person, on the day recorded (or the day of registration).
INSERT INTO consent (id, centre_id, migrant_id, scope, given_on, taken_by, created_at, updated_at, created_by, updated_by)
SELECT new_uuid(), m.centre_id, m.id, s.value, COALESCE(m.consent_date, date(m.created_at)), m.created_by,
       m.updated_at, m.updated_at, m.updated_by, m.updated_by
FROM migrant m, json_each(m.consent_scope) s
WHERE m.consent_given = 1 AND m.id NOT IN (SELECT merged_id FROM migrant_merge);

-- Anonymisation: a person's names, contacts, documents and free-text notes
-- removed for good, the facts the report counts kept (sex, birth date, so
-- the age band, citizenship, status, the assistance given). The day and the
-- supervisor who did it stay on the row.
ALTER TABLE migrant ADD COLUMN anonymised_at TEXT;
ALTER TABLE migrant ADD COLUMN anonymised_by BLOB REFERENCES staff(id);

-- How many years after a person's last closed case their identity is kept:
-- then they are listed for anonymisation.
ALTER TABLE centre ADD COLUMN retention_years INTEGER NOT NULL DEFAULT 5 CHECK (retention_years BETWEEN 1 AND 30);

-- Nothing is added to or changed in the file of someone anonymised, whatever
-- writes it: anonymisation itself changes their records before it marks them.
CREATE TRIGGER visit_anonymised_insert BEFORE INSERT ON visit
WHEN (SELECT anonymised_at FROM migrant WHERE id = NEW.migrant_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'anonymised'); END;
CREATE TRIGGER visit_anonymised_update BEFORE UPDATE ON visit
WHEN (SELECT anonymised_at FROM migrant WHERE id = NEW.migrant_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'anonymised'); END;
CREATE TRIGGER assistance_anonymised_insert BEFORE INSERT ON assistance
WHEN (SELECT anonymised_at FROM migrant WHERE id = NEW.migrant_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'anonymised'); END;
CREATE TRIGGER assistance_anonymised_update BEFORE UPDATE ON assistance
WHEN (SELECT anonymised_at FROM migrant WHERE id = NEW.migrant_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'anonymised'); END;
CREATE TRIGGER case_file_anonymised_insert BEFORE INSERT ON case_file
WHEN (SELECT anonymised_at FROM migrant WHERE id = NEW.migrant_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'anonymised'); END;
CREATE TRIGGER case_file_anonymised_update BEFORE UPDATE ON case_file
WHEN (SELECT anonymised_at FROM migrant WHERE id = NEW.migrant_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'anonymised'); END;
CREATE TRIGGER follow_up_anonymised_insert BEFORE INSERT ON follow_up
WHEN (SELECT anonymised_at FROM migrant WHERE id = NEW.migrant_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'anonymised'); END;
CREATE TRIGGER follow_up_anonymised_update BEFORE UPDATE ON follow_up
WHEN (SELECT anonymised_at FROM migrant WHERE id = NEW.migrant_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'anonymised'); END;
CREATE TRIGGER referral_anonymised_insert BEFORE INSERT ON referral
WHEN (SELECT anonymised_at FROM migrant WHERE id = NEW.migrant_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'anonymised'); END;
CREATE TRIGGER referral_anonymised_update BEFORE UPDATE ON referral
WHEN (SELECT anonymised_at FROM migrant WHERE id = NEW.migrant_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'anonymised'); END;
CREATE TRIGGER consent_anonymised_insert BEFORE INSERT ON consent
WHEN (SELECT anonymised_at FROM migrant WHERE id = NEW.migrant_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'anonymised'); END;
CREATE TRIGGER consent_anonymised_update BEFORE UPDATE ON consent
WHEN (SELECT anonymised_at FROM migrant WHERE id = NEW.migrant_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'anonymised'); END;
CREATE TRIGGER case_event_anonymised_insert BEFORE INSERT ON case_event
WHEN (SELECT anonymised_at FROM migrant WHERE id = (SELECT migrant_id FROM case_file WHERE id = NEW.case_id)) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'anonymised'); END;
CREATE TRIGGER case_event_anonymised_update BEFORE UPDATE ON case_event
WHEN (SELECT anonymised_at FROM migrant WHERE id = (SELECT migrant_id FROM case_file WHERE id = NEW.case_id)) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'anonymised'); END;
CREATE TRIGGER referral_event_anonymised_insert BEFORE INSERT ON referral_event
WHEN (SELECT anonymised_at FROM migrant WHERE id = (SELECT migrant_id FROM referral WHERE id = NEW.referral_id)) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'anonymised'); END;
CREATE TRIGGER referral_event_anonymised_update BEFORE UPDATE ON referral_event
WHEN (SELECT anonymised_at FROM migrant WHERE id = (SELECT migrant_id FROM referral WHERE id = NEW.referral_id)) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'anonymised'); END;
CREATE TRIGGER family_link_anonymised_insert BEFORE INSERT ON family_link
WHEN (SELECT count(*) FROM migrant WHERE id IN (NEW.migrant_id, NEW.relative_id) AND anonymised_at IS NOT NULL) > 0
BEGIN SELECT RAISE(ABORT, 'anonymised'); END;
