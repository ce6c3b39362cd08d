-- The keys people are found by (`search::keys_of`): each name word folded
-- across scripts, its vowel-less skeleton, phone digits read backwards (so
-- the last digits are a prefix) and document numbers. Derived from the
-- migrant row by these triggers only, never written by hand; keyed by the
-- migrant's UUID, so it rebuilds the same on any laptop.
CREATE TABLE migrant_key (
    key         TEXT NOT NULL,
    migrant_id  BLOB NOT NULL REFERENCES migrant(id),
    PRIMARY KEY (key, migrant_id)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER migrant_keys_insert AFTER INSERT ON migrant BEGIN
    INSERT OR IGNORE INTO migrant_key (key, migrant_id)
    SELECT value, NEW.id FROM json_each(migrant_keys(NEW.family_name, NEW.given_name, NEW.patronymic,
        NEW.family_name_latin, NEW.given_name_latin, NEW.phones, NEW.documents));
END;

CREATE TRIGGER migrant_keys_update
AFTER UPDATE OF family_name, given_name, patronymic, family_name_latin, given_name_latin, phones, documents ON migrant BEGIN
    DELETE FROM migrant_key WHERE migrant_id = OLD.id AND key IN (
        SELECT value FROM json_each(migrant_keys(OLD.family_name, OLD.given_name, OLD.patronymic,
            OLD.family_name_latin, OLD.given_name_latin, OLD.phones, OLD.documents)));
    INSERT OR IGNORE INTO migrant_key (key, migrant_id)
    SELECT value, NEW.id FROM json_each(migrant_keys(NEW.family_name, NEW.given_name, NEW.patronymic,
        NEW.family_name_latin, NEW.given_name_latin, NEW.phones, NEW.documents));
END;

INSERT OR IGNORE INTO migrant_key (key, migrant_id)
SELECT k.value, m.id FROM migrant m, json_each(migrant_keys(m.family_name, m.given_name, m.patronymic,
    m.family_name_latin, m.given_name_latin, m.phones, m.documents)) k;

-- A removed practice centre takes its people's keys with it.
CREATE TRIGGER migrant_keys_delete BEFORE DELETE ON migrant BEGIN
    DELETE FROM migrant_key WHERE migrant_id = OLD.id AND key IN (
        SELECT value FROM json_each(migrant_keys(OLD.family_name, OLD.given_name, OLD.patronymic,
            OLD.family_name_latin, OLD.given_name_latin, OLD.phones, OLD.documents)));
END;

-- The lower-cased text the list used to scan row by row; the keys replace it.
ALTER TABLE migrant DROP COLUMN search_text;
