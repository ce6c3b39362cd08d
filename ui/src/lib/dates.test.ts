import { describe, expect, it } from 'vitest';
import { datePattern, readDate, readTime, showDate } from './dates';

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
