// Session-wide state: the desk (centre, staff, who is at the desk) and the
// language, loaded once at start and refreshed after changes.
import { call } from './api';
import type { DeskState } from './generated/bindings';
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
