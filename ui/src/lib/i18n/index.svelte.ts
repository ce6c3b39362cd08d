// The interface language and everything that depends on it: messages,
// dates, numbers, country and language names. Switching is instant.
import { en, type MessageKey } from './en';
import { es } from './es';
import { hy } from './hy';
import { kk } from './kk';
import { ky } from './ky';
import { ru } from './ru';
import { tg } from './tg';
import { uz } from './uz';

export const catalogues: Record<string, Record<MessageKey, string>> = { en, ru, tg, ky, kk, uz, hy, es };

/** BCP 47 locale used for dates and numbers in each interface language. */
const LOCALES: Record<string, string> = {
  en: 'en-GB', ru: 'ru-RU', tg: 'tg-TJ', ky: 'ky-KG', kk: 'kk-KZ', uz: 'uz-Latn-UZ', hy: 'hy-AM', es: 'es-CR',
};

/** A language's name in itself ("Русский", "Қазақ тілі"), from the CLDR data of the webview. */
export function languageSelfName(code: string): string {
  try {
    const name = new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code;
    return name.charAt(0).toLocaleUpperCase(code) + name.slice(1);
  } catch {
    return code;
  }
}

export const i18n = $state({ lang: 'en' });

export function setLanguage(lang: string) {
  if (catalogues[lang]) {
    i18n.lang = lang;
    // WebKit formats <input type=date> by the page's language: give it the full locale.
    document.documentElement.lang = locale();
  }
}

/** The message for `key`, with `{name}` placeholders filled in. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return format(catalogues[i18n.lang] ?? en, key, params);
}

export function format(catalogue: Record<MessageKey, string>, key: MessageKey, params: Record<string, string | number>) {
  const text = catalogue[key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

/** A message whose key is built from a vocabulary value, e.g. `sex.female`. */
export function tv(prefix: string, value: string): string {
  return t(`${prefix}.${value}` as MessageKey);
}

export function locale(lang = i18n.lang): string {
  return LOCALES[lang] ?? 'en-GB';
}

/** A message in a given language, whatever the interface shows (for printed documents). */
export function tIn(lang: string, key: MessageKey, params: Record<string, string | number> = {}): string {
  return format(catalogues[lang] ?? en, key, params);
}

/** A date in a given language's format, for printed documents. */
export function formatDateIn(lang: string, iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return new Intl.DateTimeFormat(locale(lang), { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

export function countryNameIn(lang: string, code: string): string {
  return code ? (new Intl.DisplayNames([locale(lang)], { type: 'region', fallback: 'code' }).of(code) ?? code) : '';
}

const displayNames = new Map<string, Intl.DisplayNames>();
function names(type: 'region' | 'language'): Intl.DisplayNames {
  const key = `${i18n.lang}:${type}`;
  let dn = displayNames.get(key);
  if (!dn) {
    dn = new Intl.DisplayNames([locale()], { type, fallback: 'code' });
    displayNames.set(key, dn);
  }
  return dn;
}

export function countryName(code: string): string {
  return code ? (names('region').of(code) ?? code) : '';
}

export function languageName(code: string): string {
  return code ? (names('language').of(code) ?? code) : '';
}

/** A calendar date stored as YYYY-MM-DD, shown in the user's locale. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const [y, m, d] = iso.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** A moment stored in UTC, shown in the laptop's time zone. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function formatNumber(n: number): string {
  return new Intl.NumberFormat(locale()).format(n);
}

/** Money kept in hundredths of a unit. */
export function formatMoney(minor: number, currency: string): string {
  return new Intl.NumberFormat(locale(), { style: 'currency', currency }).format(minor / 100);
}

/** Whole years between a date of birth and today. */
export function ageOn(birth: string, today = new Date()): number {
  const [y, m, d] = birth.split('-').map(Number);
  let age = today.getFullYear() - y;
  if (today.getMonth() + 1 < m || (today.getMonth() + 1 === m && today.getDate() < d)) age -= 1;
  return age;
}

/** Country codes sorted by their name in the current language. */
export function sortedByName(codes: readonly string[], name: (c: string) => string): string[] {
  const collator = new Intl.Collator(locale());
  return [...codes].sort((a, b) => collator.compare(name(a), name(b)));
}
