import { describe, expect, it } from 'vitest';
import { REGISTER_TARGETS, type Mapping } from './generated/bindings';
import { i18n } from './i18n/index.svelte';
import { columnLetters, fieldLabel, mappingProblemText, problemColumn, problemPlace, rowProblemText, targetGroups } from './registerImport';

const mapping: Mapping = {
  columns: [
    { column: 1, header: '№', target: null },
    { column: 2, header: 'ФИО', target: 'full_name' },
    { column: 5, header: 'Дата рождения', target: 'birth_date' },
    { column: 28, header: 'Дата обращения', target: 'visit_date' },
  ],
  defaults: { sex: null, citizenship: null, migration_status: 'unknown', document_kind: 'passport', visit_channel: 'walk_in', visit_purpose: null, assistance_outcome: null },
};

describe('the register import screen', () => {
  it('names columns as a spreadsheet does', () => {
    expect([1, 2, 26, 27, 28, 52, 53, 702, 703].map(columnLetters)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('points a row problem at the column it is in, as the core says', () => {
    expect(problemColumn(mapping, 'given_name')?.header).toBe('ФИО');
    expect(problemColumn(mapping, 'assistance_date')?.header).toBe('Дата обращения');
    expect(problemColumn(mapping, 'visit_purpose')).toBeNull();
    i18n.lang = 'en';
    expect(problemPlace(mapping, 'birth_date')).toBe('Дата рождения (E)');
    expect(problemPlace(mapping, 'assistance_date')).toBe('Дата обращения (AB)');
    expect(problemPlace(mapping, 'visit_purpose')).toBe('Purpose of the visits');
  });

  it('says problems in the interface language, or the core’s words when it has none', () => {
    i18n.lang = 'ru';
    expect(rowProblemText({ field: 'birth_date', code: 'invalid_date', message: "'31.02.1985' is not a date" }, 'mdy')).toBe(
      'Это не дата: напишите её как 10/31/1990 или 1990-10-31.',
    );
    expect(rowProblemText({ field: 'birth_date', code: 'future_date', message: 'must not be in the future' }, 'dmy')).toBe('Эта дата в будущем.');
    expect(rowProblemText({ field: 'phone', code: 'something_new', message: 'is odd' }, 'dmy')).toContain('(is odd)');
    expect(mappingProblemText({ code: 'not_mapped', field: 'sex', header: null, message: 'nothing gives sex' })).toContain('«Пол»');
    expect(mappingProblemText({ code: 'not_mapped', field: 'visit_purpose', header: null, message: '' })).toBe('Выберите «Цель обращений» в разделе «Для строк, где это не указано».');
    expect(mappingProblemText({ code: 'duplicate_target', field: 'phone', header: 'Тел.', message: '' })).toContain('«Тел.»');
    expect(mappingProblemText({ code: 'brand_new', field: null, header: null, message: 'the core explains' })).toContain('the core explains');
    i18n.lang = 'en';
  });

  it('offers every target once, people first, then the visit and help', () => {
    const groups = targetGroups();
    expect(groups.flatMap((g) => g.targets).sort()).toEqual([...REGISTER_TARGETS].sort());
    expect(groups[1].targets).toEqual(['visit_date', 'visit_channel', 'assistance_date', 'assistance_category']);
    expect(REGISTER_TARGETS.every((t) => fieldLabel(t) !== t)).toBe(true);
  });
});
