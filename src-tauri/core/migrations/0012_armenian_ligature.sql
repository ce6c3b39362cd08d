-- The Armenian ligature և (Գևորգյան, Gevorgyan) comes apart as եւ, whose ւ
-- was read as the u of ու: Geuorgian, which no Latin spelling found. It now
-- reads v (`names::latin`). The keys of the people whose names have it are
-- made again; their old keys cannot be worked out any more, so they go by
-- migrant: a scan of the keys, once.
DELETE FROM migrant_key WHERE migrant_id IN (
    SELECT id FROM migrant
    WHERE instr(family_name || given_name || patronymic || family_name_latin || given_name_latin, 'և') > 0);

INSERT OR IGNORE INTO migrant_key (key, migrant_id)
SELECT k.value, m.id FROM migrant m, json_each(migrant_keys(m.family_name, m.given_name, m.patronymic,
    m.family_name_latin, m.given_name_latin, m.phones, m.documents)) k
WHERE instr(m.family_name || m.given_name || m.patronymic || m.family_name_latin || m.given_name_latin, 'և') > 0;
