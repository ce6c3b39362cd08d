-- A practice centre holds invented people to learn on; it lives beside the
-- real centre (every record names its centre) and is removed in one step.
ALTER TABLE centre ADD COLUMN practice INTEGER NOT NULL DEFAULT 0 CHECK (practice IN (0, 1));

-- The installation's practice centre and who practises there, and whether
-- the desk is in it now. `centre_id` and `current_staff_id` stay the real ones.
ALTER TABLE installation ADD COLUMN practice_centre_id BLOB REFERENCES centre(id);
ALTER TABLE installation ADD COLUMN practice_staff_id BLOB REFERENCES staff(id);
ALTER TABLE installation ADD COLUMN practising INTEGER NOT NULL DEFAULT 0 CHECK (practising IN (0, 1));

-- A second folder (another disk, a USB stick) that each automatic backup is
-- also written to; NULL when backups stay in the app-data folder only.
ALTER TABLE installation ADD COLUMN backup_copy_folder TEXT;

-- Each staff member's interface language, remembered when they switch in;
-- NULL until they choose one, when the installation's language applies.
ALTER TABLE staff ADD COLUMN language TEXT;
