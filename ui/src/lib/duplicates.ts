// Words for what the duplicate check found, shared by the registration form
// and the supervisor's duplicates screen.
import type { DuplicateReason, MigrantSummary } from './generated/bindings';
import { ageOn, countryName, formatDate, t } from './i18n/index.svelte';

/** One reason two records look alike, in the interface language. */
export function because(r: DuplicateReason): string {
  const detail = r.kind === 'birth_date' ? formatDate(r.detail) : r.kind === 'age' ? t('common.years', { n: r.detail }) : r.detail;
  return t(`duplicate.reason.${r.kind}`, { detail });
}

/** Born, citizenship and phone on one line. */
export function facts(m: MigrantSummary): string {
  const born = m.birth_date && (m.birth_date_estimated ? `≈ ${t('common.years', { n: ageOn(m.birth_date) })}` : formatDate(m.birth_date));
  return [born, countryName(m.citizenship), m.phone].filter(Boolean).join(' · ');
}

export function fullName(m: MigrantSummary): string {
  return [m.family_name, m.given_name, m.patronymic].filter(Boolean).join(' ');
}
