// Session-wide state: the desk (centre, staff, who is at the desk) and the
// language, loaded once at start and refreshed after changes.
import { call } from './api';
import type { Action, DeskState } from './generated/bindings';
import { setLanguage } from './i18n/index.svelte';

export const session = $state<{ desk: DeskState | null }>({ desk: null });

export async function loadDesk(): Promise<DeskState> {
  const desk = await call('desk_state', {});
  applyDesk(desk);
  return desk;
}

export function applyDesk(desk: DeskState) {
  session.desk = desk;
  setLanguage(desk.language);
}

export function staffName(id: string | null | undefined): string {
  return session.desk?.staff.find((s) => s.id === id)?.full_name ?? '';
}

/** Whether the person at the desk may do `action`: the core's role table,
 *  read from the desk state, so the UI offers only what would be allowed. */
export function may(action: Action): boolean {
  return session.desk?.permissions.includes(action) ?? false;
}

/** The first screen for the person signed in: their day if they work with
 *  people, else the report, else the staff screen. */
export function landing(): string {
  if (may('see_people')) return '/today';
  if (may('see_report')) return '/report';
  return '/staff';
}
