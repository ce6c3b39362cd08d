// Between the stored migrant and the form's input: what edit starts from.
import type { Migrant, MigrantInput } from './generated/bindings';
import { ageOn } from './i18n/index.svelte';

export function emptyMigrant(): MigrantInput {
  return {
    family_name: '', given_name: '', patronymic: '', family_name_latin: '', given_name_latin: '',
    sex: null, birth_date: null, estimated_age: null, citizenship: '', birth_country: '', origin_region: '',
    origin_town: '', current_country: '', current_city: '', phones: [{ number: '', messenger: 'none' }], languages: [],
    documents: [], migration_status: null, occupation: '', vulnerabilities: [], consent_given: false, consent_scope: [], notes: '',
  };
}

export function inputFrom(m: Migrant): MigrantInput {
  const estimated = m.birth_date_estimated && m.birth_date;
  return {
    family_name: m.family_name, given_name: m.given_name, patronymic: m.patronymic,
    family_name_latin: m.family_name_latin, given_name_latin: m.given_name_latin, sex: m.sex,
      // An unchanged estimated age keeps the date the core stored for it.
    birth_date: estimated ? null : m.birth_date, estimated_age: estimated ? ageOn(m.birth_date!) : null,
    citizenship: m.citizenship, birth_country: m.birth_country, origin_region: m.origin_region, origin_town: m.origin_town,
    current_country: m.current_country, current_city: m.current_city, phones: m.phones.map((p) => ({ ...p })),
    languages: [...m.languages], documents: m.documents.map((d) => ({ ...d })), migration_status: m.migration_status,
    occupation: m.occupation, vulnerabilities: [...m.vulnerabilities], consent_given: m.consent_given,
    consent_scope: [...m.consent_scope], notes: m.notes,
  };
}

/** Blank phone rows are the form's spare lines, not data. */
export function cleaned(input: MigrantInput): MigrantInput {
  return { ...input, phones: input.phones.filter((p) => p.number.trim() !== '') };
}
