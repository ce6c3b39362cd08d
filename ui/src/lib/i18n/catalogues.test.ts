import { describe, expect, it } from 'vitest';
import { en, type MessageKey } from './en';
import { catalogues, format } from './index.svelte';
import * as b from '../generated/bindings';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
  for (const [lang, catalogue] of Object.entries(catalogues)) {
    it(`${lang} has every English key and no other`, () => {
      expect(Object.keys(catalogue).sort()).toEqual(Object.keys(en).sort());
    });
    it(`${lang} uses the same placeholders as English`, () => {
      for (const key of Object.keys(en) as MessageKey[]) {
        expect(placeholders(catalogue[key]), `${lang} ${key}`).toEqual(placeholders(en[key]));
      }
    });
    it(`${lang} leaves no message empty`, () => {
      for (const [key, text] of Object.entries(catalogue)) expect(text.trim(), `${lang} ${key}`).not.toBe('');
    });
  }

  it('names every value of every vocabulary the core defines', () => {
    const vocabularies: [string, readonly string[]][] = [
      ['role', b.STAFF_ROLES], ['sex', b.SEXES], ['status', b.MIGRATION_STATUSES], ['vulnerability', b.VULNERABILITIES],
      ['document', b.DOCUMENT_KINDS], ['messenger', b.MESSENGERS], ['consent', b.CONSENT_SCOPES], ['relation', b.RELATIONS],
      ['channel', b.CHANNELS], ['purpose', b.VISIT_PURPOSES], ['category', b.ASSISTANCE_CATEGORIES], ['outcome', b.OUTCOMES],
      ['case_type', b.CASE_TYPES], ['case_status', b.CASE_STATUSES], ['priority', b.PRIORITIES], ['closure', b.CLOSURE_REASONS],
      ['partner_kind', b.PARTNER_KINDS], ['referral_status', b.REFERRAL_STATUSES], ['shared', b.SHARED_DATA],
      ['age_band', b.AGE_BANDS], ['session_kind', b.SESSION_KINDS], ['backup_kind', b.BACKUP_KINDS],
      ['import.target', b.REGISTER_TARGETS], ['import.count', b.ROW_STATUSES], ['import.match', b.MATCH_KINDS],
      ['import.stage', b.IMPORT_STAGES], ['backups.stage', b.COPY_STAGES], ['import.date_order', Object.keys(b.DATE_ORDER_EXAMPLES)],
    ];
    for (const [prefix, values] of vocabularies) {
      for (const value of values) expect(en, `${prefix}.${value}`).toHaveProperty(`${prefix}.${value}`);
    }
    for (const moves of Object.values(b.CASE_MOVES)) for (const to of moves) expect(en).toHaveProperty(`case.move.${to}`);
    for (const moves of Object.values(b.REFERRAL_MOVES)) for (const to of moves) expect(en).toHaveProperty(`referral.move.${to}`);
  });

  it('fills placeholders and keeps unknown ones visible', () => {
    expect(format(en, 'list.count', { from: 1, to: 50, total: 312 })).toBe('1–50 of 312');
    expect(format(en, 'list.count', { from: 1 })).toBe('1–{to} of {total}');
  });
});
