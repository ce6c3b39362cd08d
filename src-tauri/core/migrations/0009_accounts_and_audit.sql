-- Accounts: a password per staff member (an Argon2id PHC string; NULL until
-- one is set, when the person cannot sign in), and the failed attempts that
-- slow the next one down. A read-only viewer role arrives with them; roles
-- are checked by the core, so no CHECK here keeps old laptops readable.
ALTER TABLE staff ADD COLUMN password_hash TEXT;
ALTER TABLE staff ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN last_failed_at TEXT;

-- Minutes without a key or a click after which the desk locks.
ALTER TABLE centre ADD COLUMN lock_minutes INTEGER NOT NULL DEFAULT 10 CHECK (lock_minutes BETWEEN 1 AND 240);

-- The audit log: append-only, one chain per installation. Each entry names
-- the one before (`prev_id`) and carries its hash, and its own hash covers
-- both, so a changed entry, a removed one or one slipped in breaks the chain.
-- The chain's newest entry is kept in `installation.audit_head`.
CREATE TABLE audit_entry (
    id           BLOB PRIMARY KEY NOT NULL,
    centre_id    BLOB NOT NULL REFERENCES centre(id),
    staff_id     BLOB NOT NULL REFERENCES staff(id),
    at           TEXT NOT NULL,
    action       TEXT NOT NULL,
    record_kind  TEXT NOT NULL DEFAULT '',
    record_id    BLOB,
    detail       TEXT NOT NULL DEFAULT '{}',  -- JSON: changed fields, refusal, export...
    prev_id      BLOB,
    prev_hash    BLOB NOT NULL,
    hash         BLOB NOT NULL
) STRICT;
CREATE INDEX audit_by_time ON audit_entry(at);
CREATE INDEX audit_by_staff ON audit_entry(staff_id, at);
CREATE INDEX audit_by_record ON audit_entry(record_id, at);
ALTER TABLE installation ADD COLUMN audit_head BLOB;

-- Nothing in the app changes or removes an entry; these make the rule the
-- database's own, so only someone editing the file by hand can, and the
-- chain shows it.
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
