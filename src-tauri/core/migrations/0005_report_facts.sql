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
CREATE INDEX report_fact_by_person ON report_fact(person_id, kind, day);

-- Records counted per month: the previous month, the year to date and the
-- trend add up these few rows instead of reading every fact again. Cases
-- count once in the month opened and once ('case_closed') in the month
-- closed, so what is open at any month's end is a difference of sums.
CREATE TABLE report_count (
    centre_id  BLOB NOT NULL,
    month      TEXT NOT NULL,  -- YYYY-MM
    kind       TEXT NOT NULL,
    key        TEXT NOT NULL,
    detail     TEXT NOT NULL,
    partner_id BLOB NOT NULL,  -- x'' when there is none
    n          INTEGER NOT NULL,
    PRIMARY KEY (centre_id, month, kind, key, detail, partner_id)
) STRICT, WITHOUT ROWID;

-- Each person once per year and per month (a span), per kind of record and
-- key, with their first day in it: distinct persons over the year to date
-- are then a count of rows whose first day is not after the period's end,
-- where reading the year's facts would take seconds at a million migrants.
-- kind 'any' (key '*') is any visit, assistance, referral or session.
CREATE TABLE report_span (
    centre_id       BLOB NOT NULL,
    span            TEXT NOT NULL,  -- YYYY or YYYY-MM
    kind            TEXT NOT NULL,
    key             TEXT NOT NULL,  -- a category or session kind, or '*'
    person_id       BLOB NOT NULL,
    first_day       TEXT NOT NULL,
    records         INTEGER NOT NULL,
    registered_on   TEXT NOT NULL,
    vulnerabilities INTEGER NOT NULL,
    PRIMARY KEY (centre_id, span, kind, key, person_id)
) STRICT, WITHOUT ROWID;

-- How many persons each span holds, by the month of their first record in
-- it, and (for kind 'any') the month they registered in, if within the
-- span's year, and their vulnerabilities. The year to date is then a sum
-- of a few rows: persons whose first month is not after the period's end.
CREATE TABLE report_span_count (
    centre_id        BLOB NOT NULL,
    span             TEXT NOT NULL,
    first_month      TEXT NOT NULL,
    kind             TEXT NOT NULL,
    key              TEXT NOT NULL,
    registered_month TEXT NOT NULL,  -- '' when registered before the span's year, or not kind 'any'
    vulnerabilities  INTEGER NOT NULL, -- 0 unless kind 'any'
    n                INTEGER NOT NULL,
    PRIMARY KEY (centre_id, span, first_month, kind, key, registered_month, vulnerabilities)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER report_span_added AFTER INSERT ON report_span BEGIN
    INSERT INTO report_span_count VALUES (NEW.centre_id, NEW.span, substr(NEW.first_day, 1, 7), NEW.kind, NEW.key,
            CASE WHEN NEW.kind = 'any' AND substr(NEW.registered_on, 1, 4) = substr(NEW.span, 1, 4) THEN substr(NEW.registered_on, 1, 7) ELSE '' END,
            CASE WHEN NEW.kind = 'any' THEN NEW.vulnerabilities ELSE 0 END, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER report_span_removed AFTER DELETE ON report_span BEGIN
    UPDATE report_span_count SET n = n - 1
     WHERE centre_id = OLD.centre_id AND span = OLD.span AND first_month = substr(OLD.first_day, 1, 7) AND kind = OLD.kind AND key = OLD.key
       AND registered_month = CASE WHEN OLD.kind = 'any' AND substr(OLD.registered_on, 1, 4) = substr(OLD.span, 1, 4) THEN substr(OLD.registered_on, 1, 7) ELSE '' END
       AND vulnerabilities = CASE WHEN OLD.kind = 'any' THEN OLD.vulnerabilities ELSE 0 END;
    DELETE FROM report_span_count
     WHERE centre_id = OLD.centre_id AND span = OLD.span AND first_month = substr(OLD.first_day, 1, 7) AND kind = OLD.kind AND key = OLD.key AND n = 0;
END;

-- Most updates only count one more record: nothing to move then.
CREATE TRIGGER report_span_moved AFTER UPDATE ON report_span
WHEN substr(OLD.first_day, 1, 7) IS NOT substr(NEW.first_day, 1, 7) OR OLD.registered_on IS NOT NEW.registered_on
  OR OLD.vulnerabilities IS NOT NEW.vulnerabilities
BEGIN
    UPDATE report_span_count SET n = n - 1
     WHERE centre_id = OLD.centre_id AND span = OLD.span AND first_month = substr(OLD.first_day, 1, 7) AND kind = OLD.kind AND key = OLD.key
       AND registered_month = CASE WHEN OLD.kind = 'any' AND substr(OLD.registered_on, 1, 4) = substr(OLD.span, 1, 4) THEN substr(OLD.registered_on, 1, 7) ELSE '' END
       AND vulnerabilities = CASE WHEN OLD.kind = 'any' THEN OLD.vulnerabilities ELSE 0 END;
    DELETE FROM report_span_count
     WHERE centre_id = OLD.centre_id AND span = OLD.span AND first_month = substr(OLD.first_day, 1, 7) AND kind = OLD.kind AND key = OLD.key AND n = 0;
    INSERT INTO report_span_count VALUES (NEW.centre_id, NEW.span, substr(NEW.first_day, 1, 7), NEW.kind, NEW.key,
            CASE WHEN NEW.kind = 'any' AND substr(NEW.registered_on, 1, 4) = substr(NEW.span, 1, 4) THEN substr(NEW.registered_on, 1, 7) ELSE '' END,
            CASE WHEN NEW.kind = 'any' THEN NEW.vulnerabilities ELSE 0 END, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- The counts and spans follow the facts. An edit of a record deletes its
-- fact and adds it again, so these two triggers see every change.
CREATE TRIGGER report_fact_added AFTER INSERT ON report_fact BEGIN
    INSERT INTO report_count VALUES (NEW.centre_id, substr(NEW.day, 1, 7), NEW.kind, NEW.key,
            CASE WHEN NEW.kind = 'case' THEN '' ELSE NEW.detail END, coalesce(NEW.partner_id, x''), 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO report_count SELECT NEW.centre_id, substr(NEW.end_day, 1, 7), 'case_closed', NEW.key, NEW.detail, x'', 1
         WHERE NEW.kind = 'case' AND NEW.end_day IS NOT NULL
        ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO report_span
        SELECT NEW.centre_id, s.span, k.kind, k.key, NEW.person_id, NEW.day, 1, NEW.registered_on, NEW.vulnerabilities
          FROM (SELECT substr(NEW.day, 1, 4) AS span UNION ALL SELECT substr(NEW.day, 1, 7)) AS s,
               (SELECT 'any' AS kind, '*' AS key
                UNION ALL SELECT NEW.kind, NEW.key WHERE NEW.kind IN ('assistance', 'session')
                UNION ALL SELECT NEW.kind, '*' WHERE NEW.kind IN ('assistance', 'session')) AS k
         WHERE NEW.kind <> 'case'
        ON CONFLICT DO UPDATE SET first_day = min(first_day, excluded.first_day), records = records + 1,
                                  registered_on = excluded.registered_on, vulnerabilities = excluded.vulnerabilities;
END;

CREATE TRIGGER report_fact_removed AFTER DELETE ON report_fact BEGIN
    UPDATE report_count SET n = n - 1
     WHERE centre_id = OLD.centre_id AND month = substr(OLD.day, 1, 7) AND kind = OLD.kind AND key = OLD.key
       AND detail = CASE WHEN OLD.kind = 'case' THEN '' ELSE OLD.detail END AND partner_id = coalesce(OLD.partner_id, x'');
    UPDATE report_count SET n = n - 1
     WHERE OLD.kind = 'case' AND OLD.end_day IS NOT NULL AND centre_id = OLD.centre_id AND month = substr(OLD.end_day, 1, 7)
       AND kind = 'case_closed' AND key = OLD.key AND detail = OLD.detail AND partner_id = x'';
    DELETE FROM report_count
     WHERE centre_id = OLD.centre_id AND month IN (substr(OLD.day, 1, 7), substr(OLD.end_day, 1, 7)) AND n = 0;
    -- Only the rows the fact was in: (any, *) and, for assistance and
    -- sessions, (kind, key) and (kind, *); other combinations do not exist.
    UPDATE report_span SET records = records - 1
     WHERE centre_id = OLD.centre_id AND span IN (substr(OLD.day, 1, 4), substr(OLD.day, 1, 7))
       AND kind IN ('any', OLD.kind) AND key IN ('*', OLD.key) AND person_id = OLD.person_id AND OLD.kind <> 'case';
    DELETE FROM report_span
     WHERE centre_id = OLD.centre_id AND span IN (substr(OLD.day, 1, 4), substr(OLD.day, 1, 7))
       AND kind IN ('any', OLD.kind) AND key IN ('*', OLD.key) AND person_id = OLD.person_id AND records = 0;
    UPDATE report_span SET first_day = (
            SELECT min(f.day) FROM report_fact f
             WHERE f.person_id = OLD.person_id AND f.centre_id = OLD.centre_id
               AND f.kind IN ('visit', 'assistance', 'referral', 'session')
               AND (report_span.kind = 'any' OR f.kind = report_span.kind)
               AND (report_span.key = '*' OR f.key = report_span.key)
               AND f.day > report_span.span AND f.day < report_span.span || '~')
     WHERE centre_id = OLD.centre_id AND span IN (substr(OLD.day, 1, 4), substr(OLD.day, 1, 7))
       AND kind IN ('any', OLD.kind) AND key IN ('*', OLD.key) AND person_id = OLD.person_id AND first_day = OLD.day;
END;

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
SELECT a.id, a.centre_id, 'assistance', a.given_on, a.category, '', NULL, NULL, m.id, m.sex,
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
