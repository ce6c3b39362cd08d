// Dates typed the way the interface language writes them (31.10.2026 in
// Russian, 31/10/2026 in British English), read back into ISO dates for the
// core. The webview's own date control follows the operating system's
// locale, not the language chosen in MRC Desk, so it is not used.

type Order = ('day' | 'month' | 'year')[];

/** Field order and separator of a locale's numeric dates. */
export function dateShape(locale: string): { order: Order; separator: string } {
  const parts = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric' }).formatToParts(new Date(2001, 10, 22));
  const order = parts.filter((p) => p.type === 'day' || p.type === 'month' || p.type === 'year').map((p) => p.type) as Order;
  const separator = parts.find((p) => p.type === 'literal')?.value ?? '.';
  return { order, separator };
}

/** What a person sees as the expected shape, e.g. ДД.ММ.ГГГГ; `letters` are day, month, year. */
export function datePattern(locale: string, letters: string): string {
  const { order, separator } = dateShape(locale);
  const [d, m, y] = [...letters];
  const piece = { day: d + d, month: m + m, year: y + y + y + y };
  return order.map((k) => piece[k]).join(separator);
}

export function showDate(iso: string | null, locale: string): string {
  if (!iso) return '';
  const [year, month, day] = iso.split('-');
  const { order, separator } = dateShape(locale);
  const piece = { day, month, year };
  return order.map((k) => piece[k]).join(separator);
}

/** The ISO date typed, '' for nothing typed, or null when it is not a real date. */
export function readDate(text: string, locale: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(trimmed);
  let day: number, month: number, year: number;
  if (iso) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else {
    const groups = trimmed.split(/[^\d]+/).filter(Boolean);
    if (groups.length !== 3) return null;
    const { order } = dateShape(locale);
    const value = Object.fromEntries(order.map((k, i) => [k, groups[i]])) as Record<string, string>;
    if (value.year.length !== 4) return null;
    [year, month, day] = [Number(value.year), Number(value.month), Number(value.day)];
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** "14:05" or "9.30" -> "14:05"/"09:30"; '' for nothing; null when not a time of day. */
export function readTime(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  const m = /^(\d{1,2})[:.](\d{2})$/.exec(trimmed);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  return `${m[1].padStart(2, '0')}:${m[2]}`;
}

/** The weekday a locale's weeks start on, 1 = Monday … 7 = Sunday, from the
 *  CLDR week data of the webview; Monday where the engine has none. */
export function firstDayOfWeek(locale: string): number {
  try {
    const loc = new Intl.Locale(locale) as Intl.Locale & { getWeekInfo?: () => { firstDay: number }; weekInfo?: { firstDay: number } };
    return (loc.getWeekInfo?.() ?? loc.weekInfo)?.firstDay ?? 1;
  } catch {
    return 1;
  }
}

/** ISO date `days` after `iso` (before, when negative). */
export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The same day `months` later, held to the month's last day (31 Jan + 1 = 28 Feb). */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

/** ISO weekday of a date, 1 = Monday … 7 = Sunday. */
function weekday(iso: string): number {
  return new Date(`${iso}T00:00:00Z`).getUTCDay() || 7;
}

/** The whole weeks that show the month of `iso` on a calendar whose weeks
 *  start on `firstDay`; days of the months around fill the first and last week. */
export function monthWeeks(iso: string, firstDay: number): string[][] {
  const first = `${iso.slice(0, 7)}-01`;
  let day = addDays(first, -((weekday(first) - firstDay + 7) % 7));
  const weeks: string[][] = [];
  const next = addMonths(first, 1);
  while (day < next) {
    const week = Array.from({ length: 7 }, (_, i) => addDays(day, i));
    weeks.push(week);
    day = addDays(day, 7);
  }
  return weeks;
}

/** Today in the laptop's own time zone, as an ISO date. */
export function todayIso(now = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}
