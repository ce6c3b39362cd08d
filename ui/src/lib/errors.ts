// Turns a CommandError into words for the person at the desk: one message
// per field for forms, one sentence for everything else.
import { ApiError } from './api';
import type { CommandError, FieldError } from './generated/bindings';
import { en, type MessageKey } from './i18n/en';
import { t } from './i18n/index.svelte';


/** One field's problem in the interface language, or the core's words when the catalogue has none. */
export function messageFor(f: FieldError): string {
  const key = `error.${f.code}`;
  return key in en ? t(key as MessageKey) : `${t('error.invalid')} (${f.message})`;
}

/** Field name -> translated message, for showing next to each input. */
export function fieldMessages(err: CommandError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of err.fields) out[f.field] ??= messageFor(f);
  return out;
}

/** One sentence describing an error that is not about a form field. */
export function describe(err: CommandError): string {
  if (err.code === 'validation') return t('common.fix_errors');
  const key = `error.code.${err.code}`;
  if (key in en) return t(key as MessageKey, { message: err.message });
  return t('error.code.other', { message: err.message });
}

/** Any failure of a call, in words for the person at the desk; with no form
 *  to mark, field problems are spelled out one by one. */
export function errorText(e: unknown): string {
  if (!(e instanceof ApiError)) return String(e);
  if (e.detail.code === 'validation' && e.detail.fields.length > 0) return Object.values(fieldMessages(e.detail)).join(' ');
  return describe(e.detail);
}
