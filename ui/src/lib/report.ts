// The pure side of the supervisor dashboard: which period is asked for,
// what each row and record is called in the catalogue, which records stand
// behind a number, and what the saved files are named. No Svelte, no calls.
import {
  AGE_BANDS, MIGRATION_STATUSES, SEXES,
  type AgeBand, type CellFilter, type HeadlineId, type MigrationStatus, type Period, type ReportFormat, type ReportRequest,
  type SectionId, type Sex,
} from './generated/bindings';

export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM` of a local date. */
export function monthOf(day: Date): string {
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}`;
}

/** The last full month before `today`: the month a report is usually made for. */
export function previousMonth(today = new Date()): string {
  return monthOf(new Date(today.getFullYear(), today.getMonth() - 1, 1));
}

/** The months a supervisor can pick, newest first, starting with the current one. */
export function recentMonths(today = new Date(), count = 36): string[] {
  return Array.from({ length: count }, (_, back) => monthOf(new Date(today.getFullYear(), today.getMonth() - back, 1)));
}

/** First and last day of the month `YYYY-MM`. */
export function monthPeriod(month: string): Period {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${pad(last)}` };
}

/** The whole month `YYYY-MM` a period covers exactly, or null. */
export function wholeMonth(p: Period): string | null {
  const month = p.from.slice(0, 7);
  const whole = monthPeriod(month);
  return whole.from === p.from && whole.to === p.to ? month : null;
}

/** "October 2026" / "Октябрь 2026 г." in the given locale, capitalised for a list. */
export function monthName(month: string, locale: string, style: 'long' | 'short' = 'long'): string {
  const [y, m] = month.split('-').map(Number);
  const text = new Intl.DateTimeFormat(locale, style === 'long' ? { month: 'long', year: 'numeric', timeZone: 'UTC' } : { month: 'short', timeZone: 'UTC' })
    .format(new Date(Date.UTC(y, m - 1, 1)));
  return text.charAt(0).toLocaleUpperCase(locale) + text.slice(1);
}

export type Controls = {
  centreId: string | null;
  custom: boolean;
  month: string;
  from: string | null;
  to: string | null;
  forSharing: boolean;
};

/** The request the controls stand for; null while a custom range is incomplete or reversed. */
export function buildRequest(c: Controls): ReportRequest | null {
  const period = c.custom ? (c.from && c.to ? { from: c.from, to: c.to } : null) : monthPeriod(c.month);
  if (!period || period.to < period.from) return null;
  return { centre_id: c.centreId, from: period.from, to: period.to, for_sharing: c.forSharing };
}

/** The same request over another period (previous, year to date, one month of the trend). */
export function withPeriod(request: ReportRequest, period: Period): ReportRequest {
  return { ...request, from: period.from, to: period.to };
}

/** The vocabulary each section's rows are named from. */
const ROW_PREFIX: Record<SectionId, string> = {
  persons: 'report.row',
  contacts: 'channel',
  anonymous_contacts: 'channel',
  assistance_records: 'category',
  assistance_persons: 'category',
  referrals_by_partner: 'report.row',
  referrals_by_service: 'category',
  referrals_by_status: 'referral_status',
  cases_opened: 'case_type',
  cases_closed: 'closure',
  cases_open_at_end: 'case_type',
  session_participants: 'session_kind',
  vulnerable_persons: 'vulnerability',
};

/** The catalogue key naming a row, as the report files name it. A partner
 *  row carries its own label; one without a partner is "No partner". */
export function rowCaptionKey(section: SectionId, key: string): string {
  if (['total', 'assisted', 'new', 'any'].includes(key)) return `report.row.${key}`;
  if (section === 'referrals_by_partner') return 'report.row.no_partner';
  return `${ROW_PREFIX[section]}.${key}`;
}

/** What a record behind a number was about, by its kind. */
const RECORD_PREFIX: Record<string, string> = {
  visit: 'channel',
  anonymous_contact: 'channel',
  assistance: 'category',
  referral: 'category',
  case: 'case_type',
  session: 'session_kind',
};

export function recordWhatKey(kind: string, key: string): string | null {
  const prefix = RECORD_PREFIX[kind];
  return prefix && key ? `${prefix}.${key}` : null;
}

/** A column of a section's table: what it narrows the records to. */
export type Column =
  | { kind: 'total' }
  | { kind: 'sex'; sex: Sex }
  | { kind: 'age'; band: AgeBand }
  | { kind: 'sex_age'; sex: Sex; band: AgeBand }
  | { kind: 'citizenship'; code: string }
  | { kind: 'status'; status: MigrationStatus };

export const COLUMNS = {
  sexes: SEXES.map((sex): Column => ({ kind: 'sex', sex })),
  ages: AGE_BANDS.map((band): Column => ({ kind: 'age', band })),
  statuses: MIGRATION_STATUSES.map((status): Column => ({ kind: 'status', status })),
};

/** The records behind one cell: its section, its row and its column. */
export function cellFilter(section: SectionId, key: string, column: Column): CellFilter {
  const filter: CellFilter = { section, key: key === 'total' ? null : key, sex: null, age_band: null, citizenship: null, migration_status: null };
  switch (column.kind) {
    case 'sex': filter.sex = column.sex; break;
    case 'age': filter.age_band = column.band; break;
    case 'sex_age': filter.sex = column.sex; filter.age_band = column.band; break;
    case 'citizenship': filter.citizenship = column.code; break;
    case 'status': filter.migration_status = column.status; break;
  }
  return filter;
}

/** Where each headline figure is counted; null for one with no list of records behind it. */
const HEADLINE_CELL: Record<HeadlineId, [SectionId, string] | null> = {
  persons_assisted: ['persons', 'assisted'],
  new_persons: ['persons', 'new'],
  visits: ['contacts', 'total'],
  anonymous_contacts: ['anonymous_contacts', 'total'],
  assistance_records: ['assistance_records', 'total'],
  referrals_made: ['referrals_by_status', 'total'],
  referrals_completed: ['referrals_by_status', 'completed'],
  cases_opened: ['cases_opened', 'total'],
  cases_closed: ['cases_closed', 'total'],
  cases_open_at_end: ['cases_open_at_end', 'total'],
  // A count of sessions, not of the people or records the report lists.
  sessions_held: null,
  session_participants: ['session_participants', 'total'],
  vulnerable_persons: ['vulnerable_persons', 'any'],
};

export function headlineFilter(id: HeadlineId): CellFilter | null {
  const cell = HEADLINE_CELL[id];
  return cell ? cellFilter(cell[0], cell[1], { kind: 'total' }) : null;
}

/** `mrc-report-2026-10.xlsx` for a month, `mrc-report-2026-01_2026-03.pdf` for whole months,
 *  `mrc-report-2026-10-05_2026-10-20.csv` otherwise. */
export function exportFileName(request: ReportRequest, format: ReportFormat): string {
  const startsMonth = request.from.endsWith('-01');
  const endsMonth = monthPeriod(request.to.slice(0, 7)).to === request.to;
  let span: string;
  if (startsMonth && endsMonth) {
    const [a, b] = [request.from.slice(0, 7), request.to.slice(0, 7)];
    span = a === b ? a : `${a}_${b}`;
  } else {
    span = `${request.from}_${request.to}`;
  }
  return `mrc-report-${span}.${format}`;
}

/** Country names for the citizenship columns of the files, as the UI shows them. */
export function countryNames(codes: readonly string[], name: (code: string) => string): Record<string, string> {
  return Object.fromEntries(codes.filter((c) => c !== '').map((c) => [c, name(c)]));
}

/** The top of a chart's scale: the largest value rounded up to 1, 2 or 5 times a power of ten. */
export function niceMax(values: readonly (number | null)[]): number {
  const max = Math.max(0, ...values.map((v) => v ?? 0));
  if (max <= 5) return 5;
  const power = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 5, 10].find((s) => s * power >= max) ?? 10;
  return step * power;
}

/** A record with a registered person behind it (not an anonymous head count). */
export function hasPerson(migrantId: string): boolean {
  return migrantId !== '' && migrantId !== NIL_UUID;
}

/** A label cut to `max` characters with an ellipsis, for chart axes (the full text goes in a title). */
export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1)).trimEnd()}…`;
}

/** A number someone clicked: the records behind it are those of `filter` over `period`. */
export type Opening = { filter: CellFilter; period: Period; count: number; what: string };
