import { describe, expect, it } from 'vitest';
import { ASSISTANCE_CATEGORIES, HEADLINE_IDS, SECTION_IDS, type ReportRequest } from './generated/bindings';
import { en } from './i18n/en';
import {
  buildRequest, cellFilter, countryNames, exportFileName, hasPerson, headlineFilter, monthName, monthPeriod, niceMax, NIL_UUID,
  previousMonth, recentMonths, recordWhatKey, rowCaptionKey, shorten, wholeMonth, withPeriod,
} from './report';

const request = (from: string, to: string): ReportRequest => ({ centre_id: null, from, to, for_sharing: false });

describe('the period asked for', () => {
  it('defaults to the previous full month, across a new year too', () => {
    expect(previousMonth(new Date(2026, 10, 27))).toBe('2026-10');
    expect(previousMonth(new Date(2026, 0, 1))).toBe('2025-12');
    expect(previousMonth(new Date(2026, 2, 31))).toBe('2026-02');
  });

  it('offers the months newest first, starting with the current one', () => {
    const months = recentMonths(new Date(2026, 1, 15), 4);
    expect(months).toEqual(['2026-02', '2026-01', '2025-12', '2025-11']);
  });

  it('knows the first and last day of a month, leap years included', () => {
    expect(monthPeriod('2026-10')).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(monthPeriod('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(monthPeriod('2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(wholeMonth({ from: '2026-02-01', to: '2026-02-28' })).toBe('2026-02');
    expect(wholeMonth({ from: '2026-02-02', to: '2026-02-28' })).toBeNull();
  });

  it('builds the request from the controls', () => {
    const base = { centreId: 'c1', custom: false, month: '2026-10', from: null, to: null, forSharing: true };
    expect(buildRequest(base)).toEqual({ centre_id: 'c1', from: '2026-10-01', to: '2026-10-31', for_sharing: true });
    expect(buildRequest({ ...base, custom: true, from: '2026-10-05', to: '2026-10-20' })).toEqual({ centre_id: 'c1', from: '2026-10-05', to: '2026-10-20', for_sharing: true });
    expect(buildRequest({ ...base, custom: true, from: '2026-10-05', to: null })).toBeNull();
    expect(buildRequest({ ...base, custom: true, from: '2026-10-20', to: '2026-10-05' })).toBeNull();
    expect(withPeriod(request('2026-10-01', '2026-10-31'), { from: '2026-01-01', to: '2026-10-31' })).toEqual(request('2026-01-01', '2026-10-31'));
  });

  it('names months in the interface language', () => {
    expect(monthName('2026-10', 'en-GB')).toBe('October 2026');
    expect(monthName('2026-10', 'ru-RU')).toMatch(/^Октябрь 2026/);
    expect(monthName('2026-10', 'en-GB', 'short')).toBe('Oct');
  });
});

describe('captions', () => {
  it('names every row the way the report files do', () => {
    expect(rowCaptionKey('persons', 'assisted')).toBe('report.row.assisted');
    expect(rowCaptionKey('persons', 'new')).toBe('report.row.new');
    expect(rowCaptionKey('contacts', 'total')).toBe('report.row.total');
    expect(rowCaptionKey('contacts', 'hotline')).toBe('channel.hotline');
    expect(rowCaptionKey('anonymous_contacts', 'phone')).toBe('channel.phone');
    expect(rowCaptionKey('assistance_persons', 'medical')).toBe('category.medical');
    expect(rowCaptionKey('referrals_by_service', 'shelter')).toBe('category.shelter');
    expect(rowCaptionKey('referrals_by_status', 'no_show')).toBe('referral_status.no_show');
    expect(rowCaptionKey('cases_opened', 'labour_dispute')).toBe('case_type.labour_dispute');
    expect(rowCaptionKey('cases_open_at_end', 'health')).toBe('case_type.health');
    expect(rowCaptionKey('cases_closed', 'resolved')).toBe('closure.resolved');
    expect(rowCaptionKey('session_participants', 'training')).toBe('session_kind.training');
    expect(rowCaptionKey('vulnerable_persons', 'any')).toBe('report.row.any');
    expect(rowCaptionKey('vulnerable_persons', 'detained')).toBe('vulnerability.detained');
    expect(rowCaptionKey('referrals_by_partner', '')).toBe('report.row.no_partner');
  });

  it('finds every section, headline and category caption in the catalogue', () => {
    for (const id of SECTION_IDS) expect(en).toHaveProperty(`report.section.${id}`);
    for (const id of HEADLINE_IDS) expect(en).toHaveProperty(`report.headline.${id}`);
    for (const c of ASSISTANCE_CATEGORIES) expect(en).toHaveProperty(rowCaptionKey('assistance_records', c));
  });

  it('says what a listed record was about, by its kind', () => {
    expect(recordWhatKey('visit', 'walk_in')).toBe('channel.walk_in');
    expect(recordWhatKey('assistance', 'legal_consultation')).toBe('category.legal_consultation');
    expect(recordWhatKey('referral', 'medical')).toBe('category.medical');
    expect(recordWhatKey('case', 'detention')).toBe('case_type.detention');
    expect(recordWhatKey('session', 'pre_departure')).toBe('session_kind.pre_departure');
    expect(recordWhatKey('anonymous_contact', 'hotline')).toBe('channel.hotline');
    expect(recordWhatKey('something_new', 'x')).toBeNull();
    for (const kind of ['visit', 'assistance', 'referral', 'case', 'session', 'anonymous_contact']) expect(en).toHaveProperty(`report.kind.${kind}`);
  });
});

describe('the records behind a number', () => {
  it('narrows to the cell clicked', () => {
    const none = { sex: null, age_band: null, citizenship: null, migration_status: null };
    expect(cellFilter('contacts', 'total', { kind: 'total' })).toEqual({ section: 'contacts', key: null, ...none });
    expect(cellFilter('assistance_persons', 'medical', { kind: 'sex', sex: 'female' })).toEqual({ section: 'assistance_persons', key: 'medical', ...none, sex: 'female' });
    expect(cellFilter('persons', 'assisted', { kind: 'sex_age', sex: 'male', band: '25-34' })).toEqual({ section: 'persons', key: 'assisted', ...none, sex: 'male', age_band: '25-34' });
    expect(cellFilter('persons', 'new', { kind: 'citizenship', code: '' }).citizenship).toBe('');
    expect(cellFilter('persons', 'new', { kind: 'status', status: 'irregular' }).migration_status).toBe('irregular');
    expect(cellFilter('persons', 'new', { kind: 'age', band: '60+' }).age_band).toBe('60+');
  });

  it('finds where each headline is counted', () => {
    expect(headlineFilter('persons_assisted')).toMatchObject({ section: 'persons', key: 'assisted' });
    expect(headlineFilter('referrals_completed')).toMatchObject({ section: 'referrals_by_status', key: 'completed' });
    expect(headlineFilter('visits')).toMatchObject({ section: 'contacts', key: null });
    expect(headlineFilter('vulnerable_persons')).toMatchObject({ section: 'vulnerable_persons', key: 'any' });
    expect(headlineFilter('sessions_held')).toBeNull();
  });

  it('tells a person from an anonymous head count', () => {
    expect(hasPerson(NIL_UUID)).toBe(false);
    expect(hasPerson('')).toBe(false);
    expect(hasPerson('0b6c4f4e-1111-4a2b-9c3d-000000000001')).toBe(true);
  });
});

describe('files and charts', () => {
  it('names the files after the period', () => {
    expect(exportFileName(request('2026-10-01', '2026-10-31'), 'xlsx')).toBe('mrc-report-2026-10.xlsx');
    expect(exportFileName(request('2026-01-01', '2026-03-31'), 'pdf')).toBe('mrc-report-2026-01_2026-03.pdf');
    expect(exportFileName(request('2026-10-05', '2026-10-20'), 'csv')).toBe('mrc-report-2026-10-05_2026-10-20.csv');
    expect(exportFileName(request('2026-10-01', '2026-10-30'), 'csv')).toBe('mrc-report-2026-10-01_2026-10-30.csv');
  });

  it('names every citizenship column but the unrecorded one', () => {
    expect(countryNames(['TJ', '', 'UZ'], (c) => `name of ${c}`)).toEqual({ TJ: 'name of TJ', UZ: 'name of UZ' });
  });

  it('rounds the top of a scale up to a readable number', () => {
    expect(niceMax([])).toBe(5);
    expect(niceMax([null, 2])).toBe(5);
    expect(niceMax([7])).toBe(10);
    expect(niceMax([12, 3])).toBe(20);
    expect(niceMax([41])).toBe(50);
    expect(niceMax([100])).toBe(100);
    expect(niceMax([501])).toBe(1000);
  });

  it('shortens long labels with an ellipsis', () => {
    expect(shorten('Medical', 10)).toBe('Medical');
    expect(shorten('Humanitarian, in kind', 10)).toBe('Humanitar…');
  });
});
