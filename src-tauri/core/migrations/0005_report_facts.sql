-- The facts the monthly report counts: one row per counted record, with the
-- person's sex, age band on the record's day, citizenship and status copied
-- in, so a month of a million-migrant register is read in one range scan
-- without a join. Derived data only: triggers keep it equal to the records,
-- and every row is keyed by the UUID of the record it stands for.
--
-- age_band(), local_day() and vulnerability_mask() are the core's own rules,
-- registered on every connection by `Store::open`.

CREATE TABLE report_fact (
    record_id        BLOB NOT NULL,
    centre_id        BLOB NOT NULL,
    kind             TEXT NOT NULL,  -- visit | assistance | referral | case | session
    day              TEXT NOT NULL,  -- the local day the record counts on
    key              TEXT NOT NULL,  -- channel | category | service | case type | session kind
    detail           TEXT NOT NULL,  -- referral: status; case: closure reason
    partner_id       BLOB,           -- referral: the partner
    end_day          TEXT,           -- case: closed on
    person_id        BLOB NOT NULL,
    sex              TEXT NOT NULL,
    age_band         TEXT NOT NULL,
    citizenship      TEXT NOT NULL,
    migration_status TEXT NOT NULL,
    vulnerabilities  INTEGER NOT NULL, -- bit i = Vulnerability::ALL[i]
    registered_on    TEXT NOT NULL,
    PRIMARY KEY (centre_id, kind, day, record_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX report_fact_by_record ON report_fact(record_id);
CREATE INDEX report_fact_by_person ON report_fact(person_id);

-- One definition of what each record contributes; the triggers and the
-- back-fill below all select from it.
CREATE VIEW report_fact_source AS
SELECT v.id AS record_id, v.centre_id, 'visit' AS kind, local_day(v.occurred_at) AS day, v.channel AS key,
       '' AS detail, NULL AS partner_id, NULL AS end_day, m.id AS person_id, m.sex,
       age_band(m.birth_date, local_day(v.occurred_at)) AS age_band, m.citizenship, m.migration_status,
       vulnerability_mask(m.vulnerabilities) AS vulnerabilities, local_day(m.created_at) AS registered_on
  FROM visit v JOIN migrant m ON m.id = v.migrant_id
 WHERE v.deleted_at IS NULL AND m.deleted_at IS NULL
UNION ALL
SELECT a.id, a.centre_id, 'assistance', a.given_on, a.category, a.provider, NULL, NULL, m.id, m.sex,
       age_band(m.birth_date, a.given_on), m.citizenship, m.migration_status,
       vulnerability_mask(m.vulnerabilities), local_day(m.created_at)
  FROM assistance a JOIN migrant m ON m.id = a.migrant_id
 WHERE a.deleted_at IS NULL AND m.deleted_at IS NULL
UNION ALL
SELECT r.id, r.centre_id, 'referral', local_day(r.created_at), r.service, r.status, r.partner_id, NULL, m.id, m.sex,
       age_band(m.birth_date, local_day(r.created_at)), m.citizenship, m.migration_status,
       vulnerability_mask(m.vulnerabilities), local_day(m.created_at)
  FROM referral r JOIN migrant m ON m.id = r.migrant_id
 WHERE r.deleted_at IS NULL AND m.deleted_at IS NULL
UNION ALL
SELECT c.id, c.centre_id, 'case', c.opened_on, c.case_type, coalesce(c.closure_reason, ''), NULL, c.closed_on, m.id, m.sex,
       age_band(m.birth_date, c.opened_on), m.citizenship, m.migration_status,
       vulnerability_mask(m.vulnerabilities), local_day(m.created_at)
  FROM case_file c JOIN migrant m ON m.id = c.migrant_id
 WHERE c.deleted_at IS NULL AND m.deleted_at IS NULL
UNION ALL
SELECT p.id, s.centre_id, 'session', s.held_on, s.kind, '', NULL, NULL, m.id, m.sex,
       age_band(m.birth_date, s.held_on), m.citizenship, m.migration_status,
       vulnerability_mask(m.vulnerabilities), local_day(m.created_at)
  FROM group_participant p JOIN group_session s ON s.id = p.session_id JOIN migrant m ON m.id = p.migrant_id
 WHERE s.deleted_at IS NULL AND m.deleted_at IS NULL;

CREATE TRIGGER visit_fact_insert AFTER INSERT ON visit BEGIN
    INSERT INTO report_fact SELECT * FROM report_fact_source WHERE record_id = NEW.id AND kind = 'visit';
END;
CREATE TRIGGER visit_fact_update AFTER UPDATE ON visit BEGIN
    DELETE FROM report_fact WHERE record_id = NEW.id;
    INSERT INTO report_fact SELECT * FROM report_fact_source WHERE record_id = NEW.id AND kind = 'visit';
END;

CREATE TRIGGER assistance_fact_insert AFTER INSERT ON assistance BEGIN
    INSERT INTO report_fact SELECT * FROM report_fact_source WHERE record_id = NEW.id AND kind = 'assistance';
END;
CREATE TRIGGER assistance_fact_update AFTER UPDATE ON assistance BEGIN
    DELETE FROM report_fact WHERE record_id = NEW.id;
    INSERT INTO report_fact SELECT * FROM report_fact_source WHERE record_id = NEW.id AND kind = 'assistance';
END;

CREATE TRIGGER referral_fact_insert AFTER INSERT ON referral BEGIN
    INSERT INTO report_fact SELECT * FROM report_fact_source WHERE record_id = NEW.id AND kind = 'referral';
END;
CREATE TRIGGER referral_fact_update AFTER UPDATE ON referral BEGIN
    DELETE FROM report_fact WHERE record_id = NEW.id;
    INSERT INTO report_fact SELECT * FROM report_fact_source WHERE record_id = NEW.id AND kind = 'referral';
END;

CREATE TRIGGER case_fact_insert AFTER INSERT ON case_file BEGIN
    INSERT INTO report_fact SELECT * FROM report_fact_source WHERE record_id = NEW.id AND kind = 'case';
END;
CREATE TRIGGER case_fact_update AFTER UPDATE ON case_file BEGIN
    DELETE FROM report_fact WHERE record_id = NEW.id;
    INSERT INTO report_fact SELECT * FROM report_fact_source WHERE record_id = NEW.id AND kind = 'case';
END;

CREATE TRIGGER participant_fact_insert AFTER INSERT ON group_participant BEGIN
    INSERT INTO report_fact SELECT * FROM report_fact_source WHERE record_id = NEW.id AND kind = 'session';
END;
CREATE TRIGGER participant_fact_delete AFTER DELETE ON group_participant BEGIN
    DELETE FROM report_fact WHERE record_id = OLD.id;
END;
CREATE TRIGGER session_fact_update AFTER UPDATE ON group_session BEGIN
    DELETE FROM report_fact WHERE record_id IN (SELECT id FROM group_participant WHERE session_id = NEW.id);
    INSERT INTO report_fact SELECT * FROM report_fact_source
     WHERE kind = 'session' AND record_id IN (SELECT id FROM group_participant WHERE session_id = NEW.id);
END;

-- Only what the report counts re-derives a person's facts; a new phone
-- number changes nothing here.
CREATE TRIGGER migrant_fact_update AFTER UPDATE ON migrant
WHEN OLD.sex IS NOT NEW.sex OR OLD.birth_date IS NOT NEW.birth_date OR OLD.citizenship IS NOT NEW.citizenship
  OR OLD.migration_status IS NOT NEW.migration_status OR OLD.vulnerabilities IS NOT NEW.vulnerabilities
  OR OLD.deleted_at IS NOT NEW.deleted_at OR OLD.centre_id IS NOT NEW.centre_id
BEGIN
    DELETE FROM report_fact WHERE person_id = NEW.id;
    INSERT INTO report_fact SELECT * FROM report_fact_source WHERE person_id = NEW.id;
END;

INSERT INTO report_fact SELECT * FROM report_fact_source;
