import { describe, expect, it } from 'vitest';
import { addMonths, datePattern, firstDayOfWeek, monthWeeks, readDate, readTime, showDate, todayIso } from './dates';

describe('dates as people type them', () => {
  it('follows the order of the interface language', () => {
    expect(datePattern('ru-RU', 'ДМГ')).toBe('ДД.ММ.ГГГГ');
    expect(datePattern('en-GB', 'DMY')).toBe('DD/MM/YYYY');
    expect(showDate('2026-10-31', 'ru-RU')).toBe('31.10.2026');
    expect(showDate('2026-10-31', 'en-GB')).toBe('31/10/2026');
  });

  it('reads typed dates in that order, or ISO', () => {
    expect(readDate('31.10.2026', 'ru-RU')).toBe('2026-10-31');
    expect(readDate('1/2/1990', 'en-GB')).toBe('1990-02-01');
    expect(readDate('2026-10-31', 'en-GB')).toBe('2026-10-31');
    expect(readDate('  ', 'ru-RU')).toBe('');
  });

  it('refuses what is not a real date', () => {
    for (const bad of ['31.02.2026', '12.2026', '1.1.26', 'tomorrow', '32/01/2000']) expect(readDate(bad, 'ru-RU'), bad).toBeNull();
  });

  it('reads times of day', () => {
    expect(readTime('9:05')).toBe('09:05');
    expect(readTime('14.30')).toBe('14:30');
    expect(readTime('')).toBe('');
    expect(readTime('25:00')).toBeNull();
  });
});

describe('the calendar', () => {
  it('starts the week where the locale does', () => {
    expect(firstDayOfWeek('ru-RU')).toBe(1);
    expect(firstDayOfWeek('en-US')).toBe(7);
    expect(firstDayOfWeek('kk-KZ')).toBe(1);
  });

  it('shows whole weeks around the month', () => {
    // November 2026 starts on a Sunday.
    const monday = monthWeeks('2026-11-15', 1);
    expect(monday[0][0]).toBe('2026-10-26');
    expect(monday[0][6]).toBe('2026-11-01');
    expect(monday.at(-1)?.at(-1)).toBe('2026-12-06');
    expect(monday).toHaveLength(6);
    const sunday = monthWeeks('2026-11-15', 7);
    expect(sunday[0][0]).toBe('2026-11-01');
    expect(sunday).toHaveLength(5);
    // February 2027 fills exactly four weeks from Monday.
    expect(monthWeeks('2027-02-10', 1)).toHaveLength(4);
  });

  it('moves by months without running over', () => {
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-15');
  });

  it('knows today in the local time zone', () => {
    expect(todayIso(new Date(2026, 10, 28, 23, 59))).toBe('2026-11-28');
  });
});
