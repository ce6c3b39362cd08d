// What every form shares: a busy flag, field errors from the core, and a
// general message. Values stay in the form on failure, so nothing typed is lost.
import { ApiError } from './api';
import { describe, fieldMessages } from './errors';
import { t } from './i18n/index.svelte';

export class FormState {
  busy = $state(false);
  /** Set once a save went through: the form may close without asking. */
  saved = $state(false);
  errors = $state<Record<string, string>>({});
  message = $state('');
  /** The code of the last refusal (`validation`, `likely_duplicate`...), for pages that act on one. */
  code = $state('');
  /** Fields whose text could not even be read (a date that is no date); the core never sees them. */
  unreadable = $state<Record<string, string>>({});

  /** Runs a save; returns its result, or null after showing what went wrong. */
  async submit<T>(save: () => Promise<T>): Promise<T | null> {
    if (this.busy) return null;
    this.errors = {};
    this.message = '';
    this.code = '';
    if (Object.keys(this.unreadable).length > 0) {
      this.errors = { ...this.unreadable };
      this.message = t('common.fix_errors');
      focusFirstError();
      return null;
    }
    this.busy = true;
    try {
      const result = await save();
      this.saved = true;
      return result;
    } catch (e) {
      if (e instanceof ApiError) {
        this.code = e.detail.code;
        this.errors = fieldMessages(e.detail);
        this.message = describe(e.detail);
      } else {
        this.message = String(e);
      }
      focusFirstError();
      return null;
    } finally {
      this.busy = false;
    }
  }
}

/** Moves the keyboard to the first field the core refused. */
function focusFirstError() {
  queueMicrotask(() => {
    const el = document.querySelector<HTMLElement>('[aria-invalid="true"]');
    el?.focus();
  });
}

/** A date-time for an <input type="datetime-local"> in the laptop's time zone. */
export function localDateTime(d = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function localDate(d = new Date()): string {
  return localDateTime(d).slice(0, 10);
}

/** Empty input means "not given". */
export function orNull(value: string): string | null {
  return value.trim() === '' ? null : value;
}

export function numberOrNull(value: string | number | null): number | null {
  if (value === null || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}
