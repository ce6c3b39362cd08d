-- Version 2: indexes for the profile timeline and the date-range queries of
-- the monthly report. Version 1 databases answered these by full scans.
CREATE INDEX case_by_migrant ON case_file(migrant_id, opened_on);
CREATE INDEX case_by_status ON case_file(centre_id, status);
CREATE INDEX case_event_by_case ON case_event(case_id, at);
CREATE INDEX visit_by_migrant ON visit(migrant_id, occurred_at);
CREATE INDEX visit_by_date ON visit(centre_id, occurred_at);
CREATE INDEX assistance_by_migrant ON assistance(migrant_id, given_on);
CREATE INDEX assistance_by_date ON assistance(centre_id, given_on);
